"""DejaVu TrueType fonts for the printed forms.

ReportLab's built-in Type 1 fonts cannot show Vietnamese (ặ, ờ, ữ …). DejaVu covers every
Vietnamese precomposed letter and ships with Debian (``fonts-dejavu-core``); the fonts are
embedded (subset) with a ToUnicode map, so the text of a printed PDF can be searched and
extracted. The serif face is the body (official documents are set in a serif), the sans face
the codes and tables of the tracking book.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from .regimes import PrintingError

#: Where Debian installs DejaVu; ``MOTCUA_FONT_DIR`` overrides it.
DEFAULT_FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")

SERIF = "DejaVuSerif"
SERIF_BOLD = "DejaVuSerif-Bold"
SERIF_ITALIC = "DejaVuSerif-Italic"
SANS = "DejaVuSans"
SANS_BOLD = "DejaVuSans-Bold"

#: Required faces (all in Debian's fonts-dejavu-core).
REQUIRED: tuple[str, ...] = (SANS, SANS_BOLD, SERIF, SERIF_BOLD)
#: Optional face (fonts-dejavu-extra); the upright serif stands in when it is absent.
OPTIONAL: tuple[str, ...] = (SERIF_ITALIC,)


class FontsMissing(PrintingError):
    pass


_lock = threading.Lock()
_registered: dict[str, str] = {}


def font_dir() -> Path:
    return Path(os.environ.get("MOTCUA_FONT_DIR") or DEFAULT_FONT_DIR)


def ensure_fonts() -> dict[str, str]:
    """Register the DejaVu faces once; return the logical → registered name map.

    Raises ``FontsMissing`` naming the missing files when a required face is not installed.
    """
    with _lock:
        if _registered:
            return _registered
        directory = font_dir()
        missing = [
            str(directory / f"{n}.ttf") for n in REQUIRED if not (directory / f"{n}.ttf").is_file()
        ]
        if missing:
            raise FontsMissing(
                "The printed forms need the DejaVu TrueType fonts for Vietnamese text; missing: "
                + ", ".join(missing)
                + ". Install them (Debian: apt-get install fonts-dejavu-core) or point "
                "MOTCUA_FONT_DIR at a directory that holds them."
            )
        names: dict[str, str] = {}
        for name in REQUIRED + OPTIONAL:
            path = directory / f"{name}.ttf"
            if path.is_file():
                pdfmetrics.registerFont(TTFont(name, str(path)))
                names[name] = name
        names.setdefault(SERIF_ITALIC, SERIF)
        # <b>/<i> inside paragraphs pick the right face.
        addMapping(SERIF, 0, 0, SERIF)
        addMapping(SERIF, 1, 0, SERIF_BOLD)
        addMapping(SERIF, 0, 1, names[SERIF_ITALIC])
        addMapping(SERIF, 1, 1, SERIF_BOLD)
        addMapping(SANS, 0, 0, SANS)
        addMapping(SANS, 1, 0, SANS_BOLD)
        addMapping(SANS, 0, 1, SANS)
        addMapping(SANS, 1, 1, SANS_BOLD)
        _registered.update(names)
        return _registered


def reset_for_tests() -> None:
    """Forget the registration so the next call re-checks the font directory."""
    with _lock:
        _registered.clear()
