"""Forms: the two login forms, and the user forms of the Django admin."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.utils.translation import gettext_lazy as _

from motcua.accounts.authn import public_username
from motcua.accounts.identifiers import InvalidIdentifier
from motcua.accounts.models import User


class OfficialLoginForm(forms.Form):
    username = forms.CharField(
        label=_("Tên đăng nhập"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Mật khẩu"),
        max_length=256,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class PublicLoginForm(forms.Form):
    identifier = forms.CharField(
        label=_("Số định danh cá nhân hoặc mã số thuế"),
        max_length=20,
        help_text=_("Công dân: 12 chữ số trên thẻ căn cước. Doanh nghiệp: mã số thuế."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "inputmode": "numeric"}),
    )
    password = forms.CharField(
        label=_("Mật khẩu"),
        max_length=256,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def clean_identifier(self) -> str:
        value: str = self.cleaned_data["identifier"]
        try:
            self.username = public_username(value)
        except InvalidIdentifier as exc:
            raise forms.ValidationError(exc.message) from exc
        return value.strip()


class MembershipAddForm(forms.Form):
    username = forms.CharField(label=_("Tên đăng nhập của cán bộ"), max_length=150)
    role = forms.ChoiceField(label=_("Vai trò"))

    def __init__(self, *args: Any, roles: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role_field = self.fields["role"]
        assert isinstance(role_field, forms.ChoiceField)  # noqa: S101 (narrowing for mypy)
        role_field.choices = roles


class AdminUserCreationForm(UserCreationForm[User]):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "kind", "full_name", "id_number", "tax_code")


class AdminUserChangeForm(UserChangeForm[User]):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"
