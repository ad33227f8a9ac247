"""The statistics pages' GET forms: a report period (month, quarter, year or from–to dates) and
a node of the agency tree (the province or an agency).

Forms only parse shapes; the agency lookup and the scope checks are in ``views.py``.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.stats.report06a import Period
from motcua.stats.selectors import DRILL_CELLS
from motcua.units.models import Agency

#: A report covers at most this many days (as the API: five years).
MAX_DAYS = 366 * 5

KIND_CHOICES = (
    ("month", _("Tháng")),
    ("quarter", _("Quý")),
    ("year", _("Năm")),
    ("range", _("Từ ngày … đến ngày …")),
)


def month_period(year: int, month: int) -> Period:
    return Period(
        dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    )


class PeriodForm(forms.Form):
    """The period and node of report II.06a. Unbound, it means "the current month, province"."""

    kind = forms.ChoiceField(label=_("Kỳ báo cáo"), choices=KIND_CHOICES, required=False)
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100, required=False)
    month = forms.TypedChoiceField(
        label=_("Tháng"),
        choices=[(m, m) for m in range(1, 13)],
        coerce=int,
        required=False,
        empty_value=None,
    )
    quarter = forms.TypedChoiceField(
        label=_("Quý"),
        choices=[(q, q) for q in range(1, 5)],
        coerce=int,
        required=False,
        empty_value=None,
    )
    date_from = forms.DateField(
        label=_("Từ ngày"),
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("Đến ngày"),
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    # Any agency code may be given (the numbers are aggregate); the view looks it up.
    node = forms.CharField(label=_("Đơn vị"), required=False, max_length=60, widget=forms.Select)

    def __init__(self, *args: Any, agencies: list[tuple[Agency, int]], **kwargs: Any) -> None:
        """``agencies``: the agencies offered as nodes with their depth in the tree."""
        today = timezone.localdate()
        kwargs.setdefault(
            "initial", {"kind": "month", "year": today.year, "month": today.month, "quarter": 1}
        )
        super().__init__(*args, **kwargs)
        self.today = today
        widget = self.fields["node"].widget
        assert isinstance(widget, forms.Select)  # noqa: S101
        widget.choices = [("", _("Toàn tỉnh"))] + [
            (a.code, "\u00a0\u00a0" * depth + a.name) for a, depth in agencies
        ]
        self.fields["year"].widget.attrs.update({"inputmode": "numeric"})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind") or "month"
        year = data.get("year") or self.today.year
        data["kind"] = kind
        try:
            if kind == "month":
                data["period"] = month_period(year, data.get("month") or self.today.month)
            elif kind == "quarter":
                q = data.get("quarter") or (self.today.month - 1) // 3 + 1
                first = dt.date(year, 3 * q - 2, 1)
                data["period"] = Period(first, month_period(year, 3 * q).last)
            elif kind == "year":
                data["period"] = Period(dt.date(year, 1, 1), dt.date(year, 12, 31))
            else:
                start, end = data.get("date_from"), data.get("date_to")
                if start is None and "date_from" not in self.errors:
                    self.add_error("date_from", _("Nhập ngày bắt đầu của kỳ báo cáo."))
                if end is None and "date_to" not in self.errors:
                    self.add_error("date_to", _("Nhập ngày kết thúc của kỳ báo cáo."))
                if start is None or end is None:
                    return data
                if end < start:
                    self.add_error("date_to", _("Ngày kết thúc phải sau ngày bắt đầu."))
                    return data
                if (end - start).days > MAX_DAYS:
                    self.add_error("date_to", _("Một báo cáo dài tối đa 5 năm."))
                    return data
                data["period"] = Period(start, end)
        except ValueError:  # pragma: no cover - the fields' ranges keep dates valid
            self.add_error(None, _("Kỳ báo cáo không hợp lệ."))
        return data

    def period(self) -> Period:
        if not self.is_bound:
            return month_period(self.today.year, self.today.month)
        period = self.cleaned_data["period"]
        assert isinstance(period, Period)  # noqa: S101
        return period

    def node_code(self) -> str:
        return (self.cleaned_data.get("node") or "").strip() if self.is_bound else ""


class DrillForm(PeriodForm):
    """The period and node of the report, the row (an agency code; empty: the total) and the
    cell whose dossiers are listed."""

    row = forms.CharField(required=False, max_length=60)
    cell = forms.ChoiceField(
        choices=[(c, c) for c in DRILL_CELLS],
        error_messages={
            "required": _("Chọn một ô của báo cáo."),
            "invalid_choice": _("Báo cáo không có ô “%(value)s”."),
        },
    )
