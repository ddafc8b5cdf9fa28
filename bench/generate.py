"""Realistic plans of any size for the benchmarks, built through the db API and cached.

A plan of N actions spreads them over up to 50 themes (N // 4 themes for small plans, so
no theme is empty). Every action has one or two leads (from sixty sets of initials, or an
office's own officers on request) and twelve quarterly updates (Q1 2015/16 to Q4 2017/18,
or fewer on request) of about 800 characters each: two to four paragraphs, some dated
entries, a bulleted list in about a third of them and an exempt passage in one in fifty,
written from the sentences of the bundled sample plan with place names, figures and dates
varied so the vocabulary is as long-tailed as a real plan's. Each theme has five measures with a year (four
quarters) of performance. The first eleven periods are locked, as published ones are; the
open period then gets a history of edits (update texts, statuses, performance) made
one commit at a time through ``db.edits``, as a quarter's work would make them.

Two words are planted for the search figure: :data:`COMMON_WORD` is in every update and
:data:`RARE_WORD` in about one update in a thousand (at least one).

Files are cached in ``bench/data/`` under a name holding the size, the seed and
:data:`FORMAT`, so a second ``make bench`` starts at once. Run ``python -m bench.generate``
to build every size and print how long each took.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from db import edits, reads, schema
from db.build import create_plan
from db.document import Document
from db.sample_data import SAMPLE
from db.text import markup_problems, unmark

# Bump when the generated content changes, so cached files are built again.
FORMAT = 2
SEED = 2017
SIZES = (20, 200, 2_000, 10_000)
DATA = Path(__file__).resolve().parent / "data"
MAX_THEMES = 50
PERIODS = 12
MEASURES_PER_THEME = 5
COMMON_WORD = "the"
RARE_WORD = "Bassetlaw"
RARE_EVERY = 1_000
WHO = "Bench generator"

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9])")
_MONTHS = (
    "April", "May", "June", "July", "August", "September", "October", "November",
    "December", "January", "February", "March",
)  # fmt: skip
_SYLLABLES = (
    "ash", "bar", "bee", "bing", "blid", "bram", "brox", "bur", "cal", "car", "clif", "col",
    "cot", "dale", "der", "eas", "ed", "field", "ford", "gate", "gedl", "ham", "hay", "hol",
    "huck", "ing", "keg", "kim", "lang", "ley", "lin", "low", "mans", "mer", "moor", "ness",
    "new", "nut", "ol", "ring", "rud", "sel", "sher", "stan", "ston", "sut", "thorn", "ton",
    "ward", "well", "wick", "wood", "worth",
)  # fmt: skip
_PARTNERS = (
    "the City Council", "the County Council", "Public Health", "the Fire Service",
    "the Probation Service", "the Youth Offending Team", "Victim Support", "the CCG",
    "the Community Safety Partnership", "Trading Standards", "the Crown Prosecution Service",
    "the Safer Nottinghamshire Board", "Neighbourhood Watch", "the Ambulance Service",
)  # fmt: skip
_STATUS_WEIGHTS = {"G": 55, "A": 25, "R": 7, "B": 8, "W": 5}
_EXEMPTIONS = ("s.31(1)(a)", "s.30(1)(a)", "s.40(2)", "s.24(1)", "s.43(2)")


def _sentences() -> list[str]:
    """Return every sentence of the sample plan's texts, the raw material of the updates."""
    texts: list[str] = []
    for theme in SAMPLE["themes"]:
        texts.append(theme.get("why_important") or "")
        for action in theme.get("actions") or []:
            texts += [action.get("update") or "", action.get("activity") or ""]
        for measure in theme.get("measures") or []:
            texts += [measure.get("performance") or "", measure.get("objective") or ""]
    found = {
        " ".join(s.split())
        for text in texts
        for s in _SENTENCE.split(text.replace("\n", " "))
        if 40 <= len(s) <= 400 and not s.lstrip().startswith(("•", "-", "*"))
    }
    return sorted(found)


class _Writer:
    """Makes the text of one plan from a seeded random source."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.pool = _sentences()
        # A long tail of place names: a few common, most seen a handful of times.
        self.places = sorted(
            {
                "".join(self.rng.choice(_SYLLABLES) for _ in range(self.rng.randint(2, 3))).title()
                for _ in range(3_000)
            }
        )
        self.update_count = 0

    def place(self) -> str:
        index = min(int(self.rng.paretovariate(1.2)) - 1, len(self.places) - 1)
        return self.places[(index * 7919) % len(self.places)]

    def sentence(self) -> str:
        text = self.rng.choice(self.pool)
        roll = self.rng.random()
        if roll < 0.25:
            text = f"{text[:-1]} in {self.place()}{text[-1]}"
        elif roll < 0.4:
            text = f"{text[:-1]}, working with {self.rng.choice(_PARTNERS)}{text[-1]}"
        elif roll < 0.5:
            figure = self.rng.choice(
                (
                    f"{self.rng.randint(2, 98)}%",
                    f"£{self.rng.randint(10, 990)}k",
                    f"{self.rng.randint(3, 4_000):,} cases",
                )
            )
            text = f"{text[:-1]} (latest figure {figure}){text[-1]}"
        return text

    def date(self, year: int, quarter: int) -> str:
        month = (quarter * 3 + self.rng.randint(0, 2)) % 12 + 4
        month = month - 12 if month > 12 else month
        yy = year + (1 if month < 4 else 0)
        return f"{self.rng.randint(1, 28):02d}.{month:02d}.{yy % 100:02d}"

    def update(self, year: int, quarter: int) -> str:
        """Return one quarterly update of about 800 characters."""
        self.update_count += 1
        # Text is added a sentence at a time until it passes the target, so aim a little low.
        target = max(350, min(1_300, int(self.rng.gauss(700, 150))))
        paragraph = self.rng.randint(150, 350)
        paragraphs: list[list[str]] = [[]]
        length = 0
        bullets_at = self.rng.randint(1, 3) if self.rng.random() < 0.35 else None
        while length < target:
            if bullets_at is not None and len(paragraphs) == bullets_at + 1 and not paragraphs[-1]:
                items = [self.sentence().rstrip(".") for _ in range(self.rng.randint(2, 4))]
                block = "\n".join(f"• {item}" for item in items)
                paragraphs[-1].append(block)
                length += len(block)
                paragraphs.append([])
                bullets_at = None
                continue
            sentence = self.sentence()
            paragraphs[-1].append(sentence)
            length += len(sentence) + 1
            if sum(map(len, paragraphs[-1])) > paragraph and length < target * 0.8:
                paragraphs.append([])
                paragraph = self.rng.randint(150, 350)
        blocks = [" ".join(p) for p in paragraphs if p]
        for i, block in enumerate(blocks):
            if not block.startswith("•") and self.rng.random() < 0.3:
                blocks[i] = f"{self.date(year, quarter)} - {block}"
        if self.rng.random() < 0.02:
            i = self.rng.randrange(len(blocks))
            if not blocks[i].startswith("•"):
                code = self.rng.choice(_EXEMPTIONS)
                blocks[i] = f"{blocks[i]} [exempt: {code}]{self.sentence()}[/exempt]"
        if self.update_count % RARE_EVERY == 1:
            blocks[-1] = f"{blocks[-1]} A similar scheme has started in {RARE_WORD}."
        text = "\n\n".join(blocks)
        if not re.search(rf"\b{COMMON_WORD}\b", text):
            text = f"{text} Work continues with the partners named above."
        return text


def _periods(count: int = PERIODS) -> list[dict[str, Any]]:
    result = []
    for index in range(count):
        year, quarter = 2015 + index // 4, index % 4
        first, last = _MONTHS[quarter * 3], _MONTHS[quarter * 3 + 2]
        starts_year = year + (1 if quarter == 3 else 0)
        month = quarter * 3 + 4
        starts = f"{starts_year}-{(month - 1) % 12 + 1:02d}-01"
        ends_month = (month + 1) % 12 + 1
        ends_day = {6: 30, 9: 30, 12: 31, 3: 31}[ends_month]
        result.append(
            {
                "label": f"Q{quarter + 1} {year}/{(year + 1) % 100:02d}",
                "starts": starts,
                "ends": f"{starts_year}-{ends_month:02d}-{ends_day}",
                "heading": f"QRT {quarter + 1} UPDATE ({first} {starts_year} to {last} {starts_year})",
                "locked": index < count - 1,
            }
        )
    return result


def theme_count(actions: int) -> int:
    """Return how many themes a plan of ``actions`` actions is spread over."""
    return max(1, min(MAX_THEMES, actions // 4))


def plan_data(
    actions: int,
    seed: int = SEED,
    *,
    leads: Sequence[str] | None = None,
    periods: int = PERIODS,
) -> dict[str, Any]:
    """Return the plan of ``actions`` actions as data for ``db.build.create_plan``.

    The same arguments always give the same plan. Each action has one or two leads, from
    ``leads`` when given (an office's dozen officers), else from sixty sets of initials;
    ``periods`` quarters from Q1 2015/16 hold an update each, all but the last locked.
    """
    writer = _Writer(seed)
    rng = writer.rng
    period_rows = _periods(periods)
    codes = list(_STATUS_WEIGHTS)
    weights = list(_STATUS_WEIGHTS.values())
    initials = sorted({f"{a}{b}" for a in "ABCDEGHJKLMNPRSTW" for b in "ABCDEHJKLMRSTW"})
    # Drawn even when ``leads`` is given, so the default plan stays the one it always was.
    initials = rng.sample(initials, 60)
    lead_pool = list(leads) if leads else initials
    themes: list[dict[str, Any]] = []
    n_themes = theme_count(actions)
    per_theme = [
        actions // n_themes + (1 if t < actions % n_themes else 0) for t in range(n_themes)
    ]
    for t, count in enumerate(per_theme):
        number = str(t + 1)
        theme_actions = []
        for a in range(count):
            updates = {}
            for p, period in enumerate(period_rows):
                updates[period["label"]] = {
                    "status": rng.choices(codes, weights)[0],
                    "text": writer.update(2015 + p // 4, p % 4),
                }
            milestones = [
                {
                    "phase": f"Phase {m + 1}",
                    "starts": f"{2015 + m}-04-01",
                    "ends": f"{2016 + m}-03-31",
                    "state": rng.choice(("Complete", "On track", "Delayed")),
                }
                for m in range(rng.randint(1, 3) if rng.random() < 0.3 else 0)
            ]
            theme_actions.append(
                {
                    "ref": f"{number}{'CPSV'[a % 4]}{a // 4 + 1:02d}",
                    "leads": rng.sample(lead_pool, rng.choice((1, 1, 1, 2))),
                    "plan_ref": f"PL{rng.randint(1, 6)}" if rng.random() < 0.6 else None,
                    "activity": " ".join(writer.sentence() for _ in range(rng.randint(1, 2))),
                    "closed_in": period_rows[-1]["label"] if rng.random() < 0.03 else None,
                    "updates": updates,
                    "milestones": milestones,
                }
            )
        measures = []
        for m in range(MEASURES_PER_THEME):
            performances = {
                period["label"]: {
                    "text": " ".join(writer.sentence() for _ in range(rng.randint(2, 4))),
                    "value": round(rng.uniform(0, 100), 1),
                }
                for period in period_rows[-4:]
            }
            measures.append(
                {
                    "number": str(m + 1),
                    "measure": writer.sentence().rstrip("."),
                    "objective": writer.sentence(),
                    "target": f"Reduce by {rng.randint(1, 15)}% by March 2018",
                    "footnotes": [writer.sentence()] if rng.random() < 0.3 else [],
                    "performances": performances,
                }
            )
        themes.append(
            {
                "number": number,
                "title": writer.sentence().split(",")[0].rstrip(".")[:60],
                "aim": writer.sentence(),
                "performance_heading": f"Strategic Priority Theme {number}",
                "why_important": " ".join(writer.sentence() for _ in range(3)),
                "actions": theme_actions,
                "measures": measures,
            }
        )
    return {
        "plan": {**SAMPLE["plan"], "title": f"Police and Crime Plan ({actions:,} actions)"},
        "statuses": SAMPLE["statuses"],
        "periods": period_rows,
        "themes": themes,
    }


def edit_count(actions: int) -> int:
    """Return how many edits make the history of a plan of ``actions`` actions."""
    return min(3_000, 2 * actions)


def make_history(doc: Document, count: int, seed: int = SEED) -> None:
    """Make ``count`` edits to the open period, one committed change each, as users would."""
    rng = random.Random(seed + 1)
    writer = _Writer(seed + 2)
    period = reads.periods(doc)[-1]
    statuses = [s.id for s in reads.statuses(doc)]
    action_ids = [a.id for a in reads.actions(doc)]
    measure_ids = [m.id for m in reads.measures(doc)]
    current = {u.action_id: u.text for u in reads.updates(doc, period.id).values()}
    for _ in range(count):
        roll = rng.random()
        if roll < 0.6:
            action_id = rng.choice(action_ids)
            text = current.get(action_id, "")
            entry = f"{writer.date(2017, 3)} - {writer.sentence()}"
            new = f"{text}\n\n{entry}" if len(text) < 1_200 else f"{entry}\n\n{_cut(text)}"
            edits.set_update(doc, action_id, period.id, text=new)
            current[action_id] = new
        elif roll < 0.85:
            edits.set_update(doc, rng.choice(action_ids), period.id, status_id=rng.choice(statuses))
        else:
            edits.set_performance(
                doc,
                rng.choice(measure_ids),
                period.id,
                text=" ".join(writer.sentence() for _ in range(2)),
                value=round(rng.uniform(0, 100), 1),
            )


def _cut(text: str, length: int = 800) -> str:
    """Return the start of ``text``, with any exempt passage the cut left open unmarked.

    A cut inside a passage would leave markup a public print rightly refuses.
    """
    kept = text[:length]
    return unmark(kept) if markup_problems(kept) else kept


def cached_name(actions: int, seed: int = SEED) -> str:
    """Return the cache file name of a plan: its size, seed, generator and file formats."""
    return f"plan-{actions}-seed{seed}-v{FORMAT}-f{schema.SCHEMA_VERSION}.scrutiny"


def build(path: Path, actions: int, seed: int = SEED) -> Path:
    """Write the plan of ``actions`` actions with its history to ``path`` (which must not exist)."""
    partial = path.with_name(f".{path.name}.partial")
    partial.unlink(missing_ok=True)
    doc = create_plan(partial, plan_data(actions, seed), who=WHO, text="Generate bench plan")
    try:
        make_history(doc, edit_count(actions), seed)
    finally:
        doc.close()
    os.replace(partial, path)
    return path


def plan_file(actions: int, seed: int = SEED, folder: Path = DATA) -> Path:
    """Return the cached plan of ``actions`` actions, building it first when it is missing."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / cached_name(actions, seed)
    if not path.exists():
        build(path, actions, seed)
    return path


def iter_update_texts(data: dict[str, Any]) -> Iterator[str]:
    """Yield every update text of generated plan data."""
    for theme in data["themes"]:
        for action in theme["actions"]:
            for entry in action["updates"].values():
                yield entry["text"]


def main(argv: list[str] | None = None) -> int:
    """Build the plans named on the command line (default: every size) and time each."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=list(SIZES))
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    for size in args.sizes:
        started = time.perf_counter()
        path = plan_file(size, args.seed)
        print(
            f"{size:>6} actions: {path.name}, {path.stat().st_size / 2**20:.1f} MiB, "
            f"{time.perf_counter() - started:.1f} s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
