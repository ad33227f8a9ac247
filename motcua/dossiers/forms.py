"""Back-office forms of the dossiers: counter intake, queue filters and the action forms.

Forms only parse and validate shapes; the rules (who, when, which agency, the clock) live in
``services.py``, whose domain errors the views put back on these forms (``attach_error``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Component, ProcedureCase, ProcedureVersion
from motcua.core.errors import DomainError
from motcua.dossiers.models import ApplicantKind, Channel, ReturnMethod
from motcua.dossiers.selectors import QUEUE_FILTERS
from motcua.units.models import Agency

PER_PAGE_CHOICES = (25, 50, 100)
MAX_COUNT = 99


# -- intake ---------------------------------------------------------------------------------------


class IntakeForm(forms.Form):
    """The counter intake of one procedure (its version is fixed by the search step)."""

    procedure = forms.CharField(widget=forms.HiddenInput)
    case = forms.TypedChoiceField(label=_("Trường hợp"), coerce=int)
    agency_code = forms.ChoiceField(label=_("Cơ quan giải quyết"), required=False)
    receiving_agency_code = forms.ChoiceField(label=_("Nơi tiếp nhận"), required=False)
    applicant_name = forms.CharField(label=_("Họ và tên người nộp"), max_length=200)
    applicant_kind = forms.ChoiceField(
        label=_("Đối tượng"), choices=ApplicantKind.choices, initial=ApplicantKind.CITIZEN
    )
    applicant_id_number = forms.CharField(
        label=_("Số định danh cá nhân / Mã số thuế"), max_length=20, required=False
    )
    applicant_phone = forms.CharField(label=_("Điện thoại"), max_length=20, required=False)
    applicant_email = forms.EmailField(label=_("Thư điện tử"), required=False)
    applicant_address = forms.CharField(label=_("Địa chỉ"), max_length=300, required=False)
    channel = forms.ChoiceField(
        label=_("Hình thức nộp"),
        choices=[(Channel.DIRECT, Channel.DIRECT.label), (Channel.POSTAL, Channel.POSTAL.label)],
        initial=Channel.DIRECT,
        widget=forms.RadioSelect,
    )
    set_count = forms.IntegerField(
        label=_("Số bộ hồ sơ"), min_value=1, max_value=MAX_COUNT, initial=1
    )
    extra_name = forms.CharField(label=_("Giấy tờ khác (nếu có)"), max_length=500, required=False)
    extra_originals = forms.IntegerField(
        label=_("Bản chính"), min_value=0, max_value=MAX_COUNT, required=False
    )
    extra_copies = forms.IntegerField(
        label=_("Bản sao"), min_value=0, max_value=MAX_COUNT, required=False
    )

    def __init__(
        self,
        *args: Any,
        version: ProcedureVersion,
        agencies: list[Agency],
        default_agency: Agency | None,
        clerk_agencies: list[Agency],
        case_number: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.version = version
        self.cases: list[ProcedureCase] = list(version.cases.order_by("order"))
        case_field = self.fields["case"]
        assert isinstance(case_field, forms.ChoiceField)  # noqa: S101 (declared above)
        case_field.choices = [(i, c.name) for i, c in enumerate(self.cases, start=1)]
        self.fields["case"].initial = case_number or 1
        if len(self.cases) <= 1:
            case_field.widget = forms.HiddenInput()

        agency_field = self.fields["agency_code"]
        assert isinstance(agency_field, forms.ChoiceField)  # noqa: S101
        agency_field.choices = [("", _("— Chọn cơ quan —"))] * (default_agency is None) + [
            (a.code, f"{a.name} ({a.code})") for a in agencies
        ]
        agency_field.required = default_agency is None
        agency_field.initial = default_agency.code if default_agency else ""

        desk_field = self.fields["receiving_agency_code"]
        assert isinstance(desk_field, forms.ChoiceField)  # noqa: S101
        desk_field.choices = [(a.code, a.name) for a in clerk_agencies]
        if len(clerk_agencies) <= 1:
            desk_field.widget = forms.HiddenInput()
            desk_field.initial = clerk_agencies[0].code if clerk_agencies else ""

        self.fields["applicant_name"].widget.attrs.update({"autocomplete": "name"})
        self.fields["applicant_phone"].widget.attrs.update(
            {"type": "tel", "autocomplete": "tel", "inputmode": "tel"}
        )
        self.fields["applicant_email"].widget.attrs.update({"autocomplete": "email"})
        self.fields["applicant_id_number"].widget.attrs.update({"inputmode": "numeric"})
        for name in ("set_count", "extra_originals", "extra_copies"):
            self.fields[name].widget.attrs.update({"class": "count"})

        # The checklist: a tick and the number of originals and copies per component.
        self.checklist: list[dict[str, Any]] = []
        number = self._case_number()
        chosen = self.cases[number - 1] if 0 < number <= len(self.cases) else None
        for comp in version.components.all():
            if comp.case_id is not None and (chosen is None or comp.case_id != chosen.pk):
                continue
            self._add_component(comp)

    def _case_number(self) -> int:
        raw = self.data.get("case") if self.is_bound else self.fields["case"].initial
        try:
            return int(raw or 1)
        except (TypeError, ValueError):
            return 1

    def _add_component(self, comp: Component) -> None:
        key = f"c{comp.pk}"
        self.fields[key] = forms.BooleanField(
            label=comp.name, required=False, initial=comp.required
        )
        self.fields[f"{key}_o"] = forms.IntegerField(
            label=_("Bản chính"),
            min_value=0,
            max_value=MAX_COUNT,
            required=False,
            initial=comp.original_count,
        )
        self.fields[f"{key}_s"] = forms.IntegerField(
            label=_("Bản sao"),
            min_value=0,
            max_value=MAX_COUNT,
            required=False,
            initial=comp.copy_count,
        )
        for suffix in ("_o", "_s"):
            self.fields[key + suffix].widget.attrs.update({"class": "count"})
        self.checklist.append(
            {
                "component": comp,
                "tick": self[key],
                "originals": self[f"{key}_o"],
                "copies": self[f"{key}_s"],
            }
        )

    def components(self) -> list[tuple[int | None, str, int, int]]:
        """(component id or None, free-text name, originals, copies) of the ticked lines."""
        out: list[tuple[int | None, str, int, int]] = []
        data = self.cleaned_data
        for line in self.checklist:
            comp = line["component"]
            key = f"c{comp.pk}"
            if data.get(key):
                out.append((comp.pk, "", data.get(f"{key}_o") or 0, data.get(f"{key}_s") or 0))
        extra = (data.get("extra_name") or "").strip()
        if extra:
            out.append(
                (None, extra, data.get("extra_originals") or 0, data.get("extra_copies") or 0)
            )
        return out

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            not any(cleaned.get(f"c{line['component'].pk}") for line in self.checklist)
            and not (cleaned.get("extra_name") or "").strip()
        ):
            raise forms.ValidationError(_("Hồ sơ phải có ít nhất một thành phần giấy tờ."))
        return cleaned


# Domain error fields (services) → form fields.
_INTAKE_FIELDS = {
    "applicant.name": "applicant_name",
    "applicant.kind": "applicant_kind",
    "applicant.id_number": "applicant_id_number",
    "applicant.email": "applicant_email",
    "applicant.phone": "applicant_phone",
    "applicant.address": "applicant_address",
    "case": "case",
    "agency_code": "agency_code",
    "receiving_agency_code": "receiving_agency_code",
    "channel": "channel",
    "set_count": "set_count",
}


def attach_error(form: forms.Form, exc: DomainError, mapping: dict[str, str] | None = None) -> None:
    """Put a domain error next to its field (or on top of the form)."""
    field = (mapping or {}).get(exc.field or "", exc.field or "")
    form.add_error(field if field in form.fields else None, exc.message)


def attach_intake_error(form: IntakeForm, exc: DomainError) -> None:
    attach_error(form, exc, _INTAKE_FIELDS)


class ProcedureSearchForm(forms.Form):
    q = forms.CharField(label=_("Tìm thủ tục"), required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update(
            {
                "type": "search",
                "placeholder": _("Tên hoặc mã thủ tục, không cần dấu"),
                "autofocus": True,
                "autocomplete": "off",
            }
        )


# -- queues ---------------------------------------------------------------------------------------


class QueueForm(forms.Form):
    which = forms.ChoiceField(
        required=False, choices=[(w, w) for w in QUEUE_FILTERS], widget=forms.HiddenInput
    )
    q = forms.CharField(label=_("Tìm hồ sơ"), required=False, max_length=100)
    agency = forms.ChoiceField(label=_("Cơ quan"), required=False)
    per_page = forms.TypedChoiceField(
        label=_("Số dòng mỗi trang"),
        required=False,
        coerce=int,
        choices=[(n, n) for n in PER_PAGE_CHOICES],
        empty_value=None,
    )

    def __init__(self, *args: Any, agencies: list[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101
        field.choices = [("", _("Tất cả cơ quan của tôi"))] + [(a.code, a.name) for a in agencies]
        self.fields["q"].widget.attrs.update(
            {
                "type": "search",
                "placeholder": _("Mã hồ sơ, tên người nộp (không cần dấu), số giấy tờ"),
            }
        )


# -- actions --------------------------------------------------------------------------------------


class ActionForm(forms.Form):
    """One form for every action; ``ACTION_FIELDS`` says which fields each action shows."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Lý do"), required=False, widget=forms.Textarea({"rows": 2}))
    result = forms.CharField(
        label=_("Kết quả giải quyết"), required=False, widget=forms.Textarea({"rows": 2})
    )
    is_refusal = forms.BooleanField(label=_("Kết quả là văn bản từ chối"), required=False)
    to_agency_code = forms.ChoiceField(label=_("Chuyển đến cơ quan"), required=False)
    assignee_username = forms.ChoiceField(label=_("Người xử lý"), required=False)
    components = forms.MultipleChoiceField(
        label=_("Giấy tờ cần bổ sung"), required=False, widget=forms.CheckboxSelectMultiple
    )
    amount_vnd = forms.IntegerField(label=_("Số tiền (đồng)"), required=False, min_value=0)
    new_due_at = forms.DateTimeField(
        label=_("Hẹn trả mới"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    method = forms.ChoiceField(
        label=_("Hình thức trả"), required=False, choices=ReturnMethod.choices
    )
    note = forms.CharField(
        label=_("Ghi chú nội bộ"), required=False, widget=forms.Textarea({"rows": 1})
    )

    def __init__(
        self,
        *args: Any,
        action: str,
        agencies: list[Agency] | None = None,
        assignees: list[tuple[str, str]] | None = None,
        component_names: list[str] | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("prefix", action)
        super().__init__(*args, **kwargs)
        self.action = action
        shown = ACTION_FIELDS.get(action, ("note",))
        for name in list(self.fields):
            if name != "expected_version" and name not in shown:
                del self.fields[name]
        if "to_agency_code" in self.fields:
            f = self.fields["to_agency_code"]
            assert isinstance(f, forms.ChoiceField)  # noqa: S101
            f.choices = [(a.code, a.name) for a in agencies or []]
        if "assignee_username" in self.fields:
            f = self.fields["assignee_username"]
            assert isinstance(f, forms.ChoiceField)  # noqa: S101
            f.choices = [("", _("— Chưa phân công —")), *(assignees or [])]
        if "components" in self.fields:
            f = self.fields["components"]
            assert isinstance(f, forms.MultipleChoiceField)  # noqa: S101
            f.choices = [(n, n) for n in component_names or []]
        for name in ACTION_REQUIRED.get(action, ()):
            self.fields[name].required = True
        # Ids unique on a page that holds several action forms.
        self.auto_id = f"id_{action}_%s"

    def clean_new_due_at(self) -> dt.datetime | None:
        value: dt.datetime | None = self.cleaned_data.get("new_due_at")
        if value is not None and timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value


ACTION_FIELDS: dict[str, tuple[str, ...]] = {
    "accept": ("note",),
    "refuse": ("reason", "note"),
    "forward": ("to_agency_code", "assignee_username", "note"),
    "request_supplement": ("components", "reason", "note"),
    "supplement": ("note",),
    "request_payment": ("amount_vnd", "reason", "note"),
    "confirm_payment": ("note",),
    "withdraw": ("reason", "note"),
    "stop": ("reason", "note"),
    "settle": ("result", "is_refusal", "reason", "note"),
    "return": ("method", "note"),
    "apologize": ("new_due_at", "reason", "note"),
}
ACTION_REQUIRED: dict[str, tuple[str, ...]] = {
    "refuse": ("reason",),
    "request_supplement": ("reason",),
    "stop": ("reason",),
    "settle": ("result",),
    "return": ("method",),
    "apologize": ("new_due_at", "reason"),
}
