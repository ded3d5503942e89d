"""Crash reports without personal data.

The GUI's excepthook calls :func:`write_crash_report`; it writes a text file into the log
directory and returns its path for the dialog ("Details kopieren"). The report holds the program
version, the platform and the traceback as file names, line numbers, function names and our own
source lines — never local variables, field values, file contents or full paths (they contain
user names). Exception messages are kept only after quoted text, paths, e-mail addresses, long
digit runs (IBANs, amounts) and runs of capitalised words (names) are blanked, because messages
often quote what was typed.
"""

from __future__ import annotations

import contextlib
import linecache
import logging
import os
import platform
import re
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from . import __version__, atomic
from .paths import log_dir

KEEP_REPORTS = 20
_PREFIX = "absturz-"

_QUOTED = re.compile(r"""'[^']*'|"[^"]*"|„[^“”]*[“”]|«[^»]*»|‚[^‘’]*[‘’]""")
_WIN_PATH = re.compile(r"(?:[A-Za-z]:|\\\\[^\\\s]+)[\\/][^\s:;,'\"]*")
_POSIX_PATH = re.compile(r"(?<![\w.])/(?:[^\s/:;,'\"]+/)+[^\s:;,'\"]*")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_DIGITS = re.compile(r"\b[A-Z]{0,2}\d[\d .,]{4,}\d\b")
# every amount, however small ("12,50", "0,01 €", "-3"): money is personal in a town hall's books
_AMOUNT = re.compile(r"(?<![\w.])[-+]?\d+(?:[.,]\d+)*(?:\s?(?:€|EUR))?(?![\w])")
_sources: list[Callable[[], Callable[[], Iterable[str]] | None]] = []
# two or more capitalised words in a row ("Mustermann, Erika", "Erika Mustermann"): a name
_NAME = re.compile(r"\b[A-ZÄÖÜ][a-zäöüß]+(?:(?:,\s*|\s+|-)[A-ZÄÖÜ][a-zäöüß]+)+\b")


def _file_name(path: str) -> str:
    return re.split(r"[\\/]", path)[-1] if path else path


def scrub_values_from(source: Callable[[], Callable[[], Iterable[str]] | None]) -> None:
    """Register where the open file's personal values come from (a weak reference to a method:
    a closed workspace drops out by itself). Read only when a report is written."""
    _sources[:] = [known for known in _sources if known() is not None] + [source]


def _known_values() -> list[str]:
    values: set[str] = set()
    for source in _sources:
        read = source()
        if read is None:
            continue
        with contextlib.suppress(Exception):  # the file may be why we crashed: scrub what we can
            for value in read():
                values.add(value)
                values.update(part for part in re.split(r"[\s,;/]+", value) if len(part) >= 3)
    return sorted(values, key=len, reverse=True)  # "Dragan Petrović" before "Dragan"


def _blank_known(text: str, values: list[str]) -> str:
    for value in values:
        if len(value) >= 2 and value.casefold() in text.casefold():
            text = re.sub(re.escape(value), "‹Name›", text, flags=re.IGNORECASE)
        if " " in value.strip() and len(value) >= 8:  # an IBAN typed without its spaces
            compact = value.replace(" ", "")
            text = re.sub(re.escape(compact), "‹Name›", text, flags=re.IGNORECASE)
    return text


def scrub(text: str) -> str:
    """Blank what may be personal in a message; keep its shape for the developer."""
    text = _blank_known(text, _known_values())
    text = _QUOTED.sub("‹…›", text)
    text = _EMAIL.sub("‹E-Mail›", text)
    text = _WIN_PATH.sub(lambda m: "‹Pfad›" + _file_name(m.group(0)), text)
    text = _POSIX_PATH.sub(lambda m: "‹Pfad›" + _file_name(m.group(0)), text)
    text = _DIGITS.sub("‹Zahl›", text)
    text = _AMOUNT.sub("‹Zahl›", text)
    text = _NAME.sub("‹Name›", text)
    return text[:300]


def _frames(tb: TracebackType | None) -> list[str]:
    lines = []
    for frame, lineno in traceback.walk_tb(tb):
        code = frame.f_code
        name = _file_name(code.co_filename)
        source = linecache.getline(code.co_filename, lineno).strip()  # program code, not data
        lines.append(f'  Datei "{name}", Zeile {lineno}, in {code.co_name}')
        if source:
            lines.append(f"    {source[:160]}")
    return lines


def _chain(exc: BaseException | None) -> list[BaseException]:
    seen, chain = set(), []
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        chain.append(exc)
        exc = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)
    return list(reversed(chain))


def _sqlite_version() -> str:
    """The SQLite library in use, if storage was loaded (this module does no SQL itself)."""
    module = sys.modules.get("sqlite3")
    return getattr(module, "sqlite_version", "nicht geladen")


def crash_text(exc_type: type[BaseException], exc: BaseException | None, tb: TracebackType | None,
               *, now: datetime | None = None) -> str:
    """The report as text: what the dialog shows and the file holds."""
    now = now or datetime.now(UTC)
    frozen = "ja" if getattr(sys, "frozen", False) else "nein"
    lines = [
        "PaktDesk – Fehlerbericht",
        "Dieser Bericht enthält keine Namen, Beträge oder Dateiinhalte.",
        "",
        f"Zeitpunkt (UTC): {now.isoformat(timespec='seconds')}",
        f"PaktDesk: {__version__} (gebündelt: {frozen})",
        f"Python: {platform.python_version()} ({platform.python_implementation()})",
        f"SQLite: {_sqlite_version()}",
        f"System: {platform.system()} {platform.release()} ({platform.machine()})",
        "",
    ]
    exc = exc if exc is not None else exc_type()
    if exc.__traceback__ is None and tb is not None:
        exc = exc.with_traceback(tb)
    for index, item in enumerate(_chain(exc)):
        if index:
            lines.append("\nDaraus folgte:")
        lines.append("Ablauf (neuester Aufruf zuletzt):")
        lines.extend(_frames(item.__traceback__))
        kind = type(item)
        message = scrub(str(item))
        lines.append(f"{kind.__module__}.{kind.__qualname__}" + (f": {message}" if message else ""))
    return "\n".join(lines) + "\n"


def write_crash_report(exc_type: type[BaseException], exc: BaseException | None,
                       tb: TracebackType | None, *, folder: Path | None = None,
                       now: datetime | None = None) -> Path:
    """Write the report into the log directory (or the temp folder if that fails); return its path.
    Keeps the newest :data:`KEEP_REPORTS` reports. Never raises."""
    now = now or datetime.now(UTC)
    text = crash_text(exc_type, exc, tb, now=now)
    logging.getLogger("paktdesk.crash").error("Unerwarteter Fehler: %s (Bericht wird geschrieben)",
                                              exc_type.__name__)
    name = f"{_PREFIX}{now.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.txt"
    for target in (folder or _log_dir_or_none(), Path(tempfile.gettempdir())):
        if target is None:
            continue
        try:
            target.mkdir(parents=True, exist_ok=True)
            path = target / name
            atomic.write_bytes(path, text.encode("utf-8"))
            _prune(target)
            return path
        except OSError:
            continue
    return Path(tempfile.gettempdir()) / name  # nowhere writable: the dialog still shows the text


def _log_dir_or_none() -> Path | None:
    try:
        return log_dir()
    except Exception:  # noqa: BLE001 - a broken environment must not stop the crash report
        return None


def _prune(folder: Path) -> None:
    reports = sorted(folder.glob(f"{_PREFIX}*.txt"), key=lambda p: p.name)
    for old in reports[:-KEEP_REPORTS]:
        with contextlib.suppress(OSError):
            old.unlink()


def report_current_exception(*, folder: Path | None = None) -> Path:
    """Convenience for ``except:`` blocks: report the exception being handled."""
    exc_type, exc, tb = sys.exc_info()
    return write_crash_report(exc_type or RuntimeError, exc, tb, folder=folder)
