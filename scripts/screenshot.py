"""Screenshots of the real windows on the sample plan, for the README and for looking at layouts.

A developer's tool, not shipped. Run under a virtual screen: ``QT_QPA_PLATFORM=xcb xvfb-run -a
-s "-screen 0 1700x1100x24" python scripts/screenshot.py OUTDIR [--size=WxH] [--plan=FILE]``.
Writes main-window.png and one picture per dialog, through a quarter's exchange: every lead
sent their sheet, a few rows of each filled in (one clashing with the office's own edit),
the returns merged in one go, the clash, a run of updates selected for sign-off. With
``--plan`` the pictures are of a copy of FILE (a bench plan, say) instead of the sample.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

# Run as a script from a checkout: the application's packages are one folder up.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QWidget


def _wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def _until(check, timeout_ms: int = 20000) -> None:
    waited = 0
    while not check() and waited < timeout_ms:
        _wait(50)
        waited += 50


def _save(widget: QWidget, path: Path) -> None:
    _wait(300)
    widget.grab().save(str(path))
    print(path)


def _shown(parent: QWidget, kind: type) -> bool:
    found = parent.findChild(kind)
    return found is not None and found.isVisible()


def _update_editor(window, out: Path) -> None:
    """Show an update with a marked passage and a mistyped tag, the cursor in the passage."""
    from ui.text_editor import UpdateEditor

    editor = window.findChild(UpdateEditor)
    editor.edit.setPlainText(
        "10.10.17 - The pilot runs in two districts. [exempt: s.31(1)(a)]Covert deployment "
        "at the two ports continues until March.[/exempt] Results are due in Q3.\n\n"
        "17.10.17 - [exempt : s.40(2)]The officer named in the review[/exempt] will report."
    )
    cursor = editor.edit.textCursor()
    cursor.setPosition(editor.text().index("Covert") + 3)
    editor.edit.setTextCursor(cursor)
    editor.edit.setFocus()
    _save(window, out / "update-editor.png")


def main(
    out: Path,
    only_main: bool = False,
    size: tuple[int, int] = (1360, 820),
    plan: Path | None = None,
) -> int:
    """Open the plan (a copy of ``plan``, else the sample), select an action, and save pictures."""
    from desktop.app import start
    from ui import messages
    from ui.plan_model import ID_ROLE

    out.mkdir(parents=True, exist_ok=True)
    settings = Path(tempfile.mkdtemp(prefix="scrutineer-shot-"))
    if plan is not None:
        plan = Path(shutil.copy(plan, settings / plan.name))  # never write into the original
    window = start(plan, settings, no_err_windows=True)
    window.resize(*size)
    _until(lambda: window.session is not None)
    view = window.view
    view.select(view.model.index(0, 0, view.model.index(0, 0)).data(ID_ROLE))
    _save(window, out / "main-window.png")
    if only_main:
        return 0
    _update_editor(window, out)
    view.select(view.model.index(0, 0).data(ID_ROLE))
    _save(window, out / "theme-form.png")
    view.search.setText("budget")
    _save(window, out / "search.png")
    view.search.clear()
    messages.no_windows = False
    from db import reads
    from ui.history_dialog import HistoryDialog
    from ui.new_plan_dialog import NewPlanDialog
    from ui.period_dialog import PeriodDialog
    from ui.print_dialog import PrintDialog
    from ui.settings_dialog import SettingsDialog

    doc = window.session.doc
    action = reads.actions(doc)[1]
    for name, dialog in (
        ("history.png", HistoryDialog(doc, action.id, window)),
        ("settings.png", SettingsDialog(window.session, window)),
        ("period.png", PeriodDialog(reads.periods(doc), window)),
        ("new-plan.png", NewPlanDialog(window)),
    ):
        dialog.show()
        _save(dialog, out / name)
        dialog.close()
    printing = PrintDialog(doc, None, window, session=window.session)
    printing.show()
    printing.render()
    _until(lambda: printing.pdf is not None, 120000)
    _save(printing, out / "print-preview.png")
    printing.close()
    _exchange(window, out, settings)
    window.close()
    return 0


def _exchange(window, out: Path, folder: Path) -> None:
    """Run a quarter's exchange with every lead, and picture each step."""
    import openpyxl
    from PySide6.QtWidgets import QProgressDialog, QTableWidgetSelectionRange

    from db import edits, reads
    from ui import messages
    from ui.clash_dialog import ClashDialog
    from ui.merge_dialog import MergeDialog
    from ui.send_dialog import SendDialog
    from ui.signoff_dialog import SignOffDialog

    doc = window.session.doc
    send = SendDialog(doc, window)
    send.as_sheet.setChecked(True)
    send.show()
    _save(send, out / "send.png")
    sent = folder / "sent"
    sent.mkdir()
    messages.folder_path = lambda *a: str(sent)
    send.send_button.click()
    _until(lambda: bool(send.written_all), 120000)
    _save(send, out / "send-done.png")
    send.close()
    period = reads.periods(doc)[-1].id
    office = None
    for path in send.written_all:
        workbook = openpyxl.load_workbook(path)
        sheet = workbook["Actions"]
        headers = [c.value for c in sheet[1]]
        for row in range(2, min(sheet.max_row, 4) + 1):
            ref = sheet.cell(row, headers.index("Ref") + 1).value
            sheet.cell(row, headers.index("Status") + 1).value = "Green"
            sheet.cell(
                row, headers.index("Update") + 1
            ).value = f"{path.stem.split(' – ')[1]}: the partnership agreed the plan for {ref}."
            office = office or ref
        workbook.save(path)
    action = next(a for a in reads.actions(doc) if a.ref == office)
    window.session.commit(
        edits.set_update, action.id, period, text="OPCC: awaiting the alliance's decision."
    )
    merging = MergeDialog(doc, send.written_all, window, session=window.session)
    merging.show()
    # On a large plan the dozen take long enough for the progress window to appear.
    _until(lambda: _shown(merging, QProgressDialog) or merging.report is not None, 10000)
    if _shown(merging, QProgressDialog):
        merging.findChild(QProgressDialog).grab().save(str(out / "merge-progress.png"))
        print(out / "merge-progress.png")
    _until(lambda: merging.report is not None or merging.error is not None, 120000)
    _save(merging, out / "merge.png")
    merging.close()
    window.view.select(action.id)
    _save(window, out / "main-window-clash.png")
    clash = ClashDialog(doc, window, session=window.session)
    clash.show()
    _save(clash, out / "clash.png")
    clash.close()
    signing = SignOffDialog(doc, window, session=window.session)
    signing.show()
    signing.table.setRangeSelected(QTableWidgetSelectionRange(2, 0, 51, 6), True)
    _save(signing, out / "signoff.png")
    signing.close()


if __name__ == "__main__":
    QApplication.instance() or QApplication(sys.argv[:1])
    sizes = [a.removeprefix("--size=") for a in sys.argv if a.startswith("--size=")]
    width, height = (int(n) for n in (sizes[0] if sizes else "1360x820").split("x"))
    folder = next((a for a in sys.argv[1:] if not a.startswith("--")), ".")
    plans = [a.removeprefix("--plan=") for a in sys.argv if a.startswith("--plan=")]
    sys.exit(
        main(Path(folder), "--main" in sys.argv, (width, height), Path(plans[0]) if plans else None)
    )
