"""The Word appendix, read back with python-docx: headings, tables, repeated headers, shading."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pdfplumber
import pytest
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Pt

from db.model import PlanData
from db.sample_data import SAMPLE
from exports.appendix import word_xml
from exports.appendix.layout import NO_UPDATE, Para, PrintOptions, build_appendix
from exports.appendix.printing import render_docx
from exports.appendix.word_pieces import para_height, pieces
from tests.exports.appendix.page_reading import lost_words, problems, read_back
from tests.exports.appendix.test_layout import bare_plan, plan_data, small_plan
from tests.exports.appendix.test_pdf import HOSTILE, long_update, one_action_plan


def read(content: bytes):
    return docx.Document(io.BytesIO(content))


def all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell_text(tc) for tc in row._tr.tc_lst]
    return "\n".join(parts)


def cell_text(tc) -> str:
    return "\n".join(p.xpath("string(.)") for p in tc.iter(qn("w:p")))


def fill(tc) -> str | None:
    shading = tc.find(f"{qn('w:tcPr')}/{qn('w:shd')}")
    return None if shading is None else shading.get(qn("w:fill"))


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> PlanData:
    return plan_data(tmp_path_factory.mktemp("sample"), SAMPLE)


@pytest.fixture(scope="module")
def sample_doc(sample: PlanData):
    return read(render_docx(sample, PrintOptions()))


def test_sample_has_real_headings_and_properties(sample_doc) -> None:
    headings = [(p.style.name, p.text) for p in sample_doc.paragraphs if p.style.name != "Normal"]
    assert ("Title", "POLICE AND CRIME PLAN (2016-18)") in headings
    assert ("Heading 1", "THEME 7: SPENDING PUBLIC MONEY WISELY") in headings
    assert ("Heading 2", "Performance") in headings
    assert ("Heading 2", "Why is it important?") in headings
    assert "APPENDIX A" in sample_doc.core_properties.title
    assert sample_doc.core_properties.author == SAMPLE["plan"]["organisation"]
    section = sample_doc.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert section.page_width > section.page_height
    assert SAMPLE["plan"]["marking"] in section.header.paragraphs[0].text
    footer = section.footer._element.xml
    assert "NUMPAGES" in footer and " PAGE " in footer


def action_groups(trs: list, continued: list[str]) -> list[tuple]:
    """Return the body rows of an action table as (action row, [update rows]) per action.

    An update row is labelled "Update" (its first) or with the action's continuation label.
    """
    groups: list[tuple] = []
    for tr in trs[1:]:
        label = tr.tc_lst[0].xpath("string(.)")
        if label == "Update" or (groups and label == continued[len(groups) - 1]):
            groups[-1][1].append(tr)
        else:
            groups.append((tr, []))
    return groups


def test_sample_action_table_rows_headers_and_status_cells(sample, sample_doc) -> None:
    actions = SAMPLE["themes"][0]["actions"]
    theme = build_appendix(sample, PrintOptions()).themes[0]
    colours = {s["code"]: s["colour"].lstrip("#").upper() for s in SAMPLE["statuses"]}
    table = next(t for t in sample_doc.tables if "Strategic Activity" in t.rows[0]._tr.xml)
    trs = table._tbl.tr_lst
    assert trs[0].find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    groups = action_groups(trs, [a.continued for a in theme.actions])
    assert len(groups) == len(actions)
    for (main_tr, updates), action, row in zip(groups, actions, theme.actions, strict=True):
        main = main_tr.tc_lst
        assert main[0].xpath("string(.)").startswith(action["ref"])
        assert main[-1].xpath("string(.)") == action["status"]
        assert fill(main[-1]) == colours[action["status"]]
        labels = [tr.tc_lst[0].xpath("string(.)") for tr in updates]
        assert labels == ["Update"] + [row.continued] * (len(updates) - 1)
        assert all(len(tr.tc_lst) == 2 for tr in updates)  # spanning every column after the label
        words = [w for tr in updates for w in re.findall(r"\w+", cell_text(tr.tc_lst[1]))]
        assert words == re.findall(r"\w+", action["update"].replace("•", ""))


def test_status_key_counts(sample_doc) -> None:
    text = all_text(sample_doc)
    assert "12/20 (60%)" in text and "8/20 (40%)" in text
    assert "The overall rating is therefore very good." in text


def test_no_update_empty_theme_and_each_theme_on_a_new_page(tmp_path: Path) -> None:
    document = read(render_docx(plan_data(tmp_path, small_plan()), PrintOptions()))
    text = all_text(document)
    assert NO_UPDATE in text
    assert "No actions to report for this period." in text
    themes = [p for p in document.paragraphs if p.style.name == "Heading 1"]
    assert [p.text for p in themes] == [
        "THEME 1: KEEPING PEOPLE SAFE",
        "THEME 2: SPENDING MONEY WISELY",
    ]
    assert [bool(p.paragraph_format.page_break_before) for p in themes] == [False, True]
    performance = [p for p in document.paragraphs if p.text == "Performance"]
    assert len(performance) == 1  # theme 2 has no measures, so no performance table


def test_public_and_hostile_text(tmp_path: Path) -> None:
    data = plan_data(tmp_path, small_plan())
    internal = all_text(read(render_docx(data, PrintOptions(themes=["1"]))))
    public = all_text(read(render_docx(data, PrintOptions(themes=["1"], public=True))))
    assert "old depot" in internal and "old depot" not in public
    assert "[Exempt – s.31(1)(a)]" in public
    hostile = plan_data(tmp_path, one_action_plan(HOSTILE, activity=HOSTILE))
    text = all_text(read(render_docx(hostile, PrintOptions())))
    assert text.count(HOSTILE) == 2  # activity and update, every character as typed


def test_long_update_and_portrait_letter(tmp_path: Path) -> None:
    text, tokens = long_update(6000)
    data = plan_data(tmp_path, one_action_plan(text))
    document = read(render_docx(data, PrintOptions(portrait=True, letter=True)))
    assert re.findall(r"w\d{5}", all_text(document)) == tokens
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert round(section.page_width.cm, 2) == 21.59


def test_plan_without_refs_puts_update_label_inside_the_row(tmp_path: Path) -> None:
    document = read(render_docx(plan_data(tmp_path, bare_plan()), PrintOptions(themes=["1"])))
    table = document.tables[0]
    assert [tc.xpath("string(.)") for tc in table.rows[0]._tr.tc_lst] == ["Strategic Activity"]
    # The label is the update's first line, in bold, as the PDF prints it.
    first = next(table.rows[2]._tr.tc_lst[0].iter(qn("w:p")))
    assert first.xpath("string(.)") == "Update" and first.find(f".//{qn('w:b')}") is not None


def test_bullet_points_stay_bullet_points(sample_doc) -> None:
    table = next(t for t in sample_doc.tables if "Strategic Activity" in t.rows[0]._tr.xml)
    bullets = [
        p.text
        for row in table.rows
        for cell in row.cells
        for p in cell.paragraphs
        if p.style.name == "List Bullet"
    ]
    assert "Collocation of premises" in bullets


def flagged(tr) -> bool:
    return tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None


def texts(tr) -> list[str]:
    return [cell_text(tc) for tc in tr.tc_lst]


def test_every_row_keeps_its_text_and_only_header_rows_repeat(sample: PlanData) -> None:
    options = PrintOptions(previous=True)
    appendix = build_appendix(sample, options)
    tables = read(render_docx(sample, options)).tables
    assert len(tables) == 1 + sum(bool(t.actions) + bool(t.measures) for t in appendix.themes)
    key, actions, performance = tables[0]._tbl.tr_lst, tables[1]._tbl.tr_lst, tables[2]._tbl.tr_lst
    assert [flagged(tr) for tr in key] == [True] + [False] * len(appendix.key)
    assert [texts(tr)[1:] for tr in key[1:]] == [[r.meaning, r.result] for r in appendix.key]
    theme = appendix.themes[0]
    assert [flagged(tr) for tr in actions] == [True] + [False] * (len(actions) - 1)
    assert texts(actions[0]) == [c.title for c in theme.columns]
    groups = action_groups(actions, [a.continued for a in theme.actions])
    for (main, updates), action in zip(groups, theme.actions, strict=True):
        shown = []
        for column in theme.columns:
            if column.key in ("status", "previous"):
                mark = action.status if column.key == "status" else action.previous
                shown.append(mark.text)
            elif column.key == "direction":
                shown.append(action.direction)
            else:
                shown.append("\n".join(p.text for p in action.cells.get(column.key, ())))
        assert texts(main) == shown
        update = "\n".join(cell_text(tr.tc_lst[1]) for tr in updates)
        assert update.split() == " ".join(p.text for p in action.update).split()
    assert [flagged(tr) for tr in performance] == [True, True] + [False] * len(theme.measures)
    assert texts(performance[0]) == [theme.performance_heading]
    for tr, measure in zip(performance[2:], theme.measures, strict=True):
        marks = ",".join(str(n) for n in measure.footnote_numbers)
        assert texts(tr) == [
            measure.number,
            "\n".join(p.text for p in measure.measure) + marks,
            *("\n".join(p.text for p in paras) for paras in (measure.objective, measure.target)),
            "\n".join(p.text for p in measure.performance),
        ]


def test_hostile_text_reads_back_literally(tmp_path: Path) -> None:
    typed = "a < b && c > d ]]> <w:p/> &amp; שלום مرحبا 😀 🦄 bell\x07 vt\x0b end"
    printed = typed.replace("\x07", "").replace("\x0b", "")
    data = plan_data(tmp_path, one_action_plan(f"  {typed}\n\n• {typed}", activity=typed))
    document = read(render_docx(data, PrintOptions()))
    table = document.tables[-1]
    activity = next(tc for tc in table.rows[1]._tr.tc_lst if "bell" in cell_text(tc))
    assert cell_text(activity) == printed
    update = table.rows[2]._tr.tc_lst[-1]
    assert [p.xpath("string(.)") for p in update.iter(qn("w:p"))] == [printed, printed]
    assert [p.style.name for p in table.rows[2].cells[-1].paragraphs] == ["Normal", "List Bullet"]


@pytest.mark.parametrize(
    "text",
    ["plain", " lead", "trail ", "   ", "", "tab\tin", "line\nbreak\r\nand\r", "\t", "< & > ]]>"],
)
@pytest.mark.parametrize("bold", [None, False, True])
def test_a_written_run_is_what_python_docx_writes(text: str, bold: bool | None) -> None:
    paragraph = docx.Document().add_paragraph()
    run = paragraph.add_run(text)
    props = None
    if bold is not None:
        run.bold = bold or None
        props = word_xml.BOLD if bold else ""
    written = word_xml.parse_block([word_xml.paragraph(word_xml.run(text, props))])[0]
    assert written.xpath("string(.)") == paragraph._p.xpath("string(.)")
    assert docx_xml(written) == docx_xml(paragraph._p)


def docx_xml(element) -> str:
    return re.sub(r" xmlns:\w+=\"[^\"]*\"", "", element.xml)


def package_parts(content: bytes) -> dict[str, str]:
    """Return every XML part of a .docx by name, as text."""
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        return {
            name: package.read(name).decode("utf-8")
            for name in package.namelist()
            if name.endswith((".xml", ".rels"))
        }


def kept(p) -> bool:
    return p.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None


def whole(tr) -> bool:
    return tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None


def test_every_row_is_whole_and_every_action_row_keeps_with_its_update(sample: PlanData) -> None:
    options = PrintOptions(previous=True)
    document = read(render_docx(sample, options))
    theme = build_appendix(sample, options).themes[0]
    for table in document.tables:
        assert all(whole(tr) for tr in table._tbl.tr_lst)
    actions = document.tables[1]._tbl.tr_lst
    header = actions[0]
    assert all(kept(p) for p in header.iter(qn("w:p")))  # the header stays with the first action
    for main, updates in action_groups(actions, [a.continued for a in theme.actions]):
        paragraphs = list(main.iter(qn("w:p")))
        assert len(paragraphs) >= len(theme.columns) and all(kept(p) for p in paragraphs)
        # The update's rows keep with nothing, or the whole table would be one block.
        assert not any(kept(p) for tr in updates for p in tr.iter(qn("w:p")))
    # The banner is a heading that keeps with the next; the aim keeps with the table.
    body = document.element.body
    banner = next(p for p in body.iter(qn("w:p")) if p.xpath("string(.)") == theme.banner)
    assert document.styles["Heading 1"].paragraph_format.keep_with_next
    following = banner.getnext()
    while following.tag == qn("w:p"):
        assert kept(following)
        following = following.getnext()


def test_a_long_update_is_cut_into_rows_that_name_their_action(tmp_path: Path) -> None:
    text, tokens = long_update(6000)
    data = one_action_plan(text)
    no_stop = " ".join(f"n{i:04d}" for i in range(2500))  # one paragraph, no full stop
    data["themes"][0]["actions"][1]["update"] = no_stop
    plan = plan_data(tmp_path, data)
    for options in (PrintOptions(), PrintOptions(portrait=True, letter=True)):
        document = read(render_docx(plan, options))
        theme = build_appendix(plan, options).themes[0]
        groups = action_groups(
            document.tables[-1]._tbl.tr_lst, [a.continued for a in theme.actions]
        )
        assert [main.tc_lst[0].xpath("string(.)") for main, _ in groups] == ["3.1", "3.2"]
        for (_, updates), action, expected in zip(
            groups, theme.actions, (tokens, no_stop.split()), strict=True
        ):
            labels = [tr.tc_lst[0].xpath("string(.)") for tr in updates]
            assert len(labels) > 5
            assert labels == ["Update"] + [action.continued] * (len(labels) - 1)
            assert action.continued == f"{action.ref} (continued)"
            found = [w for tr in updates for w in re.findall(r"\w+", cell_text(tr.tc_lst[1]))]
            assert [w for w in found if w[0] in "wn"] == expected


def test_a_long_update_without_a_label_column_names_its_action_in_the_text(
    tmp_path: Path,
) -> None:
    data = bare_plan()
    text, tokens = long_update(3000)
    data["themes"][0]["actions"][0]["updates"]["Q2 2021/22"]["text"] = text
    plan = plan_data(tmp_path, data)
    theme = build_appendix(plan, PrintOptions(themes=["1"])).themes[0]
    document = read(render_docx(plan, PrintOptions(themes=["1"])))
    trs = document.tables[0]._tbl.tr_lst
    first_words = [next(tr.tc_lst[0].iter(qn("w:p"))).xpath("string(.)") for tr in trs[2:]]
    continued = theme.actions[0].continued
    assert first_words[0] == "Update" and continued.endswith("(continued)")
    count = first_words.count(continued)
    assert count > 2 and first_words[1 : 1 + count] == [continued] * count
    assert re.findall(r"w\d{5}", "".join(cell_text(tr.tc_lst[0]) for tr in trs)) == tokens


def test_pieces_stay_under_the_limit_and_lose_nothing() -> None:
    paras = [
        Para("short"),
        Para("a) one\nb) two\n" + "x" * 3000),
        Para(" ".join(["sentence one. sentence two!"] * 200)),
        Para("bullet " * 400, bullet=True),
    ]
    rows = pieces(paras, 300.0, 8.5, 150.0)
    assert all(sum(para_height(p, 300.0, 8.5) for p in row) <= 150.0 for row in rows)
    assert [p.bullet for row in rows for p in row][-1]
    joined = "".join(p.text for row in rows for p in row)
    assert re.sub(r"\s", "", joined) == re.sub(r"\s", "", "".join(p.text for p in paras))
    assert "x" * 3000 in "".join(p.text for row in rows for p in row if "x" in p.text)


def test_a_single_line_break_stays_a_line_break(tmp_path: Path) -> None:
    update = "Calls received:\na) 999 calls\nb) 101 calls\n\nA new paragraph."
    plan = plan_data(tmp_path, one_action_plan(update, activity="First line\nsecond line"))
    document = read(render_docx(plan, PrintOptions()))
    main, update_row = document.tables[-1]._tbl.tr_lst[1:3]
    paragraphs = list(update_row.tc_lst[1].iter(qn("w:p")))
    assert len(paragraphs) == 2  # only where the author left a blank line
    first = paragraphs[0]
    assert len(first.findall(f".//{qn('w:br')}")) == 2
    assert [t.text for t in first.iter(qn("w:t"))] == [
        "Calls received:",
        "a) 999 calls",
        "b) 101 calls",
    ]
    activity = next(tc for tc in main.tc_lst if "First line" in tc.xpath("string(.)"))
    assert len(list(activity.iter(qn("w:p")))) == 1
    assert len(list(activity.iter(qn("w:br")))) == 1


def test_british_english_everywhere_in_the_package(sample: PlanData) -> None:
    content = render_docx(sample, PrintOptions())
    parts = package_parts(content)
    assert not [name for name, text in parts.items() if "en-US" in text]
    langs = re.findall(r"<w:lang [^>]*>", "".join(parts.values()))
    assert langs and all('w:val="en-GB"' in lang for lang in langs)
    assert 'w:themeFontLang w:val="en-GB"' in parts["word/settings.xml"]
    defaults = read(content).styles.element.find(qn("w:docDefaults"))
    lang = defaults.find(f".//{qn('w:lang')}")
    assert lang.get(qn("w:val")) == "en-GB"
    assert read(content).core_properties.language == "en-GB"


def test_headings_are_real_and_drawn_as_the_pdf_draws_them(sample_doc) -> None:
    looks = {  # style: (size in points, colour, shading) as the PDF's title, banner, section
        "Title": (12, "000000", None),
        "Heading 1": (11, "FFFFFF", "1F3864"),
        "Heading 2": (10.5, "000000", None),
    }
    for name, (size, colour, shading) in looks.items():
        style = sample_doc.styles[name]
        assert style.font.name == "DejaVu Sans" and style.font.bold
        assert style.font.size.pt == size
        assert str(style.font.color.rgb) == colour and style.font.color.theme_color is None
        shd = style.element.find(f"{qn('w:pPr')}/{qn('w:shd')}")
        assert (None if shd is None else shd.get(qn("w:fill"))) == shading
        assert style.paragraph_format.keep_with_next
        assert style.element.find(f".//{qn('w:pBdr')}") is None  # no blue rule under the title
    levels = {
        name: sample_doc.styles[name].element.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}")
        for name in ("Heading 1", "Heading 2")
    }
    assert [lvl.get(qn("w:val")) for lvl in levels.values()] == ["0", "1"]
    defaults = sample_doc.styles.element.find(qn("w:docDefaults"))
    fonts = defaults.find(f".//{qn('w:rFonts')}")
    assert fonts.get(qn("w:ascii")) == "DejaVu Sans" and fonts.get(qn("w:asciiTheme")) is None


def test_title_property_is_exactly_as_written(sample: PlanData, sample_doc) -> None:
    title = sample_doc.core_properties.title
    assert title == build_appendix(sample, PrintOptions()).pdf_title
    assert "Commissioner's Strategic Theme 7 Update" in title
    assert "'S" not in title


def test_header_and_footer_sit_clear_of_the_body(sample_doc) -> None:
    section = sample_doc.sections[0]
    one_line = Pt(9 * 1.25)  # the bold 9 pt marking, with its line's leading
    assert section.header_distance + one_line < section.top_margin
    assert section.footer_distance + one_line < section.bottom_margin
    footer = section.footer.paragraphs
    assert len(footer) == 1  # marking and page number on one line, as the PDF's
    stops = [(s.alignment, s.position) for s in footer[0].paragraph_format.tab_stops]
    width = section.page_width - section.left_margin - section.right_margin
    assert [a for a, _ in stops] == [WD_TAB_ALIGNMENT.CENTER, WD_TAB_ALIGNMENT.RIGHT]
    assert abs(stops[1][1] - width) < Pt(1)
    style = sample_doc.styles["Footer"].element
    assert style.find(f".//{qn('w:tabs')}") is None  # the template's letter-sized stops are gone


# The Word file as LibreOffice lays it out: converted headless, read back by position.


def libreoffice_pdfs(files: list[Path], out: Path) -> list[Path]:
    """Convert .docx files to PDF with LibreOffice headless, from a profile of its own."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    profile = (out / "profile").as_uri()
    command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore"]
    command += ["--convert-to", "pdf", "--outdir", str(out), *map(str, files)]
    subprocess.run(command, check=True, capture_output=True, timeout=300)
    return [out / f"{f.stem}.pdf" for f in files]


def marking_overlaps(pdf: Path, marking: str) -> list[str]:
    """Return the pages whose marking, at top or foot, touches the body's text."""
    found = []
    with pdfplumber.open(pdf) as document:
        for number, page in enumerate(document.pages, start=1):
            words = page.extract_words()
            marks = sorted((w for w in words if w["text"] == marking), key=lambda w: w["top"])
            body = [w for w in words if w["text"] not in (marking, "Page", "of")]
            body = [w for w in body if not w["text"].isdigit()]
            if len(marks) < 2 or not body:
                found.append(f"page {number} lacks its markings or body")
            elif marks[0]["bottom"] >= min(w["top"] for w in body):
                found.append(f"page {number}: the header marking touches the body")
            elif marks[-1]["top"] <= max(w["bottom"] for w in body):
                found.append(f"page {number}: the footer marking touches the body")
    return found


def test_libreoffice_keeps_every_action_with_its_update(tmp_path: Path, sample: PlanData) -> None:
    text, _ = long_update(6000)
    stress = plan_data(tmp_path, one_action_plan(text))
    prints = {
        # Two prints, one LibreOffice start: the sample as the issue found it, and a
        # 6,000-word update on the narrowest page (docs/printing.md has every format).
        "sample": (sample, PrintOptions()),
        "stress-letter": (stress, PrintOptions(portrait=True, letter=True)),
    }
    files = []
    for name, (data, options) in prints.items():
        files.append(tmp_path / f"{name}.docx")
        files[-1].write_bytes(render_docx(data, options))
    pdfs = libreoffice_pdfs(files, tmp_path)
    for pdf, (data, options) in zip(pdfs, prints.values(), strict=True):
        appendix = build_appendix(data, options)
        # The PDF's own rules, read the same way: every action on the page of its update,
        # every page that carries an update on naming its action, no page half empty.
        printed = read_back(pdf.read_bytes())
        assert problems(appendix, printed) == [], pdf.name
        assert lost_words(appendix, printed) == [], pdf.name
        assert marking_overlaps(pdf, appendix.marking) == [], pdf.name


def test_the_body_written_into_the_package_is_what_python_docx_saves(tmp_path: Path) -> None:
    # The body is written into document.xml a theme at a time, never held as one tree;
    # python-docx reads it and saves it again byte for byte, as if it had written it.
    content = render_docx(plan_data(tmp_path, SAMPLE), PrintOptions())
    document = read(content)
    assert document.tables and document.paragraphs
    again = io.BytesIO()
    document.save(again)
    part = "word/document.xml"
    assert zipfile.ZipFile(again).read(part) == zipfile.ZipFile(io.BytesIO(content)).read(part)
