"""The PDF appendix is a tagged PDF: its structure tree and marked content, read back."""

from __future__ import annotations

import io
import re
from collections import Counter
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from db.model import PlanData
from db.sample_data import SAMPLE
from exports.appendix.layout import MEASURE_COLUMNS, PrintOptions, build_appendix
from exports.appendix.pdf import UPDATE_LABEL, drawable
from exports.appendix.printing import render_pdf
from tests.exports.appendix.test_layout import plan_data
from tests.exports.appendix.test_pdf import HOSTILE, long_update, one_action_plan, squash

TEXT_SHOWING = {"Tj", "TJ", "'", '"'}
PRINTS = {
    "internal-landscape": PrintOptions(),
    "internal-portrait": PrintOptions(portrait=True),
    "public-landscape": PrintOptions(public=True),
    "public-portrait": PrintOptions(public=True, portrait=True),
    "internal-letter": PrintOptions(letter=True, previous=True),
}


@pytest.fixture(scope="module")
def sample_data(tmp_path_factory: pytest.TempPathFactory) -> PlanData:
    return plan_data(tmp_path_factory.mktemp("sample"), SAMPLE)


@pytest.fixture(scope="module", params=list(PRINTS))
def sample_print(request: pytest.FixtureRequest, sample_data: PlanData) -> tuple[str, bytes]:
    return request.param, render_pdf(sample_data, PRINTS[request.param])


def marked_text_operators(pdf: pikepdf.Pdf) -> list[list[tuple[str, int | None]]]:
    """Return, per page, each text-showing operator's enclosing mark: ("mcid", n), ("artifact", None) or ("none", None)."""
    pages = []
    for page in pdf.pages:
        stack: list[tuple[str, int | None]] = []
        found = []
        for operands, operator in pikepdf.parse_content_stream(page):
            op = str(operator)
            if op == "BDC":
                props = operands[1]
                mcid = props.get("/MCID") if isinstance(props, pikepdf.Dictionary) else None
                tag = str(operands[0])
                stack.append(("artifact", None) if tag == "/Artifact" else ("mcid", mcid))
            elif op == "BMC":
                stack.append(
                    ("artifact", None) if str(operands[0]) == "/Artifact" else ("other", None)
                )
            elif op == "EMC":
                stack.pop()
            elif op in TEXT_SHOWING:
                # The innermost artifact or MCID decides; an MCID inside an artifact is wrong.
                kinds = [k for k in stack if k[0] in ("artifact", "mcid")]
                if any(k[0] == "artifact" for k in kinds) and any(k[0] == "mcid" for k in kinds):
                    found.append(("both", None))
                else:
                    found.append(kinds[-1] if kinds else ("none", None))
        assert not stack, "a marked-content sequence is left open at the end of a page"
        pages.append(found)
    return pages


class Tree:
    """The structure tree read back with pikepdf: elements in order, and the text of each MCID."""

    def __init__(self, data: bytes) -> None:
        self.pdf = pikepdf.open(io.BytesIO(data))
        self.page_index = {p.obj.objgen: i for i, p in enumerate(self.pdf.pages)}
        self.root = self.pdf.Root.StructTreeRoot
        self.elements: list[tuple[str, pikepdf.Dictionary, int]] = []  # (role, element, depth)
        self.leaves: list[tuple[str, int, int]] = []  # (role of element, page, mcid) in order
        self.mcids: Counter = Counter()
        kids = self.root.K
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            self._walk(kid, None, 0)
        with pdfplumber.open(io.BytesIO(data)) as plumber:
            self.text: dict[tuple[int, int], str] = {}
            self.untagged: list[str] = []
            for i, page in enumerate(plumber.pages):
                for char in page.chars:
                    if char.get("mcid") is None:
                        self.untagged.append(char["text"])
                    else:
                        key = (i, char["mcid"])
                        self.text[key] = self.text.get(key, "") + char["text"]

    def _walk(self, element: pikepdf.Dictionary, page: int | None, depth: int) -> None:
        role = str(element.S)[1:]
        self.elements.append((role, element, depth))
        if "/Pg" in element:
            page = self.page_index[element.Pg.objgen]
        kids = element.get("/K")
        if kids is None:
            return
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, int):
                self._leaf(role, page, int(kid))
            elif kid.get("/Type") == "/MCR":
                self._leaf(role, self.page_index[kid.Pg.objgen], int(kid.MCID))
            else:
                assert kid.P.objgen == element.objgen, "a kid's /P is not its parent"
                self._walk(kid, page, depth + 1)

    def _leaf(self, role: str, page: int | None, mcid: int) -> None:
        assert page is not None, "marked content with no page"
        self.leaves.append((role, page, mcid))
        self.mcids[(page, mcid)] += 1

    def roles(self) -> Counter:
        return Counter(role for role, _, _ in self.elements)

    def leaves_under(self, element: pikepdf.Dictionary) -> list[tuple[str, int, int]]:
        sub = Tree.__new__(Tree)
        sub.page_index, sub.elements, sub.leaves, sub.mcids = self.page_index, [], [], Counter()
        sub._walk(element, self._page_of(element), 0)
        return sub.leaves

    def text_of(self, element: pikepdf.Dictionary) -> str:
        return "".join(self.text.get((p, m), "") for _, p, m in self.leaves_under(element))

    def _page_of(self, element: pikepdf.Dictionary) -> int | None:
        while element is not None and "/Pg" not in element:
            element = element.get("/P")
            if element is not None and element.get("/Type") != "/StructElem":
                return None
        return self.page_index[element.Pg.objgen] if element is not None else None

    def reading(self) -> str:
        """Return the text of the tree's leaves in tree order."""
        return "".join(self.text.get((p, m), "") for _, p, m in self.leaves)


def assert_every_text_tagged(data: bytes) -> None:
    """Check every text-showing operator is in MCID content or an artifact, never both."""
    pages = marked_text_operators(pikepdf.open(io.BytesIO(data)))
    assert all(pages), "every page shows text"
    for number, found in enumerate(pages, start=1):
        kinds = Counter(kind for kind, _ in found)
        assert kinds["none"] == 0 and kinds["both"] == 0, f"page {number}: {kinds}"
        assert kinds["mcid"] > 0 and kinds["artifact"] > 0  # content, and the marking/number


def assert_tagged_catalog(data: bytes, title: str) -> pikepdf.Pdf:
    """Check the catalog declares a tagged, titled, English PDF/UA file; return the file."""
    pdf = pikepdf.open(io.BytesIO(data))
    root = pdf.Root
    assert root.MarkInfo.Marked is True
    assert str(root.Lang) == "en-GB"
    assert root.ViewerPreferences.DisplayDocTitle is True
    assert str(pdf.docinfo.Title) == title
    with pdf.open_metadata() as meta:
        assert meta["dc:title"] == title
        assert meta["pdfuaid:part"] == "1"
    return pdf


def test_every_text_operator_is_tagged_or_furniture(sample_print: tuple[str, bytes]) -> None:
    assert_every_text_tagged(sample_print[1])


def test_catalog_declares_a_tagged_titled_english_pdf_ua_file(
    sample_print: tuple[str, bytes], sample_data: PlanData
) -> None:
    name, data = sample_print
    title = drawable(build_appendix(sample_data, PRINTS[name]).pdf_title)
    pdf = assert_tagged_catalog(data, title)
    root = pdf.Root
    assert "/Outlines" in root  # the outline stays as it was
    tree = root.StructTreeRoot
    assert tree.Type == "/StructTreeRoot"
    nums = list(tree.ParentTree.Nums)
    assert [int(n) for n in nums[::2]] == list(range(len(pdf.pages)))
    assert int(tree.ParentTreeNextKey) == len(pdf.pages)
    for index, page in enumerate(pdf.pages):
        assert int(page.obj.StructParents) == index
        assert page.obj.Tabs == "/S"


def test_parent_tree_maps_every_mcid_to_its_element(sample_print: tuple[str, bytes]) -> None:
    _, data = sample_print
    tree = Tree(data)
    pdf = tree.pdf
    nums = list(pdf.Root.StructTreeRoot.ParentTree.Nums)
    by_page = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    marked = marked_text_operators(pdf)
    for index in range(len(pdf.pages)):
        shown = {m for kind, m in marked[index] if kind == "mcid"}
        in_tree = {m for (p, m) in tree.mcids if p == index}
        assert shown <= in_tree  # every MCID drawn is in the tree
        parents = by_page[index]
        assert len(parents) == len(in_tree) == max(in_tree) + 1
        for role, page, mcid in tree.leaves:
            if page == index:
                assert str(parents[mcid].S)[1:] == role
    assert set(tree.mcids.values()) == {1}  # no marked content belongs to two elements


def test_tree_holds_headings_tables_lists_and_notes(sample_data: PlanData) -> None:
    data = render_pdf(sample_data, PrintOptions())
    tree = Tree(data)
    appendix = build_appendix(sample_data, PrintOptions())
    roles = tree.roles()
    assert tree.elements[0][0] == "Document"
    headings = {
        role: [tree.text_of(e) for r, e, _ in tree.elements if r == role] for role in ("H1", "H2")
    }
    themes = [drawable(t.banner) for t in appendix.themes]
    assert headings["H1"] == [drawable(appendix.heading.title), *themes]
    h2 = headings["H2"]
    assert h2[0].startswith("STATUS KEY and Results")
    assert h2.count("PERFORMANCE") == sum(1 for t in appendix.themes if t.measures)
    assert h2.count("Why is it important?") == sum(1 for t in appendix.themes if t.why_important)
    # One table for the key, one per theme's actions and per performance table.
    performance = sum(1 for t in appendix.themes if t.measures)
    milestone_tables = sum(1 for t in appendix.themes for a in t.actions if a.milestones)
    assert roles["Table"] == 1 + len(appendix.themes) + performance + milestone_tables
    for role in ("TR", "TH", "TD", "P", "L", "LI", "Lbl", "LBody", "Note"):
        assert roles[role] > 0, role
    column_headers = [
        e for r, e, _ in tree.elements if r == "TH" and e.A.get("/Scope") == "/Column"
    ]
    row_headers = [
        tree.text_of(e) for r, e, _ in tree.elements if r == "TH" and e.A.get("/Scope") == "/Row"
    ]
    first = appendix.themes[0]
    assert [tree.text_of(e) for e in column_headers[: len(first.columns)]] == [
        drawable(c.title) for c in first.columns
    ]
    for action in first.actions:
        assert any(h.startswith(drawable(action.ref)) for h in row_headers), action.ref
    assert row_headers.count(UPDATE_LABEL) == sum(len(t.actions) for t in appendix.themes)
    for key_row in appendix.key:
        assert drawable(key_row.mark.key_label) in row_headers
    notes = [tree.text_of(e) for r, e, _ in tree.elements if r == "Note"]
    assert len(notes) == sum(len(t.footnotes) for t in appendix.themes)
    # A table's rows hold only cells; a list's items a label and a body.
    for role, element, _ in tree.elements:
        kids = element.get("/K")
        kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
        kid_roles = {str(k.S)[1:] for k in kids if isinstance(k, pikepdf.Dictionary) and "/S" in k}
        if role == "TR":
            assert kid_roles <= {"TH", "TD"} and kid_roles
        elif role == "Table":
            assert kid_roles == {"TR"}
        elif role == "L":
            assert kid_roles == {"LI"}
        elif role == "LI":
            assert kid_roles == {"Lbl", "LBody"}


def expected_reading(appendix) -> list[str]:
    """Return the appendix's text in reading order, from the layout model."""
    head = appendix.heading
    out = [head.appendix_label, head.title, head.subtitle, head.period_heading]
    if appendix.key:
        out.append("STATUS KEY and Results")
        for row in appendix.key:
            out += [row.mark.key_label, row.meaning, "Number & %", row.result]
    for theme in appendix.themes:
        out.append(theme.banner)
        out += [p.text for p in theme.aim]
        out += [c.title for c in theme.columns]
        for action in theme.actions:
            for column in theme.columns:
                if column.key in ("status", "previous"):
                    mark = action.status if column.key == "status" else action.previous
                    out.append(mark.text)
                elif column.key == "direction":
                    out.append(action.direction)
                else:
                    out += [p.text for p in action.cells.get(column.key, ())]
            out.append(UPDATE_LABEL)
            out += [p.text for p in action.update]
            for milestone in action.milestones:
                out += [milestone.phase, milestone.when, milestone.state]
        if theme.measures:
            out += ["PERFORMANCE", theme.performance_heading]
            for measure in theme.measures:
                out.append(measure.number)
                for paras in (
                    measure.measure,
                    measure.objective,
                    measure.target,
                    measure.performance,
                ):
                    out += [p.text for p in paras]
            out += [note.text for note in theme.footnotes]
        if theme.why_important:
            out.append("Why is it important?")
            out += [p.text for p in theme.why_important]
    return [squash(drawable(t)) for t in out if t and t.strip()]


def test_tree_order_is_the_appendix_reading_order(
    sample_print: tuple[str, bytes], sample_data: PlanData
) -> None:
    name, data = sample_print
    tree = Tree(data)
    reading = squash(tree.reading())
    at = 0
    for piece in expected_reading(build_appendix(sample_data, PRINTS[name])):
        found = reading.find(piece, at)
        assert found >= 0, f"{piece[:60]!r} is missing from the tree after position {at}"
        at = found + len(piece)
    # Everything printed is in the tree once, or is furniture (marking, page numbers,
    # a repeated column header, the "(continued)" names).
    with pdfplumber.open(io.BytesIO(data)) as plumber:
        words = Counter(w for page in plumber.pages for w in squash(page.extract_text()))
    tagged = Counter(reading)
    untagged = Counter("".join(tree.untagged).replace(" ", ""))
    assert tagged + untagged == words


def test_untagged_text_is_only_furniture(sample_data: PlanData) -> None:
    options = PrintOptions(portrait=True)
    data = render_pdf(sample_data, options)
    appendix = build_appendix(sample_data, options)
    tree = Tree(data)
    furniture = squash("".join(tree.untagged))
    furniture = re.sub(r"Page\d+of\d+", "", furniture)
    furniture = re.sub(r"[0-9A-Z]+\(continued\)", "", furniture)
    headers = [c.title for t in appendix.themes for c in t.columns]
    headers += [t.performance_heading for t in appendix.themes]
    headers += [name for name, _ in MEASURE_COLUMNS]
    for allowed in sorted({appendix.marking, *headers}, key=len, reverse=True):
        furniture = furniture.replace(squash(drawable(allowed)), "")
    assert furniture == ""


def test_a_continued_update_stays_one_row(tmp_path: Path) -> None:
    text, tokens = long_update(3000)
    data = render_pdf(plan_data(tmp_path, one_action_plan(text)), PrintOptions())
    tree = Tree(data)
    assert len(tree.pdf.pages) > 2
    tables = [e for r, e, _ in tree.elements if r == "Table"]
    actions = tables[-1]  # after the key
    rows = list(actions.K)
    # The header, the action, its update, the next action and its update.
    assert [str(row.S) for row in rows] == ["/TR"] * 5
    assert tree.text_of(rows[0]).startswith("Ref")
    update = rows[2]
    pages = {p for r, p, m in tree.leaves_under(update)}
    assert len(pages) == len(tree.pdf.pages)  # one row's content on every page
    assert re.findall(r"w\d{5}", tree.text_of(update)) == tokens
    assert "(continued)" not in tree.reading()


def test_hostile_text_is_tagged_too(tmp_path: Path) -> None:
    data = one_action_plan(HOSTILE + "\u00a0no-break", activity=HOSTILE)
    data["themes"][0]["title"] = HOSTILE
    pdf = render_pdf(plan_data(tmp_path, data), PrintOptions())
    for found in marked_text_operators(pikepdf.open(io.BytesIO(pdf))):
        assert all(kind in ("mcid", "artifact") for kind, _ in found)
    assert "no-break" in Tree(pdf).reading()


def test_pdfua_checker_finds_nothing(sample_print: tuple[str, bytes], tmp_path: Path) -> None:
    pdfua = pytest.importorskip("pdfua")
    name, data = sample_print
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(data)
    report = pdfua.validate(str(path))
    assert [o.skipped_reason for o in report.outcomes if o.skipped_reason] == []
    assert [f"{f.rule_id}: {f.message}" for f in report.findings] == []


def test_word_file_has_the_same_headings_and_header_rows(sample_data: PlanData) -> None:
    import docx
    from docx.oxml.ns import qn

    from exports.appendix.printing import render_docx

    tree = Tree(render_pdf(sample_data, PrintOptions()))
    word = docx.Document(io.BytesIO(render_docx(sample_data, PrintOptions())))
    styled = [(p.style.name, p.text) for p in word.paragraphs]
    pdf_h1 = [tree.text_of(e) for r, e, _ in tree.elements if r == "H1"]
    assert [t for s, t in styled if s in ("Title", "Heading 1")] == pdf_h1
    pdf_h2 = [squash(tree.text_of(e)).casefold() for r, e, _ in tree.elements if r == "H2"]
    word_h2 = [squash(t).casefold() for s, t in styled if s == "Heading 2"]
    assert len(word_h2) == len(pdf_h2)
    for word_heading, pdf_heading in zip(word_h2, pdf_h2, strict=True):
        assert pdf_heading.startswith(word_heading)
    # The tables' column header rows are the same; the PDF's key has none (its rows are
    # headed by their status), Word's key a row of titles.
    pdf_rows = []
    for role, element, _ in tree.elements:
        if role != "TR":
            continue
        cells = element.K if isinstance(element.K, pikepdf.Array) else [element.K]
        if {str(c.A.get("/Scope")) for c in cells if "/A" in c} == {"/Column"}:
            pdf_rows.append(tree.text_of(cells[0]))
    word_rows = [
        row.cells[0].text
        for table in word.tables[1:]
        for row in table.rows
        if row._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    ]
    assert word_rows == pdf_rows
    assert len(pdf_rows) >= 2


def test_a_paragraph_split_across_pages_stays_one_element(tmp_path: Path) -> None:
    # A no-break space hands the update to reportlab's Paragraph, which splits it itself.
    words = [f"w{i:05d}" for i in range(2500)]
    text = "\u00a0".join(words[:2]) + " " + " ".join(words[2:]) + "."
    data = render_pdf(plan_data(tmp_path, one_action_plan(text)), PrintOptions())
    tree = Tree(data)
    assert len(tree.pdf.pages) > 2
    # The update's cell holds the paragraph's text itself (its only paragraph).
    long = [e for r, e, _ in tree.elements if r == "TD" and "w02499" in tree.text_of(e)]
    assert len(long) == 1
    assert len({p for _, p, _ in tree.leaves_under(long[0])}) > 1
    # One paragraph: the cell's kids are its marked content on each page, no second P.
    assert {role for role, _, _ in tree.leaves_under(long[0])} == {"TD"}
    assert re.findall(r"w\d{5}", tree.text_of(long[0])) == words


def test_footnote_numbers_are_labels_of_their_notes_and_marks_references(
    sample_data: PlanData,
) -> None:
    appendix = build_appendix(sample_data, PrintOptions())
    tree = Tree(render_pdf(sample_data, PrintOptions()))
    notes = [e for r, e, _ in tree.elements if r == "Note"]
    footnotes = [n for t in appendix.themes for n in t.footnotes]
    assert len(notes) == len(footnotes) > 0
    ids = list(tree.root.IDTree.Names)
    by_id = {str(ids[i]): ids[i + 1].objgen for i in range(0, len(ids), 2)}
    for note, footnote in zip(notes, footnotes, strict=True):
        label, *rest = note.K
        assert str(label.S) == "/Lbl" and tree.text_of(label) == str(footnote.number)
        assert rest and all(isinstance(k, int) for k in rest)  # the text, the note's own
        assert squash(tree.text_of(note)) == squash(f"{footnote.number}{drawable(footnote.text)}")
        assert by_id[str(note.ID)] == note.objgen
    marks = [m.footnote_marks for t in appendix.themes for m in t.measures if m.footnote_marks]
    references = [e for r, e, _ in tree.elements if r == "Reference"]
    assert [tree.text_of(e) for e in references] == marks
    for reference in references:
        assert str(reference.P.S) in ("/TD", "/P")  # inside the measure's text


def test_tree_is_written_compressed_and_every_reader_finds_it(sample_data: PlanData) -> None:
    import pypdf
    import pypdfium2

    data = render_pdf(sample_data, PrintOptions())
    assert data.startswith(b"%PDF-1.5")  # object streams are PDF 1.5
    assert b"/Type /ObjStm" in data and b"/Type /XRef" in data
    assert b"/S /TD" not in data  # no structure element is written as plain text
    pdf = pikepdf.open(io.BytesIO(data))
    assert pdf.check_pdf_syntax() == []
    pages = len(pdf.pages)
    reader = pypdf.PdfReader(io.BytesIO(data), strict=True)
    nums = reader.trailer["/Root"]["/StructTreeRoot"]["/ParentTree"]["/Nums"]
    assert len(nums) == 2 * pages
    assert len(pypdfium2.PdfDocument(data)) == pages
    assert Tree(data).roles()["Table"] > 0  # pikepdf and pdfplumber, as the tests above
