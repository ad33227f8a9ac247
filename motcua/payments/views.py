"""Online payment pages, mounted under /thanh-toan/ in config/urls.py. Thin: parse → one
service/selector call → render.

- ``<code>/bat-dau/``: GET shows what is owed; POST (the applicant, CSRF) opens the payment at
  the gateway and redirects the browser there.
- ``ket-qua/``: where the gateway sends the browser back; shows *our* state of the payment (the
  query string only names the order, it is never trusted for the outcome).
- ``callback/``: the gateway's server-to-server callback (no CSRF: it carries a signature).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motcua.core import ratelimit
from motcua.core.errors import DomainError
from motcua.payments import selectors, services

START_LIMIT, START_WINDOW = 10, 60
CALLBACK_LIMIT, CALLBACK_WINDOW = 120, 60
MAX_CALLBACK_BYTES = 16_000


@login_required
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, code: str) -> HttpResponse:
    quote = selectors.payment_quote(user=request.user, code=code)
    if quote is None:
        return render(
            request,
            "payments/start.html",
            {"code": code, "error": _("Không tìm thấy hồ sơ %(code)s.") % {"code": code}},
            status=404,
        )
    context = {"code": code, "quote": quote}
    if request.method == "GET":
        return render(request, "payments/start.html", context)
    if not ratelimit.hit(
        f"pay-start:{request.user.pk}", limit=START_LIMIT, window_seconds=START_WINDOW
    ):
        context["error"] = _("Bạn đã thử quá nhiều lần. Vui lòng đợi một phút rồi thử lại.")
        return render(request, "payments/start.html", context, status=429)
    try:
        payment = services.payment_start(
            dossier=code,
            user=request.user,
            return_url=request.build_absolute_uri(reverse("payments:result")),
            callback_url=request.build_absolute_uri(reverse("payments:callback")),
        )
    except DomainError as exc:
        context["error"] = exc.message
        return render(request, "payments/start.html", context, status=exc.status_code)
    return redirect(payment.gateway_url)


@require_GET
def result(request: HttpRequest) -> HttpResponse:
    order_id = request.GET.get("order_id", "")
    payment = selectors.payment_get(user=request.user, order_id=order_id)
    return render(request, "payments/result.html", {"payment": payment, "order_id": order_id})


@csrf_exempt
@require_POST
def callback(request: HttpRequest) -> HttpResponse:
    ip = ratelimit.client_ip(request.META)
    if not ratelimit.hit(f"pay-cb:{ip}", limit=CALLBACK_LIMIT, window_seconds=CALLBACK_WINDOW):
        return JsonResponse({"ok": False, "reason": "rate_limited"}, status=429)
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if length > MAX_CALLBACK_BYTES:
        return JsonResponse({"ok": False, "reason": "too_large"}, status=413)
    outcome = services.payment_callback(
        body=request.body, headers=dict(request.headers.items()), remote_addr=ip
    )
    if outcome.accepted:
        return JsonResponse({"ok": True})
    return JsonResponse({"ok": False, "reason": outcome.reason}, status=400)
