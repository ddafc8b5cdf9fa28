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

EXEMPT = re.compile(r"\[exempt:\s*([^\]\n]+?)\s*\](.*?)\[/exempt\]", re.DOTALL | re.IGNORECASE)
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


def marker(code: str) -> str:
    """Return what public output shows in place of a passage exempt under ``code``."""
    return f"[Exempt – {code.strip()}]"


def redact(text: str) -> str:
    """Return ``text`` with every exempt passage replaced by its marker."""
    return EXEMPT.sub(lambda m: marker(m.group(1)), text)


def unmark(text: str) -> str:
    """Return ``text`` with the exempt markup removed and the passages kept (internal print)."""
    return EXEMPT.sub(lambda m: m.group(2), text)


def segments(text: str) -> list[tuple[str, str | None]]:
    """Split ``text`` into (passage, exemption code or None) pieces, in order."""
    pieces: list[tuple[str, str | None]] = []
    last = 0
    for match in EXEMPT.finditer(text):
        if match.start() > last:
            pieces.append((text[last : match.start()], None))
        pieces.append((match.group(2), match.group(1).strip()))
        last = match.end()
    if last < len(text):
        pieces.append((text[last:], None))
    return pieces


def exemption_codes(text: str) -> list[str]:
    """Return the exemption codes used in ``text``, in order of first use."""
    return list(dict.fromkeys(m.group(1).strip() for m in EXEMPT.finditer(text)))


def mark_exempt(text: str, start: int, end: int, code: str) -> str:
    """Return ``text`` with ``text[start:end]`` marked exempt under ``code``."""
    if not 0 <= start < end <= len(text):
        raise ValueError("the passage to mark is outside the text")
    return f"{text[:start]}[exempt: {code.strip()}]{text[start:end]}[/exempt]{text[end:]}"


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
