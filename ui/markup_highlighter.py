"""Exempt passages in a text field shown as marked: shaded, tags grey, code plain, problems red."""

from __future__ import annotations

from PySide6.QtGui import (
    QColor,
    QFont,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextDocument,
)

from db.text import Parsed, may_hold_markup, parse

PASSAGE_SHADE = "#FCE4D6"
TAG_GREY = "#7F7F7F"
CODE_COLOUR = "#843C0C"
PROBLEM_RED = "#C00000"
_NOTHING = Parsed((), (), ())


def _format(
    *, shade: bool = True, colour: str | None = None, bold: bool = False
) -> QTextCharFormat:
    form = QTextCharFormat()
    if shade:
        form.setBackground(QColor(PASSAGE_SHADE))
    if colour:
        form.setForeground(QColor(colour))
    if bold:
        form.setFontWeight(QFont.Weight.Bold)
    return form


class MarkupHighlighter(QSyntaxHighlighter):
    """Reads a document with ``db.text.parse`` (the parser public output uses) and paints it.

    A passage and its tags are shaded as one; the tags are grey except the exemption code,
    which stays readable; markup a public output would refuse is underlined red where it is.
    The whole text is parsed once per change: a tag typed on one line can open, close or
    mend a passage on others, which are then painted again.
    """

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(None)
        self.parsed = _NOTHING
        self._text = ""
        self._units: list[int] | None = None
        self._painted: tuple[object, ...] = ()
        self._ranges: list[tuple[int, int, QTextCharFormat, bool]] = []
        self._source = document
        # Read the new text before the highlighter paints the changed lines with it: slots
        # run in the order they were connected, so this comes before setDocument's own.
        document.contentsChange.connect(self._read)
        self._read()
        self.setDocument(document)
        document.contentsChanged.connect(self._repaint_if_moved)

    def _read(self, *_change: int) -> None:
        text = self._source.toPlainText()
        self._text = text
        self.parsed = parse(text) if may_hold_markup(text) else _NOTHING
        # Qt counts UTF-16 units, Python characters: an emoji before a tag would shift it.
        if any(ord(c) > 0xFFFF for c in text):
            units, at = [0], 0
            for c in text:
                at += 2 if ord(c) > 0xFFFF else 1
                units.append(at)
            self._units = units
        else:
            self._units = None
        self._ranges = self._find_ranges()

    def _unit(self, index: int) -> int:
        return self._units[index] if self._units is not None else index

    def _repaint_if_moved(self) -> None:
        painted = (self.parsed.passages, self.parsed.tags, self.parsed.problems)
        if painted != self._painted:
            self._painted = painted
            self.rehighlight()

    def _find_ranges(self) -> list[tuple[int, int, QTextCharFormat, bool]]:
        found: list[tuple[int, int, QTextCharFormat, bool]] = []
        tag = _format(colour=TAG_GREY)
        code = _format(colour=CODE_COLOUR, bold=True)
        for passage in self.parsed.passages:
            found.append((passage.inner_start, passage.inner_end, _format(), False))
            at = self._text.find(passage.code, passage.start, passage.inner_start)
            if passage.code and at >= 0:
                found.append((passage.start, at, tag, False))
                found.append((at, at + len(passage.code), code, False))
                found.append((at + len(passage.code), passage.inner_start, tag, False))
            else:
                found.append((passage.start, passage.inner_start, tag, False))
            found.append((passage.inner_end, passage.end, tag, False))
        for start, end in self.parsed.tags:  # nested or stray tags, read but not paired
            if not any(p.start <= start < p.end for p in self.parsed.passages):
                found.append((start, end, _format(shade=False, colour=TAG_GREY), False))
        for problem in self.parsed.problems:
            found.append((problem.start, problem.end, QTextCharFormat(), True))
        return [(self._unit(s), self._unit(e), f, u) for s, e, f, u in found if e > s]

    def highlightBlock(self, text: str) -> None:
        """Paint the part of each range that falls in this line."""
        if not self.parsed.tags:
            return
        block = self.currentBlock()
        first, last = block.position(), block.position() + block.length()
        for start, end, form, underline in self._ranges:
            start, end = max(start, first), min(end, last)
            if start >= end:
                continue
            if not underline:
                self.setFormat(start - first, end - start, form)
                continue
            for unit in range(start - first, end - first):  # keep the shade under the flag
                flagged = QTextCharFormat(self.format(unit))
                flagged.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
                flagged.setUnderlineColor(QColor(PROBLEM_RED))
                self.setFormat(unit, 1, flagged)
