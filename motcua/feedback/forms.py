from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from motcua.feedback.models import Satisfaction


def _choice(label: StrOrPromise) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=Satisfaction.choices, widget=forms.RadioSelect)


class RatingForm(forms.Form):
    overall = _choice(_("Đánh giá tổng thể"))
    convenience = _choice(_("Mức độ thuận tiện khi thực hiện thủ tục"))
    staff = _choice(_("Thái độ, tinh thần phục vụ của cán bộ"))
    timeliness = _choice(_("Thời gian giải quyết so với quy định"))
    comment = forms.CharField(
        label=_("Ý kiến khác (nếu có)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FollowUpCloseForm(forms.Form):
    answer = forms.CharField(
        label=_("Kết quả xử lý"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
