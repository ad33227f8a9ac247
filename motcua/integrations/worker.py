"""The worker loop behind ``manage.py run_worker`` (healthchecks ``sendalerts``).

Each pass: run the periodic jobs that are due, claim a batch of due outbox messages and deliver
them one by one outside any transaction. A stop request (SIGTERM/SIGINT) lets the message being
delivered finish, gives the rest of the batch back, and ends the loop.

Other apps register periodic jobs in their ``AppConfig.ready()``::

    from motcua.integrations.worker import register_periodic
    register_periodic("dossiers.sweep_deadlines", sweep_deadlines, every_seconds=60)

Every worker process runs every job, so a job must be safe to run concurrently (claim its rows
with a compare-and-swap, as the outbox does).
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import FrameType

from django.db import close_old_connections

from motcua.integrations import outbox

logger = logging.getLogger("motcua.worker")


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    fn: Callable[[], object]
    every_seconds: float


_periodic: dict[str, PeriodicJob] = {}


def register_periodic(name: str, fn: Callable[[], object], every_seconds: float) -> None:
    """Run ``fn()`` from every worker at most once per ``every_seconds`` (replaces ``name``)."""
    if every_seconds <= 0:
        raise ValueError("every_seconds must be positive")
    _periodic[name] = PeriodicJob(name=name, fn=fn, every_seconds=every_seconds)


def unregister_periodic(name: str) -> None:
    _periodic.pop(name, None)


def periodic_jobs() -> list[PeriodicJob]:
    return [_periodic[name] for name in sorted(_periodic)]


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


@dataclass
class Stats:
    sent: int = 0
    retried: int = 0
    dead: int = 0
    lost: int = 0
    jobs_run: int = 0
    jobs_failed: int = 0

    def count(self, result: outbox.Outcome) -> None:
        if result is outbox.Outcome.SENT:
            self.sent += 1
        elif result is outbox.Outcome.RETRY:
            self.retried += 1
        elif result is outbox.Outcome.DEAD:
            self.dead += 1
        else:
            self.lost += 1


@dataclass
class Worker:
    batch: int = 10
    interval: float = 2.0
    worker_id: str = field(default_factory=default_worker_id)
    stopping: bool = False
    stats: Stats = field(default_factory=Stats)
    _last_run: dict[str, float] = field(default_factory=dict)
    clock: Callable[[], float] = time.monotonic

    def request_stop(self, signum: int = 0, frame: FrameType | None = None) -> None:
        """The SIGTERM/SIGINT handler: finish the current message, then stop."""
        if not self.stopping:
            logger.info("worker %s: stop requested (signal %s)", self.worker_id, signum)
        self.stopping = True

    def run_periodic(self) -> None:
        for job in periodic_jobs():
            if self.stopping:
                return
            now = self.clock()
            last = self._last_run.get(job.name)
            if last is not None and now - last < job.every_seconds:
                continue
            self._last_run[job.name] = now
            try:
                job.fn()
                self.stats.jobs_run += 1
            except Exception:
                self.stats.jobs_failed += 1
                logger.exception("worker %s: periodic job %s failed", self.worker_id, job.name)

    def deliver_batch(self) -> int:
        """Claim and deliver one batch; returns how many messages were claimed."""
        claimed = outbox.claim(self.batch, self.worker_id)
        for index, msg in enumerate(claimed):
            if self.stopping:
                released = outbox.release(claimed[index:])
                logger.info("worker %s: gave back %s messages", self.worker_id, released)
                break
            self.stats.count(outbox.deliver(msg))
        return len(claimed)

    def run_once(self) -> None:
        """One pass: periodic jobs, then deliver until nothing is due (or a stop request)."""
        close_old_connections()
        self.run_periodic()
        while not self.stopping and self.deliver_batch() == self.batch:
            pass
        close_old_connections()

    def run_forever(self) -> None:
        logger.info("worker %s: started (batch %s)", self.worker_id, self.batch)
        while not self.stopping:
            try:
                self.run_once()
            except Exception:  # the database went away, …: log, wait, try again
                logger.exception("worker %s: pass failed", self.worker_id)
            self.sleep(self.interval)
        logger.info("worker %s: stopped (%s)", self.worker_id, self.stats)

    def sleep(self, seconds: float) -> None:
        """Sleep in short steps so a stop request is noticed quickly."""
        deadline = time.monotonic() + seconds
        while not self.stopping and (left := deadline - time.monotonic()) > 0:
            time.sleep(min(left, 0.2))
