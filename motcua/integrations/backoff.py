"""Retry delays of the outbox (pure): exponential backoff with jitter, capped.

Attempt 1 failed → about 1 minute, attempt 2 → 2 minutes, then 4, 8, … up to one hour. The jitter
takes up to 20% off the nominal delay, so messages that failed together (a mail server restart) do
not all come back in the same second, and no delay ever exceeds the cap.
"""

from __future__ import annotations

import random

BASE_SECONDS = 60.0
CAP_SECONDS = 3600.0
JITTER = 0.2


def nominal_delay(attempts: int, *, base: float = BASE_SECONDS, cap: float = CAP_SECONDS) -> float:
    """The delay before the next try after ``attempts`` failed tries (``attempts`` >= 1)."""
    if attempts < 1:
        raise ValueError("attempts must be at least 1")
    # 2**exponent overflows float for huge attempt counts; past the cap the value does not matter.
    exponent = min(attempts - 1, 32)
    return min(base * 2.0**exponent, cap)


def retry_delay(
    attempts: int,
    *,
    rng: random.Random | None = None,
    base: float = BASE_SECONDS,
    cap: float = CAP_SECONDS,
) -> float:
    """The nominal delay minus a random jitter of up to ``JITTER`` of it, in seconds."""
    nominal = nominal_delay(attempts, base=base, cap=cap)
    # Jitter, not cryptography.
    draw = rng.random() if rng is not None else random.random()  # noqa: S311
    return nominal * (1.0 - JITTER * draw)
