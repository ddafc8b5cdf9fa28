"""The command line: the same operations the windows offer, for batch work and for tests.

Qt is imported only when the window is opened, so every command here runs headless.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from db.errors import ScrutineerError
from desktop import __version__

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
        from exports.printing import print_file

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
        _out(str(result))
        return 0

    p.set_defaults(run=run)


@command("import", "make a plan file from a spreadsheet (.xlsx) or its Actions sheet (.csv)")
def _import(p: argparse.ArgumentParser) -> None:
    p.add_argument("source", metavar="IN.xlsx|IN.csv", type=Path)
    p.add_argument("out", metavar="OUT.scrutiny", type=Path)

    def run(args: argparse.Namespace) -> int:
        from exports.spreadsheet_import import import_file

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


if __name__ == "__main__":
    sys.exit(main())
