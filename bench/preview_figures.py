"""Print preview and printer at scale: first page, memory, and what Print… spools per page.

Run ``python -m bench.preview_figures`` (offscreen Qt). Each plan is previewed in a fresh
process, so its memory is its own: the time from asking for the preview to its first page
drawn, to the whole appendix ready, the peak resident memory while previewing and scrolling
through it, and the resident memory once the dialog has closed. Then the spool: the bytes
Print… hands over per page, as vector PDF (a PDF or CUPS printer) and as pictures (Windows'
own printing), the latter measured by printing to a PDF-format QPrinter at 1200 dpi (drawn
at ``IMAGE_DPI``). ``--pages N`` pictures every page of plans up to N pages and an evenly
spread N of longer ones, scaling the bytes up to the whole appendix.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCROLL_STOPS = 12  # places the preview is scrolled to, spread over the whole appendix


def _rss() -> int:
    """Return this process's resident memory now, in bytes."""
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _peak() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def preview_child(path: Path) -> dict[str, float]:
    """Open the preview of ``path`` in this process, scroll through it, close it; report."""
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from db.document import Document

    doc = Document.open(path, read_only=True, integrity=False)
    before = _rss()

    def wait(condition, limit: float = 300) -> None:
        deadline = time.perf_counter() + limit
        while True:
            app.processEvents()
            # What an event loop does between events: objects given up with deleteLater go.
            app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            if condition():
                return
            time.sleep(0.002)
            if time.perf_counter() > deadline:
                raise TimeoutError("the preview did not finish")

    results = [_preview_once(app, doc, wait) for _ in range(2)]
    doc.close()
    first = results[0]
    again = results[1]
    return {
        **first,
        "before_mb": before / 1e6,
        "again_mb": again["after_mb"],
        "again_first_page_s": again["first_page_s"],
    }


def _preview_once(app, doc, wait) -> dict[str, float]:
    """Preview ``doc`` once at 1024×700: first page, whole, scroll through, close."""
    import gc

    from ui.print_dialog import PrintDialog

    dialog = PrintDialog(doc, None)
    dialog.resize(1024, 700)
    dialog.show()
    app.processEvents()
    started, cpu = time.perf_counter(), time.process_time()
    dialog.render()
    wait(lambda: bool(dialog.view.rendered))
    first_page = time.perf_counter() - started
    first_cpu = time.process_time() - cpu
    wait(lambda: dialog.pdf is not None)
    whole = time.perf_counter() - started
    pages = len(dialog.pages)
    view = dialog.view

    def drawn() -> bool:
        return not view._pending and all(n in view.images for n in view._wanted)

    for stop in range(SCROLL_STOPS + 1):
        view.show_page(round(stop * (pages - 1) / SCROLL_STOPS))
        app.processEvents()
        wait(drawn)
    drawn_pages = len(view.rendered)
    peak = _peak()
    dialog.close()
    dialog.deleteLater()
    wait(lambda: True)
    for _ in range(20):  # let late page drawings arrive and be thrown away
        time.sleep(0.01)
        wait(lambda: True)
    gc.collect()
    after = _rss()
    return {
        "pages": pages,
        "first_page_s": first_page,
        "first_page_cpu_s": first_cpu,
        "whole_s": whole,
        "drawn_pages": drawn_pages,
        "peak_mb": peak / 1e6,
        "after_mb": after / 1e6,
    }


def spool(path: Path, sample_pages: int) -> dict[str, float]:
    """Return the bytes per page Print… sends for the plan in ``path``, vector and pictures."""
    from PySide6.QtPrintSupport import QPrinter
    from PySide6.QtWidgets import QApplication

    QApplication.instance() or QApplication([])
    from db import reads
    from db.document import Document
    from exports.appendix.layout import PrintOptions, print_period
    from exports.appendix.printing import read_for_print
    from ui.pdf_pages import page_count
    from ui.print_dialog import IMAGE_DPI, make_pdf, print_images

    options = PrintOptions()
    with Document.open(path, read_only=True, integrity=False) as doc:
        period = print_period(reads.periods(doc), options.period)
        data = read_for_print(doc, options, period)
    pdf = make_pdf(data, options, period)[0]
    pages = page_count(pdf)
    chosen = list(range(pages))
    if pages > sample_pages:
        chosen = sorted({round(i * (pages - 1) / (sample_pages - 1)) for i in range(sample_pages)})
    with tempfile.TemporaryDirectory(prefix="scrutineer-spool-") as folder:
        out = Path(folder) / "images.pdf"
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        started = time.perf_counter()
        assert print_images(pdf, printer, chosen)
        seconds = time.perf_counter() - started
        image_bytes = out.stat().st_size
    per_page = image_bytes / len(chosen)
    return {
        "pages": pages,
        "vector_bytes": len(pdf),
        "vector_per_page": len(pdf) / pages,
        "image_pages_measured": len(chosen),
        "image_per_page": per_page,
        "image_total": per_page * pages,
        "image_seconds_per_page": seconds / len(chosen),
        "printer_dpi": printer.resolution(),
        "drawn_dpi": min(printer.resolution(), IMAGE_DPI),
    }


def _child(*args: str) -> dict[str, float]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-m", "bench.preview_figures", *args],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=3600,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    """Measure the sample and the 2,000-action plan and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=40, help="pages pictured per plan at most")
    parser.add_argument("--child", nargs=2, metavar=("WHAT", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        what, path = args.child
        pages = args.pages
        result = preview_child(Path(path)) if what == "preview" else spool(Path(path), pages)
        print(json.dumps(result))
        return 0

    from bench import generate
    from db.sample import write_sample

    print(f"Load average at the start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="scrutineer-bench-") as folder:
        sample = Path(folder) / "sample.scrutiny"
        write_sample(sample).close()
        plans = {"sample": sample, "2,000 actions": generate.plan_file(2_000)}
        for name, path in plans.items():
            p = _child("--child", "preview", str(path))
            print(
                f"Preview, {name} ({p['pages']:.0f} pages): first page {p['first_page_s']:.2f} s "
                f"({p['first_page_cpu_s']:.2f} s of processor; {p['again_first_page_s']:.2f} s when "
                "opened again), "
                f"whole appendix {p['whole_s']:.2f} s; {p['drawn_pages']:.0f} pages drawn "
                f"over {SCROLL_STOPS + 1} scroll stops; memory {p['before_mb']:.0f} MB before, "
                f"peak {p['peak_mb']:.0f} MB, {p['after_mb']:.0f} MB after closing, "
                f"{p['again_mb']:.0f} MB after a second preview closed"
            )
        for name, path in plans.items():
            s = _child("--child", "spool", str(path), "--pages", str(args.pages))
            measured = (
                "every page"
                if s["image_pages_measured"] == s["pages"]
                else f"{s['image_pages_measured']:.0f} pages spread through it"
            )
            print(
                f"Print…, {name} ({s['pages']:.0f} pages): vector PDF "
                f"{s['vector_bytes'] / 1e6:.2f} MB ({s['vector_per_page'] / 1e3:.1f} kB a page); "
                f"pictures at {s['drawn_dpi']:.0f} dpi, lossless: "
                f"{s['image_per_page'] / 1e6:.2f} MB a page, {s['image_total'] / 1e6:.0f} MB "
                f"in all ({measured}; {s['image_seconds_per_page']:.2f} s a page)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
