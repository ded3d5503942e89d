"""Verified backups of a Datenbestand, their rotation, and restoring one into place.

A backup is made in two stages:

1. **snapshot** (what the clerk waits for, about as long as ``sqlite3 .backup``): a consistent
   copy of the live file into a temporary file beside the target, hashed (SHA-256) while it is
   copied, its header checked, flushed (:mod:`.snapshot`); the counts and sums for the restore
   list are read under the same read lock. The copy is byte-identical to the live file;
2. **deep check** of the copy: SQLite ``integrity_check``, foreign keys, schema, the money row
   hashes and control totals, the same counts and sums as the live file, the SHA-256 again.

Then ``os.replace`` into its final, time-stamped name, with a JSON sidecar (``….paktdesk.json``)
holding what the restore list shows, the SHA-256 and the state of the deep check
(``deep_check``: "geprüft", "ausstehend", "fehlgeschlagen").

``deep_check="now"`` (every automatic backup: before a migration, restore or import, on close)
runs both stages before the rename: a crash at any moment leaves either no new backup or a
complete verified one. ``deep_check="later"`` (the clerk's "Jetzt sichern") renames the copy into
place as "ausstehend" and leaves the deep check to :func:`finish_backup` on a worker; only a
passed deep check makes the backup count: before that it is not offered for restore without
being checked first, and rotation neither counts nor deletes it (a bad new backup can never push
good old ones out). A failed deep check marks it "fehlgeschlagen" for good: since the copy is
byte-identical, the live file itself is then probably damaged. A backup still "ausstehend" after
the program ended is checked by :func:`settle_backup` (next start, listing, restore).

Stray temporary files are removed by the next backup. A backup whose bytes no longer match its
sidecar is "damaged": it is not offered, not counted by the rotation and never deleted by it.

Rotation keeps the newest backup of each of the last 7 days, 4 weeks and 12 months (editable),
the newest one of each kind made before an update, restore or import, and pauses after a restore
so the backups made before it survive until the clerk is sure.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import shutil
import sqlite3
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from .. import __version__, atomic
from ..atomic import fsync_dir, replace_file
from ..core.errors import DataFileError, IntegrityError, NewerFileError, OtherGemeindeError
from .connection import APPLICATION_ID, Store, refuse_newer
from .datafile import schema_problems
from . import chain, chain_check
from .integrity import verify_money
from .snapshot import SnapshotError, take_snapshot
from .versions import KNOWN_MIGRATIONS, SCHEMA_VERSION
from ..core.os_errors import reason as os_reason

log = logging.getLogger("paktdesk.db.backup")

BACKUP_SUFFIX = ".paktdesk"
SIDECAR_SUFFIX = ".json"
ASIDE_SUFFIX = ".paktdesk-alt"  # a replaced live file, kept as evidence; never listed as a backup
FOLDER_NAME = "Sicherungen"
SETTINGS_KEY = "backup"
PAUSE_DAYS = 30

# reason code → the word in the file name and the German label in the restore list
REASONS = {
    "manual": ("manuell", "manuell"),
    "close": ("beim-Schliessen", "beim Schließen"),
    "migration": ("vor-Update", "vor einem Programm-Update"),
    "restore": ("vor-Wiederherstellung", "vor einer Wiederherstellung"),
    "import": ("vor-Import", "vor einem Import"),
    "erasure": ("nach-Loeschung", "nach dem Löschen personenbezogener Daten"),
}
PROTECTED = ("migration", "restore", "import")
_WORD_TO_REASON = {word: code for code, (word, _) in REASONS.items()}
_NAME = re.compile(
    r"^(?P<stem>.+)_(?P<day>\d{4}-\d{2}-\d{2})_(?P<time>\d{2}-\d{2}-\d{2})(?:-(?P<n>\d+))?_(?P<word>[A-Za-z-]+)$")
_TEMP_MARK = ".tmp-"

# the state of a backup's deep check (stored in the sidecar as these German words)
CHECKED, PENDING, FAILED, DAMAGED = "geprüft", "ausstehend", "fehlgeschlagen", "beschädigt"
STATE_LABELS = {CHECKED: "ja", PENDING: "Prüfung ausstehend", FAILED: "Prüfung fehlgeschlagen",
                DAMAGED: "beschädigt"}
DEEP_CHECK_MODES = ("now", "later")
_CHANGED_AFTER = "Die Datei wurde nach der Sicherung verändert oder beschädigt."
_COUNTED = ("persons", "decisions", "receipts", "payments", "audit_log")


@dataclass(frozen=True, slots=True)
class Keep:
    """How many backups rotation keeps: newest per day, ISO week and month."""

    daily: int = 7
    weekly: int = 4
    monthly: int = 12


@dataclass(frozen=True, slots=True)
class BackupSettings:
    keep: Keep = Keep()
    folder: Path | None = None  # None: "Sicherungen" beside the data file
    second_folder: Path | None = None  # e.g. a USB stick or a network share


@dataclass(frozen=True, slots=True)
class Summary:
    """What the restore list shows about a backup, stored in its sidecar."""

    created_at: str  # UTC ISO
    reason: str
    source_name: str
    owner: str
    ags: str
    schema_version: int
    counts: dict[str, int]
    totals: dict[str, list[int]]  # money table → [rows, cents]
    audit_last_id: int
    size: int = 0
    sha256: str = ""
    program: str = ""
    deep_check: str = "geprüft"  # "ausstehend" until the deep check of the copy ran (older sidecars: checked)
    deep_problems: tuple[str, ...] = ()  # what a failed deep check found
    anchor: str = ""  # the head of the hash chain in this backup (older sidecars: none)

    @property
    def reason_label(self) -> str:
        return REASONS.get(self.reason, (self.reason, self.reason))[1]

    def content_key(self) -> tuple:
        """Equal for two files holding the same data (used to skip needless backups)."""
        return (self.schema_version, self.audit_last_id, tuple(sorted(self.counts.items())),
                tuple(sorted((k, tuple(v)) for k, v in self.totals.items())))


@dataclass(frozen=True, slots=True)
class BackupEntry:
    """One backup file as the restore list sees it."""

    path: Path
    created: datetime  # aware
    reason: str
    summary: Summary | None
    ok: bool  # proven good: may be restored and counts for rotation
    problems: tuple[str, ...] = ()
    state: str = ""  # CHECKED, PENDING, FAILED or DAMAGED ("" → CHECKED if ok else DAMAGED)

    @property
    def stem(self) -> str:
        return parse_name(self.path)[0] if parse_name(self.path) else self.path.stem

    @property
    def check_state(self) -> str:
        return self.state or (CHECKED if self.ok else DAMAGED)

    @property
    def pending(self) -> bool:
        """The deep check has not run yet (running now, or the program ended before)."""
        return self.check_state == PENDING

    @property
    def restorable(self) -> bool:
        """May be offered for restore: checked, or still to be checked (restoring runs the deep
        check first and refuses the backup if it fails)."""
        return self.ok or self.pending

    @property
    def state_label(self) -> str:
        """The German word for the restore list's "Geprüft" column."""
        return STATE_LABELS[self.check_state]


@dataclass(frozen=True, slots=True)
class PendingCheck:
    """What :func:`finish_backup` does after the snapshot: deep check, then copy to the second
    folder and rotate (only if the check passed)."""

    path: Path
    stem: str
    second_folder: Path | None = None
    keep: Keep | None = None
    rotate_after: bool = True
    now: datetime | None = None  # None: the time the check finishes


@dataclass(frozen=True, slots=True)
class BackupResult:
    path: Path
    summary: Summary
    second_path: Path | None = None
    removed: tuple[Path, ...] = ()
    warnings: tuple[str, ...] = field(default_factory=tuple)
    pending: PendingCheck | None = None  # set when the deep check is still to run (deep_check="later")

    @property
    def checked(self) -> bool:
        return self.pending is None and self.summary.deep_check == CHECKED


class BackupCheckFailed(IntegrityError):
    """The deep check of a backup failed after its snapshot. ``str(err)`` tells the clerk (in
    German) that the live file itself may be damaged; ``problems`` lists what was found."""

    def __init__(self, message: str, *, path: Path, problems: tuple[str, ...], damaged_copy: bool = False):
        super().__init__(message)
        self.path = path
        self.problems = problems
        self.damaged_copy = damaged_copy  # the backup file changed after the snapshot (not the live file)


@dataclass(frozen=True, slots=True)
class RestoreResult:
    restored_from: Path
    aside: Path | None
    summary: Summary


# ---------------------------------------------------------------- names and settings

def default_folder(data_path: Path) -> Path:
    return Path(data_path).parent / FOLDER_NAME


def load_settings(store: Store) -> BackupSettings:
    """Backup settings from the ``settings`` table (key ``backup``), defaults where missing."""
    try:
        row = store.conn.execute("SELECT value FROM settings WHERE key = ?", [SETTINGS_KEY]).fetchone()
        data = json.loads(row[0]) if row else {}
    except (sqlite3.Error, ValueError):
        data = {}
    if not isinstance(data, dict):
        data = {}

    def count(key: str, default: int) -> int:
        value = data.get(key, default)
        return value if isinstance(value, int) and 0 <= value <= 1000 else default

    keep = Keep(count("daily", 7), count("weekly", 4), count("monthly", 12))
    folder = data.get("folder")
    second = data.get("second_folder")
    return BackupSettings(keep, Path(folder) if isinstance(folder, str) and folder else None,
                          Path(second) if isinstance(second, str) and second else None)


def settings_value(settings: BackupSettings) -> dict[str, Any]:
    """The JSON value stored under ``backup`` in the settings table."""
    return {"daily": settings.keep.daily, "weekly": settings.keep.weekly,
            "monthly": settings.keep.monthly,
            "folder": str(settings.folder) if settings.folder else None,
            "second_folder": str(settings.second_folder) if settings.second_folder else None}


def folder_for(data_path: Path, settings: BackupSettings | None = None) -> Path:
    if settings and settings.folder:
        return settings.folder
    return default_folder(data_path)


def parse_name(path: Path) -> tuple[str, datetime, str] | None:
    """``Datenbestand_2026-05-09_14-30-12_manuell.paktdesk`` → (stem, local time, reason code)."""
    name = Path(path).name
    if not name.endswith(BACKUP_SUFFIX):
        return None
    match = _NAME.match(name[: -len(BACKUP_SUFFIX)])
    if not match:
        return None
    try:
        when = datetime.strptime(f"{match['day']} {match['time']}", "%Y-%m-%d %H-%M-%S").astimezone()
    except ValueError:
        return None
    return match["stem"], when, _WORD_TO_REASON.get(match["word"], match["word"])


def backup_name(stem: str, when: datetime, reason: str, folder: Path) -> str:
    local = when.astimezone()
    base = f"{stem}_{local:%Y-%m-%d_%H-%M-%S}"
    word = REASONS[reason][0]
    candidate, number = f"{base}_{word}{BACKUP_SUFFIX}", 1
    while (folder / candidate).exists():
        number += 1
        candidate = f"{base}-{number}_{word}{BACKUP_SUFFIX}"
    return candidate


def sidecar_of(path: Path) -> Path:
    return Path(path).with_name(Path(path).name + SIDECAR_SUFFIX)


# ---------------------------------------------------------------- file helpers

_HASHES: dict[tuple[str, int, int], str] = {}  # (path, size, mtime) → SHA-256, for this process


def sha256_of(path: Path, *, cached: bool = False) -> str:
    """SHA-256 of a file. ``cached``: reuse the value computed earlier in this process for the
    same path, size and modification time (listing 23 large backups must not hash them all
    again after every backup)."""
    stat = os.stat(path)
    key = (str(Path(path).resolve()), stat.st_size, stat.st_mtime_ns)
    if cached and key in _HASHES:
        return _HASHES[key]
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    _HASHES[key] = digest.hexdigest()
    return _HASHES[key]


def _remember_hash(path: Path, sha: str) -> None:
    stat = os.stat(path)
    _HASHES[(str(Path(path).resolve()), stat.st_size, stat.st_mtime_ns)] = sha


def fsync_file(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def write_atomic(target: Path, data: bytes) -> None:
    """Sidecars and settings through the one atomic writer (its temporary names hold the process
    and a random part: two deep checks may record at once)."""
    atomic.write_bytes(target, data)


def _os_message(err: OSError, what: str) -> str:
    if getattr(err, "errno", None) in (28, 27, 122):  # ENOSPC, EFBIG, EDQUOT
        return f"{what}: Auf dem Datenträger ist nicht genug Platz. Die bisherigen Daten sind unverändert."
    if isinstance(err, PermissionError):
        return f"{what}: Keine Schreibberechtigung für „{Path(err.filename or '').name or 'den Ordner'}“."
    return f"{what}: {os_reason(err)}."


def _sqlite_message(err: sqlite3.Error, what: str) -> str:
    name = getattr(err, "sqlite_errorname", "") or ""
    if name.startswith("SQLITE_FULL") or "full" in str(err):
        return f"{what}: Auf dem Datenträger ist nicht genug Platz. Die bisherigen Daten sind unverändert."
    if name.startswith("SQLITE_CANTOPEN"):
        return f"{what}: Die Zieldatei kann nicht angelegt werden (Ordner fehlt oder ist schreibgeschützt)."
    if name.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT")):
        return f"{what}: Die Datei ist beschädigt."
    if name.startswith("SQLITE_IOERR") or "I/O" in str(err):
        return (f"{what}: Beim Schreiben auf den Datenträger ist ein Fehler aufgetreten (voll, zu klein "
                "oder defekt?). Die bisherigen Daten sind unverändert.")
    return f"{what}: SQLite meldet „{err}“."


def _remove_stale_temps(folder: Path, *, older_than: timedelta = timedelta(hours=1)) -> None:
    """Temporary files of backups that were interrupted (crash, power cut)."""
    now = time.time()
    for temp in folder.glob(f".*{_TEMP_MARK}*"):
        with contextlib.suppress(OSError, ValueError):
            pid = int(temp.name.rsplit(_TEMP_MARK, 1)[1].split(".")[0])
            age = now - temp.stat().st_mtime
            orphan = pid != os.getpid() and not _pid_alive(pid) and age > 60
            if orphan or age > older_than.total_seconds():
                temp.unlink()


def remove_leftovers(live: Path) -> None:
    """At start: temporary copies of killed backups and restores beside the live file and in its
    backup folder (only our ``.<name>.tmp-<pid>`` names of processes that are gone)."""
    live = Path(live)
    for folder in (live.parent, default_folder(live)):
        if folder.is_dir():
            with contextlib.suppress(OSError):
                _remove_stale_temps(folder)


def _pid_alive(pid: int) -> bool:
    from ..platform_win import process_alive

    return process_alive(pid)


# ---------------------------------------------------------------- checking a file

@contextlib.contextmanager
def _open_snapshot(path: Path) -> Iterator[sqlite3.Connection]:
    """A closed file opened read-only and immutable: no locks, no journal, nothing written."""
    uri = f"{Path(path).resolve().as_uri()}?mode=ro&immutable=1"
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    try:
        yield conn
    finally:
        conn.close()


def chain_prefix_problems(store: Store, path: Path, *, holding: str | None = None) -> list[str] | None:
    """Whether the hash chain of the backup ``path`` is a prefix of the live one (German problems);
    None when the backup was not compared (unreadable, or without the anchor ``holding``)."""
    try:
        with _open_snapshot(path) as conn:
            if holding is not None and not chain_check.holds_anchor(conn, holding):
                return None
            return chain_check.backup_problems(store, conn, Path(path).name)
    except (sqlite3.Error, OSError):
        return None


def summarize(conn: sqlite3.Connection, *, reason: str = "", source_name: str = "",
              created_at: str = "") -> Summary:
    """Owner, counts, control totals and last audit id of an open file."""
    owner, ags = "", ""
    with contextlib.suppress(sqlite3.Error):
        row = conn.execute("SELECT name, ags FROM profile WHERE id = 1").fetchone()
        if row:
            owner, ags = row
    counts = {}
    for table in _COUNTED:
        with contextlib.suppress(sqlite3.Error):
            counts[table] = conn.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0]
    totals = {}
    with contextlib.suppress(sqlite3.Error):
        totals = {name: [rows, cents] for name, rows, cents in
                  conn.execute("SELECT table_name, row_count, sum_cents FROM control_totals ORDER BY 1")}
    last = 0
    with contextlib.suppress(sqlite3.Error):
        last = conn.execute("SELECT ifnull(max(id), 0) FROM audit_log").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    anchor = ""
    with contextlib.suppress(sqlite3.Error):
        head = conn.execute("SELECT seq, link FROM chain_entries ORDER BY seq DESC LIMIT 1").fetchone()
        anchor = chain.anchor_code(*(head or (0, chain.GENESIS)))
    return Summary(created_at=created_at, reason=reason, source_name=source_name, owner=owner or "",
                   ags=ags or "", schema_version=version, counts=counts, totals=totals,
                   audit_last_id=last, program=f"PaktDesk {__version__}", anchor=anchor)


class _Beside(threading.Thread):
    """``function()`` on a second thread (SQLite and hashlib release the GIL, so a check and a
    hash of the same file run side by side on two cores); :meth:`outcome` joins it and returns
    its result or the exception it raised."""

    def __init__(self, function):
        super().__init__(name="paktdesk-check", daemon=True)
        self._function = function
        self._result: Any = None
        self._error: BaseException | None = None
        self.start()

    def run(self) -> None:
        try:
            self._result = self._function()
        except BaseException as err:  # noqa: BLE001 - handed to the thread that joins
            self._error = err

    def outcome(self) -> Any:
        self.join()
        if self._error is not None:
            raise self._error
        return self._result


def _integrity_check(path: Path) -> list[str]:
    with _open_snapshot(path) as conn:
        return [row[0] for row in conn.execute("PRAGMA integrity_check")]


def check_file(path: Path) -> tuple[list[str], Summary | None]:
    """Everything that must hold for a file to be restorable. Never writes, never raises for a
    damaged file: returns German problems (empty: good) and the summary if one could be read.

    SQLite's integrity check (the longest part) runs on its own connection beside the rest
    (foreign keys, schema, money hashes and control totals, counts); its verdict comes first.
    Unlike the check of the live file, an *older* schema is fine (it is migrated after restore)."""
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            head = handle.read(100)
    except OSError as err:
        return [f"Die Datei kann nicht gelesen werden ({os_reason(err)})."], None
    if len(head) < 100 or not head.startswith(b"SQLite format 3\x00"):
        return ["Die Datei ist keine PaktDesk-Datei oder abgeschnitten."], None
    if int.from_bytes(head[68:72], "big") != APPLICATION_ID:
        return ["Die Datei gehört nicht zu PaktDesk."], None
    broken = "Die Datei ist beschädigt ({})."
    integrity = None
    rest: list[str] = []
    summary = None
    failure: BaseException | None = None
    try:
        with _open_snapshot(path) as conn:
            store = Store(path, conn, read_only=True)
            refuse_newer(store, known_migrations=KNOWN_MIGRATIONS, schema_version=SCHEMA_VERSION)
            integrity = _Beside(lambda: _integrity_check(path))
            if conn.execute("PRAGMA foreign_key_check").fetchone():
                rest.append("Verweise auf fehlende Datensätze.")
            schema = schema_problems(store)
            if schema:
                rest.extend(schema)
            else:
                rest.extend(verify_money(store))
                rest.extend(chain_check.verify(store))
                summary = summarize(conn)
    except NewerFileError as err:
        return [str(err)], None
    except (sqlite3.Error, ValueError, TypeError, KeyError) as err:  # UnicodeDecodeError is a ValueError
        failure = err
    if integrity is not None:
        try:
            results = integrity.outcome()
        except (sqlite3.Error, ValueError, TypeError, KeyError) as err:
            return [broken.format(type(err).__name__)], None
        if results != ["ok"]:
            return ["SQLite-Integritätsprüfung: " + "; ".join(results[:3])], None
    if failure is not None:
        return [broken.format(type(failure).__name__)], None
    return rest, summary


# ---------------------------------------------------------------- making a backup

def make_backup(store: Store, folder: Path, *, reason: str = "manual", now: datetime | None = None,
                name: str | None = None, second_folder: Path | None = None, keep: Keep | None = None,
                rotate_after: bool = True, deep_check: str = "now") -> BackupResult:
    """Back up the open ``store`` into ``folder``: snapshot → (deep check) → rename.

    ``deep_check="now"``: the copy is fully verified before it is renamed into place, then copied
    to ``second_folder`` and old backups are rotated. ``"later"``: renamed into place as
    "ausstehend" at once; the result's ``pending`` is then handed to :func:`finish_backup`, which
    does the rest. Raises :class:`DataFileError` (German) if no backup could be written; the live
    file is never changed. A failing second folder only adds a warning."""
    if reason not in REASONS:
        raise ValueError(reason)
    if deep_check not in DEEP_CHECK_MODES:
        raise ValueError(deep_check)
    if store.conn.in_transaction:
        raise DataFileError("Sicherung nicht möglich, solange eine Änderung nicht abgeschlossen ist.")
    now = now or datetime.now(UTC)
    folder = Path(folder)
    what = "Die Sicherung wurde nicht angelegt"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _remove_stale_temps(folder)
    except OSError as err:
        raise DataFileError(_os_message(err, what)) from err
    stem = Path(store.path).stem
    final = folder / (name or backup_name(stem, now, reason, folder))
    temp = final.with_name(f".{final.name}{_TEMP_MARK}{os.getpid()}")
    try:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        snap, source = take_snapshot(store.conn, store.path, temp, describe=summarize)
        summary = _with_file_facts(source, size=snap.size, sha256=snap.sha256, reason=reason,
                                   source=store.path, now=now)
        if deep_check == "now":
            problems, _, _ = deep_problems(temp, summary)
            if problems:
                raise IntegrityError(f"{what}: Die Kopie hat die Prüfung nicht bestanden "
                                     f"({'; '.join(problems[:3])}). Bitte „Prüfen“ ausführen.")
            summary = replace(summary, deep_check=CHECKED)
        write_atomic(sidecar_of(temp), _sidecar_bytes(summary))
        replace_file(temp, final)
        replace_file(sidecar_of(temp), sidecar_of(final))
        fsync_dir(folder)
        _remember_hash(final, summary.sha256)
    except SnapshotError as err:
        _discard(temp)
        raise DataFileError(f"{what}: Die Kopie ist unvollständig ({err}). Bitte erneut versuchen.") from err
    except sqlite3.Error as err:
        _discard(temp)
        raise DataFileError(_sqlite_message(err, what)) from err
    except OSError as err:
        _discard(temp)
        raise DataFileError(_os_message(err, what)) from err
    except BaseException:
        _discard(temp)
        raise
    plan = PendingCheck(final, stem, second_folder, keep, rotate_after, now if deep_check == "now" else None)
    if deep_check == "later":
        return BackupResult(final, summary, pending=plan)
    return _after_check(plan, summary)


def _after_check(plan: PendingCheck, summary: Summary) -> BackupResult:
    """A backup that passed its deep check: copy it to the second folder, rotate old ones."""
    now = plan.now or datetime.now(UTC)
    warnings: list[str] = []
    second_path = None
    if plan.second_folder:
        try:
            second_path = copy_backup(plan.path, plan.second_folder)
        except DataFileError as err:
            warnings.append(f"Zweites Sicherungsziel „{plan.second_folder}“: {err}")
    removed: list[Path] = []
    if plan.rotate_after and plan.keep is not None:
        for target in (plan.path.parent, plan.second_folder):
            if target is None:
                continue
            try:
                removed.extend(rotate(target, plan.stem, keep=plan.keep, now=now))
            except OSError as err:
                warnings.append(f"Alte Sicherungen in „{target}“ konnten nicht aufgeräumt werden: {os_reason(err)}.")
    return BackupResult(plan.path, summary, second_path, tuple(removed), tuple(warnings))


def finish_backup(plan: PendingCheck) -> BackupResult:
    """The second stage of a ``deep_check="later"`` backup (on a worker): the deep check, the
    sidecar set to "geprüft", then the second folder and the rotation. If the check fails the
    backup is marked "fehlgeschlagen" (never offered, never rotating others away) and
    :class:`BackupCheckFailed` says in German what that means for the live file."""
    entry = settle_backup(plan.path)
    if not entry.ok:
        raise failure_of(entry)
    return _after_check(plan, entry.summary)


def failure_of(entry: BackupEntry) -> BackupCheckFailed:
    """The German explanation of a backup whose deep check did not pass."""
    found = "; ".join(problem.rstrip(".") for problem in entry.problems[:3]) or "nicht lesbar"
    if entry.check_state == DAMAGED:
        details = [p.rstrip(".") for p in entry.problems if p != _CHANGED_AFTER][:3]
        return BackupCheckFailed(
            f"Die Sicherung „{entry.path.name}“ wurde nach dem Anlegen verändert oder beschädigt"
            + (f" ({'; '.join(details)})" if details else "") + ". Sie wird nicht zum Zurückspielen "
            "angeboten. Bitte eine neue Sicherung anlegen.",
            path=entry.path, problems=entry.problems, damaged_copy=True)
    return BackupCheckFailed(
        f"Die Prüfung der Sicherung „{entry.path.name}“ hat Fehler gefunden: {found}.\n\n"
        "Die Sicherung ist eine genaue Kopie des Datenbestands. Deshalb ist wahrscheinlich der "
        "Datenbestand selbst beschädigt oder außerhalb von PaktDesk verändert worden. Die Sicherung "
        "wird nicht zum Zurückspielen angeboten, und alle älteren Sicherungen bleiben erhalten. Bitte "
        "jetzt „Datei prüfen“ ausführen.", path=entry.path, problems=entry.problems)


def _with_file_facts(summary: Summary, *, size: int, sha256: str, reason: str, source: Path,
                     now: datetime) -> Summary:
    return replace(summary, created_at=now.astimezone(UTC).isoformat(timespec="seconds"), reason=reason,
                   source_name=Path(source).name, size=size, sha256=sha256, deep_check=PENDING)


def _sidecar_bytes(summary: Summary) -> bytes:
    return json.dumps({"format": 1, **asdict(summary)}, ensure_ascii=False, indent=1).encode("utf-8")


def _discard(*paths: Path) -> None:
    for path in paths:
        for candidate in (path, sidecar_of(path)):
            with contextlib.suppress(OSError):
                candidate.unlink()


def copy_backup(path: Path, folder: Path) -> Path:
    """Copy a verified backup and its sidecar to ``folder`` (USB stick, share): temp, fsync,
    compare the SHA-256, rename."""
    path, folder = Path(path), Path(folder)
    what = "Die Sicherung wurde nicht kopiert"
    target = folder / path.name
    temp = target.with_name(f".{target.name}{_TEMP_MARK}{os.getpid()}")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _remove_stale_temps(folder)
        shutil.copyfile(path, temp)
        fsync_file(temp)
        expected = read_sidecar(path)
        if sha256_of(temp) != (expected.sha256 if expected else sha256_of(path)):
            raise DataFileError(f"{what}: Die Kopie weicht vom Original ab.")
        if expected:
            write_atomic(sidecar_of(temp), _sidecar_bytes(expected))
        replace_file(temp, target)
        if expected:
            replace_file(sidecar_of(temp), sidecar_of(target))
        fsync_dir(folder)
        if expected:
            _remember_hash(target, expected.sha256)
    except OSError as err:
        _discard(temp)
        raise DataFileError(_os_message(err, what)) from err
    except BaseException:
        _discard(temp)
        raise
    return target


# ---------------------------------------------------------------- listing

def read_sidecar(path: Path) -> Summary | None:
    try:
        data = json.loads(sidecar_of(path).read_text(encoding="utf-8"))
        data.pop("format", None)
        summary = Summary(**data)
        return replace(summary, deep_problems=tuple(str(p) for p in summary.deep_problems))
    except (OSError, ValueError, TypeError):
        return None


def deep_problems(path: Path, expected: Summary | None) -> tuple[list[str], Summary | None, bool]:
    """The deep check of a backup file: the full check of its content, the same counts and sums
    as ``expected`` (its sidecar), the same SHA-256. Returns (German problems, the summary read
    from the file, whether its bytes are those the sidecar describes)."""
    def bytes_match() -> bool:
        try:
            return bool(expected and expected.size == Path(path).stat().st_size
                        and expected.sha256 == sha256_of(path))
        except OSError:
            return False

    hashing = _Beside(bytes_match)
    problems, found = check_file(path)
    same_bytes = hashing.outcome()
    if expected is not None and not same_bytes and problems:
        problems = [_CHANGED_AFTER, *problems]
    if expected is not None and same_bytes and not problems and found is not None \
            and found.content_key() != expected.content_key():
        problems.append("Die Kopie stimmt nicht mit dem Datenbestand überein.")
    return problems, found, same_bytes


def inspect_backup(path: Path, *, deep: bool = False) -> BackupEntry:
    """One backup as the restore list sees it.

    Without ``deep``: good if its bytes still match the sidecar and its deep check passed;
    "ausstehend" or "fehlgeschlagen" as the sidecar says; without a matching sidecar (a crash
    between the two renames, or bytes changed later) good only if it passes the full check.
    ``deep`` runs the deep check (:func:`deep_problems`); for a backup still "ausstehend" the
    result is written to its sidecar (see :func:`settle_backup`)."""
    path = Path(path)
    parsed = parse_name(path)
    created = parsed[1] if parsed else datetime.fromtimestamp(path.stat().st_mtime).astimezone()
    reason = parsed[2] if parsed else "manual"
    summary = read_sidecar(path)
    recorded = summary.deep_check if summary else CHECKED
    if summary and summary.created_at:
        with contextlib.suppress(ValueError):
            created = datetime.fromisoformat(summary.created_at).astimezone()
    if not deep or recorded == FAILED:
        try:
            matches = bool(summary and summary.size == path.stat().st_size
                           and summary.sha256 == sha256_of(path, cached=True))
        except OSError:
            matches = False
        if matches:
            state = recorded if recorded in (CHECKED, PENDING, FAILED) else DAMAGED
            return BackupEntry(path, created, summary.reason or reason, summary, state == CHECKED,
                               summary.deep_problems if state == FAILED else (), state)
    problems, found, same_bytes = deep_problems(path, summary)
    if not problems:
        state = CHECKED
    elif same_bytes and recorded == PENDING:
        state = FAILED  # the copy holds exactly what was read from the live file
    else:
        state = DAMAGED
    if summary is not None and recorded == PENDING and (same_bytes or state == DAMAGED):
        _record_check(path, replace(summary, deep_check=state, deep_problems=tuple(problems)))
    if found is not None and summary is not None:
        found = replace(found, created_at=summary.created_at, reason=summary.reason,
                        source_name=summary.source_name, size=summary.size, sha256=summary.sha256,
                        deep_check=state if same_bytes else summary.deep_check, deep_problems=tuple(problems))
    return BackupEntry(path, created, reason, found or summary, not problems, tuple(problems), state)


def settle_backup(path: Path) -> BackupEntry:
    """Run the deep check of a backup (one still "ausstehend" gets the result in its sidecar:
    "geprüft" or "fehlgeschlagen")."""
    return inspect_backup(path, deep=True)


def _record_check(path: Path, summary: Summary) -> None:
    """Write the deep check's result into the sidecar (atomically); a read-only medium keeps the
    old state, and the check simply runs again next time."""
    try:
        write_atomic(sidecar_of(path), _sidecar_bytes(summary))
    except OSError as err:
        log.warning("Prüfergebnis der Sicherung nicht gespeichert: %s", type(err).__name__)


def pending_backups(folders: Iterable[Path], *, stem: str | None = None) -> list[Path]:
    """Backups whose deep check has not run yet (reads only the sidecars: cheap)."""
    found: list[Path] = []
    for folder in folders:
        if folder is None or not Path(folder).is_dir():
            continue
        for path in sorted(Path(folder).glob(f"*{BACKUP_SUFFIX}")):
            parsed = parse_name(path)
            if path.name.startswith(".") or (stem is not None and (parsed is None or parsed[0] != stem)):
                continue
            summary = read_sidecar(path)
            if summary is not None and summary.deep_check == PENDING:
                found.append(path)
    return found


def list_backups(folders: Iterable[Path], *, stem: str | None = None, deep: bool = False) -> list[BackupEntry]:
    """Backups in ``folders`` (newest first), optionally only those of one data file's ``stem``."""
    entries: list[BackupEntry] = []
    seen: set[str] = set()
    for folder in folders:
        if folder is None or not Path(folder).is_dir():
            continue
        for path in Path(folder).glob(f"*{BACKUP_SUFFIX}"):
            if path.name.startswith(".") or not path.is_file():
                continue
            parsed = parse_name(path)
            if stem is not None and (parsed is None or parsed[0] != stem):
                continue
            entry = inspect_backup(path, deep=deep)
            key = entry.summary.sha256 if entry.ok and entry.summary and entry.summary.sha256 else str(path)
            if key in seen:  # the same backup in the second folder
                continue
            seen.add(key)
            entries.append(entry)
    entries.sort(key=lambda e: (e.created, e.path.name), reverse=True)
    return entries


def newest_good_backup(folders: Iterable[Path], *, stem: str | None = None) -> BackupEntry | None:
    """The newest backup that passes the full check (what to offer when the live file fails);
    one whose deep check has not run yet is checked now."""
    for entry in list_backups(folders, stem=stem):
        if not (entry.ok or entry.pending):
            continue
        checked = inspect_backup(entry.path, deep=True)
        if checked.ok:
            return checked
    return None


# ---------------------------------------------------------------- rotation

def _pause_marker(folder: Path, stem: str) -> Path:
    return Path(folder) / f"{stem}.rotation-pausiert.json"


def pause_rotation(folder: Path, stem: str, *, now: datetime, restored_from: str = "") -> None:
    Path(folder).mkdir(parents=True, exist_ok=True)
    write_atomic(_pause_marker(folder, stem), json.dumps(
        {"since": now.astimezone(UTC).isoformat(timespec="seconds"), "restored_from": restored_from},
        ensure_ascii=False).encode("utf-8"))


def rotation_paused(folder: Path, stem: str, *, now: datetime) -> bool:
    """True for :data:`PAUSE_DAYS` days after a restore, unless resumed earlier."""
    marker = _pause_marker(folder, stem)
    try:
        since = datetime.fromisoformat(json.loads(marker.read_text(encoding="utf-8"))["since"])
    except FileNotFoundError:
        return False
    except (OSError, ValueError, KeyError, TypeError):
        return True  # unreadable marker: keep everything rather than guess
    return now - since < timedelta(days=PAUSE_DAYS)


def resume_rotation(folder: Path, stem: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        _pause_marker(folder, stem).unlink()


def plan_rotation(entries: list[BackupEntry], keep: Keep) -> tuple[list[BackupEntry], list[BackupEntry]]:
    """(kept, surplus) among good backups of one data file. Damaged ones are in neither list."""
    good = sorted((e for e in entries if e.ok), key=lambda e: (e.created, e.path.name), reverse=True)
    kept: dict[Path, BackupEntry] = {}
    if good:
        kept[good[0].path] = good[0]
    buckets = (
        (keep.daily, lambda d: d),
        (keep.weekly, lambda d: tuple(d.isocalendar())[:2]),
        (keep.monthly, lambda d: (d.year, d.month)),
    )
    for limit, bucket in buckets:
        seen: set = set()
        for entry in good:
            key = bucket(entry.created.astimezone().date())
            if key in seen:
                continue
            if len(seen) >= limit:
                break
            seen.add(key)
            kept[entry.path] = entry
    for reason in PROTECTED:
        newest = next((e for e in good if e.reason == reason), None)
        if newest:
            kept[newest.path] = newest
    surplus = [e for e in good if e.path not in kept]
    return list(kept.values()), surplus


def rotate(folder: Path, stem: str, *, keep: Keep, now: datetime | None = None) -> list[Path]:
    """Delete surplus good backups of ``stem`` in ``folder``; nothing while paused."""
    now = now or datetime.now(UTC)
    if rotation_paused(folder, stem, now=now):
        return []
    _, surplus = plan_rotation(list_backups([folder], stem=stem), keep)
    removed = []
    for entry in surplus:
        for path in (entry.path, sidecar_of(entry.path)):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        removed.append(entry.path)
    return removed


def remove_backups_older_than(folders: Iterable[Path], *, stem: str, cutoff: date,
                              keep_names: Iterable[str] = ()) -> list[Path]:
    """Delete backups (good or damaged) of ``stem`` made before ``cutoff`` (retention), except
    those named in ``keep_names``."""
    keep_names = set(keep_names)
    removed = []
    for folder in folders:
        if folder is None or not Path(folder).is_dir():
            continue
        for path in Path(folder).glob(f"*{BACKUP_SUFFIX}"):
            parsed = parse_name(path)
            if parsed and parsed[0] == stem and parsed[1].date() < cutoff and path.name not in keep_names:
                for item in (path, sidecar_of(path)):
                    with contextlib.suppress(FileNotFoundError):
                        item.unlink()
                removed.append(path)
    return removed


# ---------------------------------------------------------------- restore

def move_aside(live: Path, folder: Path, *, now: datetime, label: str = "ersetzt") -> Path | None:
    """Copy the live file (and move its journal files) into ``folder`` before it is replaced.

    The journal must go: a hot journal left beside a restored file would be "rolled back" into
    it and corrupt it. Returns the copy's path (None if there was no live file)."""
    live, folder = Path(live), Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = now.astimezone().strftime("%Y-%m-%d_%H-%M-%S")
    aside = None
    if live.exists():
        aside = folder / f"{live.stem}_{stamp}_{label}{ASIDE_SUFFIX}"
        number = 1
        while aside.exists():
            number += 1
            aside = folder / f"{live.stem}_{stamp}-{number}_{label}{ASIDE_SUFFIX}"
        temp = aside.with_name(f".{aside.name}{_TEMP_MARK}{os.getpid()}")
        shutil.copyfile(live, temp)
        fsync_file(temp)
        replace_file(temp, aside)
    for suffix in ("-journal", "-wal", "-shm"):
        companion = live.with_name(live.name + suffix)
        if companion.exists():
            target = folder / ((aside.name if aside else f"{live.stem}_{stamp}_{label}{ASIDE_SUFFIX}") + suffix)
            shutil.move(str(companion), str(target))
    fsync_dir(folder)
    fsync_dir(live.parent)
    return aside


def other_gemeinde(backup: Path, live: Path) -> str | None:
    """Why ``backup`` seems to hold another Gemeinde's data than ``live`` (other AGS, or other
    name where neither has an AGS), as a German sentence; None when it is the same Gemeinde or
    the live file cannot be read (then there is nothing to compare with)."""
    summary = read_sidecar(Path(backup))
    if summary is None:
        with contextlib.suppress(sqlite3.Error, OSError), _open_snapshot(backup) as conn:
            summary = summarize(conn)
    if summary is None or not Path(live).is_file():
        return None
    try:
        with _open_snapshot(live) as conn:
            current = summarize(conn)
    except (sqlite3.Error, OSError):
        return None
    theirs, ours = (summary.ags or "").strip(), (current.ags or "").strip()
    if theirs and ours and theirs != ours:
        return (f"Die Sicherung gehört zu „{summary.owner or 'ohne Namen'}“ (AGS {theirs}), der jetzige "
                f"Datenbestand zu „{current.owner or 'ohne Namen'}“ (AGS {ours}).")
    if not (theirs and ours) and summary.owner and current.owner and summary.owner.strip() != current.owner.strip():
        return (f"Die Sicherung gehört zu „{summary.owner}“, der jetzige Datenbestand zu „{current.owner}“.")
    return None


def refuse_other_gemeinde(backup: Path, live: Path) -> None:
    """Raise :class:`OtherGemeindeError` when ``backup`` holds another Gemeinde's data."""
    difference = other_gemeinde(backup, live)
    if difference:
        raise OtherGemeindeError(f"Die Sicherung wurde nicht zurückgespielt: {difference} Nur nach "
                                 "ausdrücklicher Bestätigung wird ein fremder Datenbestand übernommen.")


def restore_backup(backup: Path, live: Path, *, aside_folder: Path, now: datetime | None = None,
                   allow_other_gemeinde: bool = False) -> RestoreResult:
    """Put a verified backup in place of the live file, whatever state the live file is in.

    The backup is fully checked first; the live file is copied aside; the backup is copied
    beside the live file, fsynced and renamed over it in one step. Rotation is paused. A backup
    of another Gemeinde is refused unless ``allow_other_gemeinde`` (the clerk confirmed)."""
    backup, live = Path(backup), Path(live)
    now = now or datetime.now(UTC)
    what = "Die Wiederherstellung ist fehlgeschlagen"
    if not backup.is_file():
        reason = "an dieser Stelle ist ein Ordner" if backup.is_dir() else "die Datei existiert nicht"
        raise DataFileError(f"Die Sicherung „{backup}“ kann nicht gelesen werden: {reason}.")
    entry = inspect_backup(backup, deep=True)
    if not entry.ok or entry.summary is None:
        raise IntegrityError(f"Diese Sicherung kann nicht zurückgespielt werden: {'; '.join(entry.problems[:3])}")
    if not allow_other_gemeinde:
        refuse_other_gemeinde(backup, live)
    if not live.parent.is_dir():
        raise DataFileError(f"{what}: Den Ordner „{live.parent}“ gibt es nicht.")
    temp = live.with_name(f".{live.name}{_TEMP_MARK}{os.getpid()}")
    try:
        expected = sha256_of(backup)
        shutil.copyfile(backup, temp)
        fsync_file(temp)
        if sha256_of(temp) != expected:
            raise DataFileError(f"{what}: Die Kopie der Sicherung weicht vom Original ab.")
        aside = move_aside(live, aside_folder, now=now)
        replace_file(temp, live)
        fsync_dir(live.parent)
    except OSError as err:
        _discard(temp)
        raise DataFileError(_os_message(err, what)) from err
    except BaseException:
        _discard(temp)
        raise
    pause_rotation(aside_folder, live.stem, now=now, restored_from=backup.name)
    return RestoreResult(backup, aside, entry.summary)


def backup_before_migration(store: Store) -> BackupResult:
    """Called by :func:`open_datafile` before it migrates an existing file: no verified backup,
    no migration (a damaged file is never written)."""
    settings = load_settings(store)
    try:
        return make_backup(store, folder_for(store.path, settings), reason="migration",
                           keep=settings.keep, second_folder=settings.second_folder)
    except DataFileError as err:
        raise type(err)(
            "Vor der Aktualisierung des Datenbestands konnte keine geprüfte Sicherung angelegt "
            f"werden; die Datei wurde nicht verändert. {err}") from err
