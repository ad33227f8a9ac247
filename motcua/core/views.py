"""Operational endpoints."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for load balancers; also the minimal view that bench/portal.py compares with."""
    return HttpResponse("ok", content_type="text/plain")
