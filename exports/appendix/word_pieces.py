"""Cutting a long update into table rows that Word can keep whole, each at most a share of a page.

Word lays out the pages, not us, and it cannot put a label on the second half of a row it
splits. So every update row is kept whole (``w:cantSplit``) and a long update is written
as several rows, each short enough that moving it to the next page leaves little white:
the first row says "Update", the others name their action ("7C05 (continued)"). A page
that begins inside an update therefore always begins with a labelled row.

A row ends between paragraphs when it is already two-thirds full; otherwise the next
paragraph is cut to fill it, between the lines its author wrote, else at a sentence's end,
else between words, else (a word wider than the row holds) between characters. Nothing is
dropped but the spaces at a cut.

The height of a row is estimated by wrapping its words at the cell's width with DejaVu
Sans's own widths (the PDF's font, which the Word file names), a little widened: a row
taller than estimated only moves more white to the foot of a page, and where Word stands
in a wider face for DejaVu Sans the rows are still whole, only shorter than their share.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from reportlab.pdfbase.pdfmetrics import stringWidth

from exports.appendix.layout import Para
from exports.appendix.pdf import FONT, fonts

WIDER = 1.06  # how much wider than DejaVu Sans a line is reckoned (Word's spacing, stand-ins)
WIDEST_EM = 1.0  # no character of DejaVu Sans is wider: a line this short needs no measuring
LINE_HEIGHT = 1.17  # a single-spaced line of DejaVu Sans, in ems
PARAGRAPH_AFTER = 3.0  # points after each paragraph (the Normal style)
BULLET_INDENT = 18.0  # points a bullet point's text is indented
FULL_ENOUGH = 2 / 3  # a row this full ends between paragraphs rather than cut the next
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+")


@lru_cache(maxsize=65536)
def _width(word: str) -> float:
    """Return the width of ``word`` at 1 pt in DejaVu Sans, widened by ``WIDER``."""
    fonts()
    return WIDER * stringWidth(word, FONT, 1.0)


class _Lines:
    """The lines a paragraph takes in a cell, as text is added to its end."""

    def __init__(self, width: float, size: float) -> None:
        self.width, self.size = width, size
        self.lines, self.used = 0, 0.0  # lines begun, and the width used of the last

    def after(self, text: str, glue: str) -> tuple[int, float]:
        r"""Return (lines, last line's width) once ``text`` is added after ``glue``.

        ``glue`` is what joins it to the text before: "\n" (a new line), " " or "" (the
        rest of a word cut between characters).
        """
        size, width = self.size, self.width
        lines, used = self.lines, self.used
        if not lines or glue == "\n":
            lines, used = lines + 1, 0.0
        space = _width(" ") * size
        for index, word in enumerate(text.split()):
            wide = _width(word) * size
            gap = 0.0 if (index == 0 and glue == "") or not used else space
            if used and used + gap + wide > width:
                lines, used, gap = lines + 1, 0.0, 0.0
            if wide > width - used:  # a word wider than the line breaks across lines
                extra = math.ceil((used + wide) / width) - 1
                lines, used = lines + extra, used + wide - extra * width
            else:
                used += gap + wide
        return lines, used

    def add(self, text: str, glue: str) -> None:
        """Add ``text`` after ``glue`` (see ``after``)."""
        self.lines, self.used = self.after(text, glue)


def line_count(text: str, width: float, size: float) -> int:
    """Return the lines ``text`` (one line the author wrote) takes in ``width`` points."""
    if len(text) * WIDEST_EM * size <= width:
        return 1
    return _Lines(width, size).after(text, "\n")[0]


def _text_width(para: Para, width: float) -> float:
    return width - BULLET_INDENT if para.bullet else width


def para_height(para: Para, width: float, size: float) -> float:
    """Return the estimated height of a paragraph or bullet point in points."""
    width = _text_width(para, width)
    lines = sum(line_count(line, width, size) for line in para.text.split("\n"))
    return lines * LINE_HEIGHT * size + PARAGRAPH_AFTER


def pieces(
    paras: tuple[Para, ...] | list[Para], width: float, size: float, limit: float
) -> list[list[Para]]:
    """Return ``paras`` cut into rows, each estimated at most ``limit`` points high."""
    line = LINE_HEIGHT * size
    rows: list[list[Para]] = []
    current: list[Para] = []
    used = 0.0
    for para in paras:
        height = para_height(para, width, size)
        room = limit - used
        if height <= room:
            current.append(para)
            used += height
            continue
        if current and (used >= FULL_ENOUGH * limit or room < 3 * line + PARAGRAPH_AFTER):
            rows.append(current)
            current, used, room = [], 0.0, limit
            if height <= room:
                current.append(para)
                used = height
                continue
        parts = _cut(para, _text_width(para, width), size, room, limit)
        current.append(parts[0])
        used += para_height(parts[0], width, size)
        for part in parts[1:]:
            rows.append(current)
            current, used = [part], para_height(part, width, size)
    if current:
        rows.append(current)
    return rows or [[]]


def _cut(para: Para, width: float, size: float, first: float, limit: float) -> list[Para]:
    """Return ``para`` cut into parts: the first at most ``first`` points high, the rest ``limit``."""
    line = LINE_HEIGHT * size

    def capacity(height: float) -> int:
        return max(1, int((height - PARAGRAPH_AFTER) / line))

    # What the paragraph can be cut into, each with what joins it to the one before.
    pieces_: list[tuple[str, str]] = []
    for number, author_line in enumerate(para.text.split("\n")):
        for index, sentence in enumerate(_SENTENCE_END.split(author_line)):
            glue = ("\n" if number else "") if index == 0 else " "
            pieces_.append((sentence, glue))
    parts: list[str] = []
    text = ""
    lines = _Lines(width, size)
    allowed = capacity(first)

    def close() -> None:
        nonlocal text, lines, allowed
        parts.append(text)
        text, lines, allowed = "", _Lines(width, size), capacity(limit)

    for sentence, glue in pieces_:
        if lines.after(sentence, glue)[0] <= allowed:
            text = text + glue + sentence if text else sentence
            lines.add(sentence, glue)
            continue
        if text and lines.lines >= FULL_ENOUGH * allowed:
            close()
            if lines.after(sentence, "\n")[0] <= allowed:
                text = sentence
                lines.add(sentence, "\n")
                continue
        # Word by word, and a word that does not fit a line between characters.
        for index, word in enumerate(sentence.split()):
            joint = glue if index == 0 else " "
            for cut_index, cut in enumerate(_characters(word, width, size)):
                join = joint if cut_index == 0 else ""
                if text and lines.after(cut, join)[0] > allowed:
                    close()
                if text:
                    text += join + cut
                    lines.add(cut, join)
                else:
                    text = cut
                    lines.add(cut, "\n")
    if text:
        parts.append(text)
    return [Para(part, para.bullet) for part in parts]


def _characters(word: str, width: float, size: float) -> list[str]:
    """Return ``word`` whole, or in pieces of about a line each when it is wider than one."""
    if _width(word) * size <= width:
        return [word]
    per_line = max(1, int(len(word) * width / (_width(word) * size)))
    return [word[i : i + per_line] for i in range(0, len(word), per_line)]
