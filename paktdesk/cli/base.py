"""Shared pieces of the command line: German argparse, exit codes, argument types."""

from __future__ import annotations

import argparse
import re
import sys

from ..core.errors import PaktDeskError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
DECISION_HELP = "Aktenzeichen des Bescheids (ein eindeutiger Anfang genügt) oder seine Nummer"


class UsageError(Exception):
    """Wrong combination of arguments found after parsing: reported like argparse's errors."""


_INVALID_VALUE = re.compile(r"invalid (\w+) value: (.*)")
_TYPE_NAMES = {"int": "eine ganze Zahl", "float": "eine Zahl", "Path": "ein Dateiname", "date_arg": "ein Datum"}
_PHRASES = (
    ("the following arguments are required", "diese Angaben fehlen"),
    ("unrecognized arguments", "unbekannte Angaben"),
    ("invalid choice", "ungültige Auswahl"),
    ("expected one argument", "erwartet einen Wert"),
    ("expected at least one argument", "erwartet mindestens einen Wert"),
    ("expected at most one argument", "erwartet höchstens einen Wert"),
    ("ambiguous option", "mehrdeutige Option"),
    ("could match", "passt zu"),
    ("not allowed with argument", "nicht zusammen mit"),
    ("ignored explicit argument", "überflüssiger Wert"),
    ("one of the arguments", "eine der Angaben"),
    ("is required", "ist nötig"),
    ("choose from", "möglich:"),
    ("argument ", "Angabe "),
)


def translate_usage(message: str) -> str:
    """argparse's English usage errors in German (its own texts have no translation catalogue)."""
    message = _INVALID_VALUE.sub(
        lambda m: f"ungültiger Wert {m.group(2)} (erwartet: {_TYPE_NAMES.get(m.group(1), m.group(1))})", message)
    for english, german in _PHRASES:
        message = message.replace(english, german)
    return message


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        # argparse passes prefix="" when it builds a sub-command's prog: keep that one empty
        super().add_usage(usage, actions, groups, prefix="Aufruf: " if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """argparse with German usage errors and headings."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)
        self._positionals.title = "Angaben"  # a file a command works on
        self._optionals.title = "Optionen"

    def add_subparsers(self, **kwargs):
        self._positionals.title = "Befehle"  # argparse lists the sub-commands among the positionals
        return super().add_subparsers(**kwargs)

    def error(self, message: str):  # noqa: D401 - argparse override
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: Fehler: {translate_usage(message)}\n")


def add_command(commands, name: str, text: str, run, **kwargs) -> argparse.ArgumentParser:
    """A sub-command with a German -h and the function that runs it (``run(args) -> exit code``)."""
    sub = commands.add_parser(name, help=text, add_help=False, **kwargs)
    sub.add_argument("-h", "--help", action="help", help="diese Hilfe anzeigen")
    sub.set_defaults(run=run)
    return sub


def date_arg(text: str):
    """TT.MM.JJJJ or JJJJ-MM-TT → date, with the German message of core.periods."""
    from ..core.periods import parse_date

    try:
        return parse_date(text)
    except PaktDeskError as err:
        raise argparse.ArgumentTypeError(str(err)) from None
