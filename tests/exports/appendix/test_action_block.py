"""The lean action tables: laid out as reportlab's Table would, split across pages whole."""

from __future__ import annotations

import gc
import io
import re
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfdoc import PDFDocument
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

from exports.appendix.action_block import (
    BOTTOM,
    MIDDLE,
    ActionBlock,
    ActionRows,
    Cell,
    HeaderRow,
    Row,
    line_count,
)
from exports.appendix.fast_text import PlainStack
from exports.appendix.layout import PrintOptions
from exports.appendix.pdf import FONT, GRID, HEADER_FILL, LABEL_FILL, _Styles, plain
from exports.appendix.printing import render_pdf
from tests.exports.appendix.test_layout import plan_data
from tests.exports.appendix.test_pdf import long_update, one_action_plan, page_texts

WIDTHS = [60.0, 90.0, 55.5, 300.25, 48.0]


@pytest.fixture(scope="module")
def styles() -> _Styles:
    return _Styles()


def words(prefix: str, count: int) -> str:
    return " ".join(f"{prefix}{i:04d}" for i in range(count))


def sample_rows(styles: _Styles, pieces: int = 4) -> tuple[list[Row], int]:
    """Return action rows like the appendix's: two action rows, then update rows."""
    activity = [plain(words("a", 60), styles.body), plain(words("b", 30), styles.bullet, "•")]
    main = [
        Row(
            [
                Cell(0, 0, [plain("3.1", styles.body)]),
                Cell(1, 1, [plain("DCC Smith", styles.body)]),
                Cell(2, 2, None),
                Cell(3, 3, [PlainStack(activity)]),
                Cell(4, 4, [plain("G", styles.status)], MIDDLE),
            ],
            3,
            0,
        ),
        Row(
            [
                Cell(0, 0, None),
                Cell(1, 1, None),
                Cell(2, 2, None),
                Cell(3, 3, [plain(words("c", 25), styles.body)]),
                Cell(4, 4, None),
            ],
            1,
            3,
        ),
    ]
    update = [
        Row(
            [
                Cell(0, 0, [plain("Update", styles.bold)] if k == 0 else None),
                Cell(1, 4, [plain(words(f"u{k:02d}", 120), styles.body)]),
            ],
            2 if k else 3,
            1 if k < pieces - 1 else 3,
        )
        for k in range(pieces)
    ]
    return main + update, len(main)


def as_table(rows: list[Row]) -> Table:
    """Return the reportlab Table that the rows stand for (the appendix's old layout)."""
    data, commands = [], [("FONT", (0, 0), (-1, -1), FONT, 8.5)]
    for r, row in enumerate(rows):
        values: list[object] = [""] * len(WIDTHS)
        for cell in row.cells:
            values[cell.first] = cell.content if cell.content is not None else ""
            commands.append(("VALIGN", (cell.first, r), (cell.first, r), cell.valign))
            if cell.last > cell.first:
                commands.append(("SPAN", (cell.first, r), (cell.last, r)))
        commands.append(("TOPPADDING", (0, r), (-1, r), row.top))
        commands.append(("BOTTOMPADDING", (0, r), (-1, r), row.bottom))
        data.append(values)
    return Table(data, colWidths=WIDTHS, style=commands)


def test_rows_measure_as_a_table_would(styles: _Styles) -> None:
    rows, main = sample_rows(styles)
    grid = ActionRows(WIDTHS, rows, main=main, fills=[], label=LABEL_FILL, grid=GRID)
    table = as_table(sample_rows(styles)[0])
    assert grid.wrap(600, 800) == table.wrap(600, 800)
    assert [row.height for row in rows] == table._rowHeights


def words_in(part: ActionRows) -> list[str]:
    found = []
    for row in part.rows:
        for cell in row.cells[1:]:
            for flowable in cell.content or ():
                items = flowable.items if isinstance(flowable, PlainStack) else [flowable]
                found += [w for item in items for w in item.plain.split()]
    return found


def test_rows_split_like_a_typesetter(styles: _Styles) -> None:
    rows, main = sample_rows(styles, pieces=1)
    grid = ActionRows(
        WIDTHS,
        rows,
        main=main,
        fills=[],
        label=LABEL_FILL,
        grid=GRID,
        continued=lambda: plain("3.1 (continued)", styles.bold),
    )
    grid.wrap(600, 800)
    action = sum(r.height for r in rows[:main])
    leading = styles.body.leading
    everything = words_in(grid)
    # Too little room for the action and two lines of its update: nothing here.
    for room in (5, 40, action, action + 6 + leading):
        assert grid.split(600, room) == []
    # Enough for two lines: the action, then its update split between lines, filling the room.
    for room in (action + 6 + 2 * leading + 0.1, action + 50, action + 90):
        head, tail = grid.split(600, room)
        assert head.wrap(600, room)[1] <= room
        assert room - head.wrap(600, room)[1] < 2 * leading  # the page is filled
        assert words_in(head) + words_in(tail) == everything  # no word lost or repeated
        label = tail.rows[0].cells[0].content
        assert [f.plain for f in label] == ["3.1 (continued)"]
        assert len(head.rows) == main + 1
    # A page of its own splits anywhere: an action taller than a page still prints.
    head, tail = grid.split(600, rows[0].height + 1, at_top=True)
    assert len(head.rows) == 1
    assert words_in(head) + words_in(tail) == everything


def test_a_short_update_stays_whole_with_its_action(styles: _Styles) -> None:
    rows, main = sample_rows(styles, pieces=1)
    rows[-1].cells[-1].content = [plain(words("s", 30), styles.body)]  # three lines
    grid = ActionRows(WIDTHS, rows, main=main, fills=[], label=LABEL_FILL, grid=GRID)
    _, height = grid.wrap(600, 800)
    assert grid.split(600, height - 1) == []
    assert grid.split(600, height) == [grid]


def header(styles: _Styles) -> HeaderRow:
    titles = ["Ref", "Lead Officer", "Plan Ref", "Strategic Activity", "Status"]
    return HeaderRow.of_titles(WIDTHS, [plain(t, styles.header) for t in titles], HEADER_FILL, GRID)


def test_header_measures_as_a_table_would(styles: _Styles) -> None:
    head = header(styles)
    titles = [cell.content for cell in head.rows[0].cells]
    table = Table([titles], colWidths=WIDTHS, style=[("VALIGN", (0, 0), (-1, -1), BOTTOM)])
    assert head.wrap(600, 800) == table.wrap(600, 800)


def build(story: list, size: tuple[float, float] = landscape(A4)) -> bytes:
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=size, initialFontName=FONT).build(story)
    return buffer.getvalue()


def test_a_block_split_over_pages_loses_and_repeats_no_word(styles: _Styles) -> None:
    rows, main = sample_rows(styles, pieces=40)
    head = header(styles)
    frame_height = landscape(A4)[1] - 2 * 72
    block = ActionBlock(
        head,
        lambda: ActionRows(WIDTHS, rows, main=main, fills=[], label=LABEL_FILL, grid=GRID),
        frame_height,
        force=True,
    )
    pdf = build([block])
    texts = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    assert len(texts) > 2
    expected = [f"u{k:02d}{i:04d}" for k in range(40) for i in range(120)]
    assert re.findall(r"u\d{6}", " ".join(texts)) == expected
    for text in texts:
        assert "Strategic Activity" in text  # the header on every page of the action
    # Each page but the last is full: a row that does not fit goes over whole.
    per_page = [len(re.findall(r"u\d{6}", t)) for t in texts]
    assert all(count >= 2 * 120 for count in per_page[:-1]), per_page


def test_paragraph_fallbacks_still_print(styles: _Styles) -> None:
    long_word = "x" * 400
    rows = [
        Row(
            [
                Cell(0, 0, [Paragraph("<b>Bold</b> and H<sub>2</sub>O", styles.body)]),
                Cell(1, 3, [plain(f"before {long_word} after", styles.body)]),
                Cell(4, 4, [plain("A", styles.status)], MIDDLE),
            ]
        )
    ]
    body = ActionRows(WIDTHS, rows, main=1, fills=[(4, "#FFC000")], label=None, grid=GRID)
    pdf = build([ActionBlock(header(styles), body, 500, force=True)])
    text = re.sub(r"\s+", "", PdfReader(io.BytesIO(pdf)).pages[0].extract_text())
    assert "BoldandH2O" in text
    assert f"before{long_word}after" in text


def colour_of(rect: dict) -> tuple[float, ...]:
    return tuple(round(float(v), 3) for v in rect.get("non_stroking_color") or ())


def within(char: dict, cell: dict) -> bool:
    return (
        cell["x0"] < char["x0"] < char["x1"] < cell["x1"]
        and cell["top"] < char["top"] < char["bottom"] < cell["bottom"]
    )


def rgb(hex_colour: str) -> tuple[float, ...]:
    return tuple(round(int(hex_colour[i : i + 2], 16) / 255, 3) for i in (1, 3, 5))


def test_status_letter_sits_in_its_coloured_cell_and_fills_repeat(tmp_path: Path) -> None:
    text, tokens = long_update(3000)
    pdf = render_pdf(plan_data(tmp_path, one_action_plan(text)), PrintOptions())
    texts = page_texts(pdf)
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        pages = document.pages
        # The key's green cell says "Green (G)"; the action's says "G", centred.
        marks = [
            (cell, chars)
            for page in pages
            for cell in page.rects
            if colour_of(cell) == rgb("#00B050")
            for chars in [[c for c in page.chars if within(c, cell)]]
            if [c["text"] for c in chars] == ["G"]
        ]
        assert len(marks) == 1
        cell, (letter,) = marks[0]
        assert abs((letter["x0"] + letter["x1"]) / 2 - (cell["x0"] + cell["x1"]) / 2) < 1
        continued = [i for i, t in enumerate(texts) if re.search(r"w\d{5}", t)]
        assert len(continued) > 2
        for i in continued:
            fills = {colour_of(r) for r in pages[i].rects}
            assert rgb("#E7E6E6") in fills  # the grey "Update" label column
            assert rgb("#D9D9D9") in fills  # the column header, repeated
            assert "Strategic Activity" in texts[i]
    assert re.findall(r"w\d{5}", "".join(texts)) == tokens


def test_header_cells_split_by_a_span_keep_their_lines(styles: _Styles) -> None:
    head = HeaderRow(
        WIDTHS,
        [
            [Cell(0, 4, [plain("Performance heading", styles.header)], BOTTOM)],
            [Cell(i, i, [plain(f"T{i}", styles.header)], BOTTOM) for i in range(5)],
        ],
        HEADER_FILL,
        GRID,
    )
    head.wrap(600, 800)
    lines = head._lines_op()
    assert lines.count(" l S") == 3 + 2 + 4  # three rules across, two sides, four between
    x = 0.0
    for width in WIDTHS[:-1]:
        x += width
        # A line between columns runs under the spanning title only, not through it.
        assert f"n {fp_str(x, head.tops[2])} m {fp_str(x, head.tops[1])} l S" in lines


def test_printing_keeps_no_document_alive(tmp_path: Path) -> None:
    """Word encodings are kept per document, weakly: a finished print leaves nothing behind."""
    data = plan_data(tmp_path, one_action_plan("A short update."))
    render_pdf(data, PrintOptions())
    gc.collect()
    before = sum(isinstance(o, PDFDocument) for o in gc.get_objects())
    for _ in range(3):
        render_pdf(data, PrintOptions())
    gc.collect()
    assert sum(isinstance(o, PDFDocument) for o in gc.get_objects()) == before


def test_an_update_split_leaves_at_least_two_lines_for_the_next_page(styles: _Styles) -> None:
    rows, main = sample_rows(styles, pieces=1)
    # Two paragraphs, the last of one line: alone, it would be left on the next page.
    body = styles.tight(styles.body)
    rows[-1].cells[-1].content = [plain(words("u", 100), body), plain("Last line.", styles.body)]
    grid = ActionRows(WIDTHS, rows, main=main, fills=[], label=LABEL_FILL, grid=GRID)
    grid.wrap(600, 800)
    action = sum(r.height for r in rows[:main])
    lines = line_count(rows[-1].cells[-1].content)
    assert lines > 6
    # Room for every line but the last: a line less is taken, so two carry on.
    head, tail = grid.split(600, action + 6 + (lines - 1) * styles.body.leading + 0.1)
    tail.wrap(600, 800)
    carried = line_count(tail.rows[0].cells[-1].content)
    assert 2 <= carried <= 3  # a paragraph's own last line is not left alone either
    assert line_count(head.rows[-1].cells[-1].content) == lines - carried


def _page_marks(story: list) -> list[list[tuple]]:
    """Return each page's text and rules, rounded, as pdfplumber reads them."""
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, initialFontName=FONT).build(story)
    with pdfplumber.open(io.BytesIO(buffer.getvalue())) as pdf:
        return [
            sorted(
                [(c["text"], round(c["x0"], 2), round(c["top"], 2)) for c in page.chars]
                + [
                    ("line", *(round(line[k], 2) for k in ("x0", "x1", "top", "bottom")))
                    for line in page.lines
                ]
                + [
                    ("rect", *(round(r[k], 2) for k in ("x0", "x1", "top", "bottom")))
                    for r in page.rects
                ]
            )
            for page in pdf.pages
        ]


def test_grid_table_is_laid_out_and_split_as_the_table(styles: _Styles) -> None:
    # The phases under an update: drawn without reportlab's Table, it must fall, split and
    # rule across pages exactly as the Table with its GRID and heading fill did.
    from reportlab.platypus import Spacer, TableStyle

    from exports.appendix.action_block import GridTable, Row

    widths = [180.0, 120.0, 90.0]
    texts = [["Phase", "When", "State"]] + [
        [f"Phase {k} of the long-named plan work", f"April {2000 + k}", "On track"]
        for k in range(40)
    ]

    def cells() -> list[list]:
        return [
            [plain(t, styles.header if r == 0 else styles.body) for t in row]
            for r, row in enumerate(texts)
        ]

    ours = GridTable(
        widths,
        [Row([Cell(i, i, [p]) for i, p in enumerate(row)], 2, 2) for row in cells()],
        fill=LABEL_FILL,
        grid=GRID,
        roles=lambda row, column: ("TD", ""),
        h_align="RIGHT",
    )
    theirs = Table(cells(), colWidths=widths, hAlign="RIGHT")
    theirs.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 8.5),
                ("BACKGROUND", (0, 0), (-1, 0), LABEL_FILL),
                ("GRID", (0, 0), (-1, -1), 0.5, GRID),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    got = _page_marks([Spacer(0, 500), ours])
    expected = _page_marks([Spacer(0, 500), theirs])
    assert len(got) == 2  # it split
    assert got == expected


def test_filled_row_stands_as_the_one_cell_table(styles: _Styles) -> None:
    # A theme's banner: drawn without reportlab's Table, its fill and its (wrapped) heading
    # must stand exactly where the Table with its BACKGROUND and paddings put them.
    from reportlab.platypus import Spacer, TableStyle

    from exports.appendix.action_block import FilledRow
    from exports.appendix.pdf import BANNER_FILL

    title = "THEME 2: " + words("banner", 30)
    ours = FilledRow(400.0, [plain(title, styles.banner)], BANNER_FILL, top=4, bottom=5)
    theirs = Table([[plain(title, styles.banner)]], colWidths=[400.0])
    theirs.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 8.5),
                ("BACKGROUND", (0, 0), (-1, -1), BANNER_FILL),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    assert ours.wrap(400, 1000) == theirs.wrap(400, 1000)
    got = _page_marks([Spacer(0, 300), ours])
    assert got == _page_marks([Spacer(0, 300), theirs])
    assert any(mark[0] == "rect" for mark in got[0])
