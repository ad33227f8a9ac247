from __future__ import annotations

from django.urls import path

from motcua.portal import apply_views, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("thu-tuc/", views.procedure_search, name="procedure_search"),
    path("thu-tuc/linh-vuc/<str:code>/", views.procedures_by_field, name="by_field"),
    path("thu-tuc/co-quan/<str:code>/", views.procedures_by_agency, name="by_agency"),
    path("thu-tuc/cap/<str:level>/", views.procedures_by_level, name="by_level"),
    path("thu-tuc/su-kien/<slug:slug>/", views.procedures_by_event, name="by_event"),
    path("thu-tuc/<str:code>/", views.procedure_detail, name="procedure"),
    path("tra-cuu/", views.track, name="track"),
    path("tra-cuu/ket-qua/<str:token>/", views.track_token, name="track_token"),
    path("tra-cuu/<str:code>/", views.track_result, name="track_result"),
    path("ho-so-cua-toi/", views.my_dossiers, name="my_dossiers"),
    path("ho-so-cua-toi/<str:code>/", views.my_dossier, name="my_dossier"),
    path("nop-ho-so/ban-nhap/", apply_views.draft_list, name="drafts"),
    path("nop-ho-so/ban-nhap/<int:pk>/buoc-<int:step>/", apply_views.apply_step, name="apply_step"),
    path("nop-ho-so/ban-nhap/<int:pk>/da-nop/", apply_views.apply_done, name="apply_done"),
    path("nop-ho-so/<str:code>/", apply_views.apply_start, name="apply"),
    path("ho-so/<str:code>/bo-sung/", apply_views.supplement, name="supplement"),
]
