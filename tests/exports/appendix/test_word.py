"""The Word appendix, read back with python-docx: headings, tables, repeated headers, shading."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from db.model import PlanData
from db.sample_data import SAMPLE
from exports.appendix import word_xml
from exports.appendix.layout import NO_UPDATE, PrintOptions, build_appendix
from exports.appendix.printing import render_docx
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


def test_sample_action_table_rows_headers_and_status_cells(sample_doc) -> None:
    actions = SAMPLE["themes"][0]["actions"]
    colours = {s["code"]: s["colour"].lstrip("#").upper() for s in SAMPLE["statuses"]}
    table = next(t for t in sample_doc.tables if "Strategic Activity" in t.rows[0]._tr.xml)
    rows = table.rows
    assert rows[0]._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    assert len(rows) == 1 + 2 * len(actions)
    for i, action in enumerate(actions):
        main = rows[1 + 2 * i]._tr.tc_lst
        update = rows[2 + 2 * i]._tr.tc_lst
        assert main[0].xpath("string(.)").startswith(action["ref"])
        assert main[-1].xpath("string(.)") == action["status"]
        assert fill(main[-1]) == colours[action["status"]]
        assert update[0].xpath("string(.)") == "Update"
        assert len(update) == 2  # the update spans every column after the label
        words = re.findall(r"\w+", cell_text(update[1]))
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
    assert table.rows[2]._tr.tc_lst[0].xpath("string(.)").startswith("Update: ")


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
    assert [flagged(tr) for tr in actions] == [True] + [False] * 2 * len(theme.actions)
    assert texts(actions[0]) == [c.title for c in theme.columns]
    for i, action in enumerate(theme.actions):
        shown = []
        for column in theme.columns:
            if column.key in ("status", "previous"):
                mark = action.status if column.key == "status" else action.previous
                shown.append(mark.text)
            elif column.key == "direction":
                shown.append(action.direction)
            else:
                shown.append("\n".join(p.text for p in action.cells.get(column.key, ())))
        assert texts(actions[1 + 2 * i]) == shown
        assert texts(actions[2 + 2 * i]) == ["Update", "\n".join(p.text for p in action.update)]
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
