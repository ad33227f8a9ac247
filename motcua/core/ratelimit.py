"""A small fixed-window rate limiter on the cache, for public endpoints and logins."""

from __future__ import annotations

from django.core.cache import cache


def hit(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one hit on ``key``; True while the caller is still within ``limit`` per window."""
    cache_key = f"rl:{key}"
    if cache.add(cache_key, 1, timeout=window_seconds):
        return True
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window_seconds)
        return True
    return count <= limit


def reset(key: str) -> None:
    cache.delete(f"rl:{key}")


def client_ip(meta: dict[str, object]) -> str:
    return str(meta.get("REMOTE_ADDR", "unknown"))
