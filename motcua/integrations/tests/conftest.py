"""Fixtures of the outbox tests: a scripted handler for a ``test`` system, message helpers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import transaction

from motcua.integrations import handlers, outbox
from motcua.integrations.errors import DeliveryError
from motcua.integrations.models import OutboxMessage


@dataclass
class ScriptedHandler:
    """Delivers ``test`` messages; ``script`` says what each call does (``None`` = succeed)."""

    script: list[Exception | None] = field(default_factory=list)
    delivered: list[int] = field(default_factory=list)
    on_call: Callable[[OutboxMessage], None] | None = None

    def __call__(self, msg: OutboxMessage) -> None:
        if self.on_call is not None:
            self.on_call(msg)
        outcome = self.script.pop(0) if self.script else None
        if outcome is not None:
            raise outcome
        self.delivered.append(msg.pk)


@pytest.fixture
def test_handler() -> Iterator[ScriptedHandler]:
    handler = ScriptedHandler()
    handlers.register("test", handler)
    yield handler
    handlers.unregister("test")


def temporary(text: str = "remote busy") -> DeliveryError:
    return DeliveryError(text, permanent=False)


def permanent(text: str = "rejected") -> DeliveryError:
    return DeliveryError(text, permanent=True)


@pytest.fixture
def make_messages() -> Callable[..., list[OutboxMessage]]:
    def make(n: int = 1, *, system: str = "test", prefix: str = "m", **kw: Any) -> list[Any]:
        with transaction.atomic():
            return [
                outbox.enqueue(
                    system=system,
                    kind="test.ping",
                    payload={"n": i},
                    idempotency_key=f"{prefix}-{i}",
                    **kw,
                )
                for i in range(n)
            ]

    return make


@pytest.fixture(autouse=True)
def _no_foreign_periodic_jobs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Jobs other apps register (the deadline sweep) do not run inside these tests."""
    from motcua.integrations import worker

    monkeypatch.setattr(worker, "_periodic", {})
