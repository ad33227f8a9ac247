"""The search form of the back-office catalog list."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Field, Level


class ProcedureFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm thủ tục"), required=False, max_length=200)
    field = forms.ChoiceField(label=_("Lĩnh vực"), required=False)
    level = forms.ChoiceField(
        label=_("Cấp thực hiện"),
        required=False,
        choices=[("", _("Tất cả các cấp")), *Level.choices],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_choice = self.fields["field"]
        assert isinstance(field_choice, forms.ChoiceField)  # noqa: S101 (declared above)
        field_choice.choices = [
            ("", _("Tất cả lĩnh vực")),
            *Field.objects.order_by("name").values_list("code", "name"),
        ]
        self.fields["q"].widget.attrs.update(
            {"type": "search", "placeholder": _("Tên hoặc mã thủ tục, không cần dấu")}
        )
