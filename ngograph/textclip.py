"""A value's text on one line, for a person to read: a cell of a printed table, a name in a figure's note, an
evidence quote. Data from sources holds line breaks, tabs, terminal escape sequences, mojibake's C1 codes and
bidirectional overrides, and names thousands of characters long."""

from __future__ import annotations

from wcwidth import wcswidth

__all__ = ["one_line", "display_width", "pad"]

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
