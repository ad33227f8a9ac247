"""Outbox payload → e-mail (pure: no Django, no I/O).

A payload is ``{"to": "...", "template": "dossier_status", "context": {...}}``. The
``dossier_status`` template takes ``code`` and ``status`` (a dossier status such as ``received``,
or the ``apologized`` event) and optionally ``applicant_name``, ``procedure_name``,
``agency_name``, ``due_at`` / ``new_due_at`` (ISO 8601; shown in Asia/Ho_Chi_Minh), ``reason``,
``amount`` (đồng) and ``lookup_url``. The ``plain`` template sends ``subject`` and ``body``
as given. Any other template name is read as a dossier status (``"template": "received"``);
statuses without a text of their own get a generic one.

Texts are Vietnamese: they go to applicants of a Vietnamese authority, like the printed forms.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")
FOOTER = (
    "Thư này được gửi tự động từ Hệ thống thông tin giải quyết thủ tục hành chính; "
    "vui lòng không trả lời thư này."
)


class MappingError(ValueError):
    """The payload cannot make an e-mail (missing or invalid fields): retrying cannot help."""


@dataclass(frozen=True)
class Email:
    to: str
    subject: str
    body: str


def format_moment(value: str) -> str:
    """``2026-11-30T17:00:00+07:00`` → ``17:00 Thứ Hai 30/11/2026``; ``2026-11-30`` → ``Thứ Hai
    30/11/2026``.

    Naive datetimes are read as Vietnam time.
    """
    try:
        if len(value) == 10:
            day = dt.date.fromisoformat(value)
            return f"{WEEKDAYS[day.weekday()]} {day:%d/%m/%Y}"
        moment = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise MappingError(f"not an ISO 8601 date or datetime: {value!r}") from exc
    moment = moment.replace(tzinfo=TZ) if moment.tzinfo is None else moment.astimezone(TZ)
    return f"{moment:%H:%M} {WEEKDAYS[moment.weekday()]} {moment:%d/%m/%Y}"


def format_amount(value: Any) -> str:
    """``150000`` → ``150.000 đồng`` (Vietnamese thousands separator)."""
    try:
        amount = int(value)
    except (TypeError, ValueError) as exc:
        raise MappingError(f"not an amount in đồng: {value!r}") from exc
    return f"{amount:,} đồng".replace(",", ".")


def _text(context: Mapping[str, Any], key: str) -> str:
    value = context.get(key)
    return "" if value is None else str(value).strip()


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?" else f"{text}."


# status → (subject, body lines); each receives the context and returns its text.
Part = Callable[[Mapping[str, Any]], str]


def _due(context: Mapping[str, Any], key: str = "due_at") -> str:
    value = _text(context, key)
    return format_moment(value) if value else ""


def _reason(label: str) -> Part:
    def part(context: Mapping[str, Any]) -> str:
        reason = _text(context, "reason")
        return f"{label}: {_sentence(reason)}" if reason else ""

    return part


def _received(c: Mapping[str, Any]) -> str:
    due = _due(c)
    tail = f"; hạn trả kết quả: {due}." if due else "."
    return f"Hồ sơ {c['code']} đã được tiếp nhận{tail}"


def _payment(c: Mapping[str, Any]) -> str:
    amount = _text(c, "amount")
    tail = f", số tiền: {format_amount(amount)}." if amount else "."
    return f"Hồ sơ {c['code']} đang chờ Ông/Bà thực hiện nghĩa vụ tài chính (phí, lệ phí){tail}"


def _apologized(c: Mapping[str, Any]) -> str:
    new_due = _due(c, "new_due_at") or _due(c)
    agency = _text(c, "agency_name") or "Cơ quan giải quyết"
    tail = f" Thời hạn trả kết quả mới: {new_due}." if new_due else ""
    return f"{agency} xin lỗi Ông/Bà vì việc giải quyết hồ sơ {c['code']} bị chậm so với hẹn.{tail}"


TEMPLATES: dict[str, tuple[str, list[Part]]] = {
    "submitted": (
        "Hồ sơ {code} đã được nộp trực tuyến",
        [lambda c: f"Hồ sơ {c['code']} đã được nộp trực tuyến và đang chờ tiếp nhận."],
    ),
    "received": ("Hồ sơ {code} đã được tiếp nhận", [_received]),
    "refused": (
        "Hồ sơ {code} không được tiếp nhận",
        [lambda c: f"Hồ sơ {c['code']} không được tiếp nhận.", _reason("Lý do")],
    ),
    "awaiting_supplement": (
        "Hồ sơ {code} cần bổ sung, hoàn thiện",
        [
            lambda c: f"Hồ sơ {c['code']} cần được bổ sung, hoàn thiện.",
            _reason("Nội dung cần bổ sung"),
        ],
    ),
    "awaiting_payment": ("Hồ sơ {code} chờ thực hiện nghĩa vụ tài chính", [_payment]),
    "settled": (
        "Hồ sơ {code} đã có kết quả giải quyết",
        [
            lambda c: f"Hồ sơ {c['code']} đã có kết quả giải quyết.",
            lambda c: "Mời Ông/Bà nhận kết quả theo hình thức đã đăng ký.",
        ],
    ),
    "returned": (
        "Hồ sơ {code} đã trả kết quả",
        [lambda c: f"Kết quả giải quyết hồ sơ {c['code']} đã được trả cho Ông/Bà."],
    ),
    "withdrawn": (
        "Hồ sơ {code} đã được rút",
        [lambda c: f"Hồ sơ {c['code']} đã được rút theo đề nghị của Ông/Bà."],
    ),
    "stopped": (
        "Hồ sơ {code} đã dừng xử lý",
        [lambda c: f"Việc giải quyết hồ sơ {c['code']} đã dừng.", _reason("Lý do")],
    ),
    "apologized": (
        "Thư xin lỗi và hẹn lại ngày trả kết quả hồ sơ {code}",
        [_apologized, _reason("Lý do")],
    ),
}
GENERIC: tuple[str, list[Part]] = (
    "Cập nhật trạng thái hồ sơ {code}",
    [
        lambda c: (
            f"Trạng thái hồ sơ {c['code']} đã thay đổi: {c.get('status_label') or c['status']}."
        )
    ],
)


def _recipient(payload: Mapping[str, Any]) -> str:
    to = _text(payload, "to")
    if not to or "@" not in to or any(ch in to for ch in "\r\n,;<> "):
        raise MappingError(f"not a single e-mail address: {to!r}")
    return to


def _dossier_status(to: str, context: Mapping[str, Any]) -> Email:
    code, status = _text(context, "code"), _text(context, "status")
    if not code or not status:
        raise MappingError("the dossier_status template needs 'code' and 'status'")
    ctx = {**context, "code": code, "status": status}
    subject, parts = TEMPLATES.get(status, GENERIC)
    name = _text(ctx, "applicant_name")
    lines = [f"Kính gửi Ông/Bà {name}," if name else "Kính gửi Ông/Bà,", ""]
    procedure = _text(ctx, "procedure_name")
    if procedure:
        lines += [f"Thủ tục: {procedure}"]
    lines += [text for part in parts if (text := part(ctx))]
    lookup = _text(ctx, "lookup_url")
    if lookup:
        lines += ["", f"Tra cứu hồ sơ: {lookup}"]
    lines += ["", FOOTER]
    return Email(to=to, subject=subject.format(code=code), body="\n".join(lines) + "\n")


def render(payload: Mapping[str, Any]) -> Email:
    """Build the e-mail for an outbox payload, or raise ``MappingError``."""
    if not isinstance(payload, Mapping):
        raise MappingError("the payload must be an object")
    to = _recipient(payload)
    template = _text(payload, "template") or "dossier_status"
    context = payload.get("context") or {}
    if not isinstance(context, Mapping):
        raise MappingError("'context' must be an object")
    if template == "plain":
        subject, body = _text(context, "subject"), _text(context, "body")
        if not subject or not body:
            raise MappingError("the plain template needs 'subject' and 'body'")
        return Email(to=to, subject=" ".join(subject.split()), body=body + "\n")
    return _dossier_status(to, _normalize(template, context))


ALIASES = {"name": "applicant_name", "procedure": "procedure_name", "note": "reason"}


def _normalize(template: str, context: Mapping[str, Any]) -> dict[str, Any]:
    """Accept the short form too: the template named after the status (``"received"``), a
    display label in ``status``, and the short keys ``name`` / ``procedure`` / ``note``."""
    ctx = dict(context)
    for short, full in ALIASES.items():
        if not _text(ctx, full) and _text(ctx, short):
            ctx[full] = ctx[short]
    if template != "dossier_status":
        label = _text(ctx, "status")
        if label and label != template and not _text(ctx, "status_label"):
            ctx["status_label"] = label
        ctx["status"] = template
    return ctx
