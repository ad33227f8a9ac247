"""The en/es catalogs are complete, compiled, and actually used by the pages.

Vietnamese is the source language (ADR 0005): every msgid is Vietnamese, so a missing
translation shows Vietnamese on an English or Spanish page. These tests read the committed
``locale/*/LC_MESSAGES/django.po`` and ``.mo`` files as they are (no compilemessages here).
"""

from __future__ import annotations

import ast
import gettext
import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

LANGS = ("en", "es")
LOCALE = Path(settings.BASE_DIR) / "locale"

# Letters that occur in Vietnamese but in neither English nor Spanish (so "á", "é", "í",
# "ó", "ú" are left out on purpose: Spanish uses them). Compared after NFC and lower().
VIETNAMESE_LETTERS = frozenset("ăâđêôơưàảãạằắẳẵặầấẩẫậèẻẽẹềếểễệìỉĩịòỏõọồốổỗộờớởỡợùủũụừứửữựỳýỷỹỵ")
PLACEHOLDER = re.compile(r"%\([A-Za-z_]\w*\)[sd]|%[sd]")


@dataclass
class Entry:
    msgid: str
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)  # 0 alone for a non-plural entry
    flags: set[str] = field(default_factory=set)
    line: int = 0


def parse_po(path: Path) -> tuple[Entry, list[Entry]]:
    """A small PO reader: (header entry, other entries). Obsolete ``#~`` entries are skipped."""
    entries: list[Entry] = []
    flags: set[str] = set()
    current: Entry | None = None
    target: tuple[str, int] | None = None  # ("msgid" | "msgid_plural" | "msgctxt" | "msgstr", n)

    def append(text: str) -> None:
        assert current is not None and target is not None
        kind, index = target
        if kind == "msgstr":
            current.msgstr[index] = current.msgstr.get(index, "") + text
        elif kind == "msgid_plural":
            current.msgid_plural = (current.msgid_plural or "") + text
        elif kind == "msgctxt":
            current.msgctxt = (current.msgctxt or "") + text
        else:
            current.msgid += text

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#,"):
            flags |= {f.strip() for f in line[2:].split(",") if f.strip()}
            continue
        if line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        starts_entry = keyword == "msgctxt" or (
            keyword == "msgid" and (target is None or target[0] != "msgctxt")
        )
        if starts_entry:
            current = Entry(msgid="", flags=flags, line=number)
            entries.append(current)
            flags = set()
        if line.startswith('"'):
            append(ast.literal_eval(line))
            continue
        match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
        if match:
            target = ("msgstr", int(match.group(1)))
        elif keyword in ("msgid", "msgid_plural", "msgctxt", "msgstr"):
            target = (keyword, 0)
        else:
            raise AssertionError(f"{path}:{number}: cannot read {raw!r}")
        append(ast.literal_eval(rest))

    header = next(e for e in entries if e.msgid == "" and e.msgctxt is None)
    return header, [e for e in entries if e is not header]


def header_fields(header: Entry) -> dict[str, str]:
    return dict(line.split(": ", 1) for line in header.msgstr.get(0, "").splitlines() if line)


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "django.po"


def mo_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "django.mo"


def problems(entries: list[Entry]) -> list[str]:
    """Every entry that is fuzzy, has an empty msgstr, or lost or gained a placeholder."""
    found = []
    for e in entries:
        expected_forms = [0, 1] if e.msgid_plural is not None else [0]
        if "fuzzy" in e.flags:
            found.append(f"line {e.line}: fuzzy: {e.msgid!r}")
        missing = [i for i in expected_forms if not e.msgstr.get(i)]
        if missing:
            found.append(f"line {e.line}: empty msgstr{missing}: {e.msgid!r}")
        for i in expected_forms:
            source = e.msgid if i == 0 or e.msgid_plural is None else e.msgid_plural
            translation = e.msgstr.get(i, "")
            if translation and sorted(PLACEHOLDER.findall(source)) != sorted(
                PLACEHOLDER.findall(translation)
            ):
                found.append(f"line {e.line}: placeholders differ in msgstr[{i}]: {e.msgid!r}")
    return found


def vietnamese_letters(text: str) -> set[str]:
    return {ch for ch in unicodedata.normalize("NFC", text).lower() if ch in VIETNAMESE_LETTERS}


class VisibleText(HTMLParser):
    """Text a reader sees or hears: text nodes (the <title> included) and the attributes
    shown or read aloud. The language picker's options are left out: each language is named
    in its own language there ("Tiếng Việt"), on purpose."""

    ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0
        self._in_language_picker = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in ("script", "style"):
            self._hidden += 1
        if tag == "ul" and attributes.get("id") == "lang-list":
            self._in_language_picker = True
        self.parts += [v for k, v in attrs if k in self.ATTRIBUTES and v]
        if tag == "input" and attributes.get("type") in ("submit", "button", "reset"):
            self.parts.append(attributes.get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden -= 1
        if tag == "ul":
            self._in_language_picker = False

    def handle_data(self, data: str) -> None:
        if not self._hidden and not self._in_language_picker and data.strip():
            self.parts.append(" ".join(data.split()))


def visible_text(response: Any) -> str:
    parser = VisibleText()
    parser.feed(response.content.decode())
    parser.close()
    return "\n".join(parser.parts)


# -- the catalogs ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_it_has_a_complete_catalog_without_fuzzy_entries(lang: str) -> None:
    header, entries = parse_po(po_path(lang))
    assert len(entries) > 300, "the catalog lost most of its entries"
    assert "fuzzy" not in header.flags, "msgfmt drops a fuzzy header (and the plural forms)"
    fields = header_fields(header)
    assert fields["Language"] == lang
    assert fields["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert "charset=UTF-8" in fields["Content-Type"]
    found = problems(entries)
    assert not found, f"{po_path(lang)} needs translating:\n" + "\n".join(found)


@pytest.mark.parametrize("lang", LANGS)
def test_it_ships_a_compiled_catalog_that_matches_the_po_file(lang: str) -> None:
    _, entries = parse_po(po_path(lang))
    with mo_path(lang).open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    assert compiled.info().get("language") == lang
    stale = []
    for e in entries:
        if e.msgid_plural is not None:
            got = [compiled.ngettext(e.msgid, e.msgid_plural, n) for n in (1, 2)]
            want = [e.msgstr.get(0, ""), e.msgstr.get(1, "")]
        elif e.msgctxt is not None:
            got, want = [compiled.pgettext(e.msgctxt, e.msgid)], [e.msgstr.get(0, "")]
        else:
            got, want = [compiled.gettext(e.msgid)], [e.msgstr.get(0, "")]
        if got != want:
            stale.append(f"{e.msgid!r}: .mo has {got!r}, .po has {want!r}")
    assert not stale, (
        f"{mo_path(lang)} is out of date; run `manage.py compilemessages -l {lang}`:\n"
        + "\n".join(stale[:20])
    )


def test_it_finds_empty_fuzzy_and_broken_entries(tmp_path: Path) -> None:
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr "Language: en\\n"\n\n'
        'msgid "Đăng nhập"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Lưu"\nmsgstr "Save"\n\n'
        '#, python-format\nmsgid "Đã xóa %(h)s."\nmsgstr "Deleted."\n\n'
        '#, python-format\nmsgid "%(n)s cơ quan"\nmsgid_plural "%(n)s cơ quan"\n'
        'msgstr[0] "%(n)s agency"\nmsgstr[1] ""\n\n'
        '#~ msgid "Cũ"\n#~ msgstr ""\n',
        encoding="utf-8",
    )
    header, entries = parse_po(po)
    assert header_fields(header) == {"Language": "en"}
    assert [e.msgid for e in entries] == ["Đăng nhập", "Lưu", "Đã xóa %(h)s.", "%(n)s cơ quan"]
    found = "\n".join(problems(entries))
    assert "empty msgstr[0]: 'Đăng nhập'" in found
    assert "fuzzy: 'Lưu'" in found
    assert "placeholders differ in msgstr[0]: 'Đã xóa %(h)s.'" in found
    assert "empty msgstr[1]: '%(n)s cơ quan'" in found


# -- the pages ------------------------------------------------------------------------------

PUBLIC_PAGES = {
    "en": {
        "/": ["Provincial public service portal", "Sign in", "Electronic one-stop desk"],
        "/accounts/login/": ["Officials and civil servants", "Username", "Password"],
        "/accounts/login/?tab=public": ["Citizens and businesses", "Citizen ID number or tax code"],
    },
    "es": {
        "/": ["Portal de servicios públicos de la provincia", "Iniciar sesión"],
        "/accounts/login/": ["Funcionarios y empleados públicos", "Nombre de usuario"],
        "/accounts/login/?tab=public": [
            "Ciudadanos y empresas",
            "Número de identificación ciudadana o código fiscal",
        ],
    },
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "url"), [(lang, url) for lang, pages in PUBLIC_PAGES.items() for url in pages]
)
def test_it_renders_public_pages_in_the_requested_language(
    client: Any, lang: str, url: str
) -> None:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    assert response["Content-Language"] == lang
    assert f'<html lang="{lang}">' in response.content.decode()
    text = visible_text(response)
    for expected in PUBLIC_PAGES[lang][url]:
        assert expected in text
    # These pages show no user data, so any Vietnamese letter is an untranslated string.
    leftovers = [line for line in text.splitlines() if vietnamese_letters(line)]
    assert not leftovers, f"untranslated text on {url} ({lang}): {leftovers}"


@pytest.mark.django_db
def test_it_renders_the_portal_in_vietnamese_by_default(client: Any) -> None:
    response = client.get("/")
    assert response["Content-Language"] == "vi"
    text = visible_text(response)
    assert "Cổng dịch vụ công của tỉnh" in text
    assert "Đăng nhập" in text
    assert "Provincial public service portal" not in text


def test_it_renders_the_back_office_home_in_english(client: Any, bob: Any) -> None:
    client.force_login(bob)
    response = client.get("/office/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    text = visible_text(response)
    for heading in (
        "Workspace",
        "My roles",
        "Catalog of administrative procedures",
        "Working calendar and due dates",
        "Agencies and units",
        "Sign out",
    ):
        assert heading in text
    for source in ("Bàn làm việc", "Vai trò của tôi", "Đăng xuất"):
        assert source not in text
    # Agency names are data and stay as entered; the role label is translated.
    assert "Sở Tư pháp" in text
    assert "Specialist" in text


OFFICE_PAGES = {
    "en": {
        "/office/dossiers/": [
            "Dossiers",
            "Dossier queues",
            "Due soon",
            "At risk of delay",
            "Late steps",
            "Awaiting return of the result",
            "Search dossiers",
            "Rows per page",
            "Filter",
            "0 dossiers",
            "No dossiers.",
        ],
    },
    "es": {
        "/office/dossiers/": [
            "Expedientes",
            "Colas de expedientes",
            "Próximo a vencer",
            "En riesgo de retraso",
            "Pasos fuera de plazo",
            "Pendientes de entrega del resultado",
            "Buscar expedientes",
            "Filas por página",
            "Filtrar",
            "0 expedientes",
            "No hay expedientes.",
        ],
    },
}


@pytest.mark.parametrize(
    ("lang", "url"), [(lang, url) for lang, pages in OFFICE_PAGES.items() for url in pages]
)
def test_it_renders_back_office_pages_in_the_requested_language(
    client: Any, bob: Any, lang: str, url: str
) -> None:
    client.force_login(bob)
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    assert response["Content-Language"] == lang
    text = visible_text(response)
    for expected in OFFICE_PAGES[lang][url]:
        assert expected in text
    # The official's own name is data; every other Vietnamese letter is an untranslated string.
    leftovers = [
        line for line in text.splitlines() if vietnamese_letters(line) and line != bob.full_name
    ]
    assert not leftovers, f"untranslated text on {url} ({lang}): {leftovers}"
