"""A value's text on one line, for a person to read: a cell of a printed table, a name in a figure's note, an
evidence quote. Data from sources holds line breaks, tabs, terminal escape sequences, mojibake's C1 codes and
bidirectional overrides, and names thousands of characters long. And text that is not Unicode at all: a lone surrogate
(half of a UTF-16 pair) from a JSON escape or a file name that is not UTF-8, which no UTF-8 file or RDF literal holds."""

from __future__ import annotations

import codecs
import re

from wcwidth import wcswidth

__all__ = ["one_line", "display_width", "pad", "without_surrogates", "joined_pairs", "shown_path", "LONE_SURROGATE", "SURROGATES_ESCAPED"]

#: A code point of the UTF-16 surrogate range alone in a Python string: not a character (no UTF-8 encoder writes it).
#: Python makes one from ``"\\ud800"`` in JSON or YAML, and from each byte of a file name that is not UTF-8.
LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")

#: A line break, tab or line/paragraph separator becomes a space (the text stays one line); any other control
#: character (C0, DEL, C1: an escape sequence a terminal would obey) or bidirectional embedding, override or isolate
#: (which reorders what is shown) becomes U+FFFD.
_CONTROLS = {
    **dict.fromkeys([*range(0x20), 0x7F, *range(0x80, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A)], "\ufffd"),
    **dict.fromkeys([*b"\t\n\v\f\r", 0x2028, 0x2029], " "),
}


def one_line(text: str, limit: int | None = None) -> str:
    """``text`` without control characters (:data:`_CONTROLS`) and, with ``limit``, at most ``limit`` characters: a
    longer text is cut and ends in an ellipsis.

    >>> one_line("Fundación\\r\\nfor\\tpeace\\x1b[2J\\u202e"), one_line("Žąsis 日本"), one_line("x" * 200, 60)[-2:]
    ('Fundación  for peace\\ufffd[2J\\ufffd', 'Žąsis 日本', 'x…')
    >>> len(one_line("x" * 61, 60)), one_line("x" * 60, 60) == "x" * 60
    (60, True)
    """
    text = text.translate(_CONTROLS)
    return text if limit is None or len(text) <= limit else text[:limit - 1] + "\u2026"


def joined_pairs(text: str) -> str:
    """``text`` with each surrogate pair (a high half, then a low half) made the character it stands for, as JSON
    readers do and PyYAML does not (``"\\ud83d\\ude00"`` is one emoji); a half alone is left as it is.

    >>> joined_pairs("\\ud83d\\ude00!") == "\\U0001F600!", joined_pairs("\\ude00\\ud83d") == "\\ude00\\ud83d"
    (True, True)
    """
    return _PAIR.sub(lambda m: chr(0x10000 + ((ord(m[0][0]) - 0xD800) << 10) + ord(m[0][1]) - 0xDC00), text)


def without_surrogates(text: str) -> tuple[str, int]:
    """``text`` with its surrogate pairs joined (:func:`joined_pairs`) and each half left alone
    (:data:`LONE_SURROGATE`) made U+FFFD, and how many halves were left alone.

    >>> without_surrogates("Fund\\ud800ación"), without_surrogates("h2020-\\udcff.csv"), without_surrogates("ok")
    (('Fund\ufffdación', 1), ('h2020-\ufffd.csv', 1), ('ok', 0))
    >>> without_surrogates("\\ud83d\\ude00\\ud83d") == ("\\U0001F600\\ufffd", 1)
    True
    """
    if LONE_SURROGATE.search(text) is None:
        return text, 0
    return LONE_SURROGATE.subn("\ufffd", joined_pairs(text))


def _escape_surrogates(error: UnicodeError):
    """The codec error handler :data:`SURROGATES_ESCAPED`: a lone surrogate written as ``\\xff`` where it stands for
    a byte of a file name (U+DC80-U+DCFF, as :func:`shown_path` and ``ls`` show it), else as ``\\ud800``; any other
    character a stream cannot encode an error as before (a CSV on an ASCII terminal fails loudly rather than
    change its data)."""
    bad = error.object[error.start:error.end] if isinstance(error, UnicodeEncodeError) else ""
    if not bad or not all(LONE_SURROGATE.match(c) for c in bad):
        raise error
    return "".join(f"\\x{ord(c) - 0xDC00:02x}" if 0xDC80 <= ord(c) <= 0xDCFF else f"\\u{ord(c):04x}" for c in bad), error.end


#: The name of a codec error handler (``stream.reconfigure(errors=SURROGATES_ESCAPED)``, as the command line sets
#: it on a strict stdout and stderr): text that is not Unicode (a file name that is not UTF-8, in a location) is
#: printed escaped instead of ending the output with a UnicodeEncodeError; nothing else changes.
SURROGATES_ESCAPED = "ngograph-surrogates-escaped"
codecs.register_error(SURROGATES_ESCAPED, _escape_surrogates)


def shown_path(path) -> str:
    """A path as text a person can read and any stream can print: a byte that is not UTF-8 (which Python reads as
    a lone surrogate) shown as ``\\xff``, as ``ls`` escapes it, the escape of :data:`SURROGATES_ESCAPED`.

    >>> shown_path("in/h2020-\\udcff.csv"), shown_path("data/Fundación.yaml")
    ('in/h2020-\\\\xff.csv', 'data/Fundación.yaml')
    """
    return str(path).encode("utf-8", SURROGATES_ESCAPED).decode("utf-8")


def display_width(text: str) -> int:
    """The columns ``text`` takes in a terminal: two for a wide character (Chinese, Japanese, Korean), none for a
    combining mark (an accent written as a character of its own); its length where some character has no width
    that the terminal would show (:func:`one_line` replaces those).

    >>> display_width("Tiltai"), display_width("日本語"), display_width("Z\u030cas"), display_width("a\x1bb")
    (6, 6, 3, 3)
    """
    if text.isascii() and text.isprintable():
        return len(text)
    width = wcswidth(text)
    return width if width >= 0 else len(text)


def pad(text: str, width: int) -> str:
    """``text`` with spaces after it up to ``width`` columns (:func:`display_width`), as ``str.ljust`` pads characters.

    >>> [pad(t, 6) + "|" for t in ("ab", "日本")], len(pad("Z\u030cas", 6))  # Z, a combining caron, a, s: 3 columns
    (['ab    |', '日本  |'], 7)
    """
    return text + " " * (width - display_width(text))
