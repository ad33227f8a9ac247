"""Forms of the public portal (validation only)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm thủ tục"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("Ví dụ: khai sinh, giấy phép xây dựng"),
                "autocomplete": "off",
            }
        ),
    )


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Mã hồ sơ"),
        max_length=60,
        help_text=_("In trên giấy tiếp nhận, ví dụ 000.00.02.H16-260302-0001."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "spellcheck": "false",
                "aria-describedby": "id_code_help",
            }
        ),
    )
    contact = forms.CharField(
        label=_("Số điện thoại hoặc số giấy tờ của người nộp"),
        max_length=30,
        help_text=_("Số điện thoại hoặc số định danh cá nhân / mã số thuế đã khai khi nộp hồ sơ."),
        widget=forms.TextInput(
            attrs={"autocomplete": "tel", "inputmode": "tel", "aria-describedby": "id_contact_help"}
        ),
    )
