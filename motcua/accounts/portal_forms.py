"""Forms of the public accounts: registration (citizen, business), profile. Validation only;
the writes are in ``services``."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.accounts.identifiers import InvalidIdentifier, parse_citizen_id, parse_tax_code
from motcua.accounts.models import User, UserKind

_PHONE = re.compile(r"(?:\+84|0)\d{9}")


def clean_phone(value: str) -> str:
    compact = re.sub(r"[\s.\-()]", "", value)
    if not _PHONE.fullmatch(compact):
        raise forms.ValidationError(
            _("Số điện thoại gồm 10 chữ số, bắt đầu bằng 0 (ví dụ 0905123456) hoặc +84.")
        )
    return "0" + compact[3:] if compact.startswith("+84") else compact


class _RegistrationForm(forms.Form):
    kind: str = ""
    phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("Thư điện tử (e-mail)"),
        max_length=254,
        help_text=_("Thông báo về hồ sơ được gửi đến địa chỉ này."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password1 = forms.CharField(
        label=_("Mật khẩu"),
        max_length=256,
        strip=False,
        help_text=_("Ít nhất 8 ký tự, không toàn chữ số, không quá dễ đoán."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Nhập lại mật khẩu"),
        max_length=256,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    number: str = ""

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data["phone"])

    def _probe_user(self) -> User:
        """An unsaved user carrying the typed details, for the similarity validator."""
        data = self.cleaned_data
        return User(
            username=self.number or "",
            full_name=data.get("full_name", ""),
            email=data.get("email", ""),
            kind=self.kind,
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        one, two = data.get("password1"), data.get("password2")
        if one and two and one != two:
            self.add_error("password2", _("Hai mật khẩu không giống nhau."))
        elif one:
            try:
                validate_password(one, user=self._probe_user())
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class CitizenRegistrationForm(_RegistrationForm):
    kind = UserKind.CITIZEN
    full_name = forms.CharField(
        label=_("Họ và tên"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    id_number = forms.CharField(
        label=_("Số định danh cá nhân"),
        max_length=20,
        help_text=_("12 chữ số trên thẻ căn cước công dân."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    field_order = ["full_name", "id_number", "phone", "email", "password1", "password2"]

    def clean_id_number(self) -> str:
        try:
            self.number = parse_citizen_id(
                self.cleaned_data["id_number"], today=timezone.localdate()
            ).number
        except InvalidIdentifier as exc:
            raise forms.ValidationError(exc.message) from exc
        return self.number


class BusinessRegistrationForm(_RegistrationForm):
    kind = UserKind.BUSINESS
    full_name = forms.CharField(
        label=_("Tên doanh nghiệp, tổ chức"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    tax_code = forms.CharField(
        label=_("Mã số thuế"),
        max_length=20,
        help_text=_("10 chữ số, hoặc 13 chữ số đối với đơn vị phụ thuộc (NNNNNNNNNN-NNN)."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    representative = forms.CharField(
        label=_("Người đại diện theo pháp luật"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    field_order = [
        "full_name", "tax_code", "representative", "phone", "email", "password1", "password2",
    ]  # fmt: skip

    def clean_tax_code(self) -> str:
        try:
            self.number = parse_tax_code(self.cleaned_data["tax_code"]).number
        except InvalidIdentifier as exc:
            raise forms.ValidationError(exc.message) from exc
        return self.number


class ProfileForm(forms.Form):
    phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("Thư điện tử (e-mail)"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    address = forms.CharField(
        label=_("Địa chỉ liên hệ"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data["phone"])
