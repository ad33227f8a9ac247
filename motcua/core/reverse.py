"""``reverse`` with its answers kept, for the busiest public pages.

Django's ``reverse`` walks the resolver's namespaces and rebuilds the path on every call
(35–90 µs here); a tracking lookup needs three. The path only depends on the name, the
arguments, the script prefix and the URLconf, so the answer is kept per process under those.
The URLconf can only change under tests (``override_settings(ROOT_URLCONF=…)``), which empties
the cache like Django empties its own URL caches.
"""

from __future__ import annotations

import functools
from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse


def cached_reverse(viewname: str, *args: Any) -> str:
    """``reverse(viewname, args=args)`` for hashable ``args`` (strings, numbers)."""
    return _reverse(viewname, args, get_script_prefix(), get_urlconf())


@functools.lru_cache(maxsize=4096)
def _reverse(viewname: str, args: tuple[Any, ...], prefix: str, urlconf: str | None) -> str:
    return reverse(viewname, args=args, urlconf=urlconf)


@receiver(setting_changed)
def _forget(*, setting: str, **kwargs: Any) -> None:
    if setting == "ROOT_URLCONF":
        _reverse.cache_clear()
