"""Which fees a dossier owes (pure: plain values in, plain values out; ``mypy --strict``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FeeRow:
    name: str
    amount_vnd: int
    case_id: int | None
    channel: str
    payer_kind: str


def fee_lines(
    fees: Iterable[FeeRow],
    *,
    case_id: int,
    channel: str,
    applicant_kind: str,
    requested_amount: int | None,
) -> list[dict[str, Any]]:
    """The lines to pay: the amount the official asked for when they named one (request_payment's
    ``amount_vnd``), otherwise the catalog's fees for the dossier's case, channel and payer."""
    if requested_amount is not None:
        return [
            {
                "name": "Phí, lệ phí theo yêu cầu của cơ quan giải quyết",
                "amount_vnd": requested_amount,
            }
        ]
    return [
        {"name": f.name, "amount_vnd": f.amount_vnd}
        for f in fees
        if f.case_id in (None, case_id)
        and f.channel in ("any", channel)
        and f.payer_kind in ("any", applicant_kind)
    ]


def total(lines: Iterable[dict[str, Any]]) -> int:
    return sum(int(line["amount_vnd"]) for line in lines)
