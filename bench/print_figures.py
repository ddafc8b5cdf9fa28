"""Figure 5: the appendix printed to PDF and Word, beside LibreOffice converting the same Word file."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench.report import Row, verdict
from bench.stats import Sample, exponent, seconds, spread, timed_result
from db import text as plan_text
from db.document import Document
from db.model import PlanData
from db.reads import read_plan

_WORD = re.compile(r"\w+")
LIBREOFFICE_TIMEOUT = 600


def words_lost(data: PlanData, pdf: bytes) -> tuple[int, int]:
    """Return how many words of the printed period's updates the PDF's text lacks, and of how many.

    The default print shows the latest period with exempt passages in full, so every word
    of every update of that period must be somewhere in the PDF's extracted text.
    """
    import pypdfium2

    period = data.periods[-1].id
    expected: Counter[str] = Counter()
    for update in data.updates:
        if update.period_id == period:
            expected.update(_WORD.findall(plan_text.unmark(update.text)))
    found: Counter[str] = Counter()
    document = pypdfium2.PdfDocument(pdf)
    try:
        for page in document:
            found.update(_WORD.findall(page.get_textpage().get_text_bounded()))
    finally:
        document.close()
    return sum((expected - found).values()), sum(expected.values())


class LibreOffice:
    """Converts .docx to PDF with ``soffice --headless``, from a profile of its own."""

    def __init__(self) -> None:
        self.program = shutil.which("soffice")
        self.profile = Path(tempfile.mkdtemp(prefix="scrutineer-bench-lo-"))

    def convert(self, docx: Path, outdir: Path) -> float:
        """Convert ``docx`` into ``outdir`` and return the seconds it took, start to exit."""
        assert self.program is not None
        started = time.perf_counter()
        subprocess.run(
            [
                self.program,
                f"-env:UserInstallation={self.profile.as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
                str(outdir),
                str(docx),
            ],
            check=True,
            capture_output=True,
            timeout=LIBREOFFICE_TIMEOUT,
        )
        elapsed = time.perf_counter() - started
        if not (outdir / f"{docx.stem}.pdf").exists():
            raise RuntimeError(f"LibreOffice wrote no PDF for {docx.name}")
        return elapsed

    def close(self) -> None:
        """Remove the profile."""
        shutil.rmtree(self.profile, ignore_errors=True)


def print_figure(paths: dict[int, Path], scratch: Path, runs: int, notes: list[str]) -> list[Row]:
    """Time PDF and Word output at each size; LibreOffice converts our Word file as the peer."""
    from exports.appendix.layout import PrintOptions
    from exports.appendix.printing import render_docx, render_pdf
    from ui.pdf_pages import page_count

    scratch.mkdir(parents=True, exist_ok=True)
    office = LibreOffice() if shutil.which("soffice") else None
    if office is None:
        notes.append("LibreOffice is not installed (scripts/install-bench-deps.sh), so no peer.")
    rows: list[Row] = []
    pdf_times: dict[int, float] = {}
    docx_times: dict[int, float] = {}
    lost_total = checked_total = 0
    try:
        warmed = False
        for size, path in sorted(paths.items()):
            doc = Document.open(path, read_only=True, integrity=False)
            try:
                data = read_plan(doc)
            finally:
                doc.close()
            pdf_sample, pdf = timed_result(lambda d=data: render_pdf(d, PrintOptions()), runs)
            pages = page_count(pdf)
            lost, checked = words_lost(data, pdf)
            lost_total += lost
            checked_total += checked
            pdf_times[size] = pdf_sample.median
            docx_sample, docx = timed_result(lambda d=data: render_docx(d, PrintOptions()), runs)
            peer, ratio, ok = "LibreOffice not installed", "", None
            if office is not None:
                docx_path = scratch / f"appendix-{size}.docx"
                docx_path.write_bytes(docx)
                if not warmed:
                    # Its first start builds the profile; that is set-up, not conversion.
                    office.convert(docx_path, scratch)
                    warmed = True
                # LibreOffice takes half a minute at 2,000 actions: fewer runs there.
                lo_runs = runs if size <= 200 else max(1, runs - 1)
                lo = Sample(tuple(office.convert(docx_path, scratch) for _ in range(lo_runs)))
                peer = f"LibreOffice .docx → PDF {seconds(lo.median)} ({lo_runs} runs)"
                ratio = f"{lo.median / pdf_sample.median:.1f}× faster"
                ok = lo.median / pdf_sample.median >= 10
            rows.append(
                Row(
                    "5. Print",
                    f"PDF, {size:,} actions: {pages} pages, "
                    f"{pages / pdf_sample.median:.0f} pages/s",
                    seconds(pdf_sample.median),
                    spread(pdf_sample),
                    peer,
                    ratio,
                    "≥ 10× faster than LibreOffice",
                    verdict(ok) if ok is not None else "—",
                    f"{lost} of {checked:,} update words missing from the PDF",
                )
            )
            docx_times[size] = docx_sample.median
            ratio_docx = docx_sample.median / pdf_sample.median
            rows.append(
                Row(
                    "5. Print",
                    f"Word, {size:,} actions ({len(docx) / 1e6:.1f} MB)",
                    seconds(docx_sample.median),
                    spread(docx_sample),
                    f"our PDF {seconds(pdf_sample.median)}",
                    f"{ratio_docx:.2f}×",
                    "within 2× of the PDF",
                    verdict(ratio_docx <= 2),
                )
            )
    finally:
        if office is not None:
            office.close()
    for name, times in (("PDF", pdf_times), ("Word", docx_times)):
        if len(times) >= 2:
            sizes = sorted(times)
            b = exponent(sizes, [times[s] for s in sizes])
            rows.append(
                Row(
                    "5. Print",
                    f"{name} time against actions ({', '.join(f'{s:,}' for s in sizes)}): "
                    "fitted exponent",
                    f"{b:.2f}",
                    "",
                    "1.00 is linear",
                    "",
                    "≤ 1.05",
                    verdict(b <= 1.05),
                )
            )
    rows.append(
        Row(
            "5. Print",
            "update words lost in the PDF, all sizes",
            f"{lost_total}",
            "",
            f"{checked_total:,} words checked",
            "",
            "0",
            verdict(lost_total == 0),
        )
    )
    return rows
