"""Plain paragraphs: the same lines as reportlab's Paragraph, split across pages, read back."""

from __future__ import annotations

import io
import re
from xml.sax.saxutils import escape

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

from exports.appendix.fast_text import PlainParagraph, PlainStack, _Encoder
from exports.appendix.pdf import FONT, _Styles

WORDS = (
    "The force continues to work with partners (including the OPCC) to reduce repeat "
    "victimisation; 1,366 calls per 100k population & a 4.7% rise <since> last year. "
    "Café résumé naïve – “quoted” text and back slash \\ stay literal."
)


@pytest.fixture(scope="module")
def styles() -> _Styles:
    return _Styles()


def build(story: list, size: tuple[float, float] = A4) -> list[str]:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=size, initialFontName=FONT)
    doc.build(story)
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(buffer.getvalue())).pages]


def words_of(texts: list[str]) -> list[str]:
    return " ".join(texts).split()


@pytest.mark.parametrize("width", [95, 120, 180, 333.3, 700])
@pytest.mark.parametrize("kind", ["body", "bullet", "status", "label", "bold"])
def test_lines_are_those_of_paragraph(styles: _Styles, width: float, kind: str) -> None:
    style = getattr(styles, kind)
    bullet = "•" if kind == "bullet" else None
    text = " ".join([WORDS.replace("&", "and").replace("<", "").replace(">", "")] * 3)
    ours = PlainParagraph(text, style, bullet)
    theirs = Paragraph(escape(text), style, bulletText=bullet)
    assert ours.wrap(width, 1000) == theirs.wrap(width, 1000)
    expected = [(round(room, 6), list(words)) for room, words in theirs.blPara.lines]
    got = [(round(room, 6), ours.words[a:b]) for room, a, b in ours.lines]
    assert got == expected


def test_wrapping_breaks_at_the_width(styles: _Styles) -> None:
    para = PlainParagraph(WORDS * 4, styles.body)
    width, height = para.wrap(150, 1000)
    assert width == 150
    assert len(para.lines) > 5
    assert height == pytest.approx(len(para.lines) * styles.body.leading)
    # Every line but the last is full: the next word would not have fitted.
    for room, _, end in para.lines[:-1]:
        assert room > -1  # at most the 5 % space shrinkage Paragraph allows
        next_word = para.words[end]
        assert room < len(next_word) * styles.body.fontSize


def test_word_wider_than_the_column_breaks_after_a_separator(styles: _Styles) -> None:
    url = "http://www.example.org/" + "a-very-long-path/" * 8 + "document.pdf"
    para = PlainParagraph(f"See {url} for more.", styles.body)
    para.wrap(120, 1000)
    assert para.fallback is None
    lines = ["".join(para.words[a:b]) for _, a, b in para.lines]
    assert len(lines) > 3
    # Each piece of the URL ends at a separator (no hyphen added, no word cut inside).
    for piece in [w for w in para.words if w not in ("See", "for", "more.")][:-1]:
        assert piece[-1] in "/-._", piece
    assert all(room > -1 for room, _, _ in para.lines)
    texts = build([para])
    assert re.sub(r"\s+", "", texts[0]) == re.sub(r"\s+", "", f"See {url} for more.")
    # Every word of the address can be searched for in the page's text.
    for word in re.split(r"[/.\-_:]+", url):
        assert word in texts[0]


def test_a_word_with_no_separator_breaks_between_characters(styles: _Styles) -> None:
    word = "x" * 400
    para = PlainParagraph(f"a {word} b", styles.body)
    para.wrap(120, 1000)
    assert para.fallback is None
    assert "".join(para.words) == f"a{word}b"
    assert re.sub(r"\s+", "", build([para])[0]) == f"a{word}b"


def test_no_break_space_is_left_to_paragraph(styles: _Styles) -> None:
    para = PlainParagraph("100\xa0km away", styles.body)
    assert isinstance(para._fallback, Paragraph)
    assert para.wrap(200, 100)[1] == styles.body.leading


def test_text_reads_back_literally(styles: _Styles) -> None:
    texts = build([PlainParagraph(WORDS, styles.body), PlainParagraph(WORDS, styles.bullet, "•")])
    assert words_of(texts) == [*WORDS.split(), "•", *WORDS.split()]


def test_paragraph_longer_than_a_page_splits_without_losing_a_word(styles: _Styles) -> None:
    numbered = " ".join(f"word{n}" for n in range(4000))
    texts = build([PlainParagraph(numbered, styles.body)], size=(300, 400))
    assert len(texts) > 5
    assert words_of(texts) == numbered.split()


def test_split_keeps_no_widow_and_no_orphan(styles: _Styles) -> None:
    para = PlainParagraph(WORDS * 3, styles.body)
    para.wrap(200, 1000)
    lines = len(para.lines)
    leading = styles.body.leading
    assert para.split(200, leading * 1.5) == []  # one line would be an orphan
    head, tail = para.split(200, leading * (lines - 1) + 1)
    head.wrap(200, 1000)
    tail.wrap(200, 1000)
    assert len(tail.lines) == 2  # not a single widow line
    assert head.words + tail.words == para.words


def test_stack_in_a_table_is_laid_out_like_the_list(styles: _Styles) -> None:
    items = [PlainParagraph(WORDS, styles.body), PlainParagraph(WORDS, styles.bullet, "•")]
    copies = [PlainParagraph(WORDS, styles.body), PlainParagraph(WORDS, styles.bullet, "•")]
    stacked = Table([[[PlainStack(items)]]], colWidths=[300])
    listed = Table([[copies]], colWidths=[300])
    assert stacked.wrap(300, 1000) == listed.wrap(300, 1000)
    assert words_of(build([stacked])) == words_of(build([listed]))


def _chars(flowable) -> list[tuple[str, float, float, float]]:
    import pdfplumber

    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, initialFontName=FONT).build([flowable])
    with pdfplumber.open(io.BytesIO(buffer.getvalue())) as pdf:
        return [
            (c["text"], round(c["x0"], 2), round(c["top"], 2), round(c["size"], 2))
            for c in pdf.pages[0].chars
        ]


@pytest.mark.parametrize("width", [60, 95, 123.4, 180, 400])
@pytest.mark.parametrize("first", [False, True])
def test_marks_are_drawn_as_paragraphs_superscript(
    styles: _Styles, width: float, first: bool
) -> None:
    # A footnote's number leads its text; a measure's marks follow its last word. Both
    # must break and draw as <super> does: same lines, glyphs at the same places and sizes.
    text = "Calls answered within ten seconds across the circumstances change"
    mark = "12" if first else "1,23"
    ours = PlainParagraph(text, styles.note if first else styles.body)
    ours.add_mark(mark, first=first)
    markup = f"<super>{mark}</super> {text}" if first else f"{text}<super>{mark}</super>"
    theirs = Paragraph(markup, ours.style)
    assert ours.text == markup
    assert ours.wrap(width, 1000) == theirs.wrap(width, 1000)
    if ours.fallback is None:  # else a word wider than the line: Paragraph lays it out
        got = [len(ours.words[a:b]) for _, a, b in ours.lines]
        assert sum(got) == len(text.split()) + 1
        # Paragraph's lines hold the marked word as one: the mark never starts a line alone.
        assert len(got) == len(theirs.blPara.lines)
    frame = Table([[ours]], colWidths=[width + 12])
    reference = Table([[theirs]], colWidths=[width + 12])
    assert _chars(frame) == _chars(reference)


@pytest.mark.parametrize("first", [False, True])
def test_a_mark_never_starts_a_line(styles: _Styles, first: bool) -> None:
    text = "Calls answered within ten seconds across the circumstances change"
    for width in range(80, 400, 3):
        ours = PlainParagraph(text, styles.body)
        ours.add_mark("23", first=first)
        theirs = Paragraph(ours.text, styles.body)
        ours.wrap(width, 1000)
        theirs.wrap(width, 1000)
        got = [len(ours.words[a:b]) for _, a, b in ours.lines]
        expected = [line.wordCount for line in theirs.blPara.lines]
        if not first:
            expected[-1] += 1  # Paragraph's last word holds the mark: ours is a word apart
        assert got == expected, width


@pytest.mark.parametrize(
    "text",
    [
        "Calls answered within ten seconds, 1,366 per 100k & a 4.7% rise <since> last year",
        "Partners (including the OPCC) and a back slash \\ escaped",
        "Café résumé – “quoted” text",
        "~ { } | ` ^ _ [ ] @ # $ ' \" ; : ! ? = + * /",
    ],
)
def test_ascii_text_is_written_as_its_words_encoded(styles: _Styles, text: str) -> None:
    # Printable ASCII is written as it stands (reportlab's readable ASCII); the operators
    # must be those of looking each word up in the font's subset.
    def ops(same: bool) -> str:
        canvas = Canvas(io.BytesIO())
        encoder = _Encoder.of(canvas, FONT)
        assert encoder.ascii_same
        encoder.ascii_same = same
        para = PlainParagraph(text, styles.body)
        para.wrap(120, 1000)
        code: list[str] = []
        para.emit(canvas, 0, 0, code)
        return " ".join(code)

    assert ops(True) == ops(False)


def test_short_text_met_again_breaks_as_its_style_and_width_say(styles: _Styles) -> None:
    # Short text is broken once per style and width and its lines reused: never another's.
    text = "Partnership working across the county"
    for width in (75, 100, 130, 200, 400):
        for style in (styles.body, styles.bold, styles.title, styles.note):
            for _ in range(2):
                ours = PlainParagraph(text, style)
                theirs = Paragraph(escape(text), style)
                assert ours.wrap(width, 1000) == theirs.wrap(width, 1000)
                expected = [(round(room, 6), list(words)) for room, words in theirs.blPara.lines]
                got = [(round(room, 6), ours.words[a:b]) for room, a, b in ours.lines]
                assert got == expected, (width, style.name)
