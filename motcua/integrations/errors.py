"""Errors of the outbox and of the handlers that deliver its messages."""

from __future__ import annotations


class DeliveryError(Exception):
    """A handler could not deliver a message (healthchecks ``TransportError``).

    ``permanent=True`` means retrying cannot help (a refused recipient, an invalid payload): the
    message is marked ``dead`` at once. Otherwise it is retried with backoff.
    """

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent


class OutboxUsageError(RuntimeError):
    """A programming error: the outbox API was called from the wrong transactional context."""
