"""Read and verify the audit trail."""

from __future__ import annotations

from dataclasses import dataclass, field

from motcua.audit.chain import GENESIS_HASH, canonical, link_hash
from motcua.audit.models import AuditChainHead, AuditEvent
from motcua.audit.services import audit_key


@dataclass
class VerificationReport:
    checked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def audit_verify(*, chunk_size: int = 2000, max_problems: int = 100) -> VerificationReport:
    """Recompute the whole chain in ``seq`` order; report altered, missing and reordered rows."""
    report = VerificationReport()
    key = audit_key()
    expected_seq = 1
    prev_hash = GENESIS_HASH
    rows = AuditEvent.objects.order_by("seq").values_list(
        "seq",
        "occurred_at",
        "actor_id",
        "actor_repr",
        "request_id",
        "action",
        "subject_type",
        "subject_id",
        "data",
        "prev_hash",
        "hash",
    )
    for (
        seq,
        occurred_at,
        actor_id,
        actor_repr,
        request_id,
        action,
        subject_type,
        subject_id,
        data,
        stored_prev,
        stored_hash,
    ) in rows.iterator(chunk_size=chunk_size):
        report.checked += 1
        if seq != expected_seq:
            report.problems.append(
                f"rows #{expected_seq}–#{seq - 1} are missing (deleted)"
                if seq > expected_seq
                else f"row #{seq} is out of order"
            )
        if stored_prev != prev_hash:
            report.problems.append(f"row #{seq}: link to the previous row is broken")
        payload = canonical(
            seq=seq,
            occurred_at=occurred_at,
            actor_id=actor_id,
            actor_repr=actor_repr,
            request_id=request_id,
            action=action,
            subject_type=subject_type,
            subject_id=subject_id,
            data=data,
        )
        if link_hash(key, stored_prev, payload) != stored_hash:
            report.problems.append(f"row #{seq}: content was altered (hash mismatch)")
        prev_hash = stored_hash
        expected_seq = seq + 1
        if len(report.problems) >= max_problems:
            return report
    head = AuditChainHead.objects.filter(pk=1).first()
    last_seq = expected_seq - 1
    if head is None:
        report.problems.append("the chain head row is missing")
    elif head.seq != last_seq or head.hash != prev_hash:
        report.problems.append(
            f"the chain head says #{head.seq} but the log ends at #{last_seq}: "
            "rows were deleted from the end or the head was altered"
        )
    return report
