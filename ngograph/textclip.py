"""A value's text on one line, for a person to read: a cell of a printed table, a name in a figure's note, an
evidence quote. Data from sources holds line breaks, tabs, terminal escape sequences, mojibake's C1 codes and
bidirectional overrides, and names thousands of characters long."""

from __future__ import annotations

__all__ = ["one_line"]

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
