"""Abstract base models, and the one table core owns: the rate-limit counters."""

from __future__ import annotations

from django.db import models


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class RateCounter(models.Model):
    """Hits of one rate-limit key in its current window; written by ``core.ratelimit`` with a
    single atomic upsert (shared by every process, unlike a per-process cache)."""

    key = models.CharField(max_length=200, unique=True)
    window_start = models.FloatField(help_text="Unix time the window opened")
    hits = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"{self.key}: {self.hits}"
