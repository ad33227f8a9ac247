"""Checks on an uploaded file: its type **by content** (magic bytes, never the name), its size and
how many files a dossier already holds. Pure: plain values in, a verdict or ``UploadRefused`` out.

Accepted types are PDF, JPEG and PNG only. DOCX/XLSX are refused on purpose: telling an Office
document from any other ZIP (or a macro-enabled ``.docm``) needs the archive opened and its
``[Content_Types].xml`` parsed, with zip-bomb limits; see docs/decisions/0011-documents.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

#: How many leading bytes ``check_upload`` needs to see.
HEAD_BYTES: Final[int] = 16

DEFAULT_MAX_BYTES: Final[int] = 10 * 1024 * 1024
DEFAULT_MAX_FILES: Final[int] = 20

_MB: Final[int] = 1024 * 1024


@dataclass(frozen=True)
class FileType:
    content_type: str
    extension: str


PDF: Final[FileType] = FileType("application/pdf", "pdf")
JPEG: Final[FileType] = FileType("image/jpeg", "jpg")
PNG: Final[FileType] = FileType("image/png", "png")

_ACCEPTED: Final[tuple[tuple[bytes, FileType], ...]] = (
    (b"%PDF-", PDF),
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
)

# What a refused file looks like, to say so in the message (first match wins).
_FOREIGN: Final[tuple[tuple[bytes, str], ...]] = (
    (b"MZ", N_("tệp thực thi")),
    (b"\x7fELF", N_("tệp thực thi")),
    (b"\xca\xfe\xba\xbe", N_("tệp thực thi")),
    (b"\xcf\xfa\xed\xfe", N_("tệp thực thi")),
    (b"#!", N_("tập lệnh")),
    (b"PK\x03\x04", N_("tệp nén ZIP hoặc Word/Excel")),
    (b"Rar!", N_("tệp nén RAR")),
    (b"7z\xbc\xaf\x27\x1c", N_("tệp nén 7z")),
    (b"\x1f\x8b", N_("tệp nén gzip")),
    (b"\xd0\xcf\x11\xe0", N_("tài liệu Office cũ (DOC/XLS)")),
    (b"GIF8", N_("ảnh GIF")),
    (b"RIFF", N_("tệp đa phương tiện")),
    (b"<", N_("tệp HTML/XML")),
)


class UploadRefused(ValueError):
    """The upload is refused; ``message`` says why in the user's language, ``code`` is stable."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def detect(head: bytes) -> FileType | None:
    """The accepted type whose signature starts ``head``, or None."""
    for magic, kind in _ACCEPTED:
        if head.startswith(magic):
            return kind
    return None


def describe(head: bytes) -> str:
    """A short Vietnamese description of what a refused file's content is (marked for translation,
    untranslated; ``check_upload`` translates it)."""
    for magic, label in _FOREIGN:
        if head.startswith(magic):
            return label
    if head and all(32 <= b < 127 or b in (9, 10, 13) for b in head):
        return N_("tệp văn bản")
    return N_("không xác định")


def format_size(size: int, *, round_up: bool = False) -> str:
    """``12_897_484`` → ``"12,3 MB"``, ``3_000`` → ``"2,9 KB"``; whole numbers without decimals
    (``"10 MB"``). ``round_up`` rounds up to the tenth, so a file just over a limit never reads
    as equal to it."""
    unit, name = (_MB, "MB") if size >= _MB else (1024, "KB")
    tenths = size * 10 / unit
    value = (math.ceil(tenths) if round_up else round(tenths)) / 10
    if value == int(value):
        return f"{int(value)} {name}"
    return f"{value:.1f} {name}".replace(".", ",")


def check_count(*, name: str, existing_count: int, max_files: int = DEFAULT_MAX_FILES) -> None:
    """Refuse one more file on a dossier that already holds ``max_files``."""
    if existing_count >= max_files:
        raise UploadRefused(
            _("Hồ sơ đã có %(count)d tệp, tối đa %(max)d tệp: không thể thêm “%(name)s”.")
            % {"count": existing_count, "max": max_files, "name": name},
            code="too_many_files",
        )


def check_upload(
    *,
    name: str,
    size: int,
    head: bytes,
    existing_count: int = 0,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_files: int = DEFAULT_MAX_FILES,
) -> FileType:
    """Return the detected type of an acceptable upload or raise ``UploadRefused``.

    ``head`` is the file's first ``HEAD_BYTES`` bytes, ``existing_count`` how many files the
    dossier already holds.
    """
    check_count(name=name, existing_count=existing_count, max_files=max_files)
    if size <= 0 or not head:
        raise UploadRefused(_("Tệp “%(name)s” rỗng (0 byte).") % {"name": name}, code="empty_file")
    if size > max_bytes:
        raise UploadRefused(
            _("Tệp quá lớn: %(size)s > %(max)s (tệp “%(name)s”).")
            % {
                "size": format_size(size, round_up=True),
                "max": format_size(max_bytes),
                "name": name,
            },
            code="file_too_large",
        )
    kind = detect(head)
    if kind is None:
        raise UploadRefused(
            _("Tệp “%(name)s” không phải PDF/JPEG/PNG (nội dung là %(what)s).")
            % {"name": name, "what": _(describe(head))},
            code="file_type_refused",
        )
    return kind
