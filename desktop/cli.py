"""The command line: the same operations the windows offer, for batch work and for tests.

Qt is imported only when the window is opened, so every command here runs headless.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from db.errors import ScrutineerError
from desktop import __version__

if TYPE_CHECKING:
    from db.document import Document
    from db.model import Period
    from exports.appendix.printing import Printed

COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None]]] = {}


def command(
    name: str, help_text: str
) -> Callable[
    [Callable[[argparse.ArgumentParser], None]], Callable[[argparse.ArgumentParser], None]
]:
    """Register ``name`` as a subcommand whose arguments the decorated function declares."""

    def register(
        declare: Callable[[argparse.ArgumentParser], None],
    ) -> Callable[[argparse.ArgumentParser], None]:
        COMMANDS[name] = (help_text, declare)
        return declare

    return register


class UserError(ScrutineerError):
    """A mistake on the command line, reported in one sentence."""


def _out(text: str) -> None:
    print(text)


@command("sample", "write the sample plan (Theme 7, quarter 2 2017/18) to OUT")
def _sample(p: argparse.ArgumentParser) -> None:
    p.add_argument("out", metavar="OUT.scrutiny", type=Path)

    def run(args: argparse.Namespace) -> int:
        from db.sample import write_sample

        write_sample(args.out).close()
        _out(f"Wrote the sample plan to {args.out}.")
        return 0

    p.set_defaults(run=run)


@command("check", "check a file's safety and integrity; exit 0 when sound, 1 when not")
def _check(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE", type=Path)

    def run(args: argparse.Namespace) -> int:
        from db.safety import check_file

        report = check_file(args.file)
        for note in report.notes:
            _out(note)
        if report.ok:
            _out(f"{args.file.name} is a sound Scrutineer plan (file format {report.version}).")
            return 0
        for problem in report.problems:
            print(problem, file=sys.stderr)
        return 1

    p.set_defaults(run=run)


@command(
    "recover",
    "recover a plan a crash left mid-change: keep every finished edit, and the file as it was",
)
def _recover(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE", type=Path)
    p.epilog = (
        "The unfinished change is rolled back on a private copy, which is checked in full "
        "before it replaces FILE; FILE and its journal are kept as they were in a folder "
        "beside it. A journal that names another file is refused and nothing is changed."
    )

    def run(args: argparse.Namespace) -> int:
        from db.recovery import recover

        _out(str(recover(args.file)))
        return 0

    p.set_defaults(run=run)


@command("print", "print the appendix to a PDF or Word file")
def _print(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE", type=Path)
    p.add_argument("-o", "--output", metavar="OUT.pdf|OUT.docx", type=Path, required=True)
    p.add_argument(
        "--theme",
        action="append",
        metavar="N",
        help="theme number to print (repeatable; default all)",
    )
    p.add_argument("--period", metavar="LABEL", help="reporting period (default: the latest)")
    p.add_argument("--public", action="store_true", help="replace exempt passages by their markers")
    p.add_argument(
        "--accepted-only",
        action="store_true",
        help="leave out every update the office has not accepted yet",
    )
    p.add_argument("--appendix", metavar="LABEL", help='appendix label, e.g. "APPENDIX B"')
    p.add_argument(
        "--version-label", metavar="TEXT", help='draft or version label, e.g. "Draft V2"'
    )
    p.add_argument("--portrait", action="store_true", help="portrait instead of landscape")
    p.add_argument("--letter", action="store_true", help="US Letter paper instead of A4")
    p.add_argument(
        "--previous", action="store_true", help="add the previous status and direction of travel"
    )
    p.add_argument(
        "--extra",
        action="append",
        metavar="FIELD",
        help="add one of the plan's own columns (repeatable)",
    )

    def run(args: argparse.Namespace) -> int:
        from exports.appendix.printing import print_file

        result = print_file(
            args.file,
            args.output,
            themes=args.theme,
            period=args.period,
            public=args.public,
            accepted_only=args.accepted_only,
            appendix_label=args.appendix,
            version_label=args.version_label,
            portrait=args.portrait,
            letter=args.letter,
            previous=args.previous,
            extra_fields=args.extra,
        )
        for note in result.notes:
            print(note, file=sys.stderr)
        _out(_printed(result))
        return 0

    p.set_defaults(run=run)


@command("report", "print the covering report (and with --appendix the appendix after it)")
def _report(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE", type=Path)
    p.add_argument("-o", "--output", metavar="OUT.pdf|OUT.docx", type=Path, required=True)
    p.add_argument("--period", metavar="LABEL", help="reporting period (default: the latest)")
    p.add_argument("--public", action="store_true", help="replace exempt passages by their markers")
    p.add_argument(
        "--appendix", action="store_true", help="the appendix follows in the same document"
    )

    def run(args: argparse.Namespace) -> int:
        from exports.report.printing import report_file

        result = report_file(
            args.file,
            args.output,
            period=args.period,
            public=args.public,
            appendix=args.appendix,
        )
        what = (
            "the covering report and its appendix"
            if result.with_appendix
            else "the covering report"
        )
        note = ", public version" if result.public else ""
        size = (
            _counted(result.pages, "page")
            if result.pages is not None
            else _counted(result.sections, "section")
        )
        _out(f"Printed {what} ({result.period_label}{note}) to {result.output.name}: {size}.")
        return 0

    p.set_defaults(run=run)


def _counted(count: int, noun: str) -> str:
    """Return "1 page", "2 pages"."""
    return f"{count} {noun}{'s' if count != 1 else ''}"


def _printed(result: Printed) -> str:
    """Return the sentence saying what ``print_file`` printed where."""
    word = result.theme_word
    numbers = [n for n in result.theme_numbers if n]
    if len(numbers) == 1:
        what = f"{word} {numbers[0]}"
    elif numbers and len(numbers) == len(result.theme_numbers):
        what = f"{word}s " + ", ".join(numbers[:-1]) + f" and {numbers[-1]}"
    else:
        what = f"{len(result.theme_numbers)} {word.lower()}s"
    extras = "".join(
        text
        for text, on in (
            (", public version", result.public),
            (", accepted updates only", result.accepted_only),
        )
        if on
    )
    if result.pages is not None:
        size = _counted(result.pages, "page")
    else:
        size = _counted(result.actions, "action")
    return f"Printed {what} ({result.period_label}{extras}) to {result.output.name}: {size}."


@command("import", "make a plan file from a spreadsheet (.xlsx) or its Actions sheet (.csv)")
def _import(p: argparse.ArgumentParser) -> None:
    p.add_argument("source", metavar="IN.xlsx|IN.csv", type=Path)
    p.add_argument("out", metavar="OUT.scrutiny", type=Path)

    def run(args: argparse.Namespace) -> int:
        from exports.sheets.importing import import_file

        summary = import_file(args.source, args.out)
        _out(str(summary))
        return 0

    p.set_defaults(run=run)


@command("export", "write the plan as a spreadsheet (.xlsx, .csv) or a public copy (.scrutiny)")
def _export(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE", type=Path)
    p.add_argument("out", metavar="OUT.xlsx|OUT.csv|OUT.scrutiny", type=Path)
    p.add_argument("--public", action="store_true", help="leave out exempt passages and history")
    p.add_argument(
        "--lead", metavar="NAME", help="only this lead officer's actions (a return sheet)"
    )
    p.add_argument("--period", metavar="LABEL", help="reporting period (default: the latest)")

    def run(args: argparse.Namespace) -> int:
        from exports.exporting import export_file

        summary = export_file(
            args.file, args.out, public=args.public, lead=args.lead, period=args.period
        )
        _out(str(summary))
        return 0

    p.set_defaults(run=run)


@command(
    "merge", "merge a returned copy or spreadsheet into FILE; report what came in and what clashes"
)
def _merge(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE", type=Path)
    p.add_argument("returned", metavar="RETURNED", type=Path)

    def run(args: argparse.Namespace) -> int:
        from exports.returns import merge_file

        report = merge_file(args.file, args.returned)
        _out(str(report))
        return 0

    p.set_defaults(run=run)


def _who(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--who", metavar="NAME", help="name recorded in the history (default: your login name)"
    )


def _period_of(doc: Document, label: str | None) -> Period:
    """Return the period called ``label`` (case and spacing ignored), or the latest."""
    from db.model import choose_period
    from db.reads import periods

    found = choose_period(periods(doc), label)
    if found is None:
        raise UserError("The plan has no reporting period yet.")
    return found


@command("clashes", "list the clashes a merge left open, or resolve one")
def _clashes(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE", type=Path)
    p.add_argument(
        "--resolve", metavar="N", type=int, help="the clash to resolve, numbered as listed"
    )
    way = p.add_mutually_exclusive_group()
    way.add_argument(
        "--take", choices=("mine", "theirs"), help="keep this plan's value or the return's"
    )
    way.add_argument("--combined", metavar="TEXT", help="set the text to TEXT instead")
    _who(p)

    def run(args: argparse.Namespace) -> int:
        from db import clashes
        from db.document import Document

        if args.resolve is None:
            if args.take or args.combined is not None:
                raise UserError("Say which clash to resolve with --resolve N.")
            with Document.open(args.file, read_only=True) as doc:
                _list_clashes(doc)
            return 0
        if args.take is None and args.combined is None:
            raise UserError("Say how to resolve it: --take mine, --take theirs or --combined TEXT.")
        with Document.open(args.file, who=args.who) as doc:
            found = clashes.clashes(doc)
            if not 1 <= args.resolve <= len(found):
                raise UserError(
                    f"There is no clash {args.resolve}; {_open_count(len(found))} "
                    f"(run 'scrutineer clashes {args.file.name}' to list them)."
                )
            item = found[args.resolve - 1]
            choice = args.take or "combined"
            clashes.resolve(doc, item.id, choice, args.combined)
            left = clashes.open_clash_count(doc)
        done = {"mine": "Kept mine", "theirs": "Took theirs", "combined": "Combined both"}[choice]
        _out(f"{done} for {item.ref}, {item.field_label}; {_open_count(left)}.")
        return 0

    p.set_defaults(run=run)


def _open_count(n: int) -> str:
    if n == 0:
        return "no clash is open"
    return "1 clash is open" if n == 1 else f"{n} clashes are open"


def _list_clashes(doc: Document) -> None:
    """Print the open clashes numbered from 1, each with both values, then how many."""
    from db import clashes

    found = clashes.clashes(doc)
    for number, item in enumerate(found, 1):
        source = f"{item.origin} ({item.who})" if item.who else item.origin
        _out(f"{number}. {item}")
        for side, value in (("mine", item.mine), (f"theirs ({source})", item.theirs)):
            lines = clashes.shown(doc, item, value).splitlines() or [""]
            _out(f"   {side}: {lines[0]}")
            for line in lines[1:]:
                _out(f"      {line}")
    summary = _open_count(len(found))
    _out(f"{summary[0].upper()}{summary[1:]} in {doc.path.name}.")


@command("signoff", "list a period's updates with their sign-off, or accept, send back or waive")
def _signoff(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE", type=Path)
    p.add_argument("--period", metavar="LABEL", help="reporting period (default: the latest)")
    p.add_argument(
        "--accept", action="append", default=[], metavar="REF", help="accept (repeatable)"
    )
    p.add_argument("--accept-submitted", action="store_true", help="accept every submitted update")
    p.add_argument(
        "--send-back",
        action="append",
        default=[],
        metavar="REF",
        help="send back to its lead (repeatable; say why with --note)",
    )
    p.add_argument("--waive", action="append", default=[], metavar="REF", help="waive (repeatable)")
    p.add_argument("--note", metavar="TEXT", default="", help="why it is sent back or waived")
    _who(p)

    def run(args: argparse.Namespace) -> int:
        """List the period's updates, or check every move and then make them all in one step.

        Every ref and every move is checked before any is made, and the moves are committed
        together (``db.signoff.move_all``), so a mistake on the command line changes nothing.
        """
        from db import signoff
        from db.document import Document
        from db.edits import describe

        named = [("accepted", r) for r in args.accept]
        named += [("returned", r) for r in args.send_back]
        named += [("waived", r) for r in args.waive]
        if args.note and not (args.send_back or args.waive):
            raise UserError(
                "--note says why an update is sent back or waived; it needs --send-back or --waive."
            )
        if not named and not args.accept_submitted:
            with Document.open(args.file, read_only=True) as doc:
                _list_sign_offs(doc, _period_of(doc, args.period))
            return 0
        with Document.open(args.file, who=args.who) as doc:
            period = _period_of(doc, args.period)
            moves: dict[str, tuple[str, str]] = {}
            for state, ref in named:
                update_id = signoff.update_called(doc, period.id, ref)
                if update_id in moves:
                    raise UserError(f"{ref} is named twice; say once what to do with it.")
                try:
                    signoff.check_move(doc, update_id, state)
                except ScrutineerError as exc:
                    name = describe(doc, "updates", doc.row("updates", update_id) or {})
                    raise UserError(f"{name}: {str(exc)[:1].lower()}{str(exc)[1:]}") from exc
                moves[update_id] = (state, "" if state == "accepted" else args.note)
            if args.accept_submitted:
                waiting = [u for u in signoff.waiting(doc, period.id) if u not in moves]
                if not waiting:
                    other = " other" if moves else ""
                    _out(
                        f"No{other} update of {period.label} is submitted and waits to be accepted."
                    )
                moves.update((u, ("accepted", "")) for u in waiting)
            # One step, as the sign-off window makes it: all the moves are made, or none.
            signoff.move_all(doc, [(u, state, note) for u, (state, note) in moves.items()])
            for update_id, (state, note) in moves.items():
                name = describe(doc, "updates", doc.row("updates", update_id) or {})
                _out(f"{_DONE[state]} {name}" + (f" (note: {note})." if note else "."))
        return 0

    p.set_defaults(run=run)


def _locking(lock: bool) -> Callable[[argparse.ArgumentParser], None]:
    """Return the declaration of ``lock`` (through the sign-off check) or ``unlock``."""
    verb = "lock" if lock else "unlock"

    def declare(p: argparse.ArgumentParser) -> None:
        p.add_argument("file", metavar="FILE", type=Path)
        p.add_argument(
            "--period", metavar="LABEL", required=True, help=f"reporting period to {verb}"
        )
        _who(p)

        def run(args: argparse.Namespace) -> int:
            from db import edits, signoff
            from db.document import Document

            with Document.open(args.file, who=args.who) as doc:
                period = _period_of(doc, args.period)
                if period.locked == lock:
                    _out(f"{period.label} is {'already' if lock else 'not'} locked.")
                    return 0
                if lock:
                    signoff.lock_period(doc, period.id)
                else:
                    edits.lock_period(doc, period.id, False)
            can = "cannot change now" if lock else "can change again"
            _out(f"{verb.title()}ed {period.label}: its statuses, updates and performance {can}.")
            return 0

        p.set_defaults(run=run)

    return declare


command("lock", "lock a period once every update is accepted or waived and no clash is open")(
    _locking(True)
)
command("unlock", "unlock a period so its statuses, updates and performance can change again")(
    _locking(False)
)


_DONE = {"accepted": "Accepted", "returned": "Sent back", "waived": "Waived"}


def _list_sign_offs(doc: Document, period: Period) -> None:
    """Print each update of ``period`` with its leads, state, who and when, then the counts."""
    from db import signoff

    rows: list[tuple[str, ...]] = []
    counts = dict.fromkeys(signoff.STATES, 0)
    for row in signoff.period_rows(doc, period.id):
        action, off = row.action, row.sign_off
        counts[off.state] += 1
        when = off.at.replace("T", " ")[:16]
        rows.append(
            (action.ref, ", ".join(action.leads) or "-", off.label, off.who, when, off.note)
        )
    widths = [max((len(r[i]) for r in rows), default=0) for i in range(5)] + [0]
    for row in rows:
        _out("  ".join(t.ljust(w) for t, w in zip(row, widths, strict=True)).rstrip())
    locked = " (locked)" if period.locked else ""
    if not rows:
        _out(f"{period.label}{locked} has no updates.")
        return
    counted = ", ".join(f"{n} {signoff.LABELS[state].lower()}" for state, n in counts.items() if n)
    _out(f"{period.label}{locked}: {len(rows)} update{'s' if len(rows) != 1 else ''}, {counted}.")


def build_parser() -> argparse.ArgumentParser:
    """Return the parser for every command (the window is the default)."""
    parser = argparse.ArgumentParser(
        prog="scrutineer",
        description="Keep a Police and Crime Plan in one file, exchange it with lead officers "
        "and print the panel's appendix. With no command, opens the window.",
        epilog="Run 'scrutineer COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"scrutineer {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (help_text, declare) in COMMANDS.items():
        declare(
            sub.add_parser(
                name, help=help_text, description=help_text[0].upper() + help_text[1:] + "."
            )
        )
    return parser


def build_window_parser() -> argparse.ArgumentParser:
    """Return the parser for opening the window on a file."""
    parser = argparse.ArgumentParser(prog="scrutineer", description="Open the Scrutineer window.")
    parser.add_argument("file", metavar="FILE", nargs="?", type=Path, help="plan to open")
    parser.add_argument(
        "--settings", metavar="FOLDER", type=Path, help="keep settings in FOLDER (tests)"
    )
    parser.add_argument(
        "--no-err-windows", action="store_true", help="report errors on stderr, never in a dialog"
    )
    parser.add_argument("--version", action="version", version=f"scrutineer {__version__}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the process exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    first = next((a for a in argv if not a.startswith("-")), None)
    try:
        if first in COMMANDS or (argv and argv[0] in ("-h", "--help")):
            args = build_parser().parse_args(argv)
            if args.command is None:
                build_parser().print_help()
                return 0
            return int(args.run(args))
        args = build_window_parser().parse_args(argv)
        from desktop.app import run_app

        return run_app(args.file, settings_dir=args.settings, no_err_windows=args.no_err_windows)
    except ScrutineerError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader stopped early (| head); say nothing more to it, as Python's docs advise.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
