"""Back-office forms (input only; the services validate the rules)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.workdays.models import HolidayKind
from motcua.workdays.rules import MAX_AMOUNT, Unit


class HolidayForm(forms.Form):
    date = forms.DateField(label=_("Ngày"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("Loại"), choices=HolidayKind.choices)
    name_vi = forms.CharField(label=_("Tên (tiếng Việt)"), max_length=200)
    name_en = forms.CharField(label=_("Tên (tiếng Anh)"), max_length=200, required=False)
    source = forms.CharField(
        label=_("Căn cứ (số, ký hiệu văn bản)"),
        max_length=300,
        help_text=_("Ví dụ: Quyết định 123/QĐ-UBND ngày 01/04/2026."),
    )
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea({"rows": 2}))


UNIT_CHOICES = [
    (Unit.WORKING_DAYS.value, _("ngày làm việc")),
    (Unit.WORKING_HOURS.value, _("giờ làm việc")),
    (Unit.CALENDAR_DAYS.value, _("ngày theo lịch")),
]


class DueForm(forms.Form):
    start = forms.DateTimeField(
        label=_("Thời điểm tiếp nhận"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    amount = forms.IntegerField(
        label=_("Thời hạn"), min_value=0, max_value=MAX_AMOUNT[Unit.CALENDAR_DAYS.value]
    )
    unit = forms.ChoiceField(label=_("Đơn vị"), choices=UNIT_CHOICES)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        unit, amount = data.get("unit"), data.get("amount")
        if isinstance(unit, str) and isinstance(amount, int) and amount > MAX_AMOUNT[unit]:
            self.add_error("amount", _("Tối đa %(n)s.") % {"n": MAX_AMOUNT[unit]})
        return data
