"""Explain a dossier's due date in words: the base limit, each pause, a restart, an apology.

Pure (no ORM): the service layer passes plain values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from motcua.workdays.explain import explain as explain_limit
from motcua.workdays.explain import format_instant
from motcua.workdays.rules import WorkingCalendar


@dataclass(frozen=True, slots=True)
class PauseFact:
    kind: str  # "supplement" | "payment"
    started_at: dt.datetime
    ended_at: dt.datetime | None
    restarted_clock: bool = False


_T = {
    "vi": {
        "none": "Thủ tục này không có hẹn trả: giải quyết ngay khi tiếp nhận.",
        "not_received": "Hồ sơ chưa được tiếp nhận: thời hạn chưa bắt đầu tính.",
        "supplement": "chờ bổ sung hồ sơ",
        "payment": "chờ thực hiện nghĩa vụ tài chính",
        "paused": "Tạm dừng tính thời gian từ {start} đến {end} ({why}): {hours} giờ làm việc "
        "không được tính, hạn trả lùi tương ứng.",
        "paused_open": "Đang tạm dừng tính thời gian từ {start} ({why}): hạn trả sẽ được tính "
        "lại khi công dân hoàn thành.",
        "restart": "Hồ sơ được bổ sung đầy đủ lúc {at}: theo quy định của thủ tục, thời hạn giải "
        "quyết được tính lại từ đầu.",
        "apology": "Cơ quan giải quyết đã xin lỗi và hẹn lại ngày trả kết quả: hạn cũ {old}, "
        "hạn mới {new}.",
        "due": "Hạn trả kết quả hiện tại: {due}.",
    },
    "en": {
        "none": "This procedure has no appointment: it is settled on receipt.",
        "not_received": "The dossier has not been received yet: the clock has not started.",
        "supplement": "waiting for the applicant's supplement",
        "payment": "waiting for payment",
        "paused": "The clock was paused from {start} to {end} ({why}): {hours} working hours "
        "are not counted and the due date moves accordingly.",
        "paused_open": "The clock is paused since {start} ({why}): the due date will be "
        "recomputed when the applicant completes it.",
        "restart": "The dossier was completed at {at}: under this procedure's rules the time "
        "limit starts again from the beginning.",
        "apology": "The agency apologised and set a new date: old due date {old}, new due "
        "date {new}.",
        "due": "Current due date: {due}.",
    },
}


def _lang(lang: str) -> str:
    return "en" if lang.startswith(("en", "es")) else "vi"


def explain_dossier(
    calendar: WorkingCalendar,
    *,
    clock_start_at: dt.datetime | None,
    received_at: dt.datetime | None,
    limit_amount: int | None,
    limit_unit: str,
    pauses: Sequence[PauseFact],
    due_at: dt.datetime | None,
    original_due_at: dt.datetime | None,
    apologized: bool,
    lang: str = "vi",
) -> list[str]:
    lg = _lang(lang)
    t = _T[lg]
    if received_at is None or clock_start_at is None:
        return [t["not_received"]]
    if limit_unit == "none" or not limit_amount:
        return [t["none"]]
    lines: list[str] = []
    restart = next((p for p in reversed(pauses) if p.restarted_clock and p.ended_at), None)
    base = explain_limit(calendar, clock_start_at, limit_amount, limit_unit, lang=lg)
    if restart is not None:
        lines.append(t["restart"].format(at=format_instant(restart.ended_at, lg)))  # type: ignore[arg-type]
    lines.extend(base.lines[:-1])
    for p in pauses:
        if restart is not None and (p.ended_at or p.started_at) <= clock_start_at:
            continue
        why = t.get(p.kind, p.kind)
        if p.ended_at is None:
            lines.append(t["paused_open"].format(start=format_instant(p.started_at, lg), why=why))
            continue
        worked = calendar.working_time_between(max(p.started_at, clock_start_at), p.ended_at)
        hours = round(worked.total_seconds() / 3600, 2)
        lines.append(
            t["paused"].format(
                start=format_instant(p.started_at, lg),
                end=format_instant(p.ended_at, lg),
                why=why,
                hours=f"{hours:g}",
            )
        )
    if apologized and original_due_at is not None and due_at is not None:
        lines.append(
            t["apology"].format(
                old=format_instant(original_due_at, lg), new=format_instant(due_at, lg)
            )
        )
    if due_at is not None:
        lines.append(t["due"].format(due=format_instant(due_at, lg)))
    return lines
