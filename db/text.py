"""The text conventions inside plan fields: exempt passages, dated entries, bullets.

An exempt passage is written ``[exempt: s.31(1)(a)]the passage[/exempt]`` in any text
field. An update is a sequence of blocks separated by blank lines; a block whose lines
start with "• ", "* " or "- " is a bulleted list, and a block that starts with a date and a
dash ("10.10.17 - …") is a dated entry. A single line break inside a paragraph is the
author's (an Excel Alt+Enter list, "a) …" / "b) …"): a paragraph keeps one line per
author line, and every renderer prints them as line breaks, not as new paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from db.errors import ScrutineerError

_BULLET = re.compile(r"^\s*(?:[•·▪●◦\*]|-(?!\d))\s+")
_DATE = re.compile(r"^\s*(\d{1,2}[./]\d{1,2}[./]\d{2,4})\s*[-–—]\s*")
_BLANK = re.compile(r"\n\s*\n")


@dataclass(frozen=True)
class Block:
    """A paragraph or a bulleted list of an update, with its entry date when it has one."""

    kind: str  # "paragraph" or "bullets"
    # paragraph: one entry per line the author wrote; bullets: one entry per bullet point.
    lines: tuple[str, ...]
    date: str | None = None


# Anything that starts like a tag ("[exempt", "[/exempt", "[ exempt", "[\\exempt", any case) is
# read as one: a tag written nearly right must stop a public output, never publish a passage.
_TAG = re.compile(r"\[\s*[/\\]?\s*exempt", re.IGNORECASE)
_OPEN = re.compile(r"\[exempt:[ \t]*([^\[\]\n]*?)[ \t]*\]", re.IGNORECASE)
_CLOSE = re.compile(r"\[/exempt\]", re.IGNORECASE)
_CLOSING = re.compile(r"\[\s*[/\\]", re.IGNORECASE)
# What public output shows in place of a passage is text, not a tag: a public copy printed
# again must not be refused for the markers the first redaction wrote.
_MARKER = re.compile(r"\[\s*exempt\s*[–—]", re.IGNORECASE)
_TAG_END = re.compile(r"[\]\n\[]")
_TAG_WORD = re.compile(r"\[\s*[/\\]?\s*exempt\s*:?", re.IGNORECASE)
# An FOI code is short ("s.31(1)(a)", "Section 40(2)"); a longer one is a passage with a
# missing "]" that the marker would otherwise print as the code.
CODE_LIMIT = 40


@dataclass(frozen=True)
class Problem:
    """Exempt markup the parser cannot read: where it is in the text and what is wrong."""

    start: int
    end: int
    reason: str  # a clause: "an exempt passage is not closed with [/exempt]"

    @property
    def sentence(self) -> str:
        """Return the reason as a sentence, for the editor to show beside the text."""
        return self.reason[:1].upper() + self.reason[1:] + "."


@dataclass(frozen=True)
class Parsed:
    """A text read for exempt markup: its pieces in order, the tags, and any problems."""

    segments: tuple[tuple[str, str | None], ...]  # (passage, exemption code or None)
    tags: tuple[tuple[int, int], ...]  # (start, end) of every tag, read or not
    problems: tuple[Problem, ...]
    # Each passage where it stands: (opening tag start, passage start, passage end, closing
    # tag end, code); an unclosed passage ends with the text. The editor shades these.
    passages: tuple[Passage, ...] = ()


@dataclass(frozen=True)
class Passage:
    """Where an exempt passage and its tags stand in a text, and its exemption code."""

    start: int  # the opening tag
    inner_start: int  # the passage's first character
    inner_end: int  # just after its last character (the closing tag's start)
    end: int  # just after the closing tag
    code: str  # "" when the opening tag could not be read


class MarkupError(ScrutineerError):
    """A text has exempt markup that cannot be read, so it must not be published."""

    def __init__(self, problem: Problem, text: str) -> None:
        super().__init__(
            f"A text has exempt markup Scrutineer cannot read ({problem.reason}, at "
            f"{excerpt(text, problem)}), so nothing public was written; correct the marking first."
        )
        self.problem = problem


def parse(text: str) -> Parsed:
    """Read the exempt markup of ``text``: the one reader every path uses.

    Well-formed markup is ``[exempt: CODE]passage[/exempt]`` ("exempt" in any case, spaces
    or tabs around the code). Passages may span lines but not nest. Every "[exempt" or
    "[/exempt" that is not exactly a tag is a problem, as is an empty, overlong or
    multi-line code, an unclosed passage, a passage opened inside another and a closing
    tag that closes nothing. A malformed opening tag still opens a passage and a
    malformed closing tag still closes one, so one mistake is reported once.
    """
    pieces: list[tuple[str, str | None]] = []
    spans: list[Passage] = []
    tags: list[tuple[int, int]] = []
    problems: list[Problem] = []
    plain = 0  # where the text not yet emitted starts
    opened: tuple[int, int, str] | None = None  # (tag start, passage start, code)
    position = 0
    while (found := _TAG.search(text, position)) is not None:
        start = found.start()
        if _MARKER.match(text, start):
            position = found.end()
            continue
        good_open = _OPEN.match(text, start)
        good_close = _CLOSE.match(text, start)
        if good_open:
            end, code, closing = good_open.end(), good_open.group(1), False
            if not code:
                problems.append(Problem(start, end, "an exempt tag has no exemption code"))
            elif len(code) > CODE_LIMIT:
                problems.append(
                    Problem(
                        start,
                        end,
                        f"an exemption code is {len(code)} characters, longer than any FOI "
                        "code; is a ] missing after the code?",
                    )
                )
                # Its words are likely the passage: an internal print keeps them.
                end, code = _TAG_WORD.match(text, start).end(), ""  # type: ignore[union-attr]
        elif good_close:
            end, code, closing = good_close.end(), "", True
        else:
            stop = _TAG_END.search(text, found.end())
            if stop and stop.group() == "]":
                end = flagged = stop.end()
            else:  # no "]": the words after the tag are likely the passage, so keep them
                end = _TAG_WORD.match(text, start).end()  # type: ignore[union-attr]
                flagged = stop.start() if stop else len(text)
            closing = bool(_CLOSING.match(text, start))
            code = ""
            problems.append(
                Problem(
                    start,
                    flagged,
                    "a closing tag is not written exactly [/exempt]"
                    if closing
                    else "an exempt tag is not written exactly [exempt: code], on one line",
                )
            )
        tags.append((start, end))
        if not closing:
            if opened is not None:
                problems.append(
                    Problem(start, end, "an exempt passage opens inside another exempt passage")
                )
            else:
                if start > plain:
                    pieces.append((text[plain:start], None))
                opened = (start, end, code.strip())
        elif opened is None:
            problems.append(Problem(start, end, "a closing [/exempt] closes no exempt passage"))
        else:
            pieces.append((_without(text, opened[1], start, tags), opened[2] or "?"))
            spans.append(Passage(opened[0], opened[1], start, end, opened[2]))
            opened = None
            plain = end
        position = end
    if opened is not None:
        tag_end = next(e for s, e in tags if s == opened[0])
        problems.append(
            Problem(opened[0], tag_end, "an exempt passage is not closed with [/exempt]")
        )
        pieces.append((_without(text, opened[1], len(text), tags), opened[2] or "?"))
        spans.append(Passage(opened[0], opened[1], len(text), len(text), opened[2]))
    elif plain < len(text):
        pieces.append((text[plain:], None))
    problems.sort(key=lambda p: p.start)
    return Parsed(
        tuple(p for p in pieces if p[0] or p[1]), tuple(tags), tuple(problems), tuple(spans)
    )


def _without(text: str, start: int, end: int, tags: list[tuple[int, int]]) -> str:
    """Return ``text[start:end]`` with the tags inside it (nested, unread) left out."""
    kept, at = [], start
    for tag_start, tag_end in tags:
        if start <= tag_start < end:
            kept.append(text[at:tag_start])
            at = tag_end
    kept.append(text[at:end])
    return "".join(kept)


def may_hold_markup(text: str) -> bool:
    """Return False when ``text`` cannot hold a tag (most texts): a cheap test before parsing."""
    return "[" in text and _TAG.search(text) is not None


def markup_problems(text: str) -> list[Problem]:
    """Return the exempt markup of ``text`` that cannot be read (empty when all is well).

    The editor calls this as the person types, to flag each problem where it is.
    """
    if not may_hold_markup(text):
        return []
    return list(parse(text).problems)


def excerpt(text: str, problem: Problem, width: int = 30) -> str:
    """Return a short quotation of ``text`` where ``problem`` is, for a message."""
    piece = " ".join(text[problem.start : problem.start + width].split())
    return f"“{piece}…”" if problem.start + width < len(text) else f"“{piece}”"


def marker(code: str) -> str:
    """Return what public output shows in place of a passage exempt under ``code``."""
    return f"[Exempt – {code.strip()}]"


def segments(text: str) -> list[tuple[str, str | None]]:
    """Split ``text`` into (passage, exemption code or None) pieces, in order.

    Raises:
        MarkupError: the markup cannot be read, so no piece can be trusted to be public.
    """
    parsed = parse(text)
    if parsed.problems:
        raise MarkupError(parsed.problems[0], text)
    return list(parsed.segments)


def redact(text: str) -> str:
    """Return ``text`` with every exempt passage replaced by its marker.

    Raises:
        MarkupError: the markup cannot be read (a typo must never publish a passage).
    """
    if not may_hold_markup(text):
        return text
    return "".join(marker(code) if code is not None else piece for piece, code in segments(text))


def unmark(text: str) -> str:
    """Return ``text`` with the exempt markup removed and the passages kept (internal use).

    Never refuses: tags that cannot be read are left out too, so an internal print shows
    the words as the reader should see them (``markup_problems`` says what to correct).
    """
    if not may_hold_markup(text):
        return text
    return _without(text, 0, len(text), list(parse(text).tags))


def passage_at(text: str, position: int) -> Passage | None:
    """Return the exempt passage whose tags or words hold ``position``, if any."""
    if not may_hold_markup(text):
        return None
    for passage in parse(text).passages:
        # Inside its tags or words; an unclosed passage runs to the end of the text.
        if passage.start < position < passage.end or position == passage.end == len(text):
            return passage
    return None


def unmark_passage(text: str, passage: Passage) -> str:
    """Return ``text`` with ``passage``'s tags taken out and its words kept (no longer exempt)."""
    return (
        text[: passage.start] + text[passage.inner_start : passage.inner_end] + text[passage.end :]
    )


def exemption_codes(text: str) -> list[str]:
    """Return the exemption codes used in ``text``, in order of first use."""
    codes = (code for _, code in parse(text).segments if code and code != "?")
    return list(dict.fromkeys(codes))


def mark_exempt(text: str, start: int, end: int, code: str) -> str:
    """Return ``text`` with ``text[start:end]`` marked exempt under ``code``.

    Raises:
        ValueError: the passage is outside the text.
        ScrutineerError: the marking would not read back (a passage inside another or
            across one of its tags, a code that is empty or not on one line).
    """
    if not 0 <= start < end <= len(text):
        raise ValueError("the passage to mark is outside the text")
    if not code.strip() or any(c in code for c in "[]\n\r") or len(code.strip()) > CODE_LIMIT:
        raise ScrutineerError(
            f"{code.strip()!r} is not an exemption code: write it on one line, without [ or ], "
            f"in at most {CODE_LIMIT} characters."
        )
    marked = f"{text[:start]}[exempt: {code.strip()}]{text[start:end]}[/exempt]{text[end:]}"
    before = len(markup_problems(text))
    after = markup_problems(marked)
    if len(after) > before:
        raise ScrutineerError(
            "That passage cannot be marked exempt: "
            f"{after[0].reason}; select words outside any exempt passage and its tags."
        )
    return marked


def blocks(text: str) -> list[Block]:
    """Split an update into paragraphs and bulleted lists, noting each dated entry."""
    result: list[Block] = []
    for chunk in _BLANK.split(text.replace("\r\n", "\n").strip()):
        lines = [line.rstrip() for line in chunk.split("\n") if line.strip()]
        if not lines:
            continue
        paragraph: list[str] = []
        for line in lines:
            if _BULLET.match(line):
                if paragraph:
                    result.append(_paragraph(paragraph))
                    paragraph = []
                item = _BULLET.sub("", line, count=1)
                if result and result[-1].kind == "bullets" and not paragraph:
                    prev = result[-1]
                    result[-1] = Block("bullets", (*prev.lines, item), prev.date)
                else:
                    date = _DATE.match(item)
                    result.append(Block("bullets", (item,), date.group(1) if date else None))
            else:
                if (
                    result
                    and result[-1].kind == "bullets"
                    and not paragraph
                    and line.startswith((" ", "\t"))
                ):
                    prev = result[-1]
                    result[-1] = Block(
                        "bullets", (*prev.lines[:-1], f"{prev.lines[-1]} {line.strip()}"), prev.date
                    )
                    continue
                paragraph.append(line.strip())
        if paragraph:
            result.append(_paragraph(paragraph))
    return result


def _paragraph(lines: list[str]) -> Block:
    date = _DATE.match(lines[0])
    return Block("paragraph", tuple(lines), date.group(1) if date else None)


def word_count(text: str) -> int:
    """Return the number of words a reader sees (markup not counted)."""
    return len(re.findall(r"\w+(?:['’.-]\w+)*", unmark(text)))
