"""A URLconf for ``test_reverse``: the portal mounted under another prefix."""

from __future__ import annotations

from django.urls import include, path

urlpatterns = [path("elsewhere/", include("motcua.portal.urls"))]
