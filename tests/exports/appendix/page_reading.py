"""Reading a printed appendix back by position (pdfplumber), to check its page breaks."""

from __future__ import annotations

import ctypes
import io
import re
from collections import Counter
from dataclasses import dataclass

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from exports.appendix.layout import MEASURE_COLUMNS, Appendix, ThemeBlock
from exports.appendix.pdf import KEY_NUMBER, UPDATE_LABEL

# The page frame (pdf.build_pdf's margins): text outside it is the marking and page number.
TOP_MARGIN = 1.5 * 72 / 2.54
BOTTOM_MARGIN = 1.4 * 72 / 2.54
CONTINUED = "(continued)"
_TOKEN = re.compile(r"[^\s/\-._]+")


@dataclass(frozen=True)
class Word:
    """One word as printed: its page (from 0), place and whether it is bold."""

    page: int
    top: float
    bottom: float
    x0: float
    text: str
    bold: bool


@dataclass
class Printed:
    """A PDF read back: its words page by page, inside the frame, and the page size."""

    pages: list[list[Word]]
    width: float
    height: float

    @property
    def frame_top(self) -> float:
        return TOP_MARGIN

    @property
    def frame_bottom(self) -> float:
        return self.height - BOTTOM_MARGIN

    def text(self, page: int) -> str:
        return " ".join(w.text for w in self.pages[page])


def read_back(pdf: bytes) -> Printed:
    """Return the words of every page inside the frame, top to bottom, left to right.

    Read with pdfium (``pypdfium2``), char by char with each char's box and font: the same
    words and places as pdfplumber gives (``test_reading_agrees_with_pdfplumber``), twenty
    times faster, so every page of every format can be checked.
    """
    document = pdfium.PdfDocument(pdf)
    try:
        width, height = document[0].get_size()
        pages = [_page_words(document[n], n, height) for n in range(len(document))]
    finally:
        document.close()
    return Printed(pages, width, height)


def _page_words(page: pdfium.PdfPage, number: int, height: float) -> list[Word]:
    text_page = page.get_textpage()
    count = text_page.count_chars()
    # pdfium reports a hyphen that ends a line as U+FFFE (a soft hyphen it supposes);
    # the PDF holds the author's "-", which pdfplumber reads.
    text = text_page.get_text_range(0, count).replace("\ufffe", "-")
    name = ctypes.create_string_buffer(128)
    flags = ctypes.c_int()
    # Each word as [chars, top, bottom, left, right, bold].
    words: list[list] = []
    for i in range(min(count, len(text))):
        ch = text[i]
        if ch.isspace():
            words.append([])
            continue
        left, low, right, high = text_page.get_charbox(i, loose=True)
        last = words[-1] if words else []
        if not last or abs(height - high - last[1]) > 2 or left - last[4] > 1.0:
            pdfium_c.FPDFText_GetFontInfo(text_page.raw, i, name, 128, ctypes.byref(flags))
            words.append([[ch], height - high, height - low, left, right, b"Bold" in name.value])
        else:
            last[0].append(ch)
            last[4] = right
    text_page.close()
    page.close()
    found = [
        Word(number, w[1], w[2], w[3], "".join(w[0]), w[5])
        for w in words
        if w and w[1] > TOP_MARGIN - 2 and w[2] < height - BOTTOM_MARGIN + 2
    ]
    found.sort(key=lambda w: (round(w.top), w.x0))
    return found


def read_back_slowly(pdf: bytes, page: int) -> list[tuple[str, bool]]:
    """Return one page's words (and whether each is bold) as pdfplumber reads them."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        found = document.pages[page].extract_words(extra_attrs=["fontname"])
        height = document.pages[page].height
    return [
        (w["text"], "Bold" in w["fontname"])
        for w in found
        if w["top"] > TOP_MARGIN - 2 and w["bottom"] < height - BOTTOM_MARGIN + 2
    ]


def tokens(text: str) -> list[str]:
    """Return the parts of ``text`` a reader searches for: words split at ``/ - . _`` too."""
    return _TOKEN.findall(text)


def lost_words(appendix: Appendix, printed: Printed) -> list[str]:
    """Return every word of the appendix's tables that the PDF does not hold."""
    wanted: Counter[str] = Counter()
    for theme in appendix.themes:
        for action in theme.actions:
            for para in action.update:
                wanted.update(tokens(para.text))
            for cell in action.cells.values():
                for para in cell:
                    wanted.update(tokens(para.text))
    got = Counter(t for page in printed.pages for w in page for t in tokens(w.text))
    return sorted((wanted - got).elements())


def allowed_bold(appendix: Appendix) -> set[str]:
    """Return every word the appendix prints in bold (labels, headings, statuses)."""
    texts = [
        appendix.heading.appendix_label,
        appendix.heading.title,
        appendix.heading.subtitle,
        appendix.heading.period_heading,
        "STATUS KEY and Results:",
        appendix.rating.rstrip("."),
        KEY_NUMBER,
        UPDATE_LABEL,
        "PERFORMANCE",
        "Why is it important?",
    ]
    texts += [row.mark.key_label for row in appendix.key]
    texts += [name for name, _ in MEASURE_COLUMNS]
    for theme in appendix.themes:
        texts += [theme.banner, theme.performance_heading]
        texts += [c.title for c in theme.columns]
        texts += [m.number for m in theme.measures]
        for action in theme.actions:
            texts.append(action.continued)
            texts += [m.text for m in (action.status, action.previous) if m and m.recorded]
    return {word for text in texts for word in text.split()}


def broken_labels(appendix: Appendix, printed: Printed) -> list[tuple[int, str]]:
    """Return the bold words printed that are not whole words of a label or heading."""
    allowed = allowed_bold(appendix)
    return [
        (w.page, w.text)
        for page in printed.pages
        for w in page
        if w.bold and w.text not in allowed and not re.fullmatch(r"[\d,]+", w.text)
    ]


@dataclass(frozen=True)
class Event:
    """Where an action starts, where its update starts, or where its update carries on."""

    kind: str  # "action", "update" or "continued"
    page: int
    top: float
    name: str = ""  # the action's first word, or the name a continuation gives


def _first_word(theme: ThemeBlock, index: int) -> str:
    action = theme.actions[index]
    key = "ref" if theme.has_update_label and action.cells.get("ref") else "activity"
    return action.cells[key][0].text.split()[0]


def _label_right(printed: Printed, theme: ThemeBlock, pages: range) -> float:
    """Return the x where the label column ends: the left of the second column's title."""
    second = theme.columns[1].title.split()[0]
    xs = [w.x0 for n in pages for w in printed.pages[n] if w.bold and w.text == second]
    return min(xs) - 2


def _events(printed: Printed, theme: ThemeBlock, pages: range) -> list[Event]:
    label = theme.has_update_label
    titles = {word for column in theme.columns for word in column.title.split()}
    right = _label_right(printed, theme, pages) if label else printed.width
    starts = {_first_word(theme, i) for i in range(len(theme.actions))}
    found: list[Event] = []
    by_ref = label and any(a.cells.get("ref") for a in theme.actions)
    for number in pages:
        page = printed.pages[number]
        for word in page:
            if word.text in starts and not word.bold:
                # A ref is found in the label column, an activity's first word anywhere.
                if not by_ref or word.x0 <= right:
                    found.append(Event("action", number, word.top, word.text))
                continue
            if word.x0 > right:
                continue
            if word.bold and word.text == UPDATE_LABEL:
                found.append(Event("update", number, word.top))
            if word.bold and word.text == CONTINUED:
                # The name sits before "(continued)", on its line or the lines just above.
                near = [
                    w
                    for w in page
                    if w.bold
                    and w.x0 <= (right if label else word.x0 + 300)
                    and word.top - 25 < w.top <= word.top + 1
                    and w.text not in titles
                    and w.text not in (UPDATE_LABEL, CONTINUED)
                ]
                name = " ".join(w.text for w in near)
                found.append(Event("continued", number, word.top, name))
    return found


def _lines_below(printed: Printed, page: int, top: float) -> int:
    """Return how many lines of plain text a page holds from ``top`` down."""
    return len({round(w.top) for w in printed.pages[page] if w.top >= top - 1 and not w.bold})


def _banner_page(printed: Printed, theme: ThemeBlock) -> int | None:
    for number, page in enumerate(printed.pages):
        lines: dict[int, list[str]] = {}
        for w in page:
            if w.bold:
                lines.setdefault(round(w.top), []).append(w.text)
        if any(" ".join(words) == theme.banner for words in lines.values()):
            return number
    return None


def problems(appendix: Appendix, printed: Printed) -> list[str]:
    """Return every page break a typesetter would not make, in words, or []."""
    found: list[str] = []
    banners = [_banner_page(printed, t) for t in appendix.themes]
    for t, theme in enumerate(appendix.themes):
        start = banners[t]
        if start is None:
            found.append(f"banner {theme.banner!r} not found")
            continue
        end = banners[t + 1] if t + 1 < len(banners) and banners[t + 1] else len(printed.pages)
        pages = range(start, end)
        found += _theme_problems(printed, theme, pages)
        # No page more than half empty while the next page carries on the theme.
        half = printed.frame_top + (printed.frame_bottom - printed.frame_top) / 2
        for number in pages[:-1]:
            lowest = max((w.bottom for w in printed.pages[number]), default=0)
            if lowest < half:
                found.append(f"page {number + 1} is more than half empty mid-theme")
    return found


def _theme_problems(printed: Printed, theme: ThemeBlock, pages: range) -> list[str]:
    found: list[str] = []
    if not theme.actions:
        return found
    events = _events(printed, theme, pages)
    starts = [e for e in events if e.kind == "action"]
    names = [_first_word(theme, i) for i in range(len(theme.actions))]
    if [e.name for e in starts] != names:
        found.append(f"actions found {[e.name for e in starts]} not {names}")
        return found
    if starts[0].page != pages[0]:
        found.append(f"banner {theme.banner!r} ends page {pages[0] + 1}")
    current = -1
    for k, event in enumerate(events):
        after = events[k + 1] if k + 1 < len(events) else None
        if event.kind == "action":
            current = names.index(event.name)
            if after is None or after.kind != "update" or after.page != event.page:
                found.append(f"{event.name} ends page {event.page + 1} without its update")
        elif event.kind == "update" and after is not None and after.kind == "continued":
            lines = _lines_below(printed, event.page, event.top)
            if lines < 2:
                found.append(
                    f"{names[current]} has {lines} update line at page {event.page + 1}'s foot"
                )
        elif event.kind == "continued":
            wanted = theme.actions[current].continued
            if f"{event.name} {CONTINUED}" != wanted:
                found.append(f"page {event.page + 1} carries on {event.name!r} for {wanted!r}")
    # Every page of the action table starts with an action or names the one it carries on.
    head = theme.columns[-1].title.split()[0]
    for number in pages:
        page = printed.pages[number]
        if not any(w.bold and w.text == head for w in page):
            continue
        first = next((e for e in events if e.page == number), None)
        if first is None or first.kind == "update":
            found.append(f"page {number + 1} carries on an update without naming its action")
    # The performance table's title never ends a page: its header and a measure follow.
    for number in pages:
        for w in printed.pages[number]:
            follows = _measure_follows(printed, theme, number, w.top)
            if w.bold and w.text == "PERFORMANCE" and not follows:
                found.append(f"the performance title ends page {number + 1}")
    # A header never ends a page: rows follow it.
    for number in pages:
        tops = [w.top for w in printed.pages[number] if w.bold and w.text == head]
        if (
            tops
            and not any(e.page == number and e.top > max(tops) for e in events)
            and not _measure_follows(printed, theme, number, max(tops))
        ):
            found.append(f"a header ends page {number + 1}")
    return found


def _measure_follows(printed: Printed, theme: ThemeBlock, page: int, top: float) -> bool:
    numbers = {m.number for m in theme.measures}
    return any(w.bold and w.text in numbers and w.top > top for w in printed.pages[page])
