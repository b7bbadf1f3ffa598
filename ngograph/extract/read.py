"""Read a saved page: plain text or HTML, bounded in size, as one text with line breaks.

HTML goes through the standard library's :class:`html.parser.HTMLParser`, which fetches nothing,
expands no external entities and never runs a script: the text of ``script``, ``style``,
``noscript``, ``template``, ``svg`` and ``iframe`` is dropped, block elements become line breaks.
Offsets of the evidence refer to the text this module returns (what ``ngograph extract --text``
prints), not to the bytes of the file.

>>> html_text("<h1>Title</h1><script>alert(1)</script><p>One &amp; two</p>")
'Title\\n\\nOne & two'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from ngograph.errors import SourceError

__all__ = ["MAX_BYTES", "Page", "read_page", "html_text", "page_from_text"]

#: The largest page read (bytes); a saved project page is a few kilobytes, a whole site dump is refused.
MAX_BYTES = 2_000_000

_SKIP = frozenset("script style noscript template svg iframe object embed head title".split())
_BLOCK = frozenset("p div br li ul ol h1 h2 h3 h4 h5 h6 tr td th table section article header footer nav "
                   "blockquote pre dd dt dl hr main aside figure figcaption form option".split())
_HTML_RE = re.compile(r"<\s*(?:!doctype\s+html|html|body|head|p|div|h[1-6]|span|a|li|table|script|br)\b", re.I)


@dataclass(frozen=True)
class Page:
    """A page's text (``text``), where it came from (``name``) and its title when the HTML had one."""

    text: str
    name: str
    title: str | None = None


class _TextParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.in_title = False
        self.title: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP:
            self.skip += 1
            self.in_title = tag == "title"
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_startendtag(self, tag, attrs):
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
            self.in_title = False
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if self.in_title:
            self.title.append(data)
        elif not self.skip:
            self.parts.append(data)


def _tidy(text: str) -> str:
    lines = [" ".join(line.split()) for line in text.splitlines()]
    out, blank = [], False
    for line in lines:
        if line:
            if blank and out:
                out.append("")
            out.append(line)
        blank = not line
    return "\n".join(out)


def html_text(html: str) -> str:
    """The visible text of an HTML page, a line per block, scripts and styles left out."""
    return _parse(html)[0]


def _parse(html: str) -> tuple[str, str | None]:
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    title = " ".join("".join(parser.title).split()) or None
    return _tidy("".join(parser.parts)), title


def page_from_text(raw: str, name: str = "<text>") -> Page:
    """A :class:`Page` of a decoded text: HTML when it looks like HTML, else plain text."""
    raw = unicodedata.normalize("NFC", raw.replace("\r\n", "\n").replace("\r", "\n"))
    if _HTML_RE.search(raw[:5000]):
        text, title = _parse(raw)
        return Page(text, name, title)
    return Page(raw.replace("\u00a0", " "), name)


def read_page(path: str | Path, max_bytes: int = MAX_BYTES) -> Page:
    """Read ``path`` as a page; raise :class:`SourceError` (exit 2) on a file that is no page.

    Refused, with one line naming the file: a missing or unreadable file, an empty one, one larger
    than ``max_bytes``, a binary file (NUL bytes, or not UTF-8 nor Windows-1252 text), one with no
    letters once scripts and markup are gone.
    """
    path = Path(path)
    name = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise SourceError([(name, f"{size:,} bytes is larger than the {max_bytes:,} bytes a page may have: "
                                      "save only the project's page")])
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError([(name, exc.strerror or str(exc))]) from None
    if not data.strip():
        raise SourceError([(name, "the file is empty: nothing to extract")])
    if b"\x00" in data[:65536]:
        raise SourceError([(name, "a binary file (NUL bytes), not a text or HTML page")])
    try:
        raw = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        controls = sum(1 for b in data[:65536] if b < 9 or 13 < b < 32)
        if controls:
            raise SourceError([(name, f"not text: byte {exc.start} is not UTF-8 and the file has control "
                                      "bytes (a binary file?)")]) from None
        raw = data.decode("cp1252", errors="replace")
    page = page_from_text(raw, name)
    if not re.search(r"[^\W\d_]{2}", page.text):
        raise SourceError([(name, "no text left once markup and scripts are removed: nothing to extract")])
    return page
