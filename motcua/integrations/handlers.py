"""The registry of delivery handlers, one per external system (``"email"``, ``"dvcqg"``, …).

A handler takes an ``OutboxMessage`` and either returns (delivered) or raises
``DeliveryError(permanent=...)``. Apps register theirs in ``AppConfig.ready()``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from motcua.integrations.models import OutboxMessage

Handler = Callable[["OutboxMessage"], None]

_registry: dict[str, Handler] = {}


def register(system: str, handler: Handler) -> None:
    """Make ``handler`` deliver the messages of ``system`` (replacing any previous one)."""
    if not system:
        raise ValueError("system must not be empty")
    _registry[system] = handler


def unregister(system: str) -> None:
    _registry.pop(system, None)


def get(system: str) -> Handler | None:
    return _registry.get(system)


def systems() -> list[str]:
    return sorted(_registry)
