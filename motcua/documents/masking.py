"""Partial masking of a holder's name for the public verification page. Pure."""

from __future__ import annotations


def mask_name(name: str) -> str:
    """Keep the family name (first word) and the first letter of every other word:
    ``"Nguyễn Thị Ánh Tuyết"`` → ``"Nguyễn T** Á** T****"``. One word keeps its first letter."""
    words = name.split()
    if not words:
        return ""
    if len(words) == 1:
        return _initial(words[0])
    return " ".join([words[0], *(_initial(w) for w in words[1:])])


def _initial(word: str) -> str:
    return word[0] + "*" * (len(word) - 1)
