"""The applicant rates a returned dossier; officials work through the unhappy ratings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from motcua.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from motcua.dossiers.models import Dossier
from motcua.feedback import selectors, services
from motcua.feedback.forms import FollowUpCloseForm, RatingForm


@login_required
@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, code: str) -> HttpResponse:
    dossier = (
        Dossier.objects.filter(code=code, applicant_user_id=request.user.pk)
        .select_related("procedure_version")
        .first()
    )
    if dossier is None:
        raise Http404(_("Không tìm thấy hồ sơ."))
    existing = getattr(dossier, "rating", None) if hasattr(dossier, "rating") else None
    form = RatingForm(request.POST or None)
    status = 200
    if request.method == "POST" and existing is None and form.is_valid():
        data = form.cleaned_data
        try:
            services.rating_submit(
                user=request.user, code=code, answers=data, comment=data.get("comment", "")
            )
        except InvalidInput as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            status = 422
        except (Conflict, NotFound) as exc:
            messages.error(request, exc.message)
            status = 409
        else:
            messages.success(request, _("Cảm ơn ông/bà đã đánh giá chất lượng phục vụ."))
            return redirect("feedback:rate", code=code)
    elif request.method == "POST":
        status = 422 if existing is None else 409
    context = {"dossier": dossier, "form": form, "rating": existing}
    return render(request, "feedback/rate.html", context, status=status)


@login_required
def follow_ups(request: HttpRequest) -> HttpResponse:
    if not getattr(request.user, "is_official", False) and not request.user.is_superuser:
        raise Http404
    state = request.GET.get("state", "open")
    items = selectors.follow_up_list(user=request.user, state=state if state != "all" else "")
    return render(
        request,
        "feedback/follow_ups.html",
        {"items": items[:200], "state": state, "form": FollowUpCloseForm()},
    )


@login_required
@require_POST
def follow_up_close(request: HttpRequest, pk: int) -> HttpResponse:
    form = FollowUpCloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Vui lòng nhập kết quả xử lý."))
        return redirect("feedback_office:list")
    try:
        services.follow_up_close(user=request.user, pk=pk, answer=form.cleaned_data["answer"])
    except NotFound as exc:
        raise Http404 from exc
    except (Conflict, InvalidInput, PermissionDenied) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã ghi nhận kết quả xử lý."))
    return redirect("feedback_office:list")
