"""The public 766 index, mounted at /chi-so-766/ in config/urls.py (no login)."""

from __future__ import annotations

from django.urls import path, register_converter

from motcua.stats import public_views as views


class MonthConverter:
    regex = r"\d{4}-\d{2}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: object) -> str:
        return str(value)


register_converter(MonthConverter, "month")

app_name = "index766"
urlpatterns = [
    path("", views.index_home, name="home"),
    path("<month:month>.json", views.month_json, name="json"),
    path("<month:month>.csv", views.month_csv, name="csv"),
    path("<month:month>/", views.month_page, name="month"),
    path("<month:month>/<str:unit>/", views.unit_page, name="unit"),
    path("<month:month>/<str:unit>/<slug:drill>/", views.drill_page, name="drill"),
]
