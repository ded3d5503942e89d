"""The command line: the same use cases without a window.

Exit codes: 0 ok, 1 a check failed or the action could not be done, 2 wrong usage. Each area's
commands live in their own module with a ``register(commands)`` function; every sub-command
carries the function that runs it (``args.run``)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from .. import __version__
from ..core.errors import DataFileError, PaktDeskError
from ..core.os_errors import describe as describe_os_error
from . import basic, deadlines, exchange, money, printing, safety
from .base import EXIT_FAILED, EXIT_OK, EXIT_USAGE, Parser, UsageError

__all__ = ["EXIT_FAILED", "EXIT_OK", "EXIT_USAGE", "build_parser", "main"]

_AREAS = (basic, printing, safety, deadlines, money, exchange)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="paktdesk", description="PaktDesk – Pakt für Integration verwalten.", add_help=False)
    parser.add_argument("-h", "--help", action="help", help="diese Hilfe anzeigen")
    parser.add_argument("--version", action="version", version=f"PaktDesk {__version__}",
                        help="Version anzeigen")
    parser.add_argument("--data", metavar="DATEI", type=Path,
                        help="Datenbestand; ohne --data öffnet nur das Programmfenster (gui) den im "
                        "Benutzer-Datenordner, jeder andere Befehl braucht --data")
    parser.add_argument("--sperre-uebernehmen", dest="take_over_lock", action="store_true",
                        help="eine verwaiste Sperre (Programm abgestürzt) übernehmen")
    parser.add_argument("--demo", action="store_true",
                        help="Programm mit einer frischen Demo-Kopie an einem temporären Ort öffnen")
    commands = parser.add_subparsers(dest="command", metavar="BEFEHL", parser_class=Parser)
    for area in _AREAS:
        area.register(commands)
    return parser


def _stdout_to_devnull() -> None:
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no real file descriptor (tests capture stdout)
        pass


def main(argv: list[str], *, run_gui: Callable[..., int] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    command = args.command or "gui"
    try:
        if args.demo:
            if args.data:
                parser.error("--demo und --data schließen sich aus")
            return basic.run_demo_window(run_gui)
        if command == "gui":
            return basic.run_window(run_gui, args.data)
        if args.data is None:
            parser.error(f"„{command}“ braucht --data DATEI")
        code = args.run(args)
        sys.stdout.flush()  # here, not at exit, so a closed pipe is handled below
        return code
    except BrokenPipeError:
        # the reader went away (``paktdesk deadlines --alle | head``): end quietly, no traceback and
        # no second error when Python flushes stdout at exit; what was written stays as it is
        _stdout_to_devnull()
        return EXIT_FAILED
    except UsageError as err:
        parser.error(str(err))
    except PaktDeskError as err:
        print(f"Fehler: {err}", file=sys.stderr)
        if command in ("check", "backup", "backups") and isinstance(err, DataFileError) and args.data:
            safety.offer_backup(args.data)
        return EXIT_FAILED
    except OSError as err:  # a file a command reads or writes; its reason in German, no traceback
        print(f"Fehler: {describe_os_error(err)}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_USAGE
