"""Forms of the online application (steps 1 and 2) and of the supplement."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class ChooseForm(forms.Form):
    case = forms.TypedChoiceField(label=_("Trường hợp"), coerce=int, widget=forms.RadioSelect)
    agency = forms.ChoiceField(label=_("Cơ quan giải quyết"))

    def __init__(self, *args: Any, cases: list[Any], agencies: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        case_field = self.fields["case"]
        agency_field = self.fields["agency"]
        assert isinstance(case_field, forms.ChoiceField)  # noqa: S101 (declared above)
        assert isinstance(agency_field, forms.ChoiceField)  # noqa: S101
        case_field.choices = [(c.pk, c.name) for c in cases]
        agency_field.choices = [(a.code, a.name) for a in agencies]


class ApplicantForm(forms.Form):
    name = forms.CharField(label=_("Họ và tên / tên tổ chức"), max_length=200)
    id_number = forms.CharField(
        label=_("Số định danh cá nhân / mã số thuế"),
        max_length=14,
        help_text=_("12 chữ số trên thẻ căn cước, hoặc mã số thuế của doanh nghiệp."),
    )
    phone = forms.CharField(label=_("Số điện thoại"), max_length=20)
    email = forms.EmailField(
        label=_("Thư điện tử"),
        required=False,
        help_text=_("Để nhận mã hồ sơ và thông báo tiến độ."),
    )
    address = forms.CharField(label=_("Địa chỉ"), max_length=300, required=False)


class SupplementForm(forms.Form):
    note = forms.CharField(
        label=_("Ghi chú cho cơ quan (không bắt buộc)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
