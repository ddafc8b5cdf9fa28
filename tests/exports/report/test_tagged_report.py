"""The covering report PDF, alone and with the appendix after it, is a tagged PDF too."""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from db.model import PlanData
from db.sample_data import SAMPLE
from exports.appendix.layout import Para, PrintOptions, build_appendix
from exports.appendix.pdf import drawable
from exports.report.layout import Figures, ReportLayout, SectionBlock, build_report
from exports.report.layout import Paragraph as ReportParagraph
from exports.report.pdf import build_report_pdf
from tests.exports.appendix.test_layout import plan_data
from tests.exports.appendix.test_pdf import squash
from tests.exports.appendix.test_tagged_pdf import (
    Tree,
    assert_every_text_tagged,
    assert_tagged_catalog,
    expected_reading,
)

# (options, whether the appendix follows the report)
PRINTS = {
    "report": (PrintOptions(), False),
    "report-public": (PrintOptions(public=True), False),
    "with-appendix-landscape": (PrintOptions(), True),
    "with-appendix-portrait-public": (PrintOptions(public=True, portrait=True), True),
    "with-appendix-letter": (PrintOptions(letter=True), True),
}


@pytest.fixture(scope="module")
def sample_data(tmp_path_factory: pytest.TempPathFactory) -> PlanData:
    return plan_data(tmp_path_factory.mktemp("sample"), SAMPLE)


def _layouts(data: PlanData, name: str):
    options, with_appendix = PRINTS[name]
    report = build_report(data, options.period, options.public)
    return report, build_appendix(data, options) if with_appendix else None


@pytest.fixture(scope="module", params=list(PRINTS))
def sample_print(request: pytest.FixtureRequest, sample_data: PlanData) -> tuple[str, bytes]:
    return request.param, build_report_pdf(*_layouts(sample_data, request.param))[0]


def _kids(element: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
    kids = element.get("/K")
    kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
    return [k for k in kids if isinstance(k, pikepdf.Dictionary) and "/S" in k]


def _role(element: pikepdf.Dictionary) -> str:
    return str(element.S)[1:]


def expected_report_reading(report: ReportLayout) -> list[str]:
    """Return the report's text in reading order, from its layout."""
    out = [report.title, *report.lines]
    for section in report.sections:
        out.append(f"{section.number}. {section.heading}")
        for paragraph in section.paragraphs:
            out.append(paragraph.number)
            out += [p.text for p in paragraph.text]
            if paragraph.figures is not None:
                out += list(paragraph.figures.columns)
                for label, cells, _ in paragraph.figures.rows:
                    out += [label, *cells]
    return [squash(drawable(t)) for t in out if t and t.strip()]


def test_every_text_operator_is_tagged_or_furniture(sample_print: tuple[str, bytes]) -> None:
    assert_every_text_tagged(sample_print[1])


def test_catalog_declares_a_tagged_titled_english_pdf_ua_file(
    sample_print: tuple[str, bytes], sample_data: PlanData
) -> None:
    name, data = sample_print
    pdf = assert_tagged_catalog(data, drawable(_layouts(sample_data, name)[0].pdf_title))
    root = pdf.Root
    tree = root.StructTreeRoot
    assert int(tree.ParentTreeNextKey) == len(pdf.pages)
    for index, page in enumerate(pdf.pages):
        assert int(page.obj.StructParents) == index


def test_tree_order_is_the_report_then_the_appendix(
    sample_print: tuple[str, bytes], sample_data: PlanData
) -> None:
    name, data = sample_print
    report, appendix = _layouts(sample_data, name)
    tree = Tree(data)
    reading = squash(tree.reading())
    expected = expected_report_reading(report)
    expected += expected_reading(appendix) if appendix is not None else []
    at = 0
    for piece in expected:
        found = reading.find(piece, at)
        assert found >= 0, f"{piece[:60]!r} is missing from the tree after position {at}"
        at = found + len(piece)
    assert set(tree.mcids.values()) == {1}  # no marked content belongs to two elements
    # Everything printed is in the tree once, or is furniture.
    with pdfplumber.open(io.BytesIO(data)) as plumber:
        words = Counter(w for page in plumber.pages for w in squash(page.extract_text()))
    untagged = Counter("".join(tree.untagged).replace(" ", ""))
    assert Counter(reading) + untagged == words


def test_tree_holds_headings_lists_and_the_figures_table(sample_data: PlanData) -> None:
    report, appendix = _layouts(sample_data, "with-appendix-landscape")
    tree = Tree(build_report_pdf(report, appendix)[0])
    roles = tree.roles()
    assert tree.elements[0][0] == "Document"
    h1 = [tree.text_of(e) for r, e, _ in tree.elements if r == "H1"]
    themes = [drawable(t.banner) for t in appendix.themes]
    assert h1 == [drawable(report.title), drawable(appendix.heading.title), *themes]
    h2 = [tree.text_of(e) for r, e, _ in tree.elements if r == "H2"]
    sections = [drawable(f"{s.number}. {s.heading}") for s in report.sections]
    assert h2[: len(sections)] == sections
    # Each numbered paragraph is a list item labelled with its number.
    numbers = [p.number for s in report.sections for p in s.paragraphs if p.number]
    labels = [tree.text_of(e) for r, e, _ in tree.elements if r == "Lbl"]
    assert labels[: len(numbers)] == numbers
    for role, element, _ in tree.elements:
        kids = {_role(k) for k in _kids(element)}
        if role == "L":
            assert kids == {"LI"}
        elif role == "LI":
            assert kids == {"Lbl", "LBody"}
        elif role == "TR":
            assert kids and kids <= {"TH", "TD"}
    # The figures table is in the body of the item it is printed under.
    figures = [p.figures for s in report.sections for p in s.paragraphs if p.figures]
    assert len(figures) == 1
    table = next(e for r, e, _ in tree.elements if r == "Table")
    assert _role(table.P) == "LBody"
    rows = _kids(table)
    assert len(rows) == 1 + len(figures[0].rows)
    heads = [tree.text_of(c) for c in _kids(rows[0]) if "/A" in c and c.A.Scope == "/Column"]
    assert [squash(h) for h in heads] == [squash(drawable(c)) for c in figures[0].columns]
    row_heads = [_kids(row)[0] for row in rows[1:]]
    assert [str(h.A.Scope) for h in row_heads] == ["/Row"] * len(row_heads)
    assert [tree.text_of(h) for h in row_heads] == [label for label, _, _ in figures[0].rows]
    performance = sum(1 for t in appendix.themes if t.measures)
    # The figures, then the appendix's key, action tables and performance tables.
    assert roles["Table"] == 1 + 1 + len(appendix.themes) + performance


def _report(paragraphs: list[ReportParagraph]) -> ReportLayout:
    section = SectionBlock("5", "Points", tuple(paragraphs))
    return ReportLayout("A report", ["For a test"], [section], "", "A report", "Me", "Q1")


def test_points_are_a_list_in_the_body_of_the_paragraph_before_them() -> None:
    points = (Para("First point", bullet=True), Para("Second point", bullet=True))
    report = _report(
        [
            ReportParagraph("", (Para("Chief Executive"),), bold=True),
            ReportParagraph("", points),  # points with no numbered paragraph before them
            ReportParagraph("5.1", (Para("It introduces:"), *points)),
            ReportParagraph("", (Para("Third point", bullet=True),)),
            ReportParagraph("5.2", (Para("The next one."),)),
        ]
    )
    tree = Tree(build_report_pdf(report)[0])
    section = [e for r, e, depth in tree.elements if depth == 1][3:]  # after H1, P, H2
    assert [_role(e) for e in section] == ["P", "L", "L"]
    assert [tree.text_of(e) for e in _kids(section[1])] == ["•First point", "•Second point"]
    first, second = _kids(section[2])
    label, body = _kids(first)
    assert tree.text_of(label) == "5.1"
    (points_list,) = _kids(body)  # the points of 5.1, and the third, are one list in its body
    assert [tree.text_of(e) for e in _kids(points_list)] == [
        "•First point",
        "•Second point",
        "•Third point",
    ]
    assert tree.text_of(body).startswith("It introduces:")
    assert tree.text_of(second) == "5.2The next one."


def test_a_figures_table_over_two_pages_repeats_its_header_as_furniture(tmp_path: Path) -> None:
    rows = tuple((f"Row {i}", (f"{i}", f"{2 * i}"), False) for i in range(120))
    report = _report([ReportParagraph("5.1", (Para("Table 9"),), Figures(("2020", "2021"), rows))])
    data = build_report_pdf(report)[0]
    tree = Tree(data)
    assert len(tree.pdf.pages) > 1
    (table,) = [e for r, e, _ in tree.elements if r == "Table"]
    assert len(_kids(table)) == 1 + len(rows)
    assert tree.reading().count("2021") == 1  # the header once in the tree
    with pdfplumber.open(io.BytesIO(data)) as plumber:
        texts = [page.extract_text() for page in plumber.pages]
    with_rows = [t for t in texts if "Row " in t]
    assert len(with_rows) > 1 and all("2020 2021" in t for t in with_rows)


def test_pdfua_checker_finds_nothing(sample_print: tuple[str, bytes], tmp_path: Path) -> None:
    pdfua = pytest.importorskip("pdfua")
    name, data = sample_print
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(data)
    report = pdfua.validate(str(path))
    assert [o.skipped_reason for o in report.outcomes if o.skipped_reason] == []
    assert [f"{f.rule_id}: {f.message}" for f in report.findings] == []
