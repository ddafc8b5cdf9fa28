"""Run every benchmark, write bench/results.md and print it: ``python -m bench.run``."""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from bench import app_figures, db_figures, generate, print_figures, report
from bench.report import Row

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.md"
SCRATCH = HERE / "out"
FIGURES = ("start", "open", "search", "edit", "print", "memory")


def _guarded(name: str, rows: list[Row], notes: list[str], work: Callable[[], list[Row]]) -> None:
    """Run one figure; a failure becomes a row that says so, and the other figures still run."""
    started = time.perf_counter()
    try:
        rows += work()
    except Exception as exc:  # one broken figure must not hide the others
        traceback.print_exc()
        rows.append(report.missing(name, "", f"failed: {type(exc).__name__}: {exc}"))
    print(f"  {name}: {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    """Measure the figures named (default all) and write the results page."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("figures", nargs="*", metavar="FIGURE", help=f"any of {', '.join(FIGURES)}")
    parser.add_argument(
        "--quick", action="store_true", help="fewer runs and no 2,000-action print (a smoke run)"
    )
    parser.add_argument(
        "--output", type=Path, default=RESULTS, help="where to write the results page"
    )
    args = parser.parse_args(argv)
    wanted = set(args.figures or FIGURES)
    if wanted - set(FIGURES):
        parser.error(
            f"unknown figure {sorted(wanted - set(FIGURES))[0]}; choose from {', '.join(FIGURES)}"
        )
    quick = args.quick
    started = time.perf_counter()
    notes: list[str] = []
    print("Generating or reusing the plans in bench/data/ …", file=sys.stderr, flush=True)
    paths = {}
    for size in generate.SIZES:
        t0 = time.perf_counter()
        existed = (generate.DATA / generate.cached_name(size)).exists()
        paths[size] = generate.plan_file(size)
        if not existed:
            notes.append(
                f"Generated the {size:,}-action plan in {time.perf_counter() - t0:.1f} s "
                f"({paths[size].stat().st_size / 2**20:.0f} MiB)."
            )
    largest = paths[generate.SIZES[-1]]
    rows: list[Row] = []

    if "start" in wanted or "memory" in wanted:
        _guarded(
            "1. Cold start",
            rows,
            notes,
            lambda: app_figures.start_and_memory(
                largest,
                runs=3 if quick else 5,
                memory="memory" in wanted,
                start="start" in wanted,
                # Printing all 10,000 actions takes minutes; the 2,000-action appendix is printed
                # in the same process instead (see docs/benchmarks.md).
                printed=paths[2_000],
            ),
        )
    if "start" in wanted:
        _guarded("1. Cold start", rows, notes, lambda: app_figures.import_figure(3 if quick else 5))
    if "open" in wanted:
        _guarded("2. Open", rows, notes, lambda: db_figures.open_figure(largest, 3 if quick else 7))
        _guarded(
            "2. Open", rows, notes, lambda: app_figures.open_figure(largest, 3 if quick else 7)
        )
    if "search" in wanted:
        _guarded(
            "3. Search", rows, notes, lambda: db_figures.search_figure(largest, 5 if quick else 30)
        )
    if "edit" in wanted:
        _guarded(
            "4. Edit",
            rows,
            notes,
            lambda: db_figures.edit_figure(
                largest, SCRATCH / "edit.scrutiny", 50 if quick else 300
            ),
        )
    if "print" in wanted:
        sizes = [s for s in generate.SIZES if s <= (200 if quick else 2_000)]
        _guarded(
            "5. Print",
            rows,
            notes,
            lambda: print_figures.print_figure(
                {s: paths[s] for s in sizes}, SCRATCH, runs=1 if quick else 3, notes=notes
            ),
        )
    # Figures in their issue order, whatever order they were measured in.
    rows.sort(key=lambda r: r.figure.split(".")[0])
    notes.append(f"The whole run took {time.perf_counter() - started:.0f} s.")
    page = report.markdown(rows, report.machine(), notes)
    args.output.write_text(page, encoding="utf-8")
    print(page)
    return 0


if __name__ == "__main__":
    sys.exit(main())
