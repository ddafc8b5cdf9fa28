"""The PDF appendix, read back: text, order, page sizes and what stands on each page."""

from __future__ import annotations

import io
import re
from collections import Counter
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, letter

from db.errors import ScrutineerError
from db.model import PlanData
from db.sample_data import SAMPLE
from exports.appendix.layout import PrintOptions
from exports.appendix.pdf import chunks, drawable
from exports.appendix.printing import render_pdf
from tests.exports.appendix.test_layout import plan_data, small_plan


def read(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in read(pdf).pages]


def squash(text: str) -> str:
    """Return text without whitespace, so words broken across lines still compare."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def sample_data(tmp_path_factory: pytest.TempPathFactory) -> PlanData:
    return plan_data(tmp_path_factory.mktemp("sample"), SAMPLE)


@pytest.fixture(scope="module")
def sample_pdf(sample_data: PlanData) -> bytes:
    return render_pdf(sample_data, PrintOptions())


def test_sample_pages_are_landscape_a4_with_marking_and_numbers(sample_pdf: bytes) -> None:
    reader = read(sample_pdf)
    texts = page_texts(sample_pdf)
    assert len(texts) > 1
    for number, (page, text) in enumerate(zip(reader.pages, texts, strict=True), start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (round(A4[1]), round(A4[0]))
        assert text.count(SAMPLE["plan"]["marking"]) >= 2
        assert f"Page {number} of {len(texts)}" in text


def test_sample_metadata_and_outline(sample_pdf: bytes) -> None:
    reader = read(sample_pdf)
    assert reader.metadata.title == (
        "APPENDIX A – Police and Crime Plan – Commissioner's Strategic Theme 7 Update – Q2 2017/18"
    )
    assert reader.metadata.author == SAMPLE["plan"]["organisation"]
    assert [item.title for item in reader.outline] == ["THEME 7: SPENDING PUBLIC MONEY WISELY"]


def test_sample_holds_every_element_in_order(sample_pdf: bytes) -> None:
    text = "\n".join(page_texts(sample_pdf))
    flat = squash(text)
    theme = SAMPLE["themes"][0]
    landmarks = [
        "APPENDIX A",
        "POLICE AND CRIME PLAN (2016-18)",
        "COMMISSIONER'S STRATEGIC THEME 7 UPDATE Draft V1",
        SAMPLE["periods"][0]["heading"],
        "STATUS KEY and Results",
        "THEME 7: SPENDING PUBLIC MONEY WISELY",
        *[a["ref"] for a in theme["actions"]],
        "PERFORMANCE",
        theme["performance_heading"],
        *[m["measure"][:20] for m in theme["measures"]],
        "Why is it important?",
    ]
    at = 0
    for mark in landmarks:
        found = flat.find(squash(mark), at)
        assert found >= 0, f"{mark!r} is missing or out of order"
        at = found + 1
    assert flat.count("12/20(60%)") == 1 and flat.count("0/20(0%)") == 2
    assert flat.count("Update") >= len(theme["actions"])


def test_sample_every_update_word_is_printed(sample_pdf: bytes) -> None:
    flat = squash("".join(page_texts(sample_pdf)))
    for action in SAMPLE["themes"][0]["actions"]:
        for word in re.findall(r"\w+", action["update"]):
            assert word in flat


def test_every_page_with_actions_has_the_column_header(sample_pdf: bytes) -> None:
    refs = [a["ref"] for a in SAMPLE["themes"][0]["actions"]]
    pages = page_texts(sample_pdf)
    with_actions = [t for t in pages if any(ref in t for ref in refs)]
    assert len(with_actions) > 1
    for text in with_actions:
        assert "Strategic Activity" in text


def long_update(words: int) -> tuple[str, list[str]]:
    """Return an update of ``words`` distinct words in paragraphs of very different sizes."""
    tokens = [f"w{i:05d}" for i in range(words)]
    paragraphs, start = [], 0
    for size in (5, 3000, 40, 1200, 1):
        paragraphs.append(" ".join(tokens[start : start + size]) + ".")
        start += size
    rest = tokens[start:]
    for i in range(0, len(rest), 12):
        paragraphs.append(" ".join(rest[i : i + 12]) + ".")
    return "\n\n".join(paragraphs), tokens


def one_action_plan(text: str, activity: str = "Do the thing.") -> dict:
    data = small_plan()
    data["themes"] = [
        {
            "number": "3",
            "title": "Long",
            "actions": [
                {"ref": "3.1", "activity": activity, "status": "G", "update": text},
                {
                    "ref": "3.2",
                    "activity": "After the long one.",
                    "status": "A",
                    "update": "Short.",
                },
            ],
        }
    ]
    return data


def test_a_6000_word_update_reaches_the_pdf_whole(tmp_path: Path) -> None:
    text, tokens = long_update(6000)
    pdf = render_pdf(plan_data(tmp_path, one_action_plan(text)), PrintOptions())
    printed = re.findall(r"w\d{5}", "".join(page_texts(pdf)))
    assert Counter(printed) == Counter(tokens)
    assert printed == tokens  # in order, nothing repeated
    assert len(read(pdf).pages) > 3
    # The action after the long one follows it, whole, on the last page.
    last = page_texts(pdf)[-1]
    assert "3.2" in last and "After the long one." in last and "Short." in last


def test_a_long_activity_and_an_unbroken_word_still_print(tmp_path: Path) -> None:
    text, tokens = long_update(1500)
    blob = "x" * 5000
    pdf = render_pdf(
        plan_data(tmp_path, one_action_plan(blob, activity=text)), PrintOptions(portrait=True)
    )
    flat = squash("".join(page_texts(pdf)))
    assert re.findall(r"w\d{5}", flat) == tokens
    assert flat.count("x") >= len(blob)


HOSTILE = (
    "<b>bold?</b> & &amp; </para> <font name='x'> ]]> \\ "
    "Café naïve Zoë Øre – “quotes” £5 "
    "שלום עולם مرحبا بالعالم "
    "emoji 😀 🦄 ok"
)


def test_hostile_characters_print_literally(tmp_path: Path) -> None:
    data = one_action_plan(HOSTILE, activity=HOSTILE)
    data["themes"][0]["title"] = HOSTILE
    pdf = render_pdf(plan_data(tmp_path, data), PrintOptions())
    text = "".join(page_texts(pdf))
    expected = Counter(squash(drawable(HOSTILE)).casefold())
    found = Counter(squash(text).casefold())
    # Each visible character comes out at least three times (title, activity, update).
    assert not {ch: n for ch, n in expected.items() if found[ch] < 3 * n}
    assert "<b>bold?</b>" in text and "</para>" in text and "&amp;" in text
    assert "[UNICORN FACE]" in drawable(HOSTILE)


def test_characters_the_font_lacks_are_named_not_dropped() -> None:
    assert drawable("a🦄b") == "a[UNICORN FACE]b"
    # DejaVu draws this one, but a PDF cannot map it back to text: it is named too.
    assert drawable("😀") == "[GRINNING FACE]"
    assert drawable("Café – שלום") == "Café – שלום"


def test_chunks_keep_every_character_and_respect_the_limit() -> None:
    text = "One two three. " * 200 + "y" * 2500
    pieces = chunks(text, 300)
    assert all(len(p) <= 300 for p in pieces)
    assert squash("".join(pieces)) == squash(text)


def test_empty_theme_and_theme_without_measures(small_pdf_pages: list[str]) -> None:
    theme_two = next(t for t in small_pdf_pages if "THEME 2: SPENDING MONEY WISELY" in t)
    assert "No actions to report for this period." in theme_two
    assert "Strategic Activity" not in theme_two
    assert "PERFORMANCE" not in theme_two
    assert "THEME 1" not in theme_two


@pytest.fixture(scope="module")
def small_pdf_pages(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    data = plan_data(tmp_path_factory.mktemp("small"), small_plan())
    return page_texts(render_pdf(data, PrintOptions()))


def test_each_theme_starts_a_new_page(small_pdf_pages: list[str]) -> None:
    first = next(i for i, t in enumerate(small_pdf_pages) if "THEME 1:" in t)
    second = next(i for i, t in enumerate(small_pdf_pages) if "THEME 2:" in t)
    assert second > first
    assert "1.1" not in small_pdf_pages[second]


def test_public_print_shows_markers_not_passages(tmp_path: Path) -> None:
    data = plan_data(tmp_path, small_plan())
    internal = "".join(page_texts(render_pdf(data, PrintOptions(themes=["1"]))))
    public = "".join(page_texts(render_pdf(data, PrintOptions(themes=["1"], public=True))))
    assert "old depot" in internal and "Exempt" not in internal
    assert "old depot" not in public and "[Exempt – s.31(1)(a)]" in public


@pytest.mark.parametrize(
    ("options", "size"),
    [
        (PrintOptions(portrait=True), A4),
        (PrintOptions(letter=True), (letter[1], letter[0])),
        (PrintOptions(portrait=True, letter=True), letter),
    ],
)
def test_page_size_and_orientation(tmp_path: Path, options: PrintOptions, size) -> None:
    data = plan_data(tmp_path, small_plan())
    options.themes = ["2"]
    page = read(render_pdf(data, options)).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (
        round(size[0]),
        round(size[1]),
    )


def test_previous_and_extra_columns_print(tmp_path: Path) -> None:
    data = small_plan(extra_fields=["Timescale"])
    data["themes"][0]["actions"][0]["extra"] = {"Timescale": "March 2022"}
    plan = plan_data(tmp_path, data)
    text = "".join(
        page_texts(
            render_pdf(plan, PrintOptions(themes=["1"], previous=True, extra_fields=["Timescale"]))
        )
    )
    assert "PreviousStatus" in squash(text) and "DirectionofTravel" in squash(text)
    assert "Improved" in text and "Worse" in text
    assert "Timescale" in text and "March 2022" in text


def test_every_field_may_be_longer_than_a_page(tmp_path: Path) -> None:
    activity, activity_words = long_update(2500)
    extra = " ".join(f"e{i:05d}" for i in range(2000))
    objective = " ".join(f"o{i:05d}" for i in range(2500))
    leads = [f"Officer L{i:04d}" for i in range(150)]
    data = one_action_plan("Short update.", activity=activity)
    data["plan"]["extra_fields"] = ["Timescale"]
    action = data["themes"][0]["actions"][0]
    action["leads"], action["extra"] = leads, {"Timescale": extra}
    data["themes"][0]["measures"] = [
        {"number": "1", "measure": "M", "objective": objective, "target": "t" * 4000}
    ]
    plan = plan_data(tmp_path, data)
    pdf = render_pdf(plan, PrintOptions(portrait=True, extra_fields=["Timescale"]))
    flat = squash("".join(page_texts(pdf)))
    assert re.findall(r"w\d{5}", flat) == activity_words
    assert re.findall(r"e\d{5}", flat) == extra.split()
    assert re.findall(r"o\d{5}", flat) == objective.split()
    assert re.findall(r"L\d{4}", flat) == [lead.split()[1] for lead in leads]
    assert flat.count("t") >= 4000


def test_a_title_taller_than_a_page_is_refused_in_one_sentence(tmp_path: Path) -> None:
    data = one_action_plan("Short.")
    data["themes"][0]["title"] = " ".join(["Overlong"] * 1500)
    plan = plan_data(tmp_path, data)
    with pytest.raises(ScrutineerError, match="taller than a page"):
        render_pdf(plan, PrintOptions())


def test_every_font_is_embedded(sample_pdf: bytes) -> None:
    """A laptop without the font must print the same glyphs, bullets included."""
    names = set()
    for page in read(sample_pdf).pages:
        fonts = page["/Resources"]["/Font"]
        for ref in fonts.values():
            font = ref.get_object()
            names.add(str(font["/BaseFont"]))
            descendants = font.get("/DescendantFonts")
            described = descendants[0].get_object() if descendants else font
            descriptor = described.get("/FontDescriptor")
            assert descriptor is not None, f"{font['/BaseFont']} is not embedded"
            assert "/FontFile2" in descriptor.get_object(), f"{font['/BaseFont']} has no font file"
    assert names


def test_a_print_leaves_nothing_for_the_garbage_collector(sample_data: PlanData) -> None:
    # The structure tree and the pages are most of a print's memory: left in reference
    # cycles they stay until the collector runs, and the next print grows on top of them.
    import gc

    from exports.appendix.tagging import Element

    gc.collect()
    gc.disable()
    try:
        render_pdf(sample_data, PrintOptions())
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        left = [o for o in gc.garbage if isinstance(o, Element)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert left == []
