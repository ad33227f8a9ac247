from __future__ import annotations

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from config.api import api
from motcua.core.views import healthz, language

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    # The public portal early: its pages (tracking, search) are the busiest, and each pattern
    # tried before a match costs every request (no other prefix collides with its paths).
    path("", include("motcua.portal.urls")),
    path("api/v1/", api.urls),
    # The brief promises OpenAPI at /api/docs.
    path("api/docs", RedirectView.as_view(url="/api/v1/docs", permanent=False)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("ngon-ngu/<str:code>/", language, name="language"),
    path("accounts/", include("motcua.accounts.urls")),
    path("office/calendar/", include("motcua.workdays.urls")),
    path("office/catalog/", include("motcua.catalog.urls")),
    path("office/agencies/", include("motcua.units.urls")),
    path("office/dossiers/", include("motcua.dossiers.urls")),
    path("office/danh-gia/", include("motcua.feedback.office_urls")),
    path("office/thong-ke/", include("motcua.stats.urls")),
    path("danh-gia/", include("motcua.feedback.urls")),
    path("chi-so-766/", include("motcua.stats.public_urls")),
    path("office/", include("motcua.office.urls")),
    path("thanh-toan/", include("motcua.payments.urls")),
    path("", include("motcua.documents.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
