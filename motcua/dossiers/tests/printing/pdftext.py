"""Reading printed forms back: the text pypdf extracts, whitespace collapsed."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

_SPACE = re.compile(r"\s+")


def reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def flat(value: str) -> str:
    return _SPACE.sub(" ", value).strip()


def page_texts(pdf: bytes) -> list[str]:
    return [flat(page.extract_text()) for page in reader(pdf).pages]


def pdf_text(pdf: bytes) -> str:
    return " ".join(page_texts(pdf))
