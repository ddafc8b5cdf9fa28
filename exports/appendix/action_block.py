"""Lean action tables for the PDF appendix: reportlab Table's layout, drawn straight onto the page.

Page breaks are a typesetter's: an action's rows never end a page without at least the
first lines of its update (``MIN_LINES``; the whole update when it is short), an update
splits between lines wherever the page ends, and the rows that carry it on say whose it is
(``continued``). Only a block that cannot fit even on a page of its own splits anywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from exports.appendix import tagging
from exports.appendix.fast_text import PlainParagraph, PlainStack, fill_op

# reportlab's cell defaults, which the appendix's table styles keep: 6 pt either side.
PAD_X = 6
PAD_Y = 3
# An empty cell is one line of the table's font (8.5 pt, leading 1.2 times that) high.
BLANK = 8.5 * 1.2
LINE_WIDTH = 0.5
TOP, MIDDLE, BOTTOM = "TOP", "MIDDLE", "BOTTOM"
_PLAIN = (PlainParagraph, PlainStack)
# The fewest update lines that may stand under an action at a page foot, and the fewest
# carried on to the next page: an update of up to 2 * MIN_LINES - 1 lines is kept whole.
MIN_LINES = 2
# reportlab's formatting of each number, kept: cells and rules stand at a few hundred
# places, met again on every page, and ``fp_str`` formats anew at each of 20,000 calls.
_FP: dict[float, str] = {}


def fp(*values: float) -> str:
    """Return ``fp_str(*values)``, each number formatted once."""
    try:
        return " ".join(map(_FP.__getitem__, values))
    except KeyError:
        if len(_FP) > 4096:
            _FP.clear()
        for value in values:
            _FP[value] = fp_str(value)
        return " ".join(map(_FP.__getitem__, values))


def line_count(flowables: Sequence[Flowable]) -> int:
    """Return how many lines of text ``flowables`` hold (as wrapped last)."""
    count = 0
    for flowable in flowables:
        if isinstance(flowable, PlainStack):
            count += line_count(flowable.items)
        elif isinstance(flowable, PlainParagraph) and flowable.fallback is None:
            count += len(flowable.lines)
        else:
            lines = getattr(getattr(flowable, "blPara", None), "lines", None)
            count += len(lines) if lines is not None else 1
    return count


@dataclass(slots=True)
class Cell:
    """One cell: the columns it spans, its flowables (``None`` when blank), its alignment."""

    first: int
    last: int
    content: list[Flowable] | None
    valign: str = TOP


class Row:
    """One row of cells with its top and bottom padding; measured once for its widths."""

    __slots__ = ("bottom", "cells", "geometry", "height", "top")

    def __init__(self, cells: list[Cell], top: float = PAD_Y, bottom: float = PAD_Y) -> None:
        self.cells = cells
        self.top = top
        self.bottom = bottom
        self.height = -1.0  # not measured yet
        # Per drawn cell: (left edge, cell width, valign, content height, [(flowable, h)]).
        self.geometry: list[tuple[float, float, str, float, list]] = []

    def measure(self, widths: Sequence[float], positions: Sequence[float]) -> float:
        """Return the row's height as reportlab's ``Table`` computes it, and keep the geometry.

        A cell of one column is as wide as its column; a spanning cell as wide as the
        columns' positions say (as the Table measures each). Flowables are wrapped in the
        cell's width less the padding; the content's height is their heights with the
        spaces between them, as ``Table._listCellGeom`` adds them.
        """
        height = 0.0
        geometry = []
        pads = self.bottom + self.top
        for cell in self.cells:
            first, last, content = cell.first, cell.last, cell.content
            width = widths[first] if first == last else positions[last + 1] - positions[first]
            if content is None:
                total = BLANK
            else:
                inner = width - PAD_X - PAD_X
                room = 72000 - self.top - self.bottom
                items = []
                total = 0
                before = None
                after = 0
                for flowable in content:
                    if isinstance(flowable, _PLAIN):
                        _, h = flowable.wrap(inner, room)
                    else:
                        _, h = flowable.wrapOn(None, inner, room)
                    space_before = flowable.getSpaceBefore()
                    after = flowable.getSpaceAfter()
                    total += h + after + space_before
                    if before is None:
                        before = space_before
                    items.append((flowable, h))
                total = total - before - after if items else 0
                geometry.append((positions[first], width, cell.valign, total, items))
            total += pads
            if total > height:
                height = total
        self.height = height
        self.geometry = geometry
        return height


def _positions(heights: Sequence[float]) -> tuple[float, list[float]]:
    """Return the total height and each row's top, summed from the bottom as a Table does."""
    tops = []
    height = carry = 0.0
    for h in reversed(heights):
        tops.append(height)
        y = h - carry
        total = height + y
        carry = (total - height) - y
        height = total
    tops.append(height)
    tops.reverse()
    return height, tops


def _columns(widths: Sequence[float]) -> tuple[float, list[float]]:
    """Return the total width and the columns' left edges (and the right edge), as a Table."""
    width = 0
    positions = [0]
    for w in widths:
        width = width + w
        positions.append(width)
    return width, positions


def _stroke_op(colour: object) -> str:
    return fill_op(colour)[:-2] + "RG"


class _Grid:
    """Rows of cells in fixed columns: measuring and drawing, shared by header and body."""

    def __init__(self, widths: Sequence[float], rows: list[Row]) -> None:
        self.widths = list(widths)
        self.rows = rows
        self.width, self.positions = _columns(self.widths)
        self._measured = False
        self.height = 0.0
        self.tops: list[float] = []

    def _measure(self) -> None:
        if not self._measured:
            for row in self.rows:
                if row.height < 0:
                    row.measure(self.widths, self.positions)
            self.height, self.tops = _positions([row.height for row in self.rows])
            self._measured = True

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """Return the grid's size; it depends on the column widths only."""
        self._measure()
        return self.width, self.height

    def _draw_cells(
        self, canvas: Canvas, code: list[str] | None, tags: Callable | None = None
    ) -> None:
        """Draw every cell's flowables where the Table places them, in the grid's coordinates.

        Each flowable is drawn at its own origin, as ``Flowable.drawOn`` would, but without
        the canvas's saving and restoring of its whole state. ``tags(row index, cell)``
        names a cell's row and cell elements, ``(row key, cell key, role, attributes)``,
        when the page is tagged.
        """
        out = canvas._code if code is None else code
        tagger = tagging.of(canvas) if tags is not None else None
        if tagger is not None and tagger.in_artifact:
            tagger = None
        tops = self.tops
        for index, row in enumerate(self.rows):
            bottom = tops[index + 1]
            geometry = iter(row.geometry)
            row_key = None
            for number, cell in enumerate(row.cells):
                if tagger is not None:
                    row_key, cell_key, role, attrs = tags(index, cell)
                    if number == 0:
                        tagger.enter(row_key, "TR")
                    tagger.enter(cell_key, role, attrs)
                if cell.content is not None:
                    self._draw_cell(canvas, code, out, next(geometry), bottom, row)
                if tagger is not None:
                    tagger.leave()
            if tagger is not None and row_key is not None:
                tagger.leave()

    def _draw_cell(
        self, canvas: Canvas, code: list[str] | None, out: list[str], geometry, bottom, row
    ) -> None:
        left, width, valign, total, items = geometry
        height = row.height
        if not items:
            return
        if valign == TOP:
            at = bottom + height - row.top
        elif valign == BOTTOM:
            at = bottom + row.bottom + total
        else:
            at = bottom + (height + row.bottom - row.top + total) / 2.0
        at += items[0][0].getSpaceBefore()
        x = left + PAD_X
        for flowable, h in items:
            at -= flowable.getSpaceBefore()
            at -= h
            if type(flowable) is PlainParagraph and flowable.fallback is None:
                out.append(f"q 1 0 0 1 {fp(x, at)} cm")
                flowable.emit(canvas, 0, 0, out)
                out.append("Q")
            elif type(flowable) is PlainStack and code is None:
                out.append(f"q 1 0 0 1 {fp(x, at)} cm")
                flowable.emit(canvas, 0, 0)
                out.append("Q")
            else:
                inner = width - PAD_X - PAD_X
                # A Paragraph measured at this width already holds its lines (they depend
                # on the width only): breaking them again costs a millisecond. A piece split
                # off one has a width but no lines yet.
                measured = getattr(flowable, "width", None) == inner and hasattr(flowable, "blPara")
                if not isinstance(flowable, _PLAIN) and not measured:
                    flowable.wrapOn(canvas, inner, height - row.top - row.bottom)
                flowable.drawOn(canvas, x, at)
            at -= flowable.getSpaceAfter()

    def _span(self, first: int, last: int) -> tuple[float, float]:
        return self.positions[first], self.positions[last + 1]


class HeaderRow(_Grid):
    """A column header: rows of bold titles on a grey fill, with a grid around each cell.

    It is drawn on every page that holds the table, so its operators are written once per
    document and repeated.
    """

    def __init__(
        self, widths: Sequence[float], rows: list[list[Cell]], fill: object, grid: object
    ) -> None:
        super().__init__(widths, [Row(cells) for cells in rows])
        self.fill = fill
        self.grid = grid
        self._cached: tuple[object, str] | None = None
        self._lines: str | None = None
        self.ident = tagging.new_id()  # the table's key in the structure tree

    @classmethod
    def of_titles(
        cls, widths: Sequence[float], titles: list[Flowable], fill: object, grid: object
    ) -> HeaderRow:
        """Return a header of one row, one title per column, each at the bottom of its cell."""
        return cls(widths, [[Cell(i, i, [t], BOTTOM) for i, t in enumerate(titles)]], fill, grid)

    def emit(self, canvas: Canvas, x: float, y: float) -> None:
        """Write the header with its bottom-left corner at (x, y).

        On a tagged page the header's first drawing is the table's header rows (column
        headers); its repeats on later pages are furniture.
        """
        self._measure()
        code = canvas._code
        tagger = tagging.of(canvas)
        if tagger is not None and not tagger.in_artifact and not tagger.seen(self._row_key(0)):
            code.append(f"q 1 0 0 1 {fp(x, y)} cm {tagging.ARTIFACT} {self._fill_op()} EMC")
            self._draw_cells(canvas, None, self._tags)
            code.append(f"{tagging.ARTIFACT} {self._lines_op()} EMC Q")
            return
        titles = [f for row in self.rows for cell in row.cells for f in cell.content or ()]
        if tagger is not None:
            tagger.begin_artifact(code)
        if not all(type(t) is PlainParagraph and t.fallback is None for t in titles):
            # Drawn through Paragraph, onto the page: nothing to keep for the next page.
            code.append(f"q 1 0 0 1 {fp(x, y)} cm {self._fill_op()}")
            self._draw_cells(canvas, None)
            code.append(f"{self._lines_op()} Q")
        else:
            doc = canvas._doc
            if self._cached is None or self._cached[0] is not doc:
                cached = [self._fill_op()]
                self._draw_cells(canvas, cached)
                cached.append(self._lines_op())
                self._cached = (doc, " ".join(cached))
            code.append(f"q 1 0 0 1 {fp(x, y)} cm {self._cached[1]} Q")
        if tagger is not None:
            tagger.end_artifact(code)

    def _row_key(self, index: int) -> tuple:
        return (self.ident, "head", index)

    def _tags(self, index: int, cell: Cell) -> tuple:
        attrs = "/O /Table /Scope /Column"
        if cell.last > cell.first:
            attrs += f" /ColSpan {cell.last - cell.first + 1}"
        return self._row_key(index), (self.ident, "head", index, cell.first), "TH", attrs

    def _fill_op(self) -> str:
        width, height = self.width, self.height
        return f"q {fill_op(self.fill)} n {fp(0, height, width, -height)} re f Q"

    def _lines_op(self) -> str:
        # The header's rules never change once it is measured: made once, drawn on every page.
        if self._lines is None:
            self._lines = self._make_lines_op()
        return self._lines

    def _make_lines_op(self) -> str:
        width, height = self.width, self.height
        tops = self.tops
        lines = [f"q 1 J 1 j {_stroke_op(self.grid)} {fp(LINE_WIDTH)} w"]
        add = lines.append
        for line_y in tops:
            add(f"n {fp(0, line_y)} m {fp(width, line_y)} l S")
        for line_x in (0, width):
            add(f"n {fp(line_x, 0)} m {fp(line_x, height)} l S")
        # A line between two columns stops where a cell spans across it (as the Table's).
        for column in range(1, len(self.widths)):
            line_x = self.positions[column]
            start = None
            for index, row in enumerate([*self.rows, None]):
                crossed = row is None or any(c.first < column <= c.last for c in row.cells)
                if not crossed and start is None:
                    start = index
                elif crossed and start is not None:
                    add(f"n {fp(line_x, tops[index])} m {fp(line_x, tops[start])} l S")
                    start = None
        add("Q")
        return " ".join(lines)


class ActionRows(_Grid):
    """One action's rows as the appendix prints them, or the part of them on one page.

    The first ``main`` rows hold the action (its status cells filled with their colours),
    the rest its update, spanning the columns after an optional grey label column. Lines
    are those of the Table style the appendix used: a box, column lines between the action's
    cells, a line under the action, and the label's line; when the rows are split across
    pages each part keeps its sides, the first its top and the last its bottom, as
    reportlab's Table splits its box.
    """

    def __init__(
        self,
        widths: Sequence[float],
        rows: list[Row],
        *,
        main: int,
        fills: list[tuple[int, object]],
        label: object | None,
        grid: object,
        rule: bool = True,
        offset: int = 0,
        total: int | None = None,
        continued: Callable[[], Flowable] | None = None,
        ident: int | None = None,
    ) -> None:
        super().__init__(widths, rows)
        # The action's key in the structure tree, shared by its parts on several pages.
        self.ident = tagging.new_id() if ident is None else ident
        self.rule = rule  # a line under the action rows, kept at the top of what follows
        self.main = main  # how many rows of the whole action are action rows
        self.fills = fills
        self.label = label
        self.grid = grid
        self.offset = offset  # the index of this part's first row in the whole action
        self.total = len(rows) if total is None else total
        # Makes what names the action where its update carries on ("7C05 (continued)"):
        # in the label column when there is one, else above the text.
        self.continued = continued

    def _part(self, rows: list[Row], offset: int, total: int) -> ActionRows:
        return ActionRows(
            self.widths,
            rows,
            main=self.main,
            fills=self.fills,
            label=self.label,
            grid=self.grid,
            rule=self.rule,
            offset=offset,
            total=total,
            continued=self.continued,
            ident=self.ident,
        )

    def _update_lines(self) -> int:
        """Return the lines of this part's update rows (every row after the action's)."""
        first = max(0, self.main - self.offset)
        return sum(line_count(row.cells[-1].content or ()) for row in self.rows[first:])

    def split(
        self, avail_width: float, avail_height: float, at_top: bool = False
    ) -> list[ActionRows]:
        """Return the rows that fit in ``avail_height`` and the rest.

        An update row splits between lines. The action's own rows stay with at least
        ``MIN_LINES`` lines of the update, and an update too short to leave ``MIN_LINES``
        on each page is kept whole: else nothing fits here and the block starts the next
        page. ``at_top`` (a page of its own) lifts these rules for a block taller than
        a page, which then splits between any rows. Rows with no update under them (a
        measure) split between their rows, each of a few lines.
        """
        self._measure()
        if self.width > avail_width + 1e-6:  # widths summed in another order differ in the last bit
            return []
        fit = 0
        used = 0
        for count, row in enumerate(self.rows, start=1):
            if used + row.height > avail_height:
                break
            fit = count
            used = used + row.height
        if fit == len(self.rows):
            return [self]
        pair = None
        if self.offset + fit >= self.main:  # the row that does not fit is an update row
            pair = self._split_row_leaving(self.rows[fit], avail_height - used)
        main_here = self.main - self.offset  # the action's rows in this part, if any
        if main_here > 0 and self.main < self.total and not at_top:
            if fit < main_here:
                return []
            shown = sum(line_count(r.cells[-1].content or ()) for r in self.rows[main_here:fit])
            if pair is not None:
                shown += line_count(pair[0].cells[-1].content or ())
            if self.label is None:
                shown -= 1  # without a label column, "Update" is the update's first line
            if shown < MIN_LINES or self._update_lines() - shown < MIN_LINES:
                return []
        if pair is None:
            if fit <= 0:
                return []
            head, tail = self.rows[:fit], [self._named(self.rows[fit]), *self.rows[fit + 1 :]]
            total = self.total
        else:
            head = [*self.rows[:fit], pair[0]]
            tail = [pair[1], *self.rows[fit + 1 :]]
            total = self.total + 1  # the split row is two rows now, one on each page
        return [
            self._part(head, self.offset, total),
            self._part(tail, self.offset + len(head), total),
        ]

    def _named(self, row: Row) -> Row:
        """Return ``row`` naming the action in its empty first cell, to start a page with."""
        first = row.cells[0]
        if self.continued is None or first.content is not None or first.last != 0:
            return row
        return Row([Cell(0, 0, [self._name()]), *row.cells[1:]], row.top, row.bottom)

    def _name(self) -> Flowable:
        """Return the action's name for a page it carries on to: furniture, not content."""
        name = self.continued()
        name.tag = "Artifact"
        return name

    def _split_row_leaving(self, row: Row, room: float) -> tuple[Row, Row] | None:
        """Split an update row as ``_split_row``, leaving ``MIN_LINES`` for the next page.

        A line less is taken, up to ``MIN_LINES`` times, until that many carry on.
        """
        content = row.cells[-1].content or ()
        total = line_count(content)
        step = getattr(getattr(content[-1], "style", None), "leading", 10.6) if content else 10.6
        pair = None
        for _ in range(MIN_LINES + 1):
            tried = self._split_row(row, room)
            if tried is None:
                break
            pair = tried
            if total - line_count(pair[0].cells[-1].content or ()) >= MIN_LINES:
                break
            room -= step
        return pair

    def _split_row(self, row: Row, room: float) -> tuple[Row, Row] | None:
        """Return an update row cut between lines to fit ``room``, and the rest, or None.

        The rest starts with the name of the action (``continued``), in the label column
        or, without one, above the text.
        """
        cell = row.cells[-1]
        items = cell.content or []
        width = self.positions[cell.last + 1] - self.positions[cell.first]
        inner = width - PAD_X - PAD_X
        room -= row.top + PAD_Y  # the part on this page closes with the usual padding
        taken: list[Flowable] = []
        used = 0.0
        rest: list[Flowable] = []
        for index, flowable in enumerate(items):
            before = flowable.getSpaceBefore() if taken else 0
            _, height = flowable.wrap(inner, 72000)
            if used + before + height <= room:
                taken.append(flowable)
                used += before + height + flowable.getSpaceAfter()
                continue
            left = room - used - before
            parts = flowable.split(inner, left) if left > 0 else []
            if len(parts) == 2:
                taken.append(parts[0])
                rest = [parts[1], *items[index + 1 :]]
            else:
                rest = list(items[index:])
            break
        if not taken or not rest:
            return None
        label = self.label is not None and len(row.cells) > 1
        name = [self._name()] if self.continued is not None else []
        head = Row([*row.cells[:-1], Cell(cell.first, cell.last, taken, cell.valign)], row.top)
        if label:
            cells = [Cell(0, 0, name or None), Cell(cell.first, cell.last, rest, cell.valign)]
        else:
            cells = [Cell(cell.first, cell.last, [*name, *rest], cell.valign)]
        return head, Row(cells, PAD_Y, row.bottom)

    def emit(self, canvas: Canvas, x: float, y: float) -> None:
        """Write the rows with their bottom-left corner at (x, y)."""
        self._measure()
        tops = self.tops
        first = self.offset
        count = len(self.rows)
        end = first + count  # one past this part's last row, in the whole action
        last_main = self.main - 1
        # This part's action rows are [0, main_end) and its update rows [main_end, count).
        main_end = max(0, min(count, self.main - first))
        positions = self.positions
        width = self.width
        ops = [f"q 1 0 0 1 {fp(x, y)} cm {tagging.ARTIFACT} q"]
        add = ops.append
        if main_end:
            top, bottom = tops[0], tops[main_end]
            for column, colour in self.fills:
                x0, x1 = self._span(column, column)
                add(f"{fill_op(colour)} n {fp(x0, top, x1 - x0, bottom - top)} re f")
        if self.label is not None and main_end < count:
            x0, x1 = self._span(0, 0)
            top, bottom = tops[main_end], tops[count]
            add(f"{fill_op(self.label)} n {fp(x0, top, x1 - x0, bottom - top)} re f")
        add(f"Q {tagging.END}")
        code = canvas._code
        code.append(" ".join(ops))
        self._draw_cells(canvas, None, self._tags)
        lines = [f"{tagging.ARTIFACT} q 1 J 1 j {_stroke_op(self.grid)} {fp(LINE_WIDTH)} w"]
        add = lines.append
        if main_end:
            bottom, top = tops[main_end], tops[0]
            for column_x in positions[1:-1]:
                add(f"n {fp(column_x, bottom)} m {fp(column_x, top)} l S")
        if self.rule and first <= last_main < end:
            line_y = tops[last_main - first + 1]
            add(f"n {fp(0, line_y)} m {fp(width, line_y)} l S")
        if self.label is not None and main_end < count:
            column_x = positions[1]
            bottom, top = tops[count], tops[main_end]
            add(f"n {fp(column_x, bottom)} m {fp(column_x, top)} l S")
        if first == 0 or (self.rule and first == last_main + 1):
            add(f"n {fp(0, tops[0])} m {fp(width, tops[0])} l S")
        # Every part is a closed box: the page's part ends on a line, as the whole does.
        add(f"n {fp(0, 0)} m {fp(width, 0)} l S")
        for column_x in (0, width):
            add(f"n {fp(column_x, 0)} m {fp(column_x, tops[0])} l S")
        add(f"Q {tagging.END} Q")
        code.append(" ".join(lines))

    def _tags(self, index: int, cell: Cell) -> tuple:
        """Return a cell's row and cell keys, role and attributes in the structure tree.

        The action's rows are one row (its cells' pieces run on in one cell each), its
        update another, however the rows fall on pages; the first column (the ref, the
        "Update" label) is the row's header.
        """
        main = self.offset + index < self.main
        row = (self.ident, main)
        span = f" /ColSpan {cell.last - cell.first + 1}" if cell.last > cell.first else ""
        header = cell.first == 0 and (main or (self.label is not None and cell.last == 0))
        if header:
            return row, (*row, cell.first), "TH", f"/O /Table /Scope /Row{span}"
        return row, (*row, cell.first), "TD", f"/O /Table{span}" if span else ""


class ActionBlock(Flowable):
    """One action (or its part on a page), with the column header above it when it starts a page.

    ``force`` draws the header wherever the block lands (the first action of a theme).
    The body splits between rows; whatever is left starts the next page, under the
    header again. ``body`` may be a function that makes the rows: they are then made when
    the block is first laid out, so a long appendix never holds all its rows at once.
    """

    def __init__(
        self,
        head: HeaderRow,
        body: ActionRows | Callable[[], ActionRows],
        frame_height: float,
        force: bool,
        lead: Sequence[Flowable] = (),
    ) -> None:
        super().__init__()
        self.head = head
        self._body = body
        self.frame_height = frame_height
        self.force = force
        self.show_head = force
        # Drawn above the header and kept with the first rows: a theme's banner, a table's
        # title. They never end a page on their own.
        self.lead = list(lead)
        self._lead_heights: list[tuple[float, float, float]] = []  # (before, height, after)

    @property
    def body(self) -> ActionRows:
        """The rows, made now if they were not made yet."""
        body = self._body
        if not isinstance(body, ActionRows):
            body = self._body = body()
        return body

    def _at_top(self, avail_height: float) -> bool:
        # A frame offers its full height less its padding (6 pt top and bottom) at the top.
        return avail_height >= self.frame_height - 13

    def _lead_height(self, avail_width: float) -> float:
        heights = []
        for flowable in self.lead:
            _, height = flowable.wrapOn(None, avail_width, 72000)
            heights.append((flowable.getSpaceBefore(), height, flowable.getSpaceAfter()))
        self._lead_heights = heights
        if not heights:
            return 0.0
        # The first one's space before is dropped at the top of a page, as a frame does.
        return sum(b + h + a for b, h, a in heights) - heights[0][0]

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """Return the size: the lead's, the header's if it is shown, and the rows'."""
        self.show_head = self.force or self._at_top(avail_height)
        _, head_h = self.head.wrap(avail_width, avail_height)
        body_w, body_h = self.body.wrap(avail_width, avail_height)
        lead_h = self._lead_height(avail_width)
        self.width = body_w
        self.height = lead_h + (head_h if self.show_head else 0) + body_h
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        """Return the part that fits here (with the header if it starts a page) and the rest."""
        at_top = self._at_top(avail_height)
        show_head = self.force or at_top
        head_h = self.head.wrap(avail_width, avail_height)[1] if show_head else 0
        room = avail_height - head_h - self._lead_height(avail_width)
        if room <= 0:
            return []
        parts = self.body.split(avail_width, room, at_top)
        if not parts and room > self.frame_height / 2:
            # Rows that cannot keep together in more than half a page would leave the page
            # more than half empty: they split here between rows, as on a page of their own.
            parts = self.body.split(avail_width, room, True)
        if not parts:
            return []
        first = ActionBlock(self.head, parts[0], self.frame_height, show_head, self.lead)
        rest = [ActionBlock(self.head, part, self.frame_height, True) for part in parts[1:]]
        return [first, *rest]

    def draw(self) -> None:
        """Draw the lead, the header (when shown) and the rows under it."""
        y = self.height
        for k, (flowable, (before, height, after)) in enumerate(
            zip(self.lead, self._lead_heights, strict=True)
        ):
            y -= (before if k else 0) + height
            flowable.drawOn(self.canv, 0, y)
            y -= after
        tagger = tagging.of(self.canv)
        if tagger is not None:
            tagger.enter(("table", self.head.ident), "Table")
        if self.show_head:
            y -= self.head.height
            self.head.emit(self.canv, 0, y)
        self.body.emit(self.canv, 0, y - self.body.height)
        if tagger is not None:
            tagger.leave()


class GridTable(_Grid, Flowable):
    """A small ruled table with its first row filled, laid out and drawn as a Table would.

    It stands for a reportlab ``Table`` with a GRID and a heading BACKGROUND.

    An action's phases are one under each update; a Table of them costs its style's
    commands applied anew and the Table's own cell machinery each time. ``roles(row,
    column)`` names a cell's role and attributes; ``outer`` are keys of the elements the
    table is drawn in (the update's cell). Split between rows, as the Table splits.
    """

    def __init__(
        self,
        widths: Sequence[float],
        rows: list[Row],
        *,
        fill: object,
        grid: object,
        roles: Callable[[int, int], tuple[str, str]],
        outer: tuple = (),
        h_align: str = "LEFT",
        offset: int = 0,
        ident: int | None = None,
    ) -> None:
        Flowable.__init__(self)  # first: it sets a width and height of 0
        _Grid.__init__(self, widths, rows)
        self.hAlign = h_align
        self.fill = fill
        self.grid = grid
        self.roles = roles
        self.outer = outer
        self.offset = offset  # the index of this part's first row in the whole table
        self.ident = tagging.new_id() if ident is None else ident

    def split(self, avail_width: float, avail_height: float) -> list[GridTable]:
        """Return the rows that fit in ``avail_height`` and the rest; [] when none fits."""
        self._measure()
        fit = 0
        used = 0.0
        for row in self.rows:
            if used + row.height > avail_height:
                break
            used += row.height
            fit += 1
        if fit == 0 or fit == len(self.rows):
            return [] if fit == 0 else [self]
        return [self._part(self.rows[:fit], self.offset), self._part(self.rows[fit:], fit)]

    def _part(self, rows: list[Row], offset: int) -> GridTable:
        return GridTable(
            self.widths,
            rows,
            fill=self.fill,
            grid=self.grid,
            roles=self.roles,
            outer=self.outer,
            h_align=self.hAlign,
            offset=self.offset + offset if offset else self.offset,
            ident=self.ident,
        )

    def draw(self) -> None:
        """Draw the table at the flowable's origin."""
        self.emit(self.canv, 0, 0)

    def emit(self, canvas: Canvas, x: float, y: float) -> None:
        """Write the table with its bottom-left corner at (x, y): fill, cells, then rules."""
        self._measure()
        code = canvas._code
        tops, width = self.tops, self.width
        code.append(f"q 1 0 0 1 {fp(x, y)} cm")
        if self.offset == 0:
            top, bottom = tops[0], tops[1]
            fill = f"{fill_op(self.fill)} n {fp(0, top, width, bottom - top)} re f"
            code.append(f"{tagging.ARTIFACT} q {fill} Q {tagging.END}")
        tagger = tagging.of(canvas)
        if tagger is not None and tagger.in_artifact:
            tagger = None
        if tagger is not None:
            for key in self.outer:
                tagger.enter(key, "Div")
            tagger.enter((self.ident, "table"), "Table")
        self._draw_cells(canvas, None, self._tags if tagger is not None else None)
        if tagger is not None:
            tagger.leave()
            for _ in self.outer:
                tagger.leave()
        lines = [f"{tagging.ARTIFACT} q 1 J 1 j {_stroke_op(self.grid)} {fp(LINE_WIDTH)} w"]
        add = lines.append
        for line_y in tops:
            add(f"n {fp(0, line_y)} m {fp(width, line_y)} l S")
        for line_x in self.positions:
            add(f"n {fp(line_x, 0)} m {fp(line_x, tops[0])} l S")
        add(f"Q {tagging.END} Q")
        code.append(" ".join(lines))

    def _tags(self, index: int, cell: Cell) -> tuple:
        row = self.offset + index
        role, attrs = self.roles(row, cell.first)
        return (self.ident, row), (self.ident, row, cell.first), role, attrs


class FilledRow(_Grid, Flowable):
    """One cell on a fill, without rules: a one-cell reportlab ``Table`` with a BACKGROUND.

    A theme's banner was such a Table; its style commands and cell machinery cost more
    than the rest of the banner. Laid out as the Table (content at the bottom of the cell,
    ``top`` and ``bottom`` padding) and drawn straight: the fill as furniture, the content
    tagged as it tags itself.
    """

    def __init__(
        self, width: float, content: list[Flowable], fill: object, top: float, bottom: float
    ) -> None:
        Flowable.__init__(self)  # first: it sets a width and height of 0
        _Grid.__init__(self, [width], [Row([Cell(0, 0, content, BOTTOM)], top, bottom)])
        self.hAlign = "CENTER"  # as a Table stands in its frame
        self.fill = fill

    def draw(self) -> None:
        """Draw the fill, then the content, at the flowable's origin."""
        self._measure()
        width, height = self.width, self.height
        fill = f"{fill_op(self.fill)} n {fp(0, height, width, -height)} re f"
        self.canv._code.append(f"{tagging.ARTIFACT} q {fill} Q {tagging.END}")
        self._draw_cells(self.canv, None)
