"""ngograph.textclip.one_line: a value's text on one line for a person to read (tables, figure notes, quotes)."""

from __future__ import annotations

from ngograph.textclip import display_width, one_line, pad


def test_line_breaks_and_tabs_become_spaces_and_other_controls_a_replacement():
    assert one_line("a\tb\nc\rd\x0be\x0cf\u2028g\u2029h") == "a b c d e f g h"
    assert one_line("\x00\x1b[31m\x7f\x85\x9f\u202a\u202e\u2066\u2069") == "\ufffd\ufffd[31m" + "\ufffd" * 7
    assert one_line("\x1f \x20 \xa0 \u202f \u2065 \u206a") == "\ufffd   \xa0 \u202f \u2065 \u206a"  # the edges of each range


def test_ordinary_text_passes_as_it_is():
    text = "Fundación Žąsis – 日本 «Ω» \u00e9\u0301"
    assert one_line(text) == text and one_line(text, len(text)) == text


def test_a_longer_text_is_cut_to_the_limit_ending_in_an_ellipsis():
    assert one_line("abcdef", 4) == "abc\u2026" and len(one_line("x" * 500, 60)) == 60
    assert one_line("abcd", 4) == "abcd" and one_line("abcde", 4) == "abc\u2026"
    assert one_line("a\nb", 2) == "a\u2026"  # cut after the controls are replaced
    assert one_line("x" * 500) == "x" * 500  # no limit: whole


def test_display_width_counts_columns_not_characters():
    assert display_width("") == 0
    assert display_width("Tiltai") == 6
    assert display_width("日本") == 4  # wide: two columns each
    assert display_width("Z\u030cemaitija") == 9  # a combining caron takes none
    assert display_width("a\tb") == 3  # no width a terminal would show: its length
    assert display_width("\u00e9") == 1 and display_width("é\u200b") == 1  # a zero-width space
    assert display_width("\u200b") == 0 and display_width("\u0301") == 0  # nothing a terminal shows: no column


def test_pad_fills_to_columns():
    assert pad("日本", 6) == "日本  "
    assert pad("ab", 2) == "ab" and pad("abc", 2) == "abc"  # never cut
    assert pad("Z\u030cas", 4) == "Z\u030cas "
