"""Cutting a long update into table rows that Word can keep whole, each at most a share of a page.

Word lays out the pages, not us, and it cannot put a label on the second half of a row it
splits. So every update row is kept whole (``w:cantSplit``) and a long update is written
as several rows, each short enough that moving it to the next page leaves little white:
the first row says "Update", the others name their action ("7C05 (continued)"). A page
that begins inside an update therefore always begins with a labelled row.

The height of a row is estimated by wrapping its words at the cell's width with DejaVu
Sans's own widths (the PDF's font, which the Word file names), a little widened: a row
taller than estimated only moves more white to the foot of a page, and where Word stands
in a wider face for DejaVu Sans the rows are still whole, only shorter than a third.
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
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+")
_SPACE = re.compile(r"\s+")


def line_count(text: str, width: float, size: float) -> int:
    """Return the lines ``text`` (one line the author wrote) takes in ``width`` points.

    Words are wrapped as a word processor wraps them; a word wider than the line is broken
    across lines.
    """
    if len(text) * WIDEST_EM * size <= width:
        return 1
    space = _width(" ") * size
    lines, used = 1, 0.0
    for word in text.split():
        wide = _width(word) * size
        if used and used + space + wide > width:
            lines, used = lines + 1, 0.0
        if wide > width:
            extra = math.ceil(wide / width) - 1
            lines, used = lines + extra, wide - extra * width
        else:
            used = used + space + wide if used else wide
    return lines


@lru_cache(maxsize=65536)
def _width(word: str) -> float:
    """Return the width of ``word`` at 1 pt in DejaVu Sans, widened by ``WIDER``."""
    fonts()
    return WIDER * stringWidth(word, FONT, 1.0)


def para_height(para: Para, width: float, size: float) -> float:
    """Return the estimated height of a paragraph or bullet point in points."""
    if para.bullet:
        width -= BULLET_INDENT
    lines = sum(line_count(line, width, size) for line in para.text.split("\n"))
    return lines * LINE_HEIGHT * size + PARAGRAPH_AFTER


def pieces(
    paras: tuple[Para, ...] | list[Para], width: float, size: float, limit: float
) -> list[list[Para]]:
    """Return ``paras`` cut into rows, each estimated at most ``limit`` points high.

    Rows end between paragraphs where they can. A paragraph taller than ``limit`` is cut
    between the lines its author wrote, else between sentences, else between words, else
    (a word wider than many lines) between characters; nothing is dropped but the spaces
    at a cut.
    """
    result: list[list[Para]] = []
    current: list[Para] = []
    used = 0.0
    for para in paras:
        for part in _parts(para, width, size, limit):
            height = para_height(part, width, size)
            if current and used + height > limit:
                result.append(current)
                current, used = [], 0.0
            current.append(part)
            used += height
    if current:
        result.append(current)
    return result or [[]]


def _parts(para: Para, width: float, size: float, limit: float) -> list[Para]:
    """Return ``para`` as itself, or cut into paragraphs each at most ``limit`` high."""
    if para_height(para, width, size) <= limit:
        return [para]
    if para.bullet:
        width -= BULLET_INDENT
    lines_allowed = max(1, int((limit - PARAGRAPH_AFTER) / (LINE_HEIGHT * size)))
    parts: list[str] = []
    current: list[str] = []  # author lines of the part being filled
    used = 0
    for line in para.text.split("\n"):
        for chunk in _chunks(line, width, size, lines_allowed):
            lines = line_count(chunk, width, size)
            if current and used + lines > lines_allowed:
                parts.append("\n".join(current))
                current, used = [], 0
            current.append(chunk)
            used += lines
    if current:
        parts.append("\n".join(current))
    return [Para(text, para.bullet) for text in parts]


def _chunks(line: str, width: float, size: float, lines_allowed: int) -> list[str]:
    """Return one author line cut into pieces of at most ``lines_allowed`` lines.

    The line is cut between sentences; a sentence too long for a piece between words; a
    word too long between characters (joined again without a space when they share a piece).
    """
    if line_count(line, width, size) <= lines_allowed:
        return [line]
    fonts()
    average = WIDER * stringWidth(line, FONT, size) / len(line)  # this line's own, a character
    most = max(1, int(width / average)) * lines_allowed
    while True:  # a line wraps short of the cell by part of a word: pieces may need fewer
        result = _joined(line, most)
        if most == 1 or all(line_count(c, width, size) <= lines_allowed for c in result):
            return result
        most = max(1, int(most * 0.9))


def _joined(line: str, most: int) -> list[str]:
    """Return ``line`` in pieces of at most ``most`` characters, cut as ``_chunks`` says."""
    tokens: list[tuple[str, str]] = []  # (text, what joins it to the token before)
    for sentence in _SENTENCE_END.split(line):
        words = [sentence] if len(sentence) <= most else _SPACE.split(sentence)
        for word in words:
            cuts = [word[i : i + most] for i in range(0, len(word), most)] or [""]
            tokens.append((cuts[0], " "))
            tokens.extend((cut, "") for cut in cuts[1:])
    result: list[str] = []
    current = ""
    for text, glue in tokens:
        joined = current + glue + text if current else text
        if current and len(joined) > most:
            result.append(current)
            joined = text
        current = joined
    return [*result, current]
