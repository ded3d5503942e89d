"""Use cases that keep a clerk's data safe: opening with a lock and a location check, verified
backups and restore, the full check with a backup to offer, the audit trail and its export for
the Rechnungsprüfungsamt, and deleting a person's personal data. (German messages for storage
failures — disk full, I/O error, read-only, locked — come from ``Store.transaction``.)

The GUI builds its pages on these methods; the command line (``backup``, ``restore``,
``backups``) calls the same ones.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import logging
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from ..core.errors import DataFileError, ValidationError
from ..core.location import DriveType, Verdict, check_backup_folder, check_live_folder
from ..core.money import format_cents
from ..core.periods import Period, add_months, format_date
from ..core.validation import format_vza
from ..db import audit_query, chain, chain_check, privacy, repo
from ..db import backup as backup_db
from ..db.audit import now_utc
from ..db.datafile import full_check, open_datafile
from ..db.failures import storage_errors
from ..db.profile import get_setting, set_setting
from ..lockfile import FileInUseError, FileLock, LockInfo
from ..platform_win import system_drive_type
from .audit_names import area_label, field_label, named_value
from .base import Change, WorkspaceBase
from ..core.os_errors import reason as os_reason

log = logging.getLogger("paktdesk.workspace.safety")

RETENTION_KEY = "retention"
# the local days Windows can convert to UTC (its localtime() ends in the year 3000)
_LOCAL_TIME_DAYS = (date(1970, 1, 2), date(2999, 12, 31))


class LocationError(DataFileError):
    """The live file must not be in this folder (network, sync client); ``message`` says why."""


@dataclass(frozen=True, slots=True)
class Retention:
    """Retention periods in years, counted from 1 January after the triggering year."""

    grant_files_years: int = 5  # Förderakte: after the proof of use (Verwendungsnachweis)
    receipts_years: int = 6  # Belege: after the annual accounts
    books_years: int = 10  # Bücher: money rows are never deleted by PaktDesk
    accounts_lag_years: int = 1  # annual accounts of a budget year are made the year after
    backup_months: int = 12  # backups older than this are removed when personal data is deleted


@dataclass(frozen=True, slots=True)
class ErasureCheck:
    allowed: bool
    earliest: date | None  # first day the deletion is allowed (None: not foreseeable)
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ErasurePreview:
    """What deleting a person's data will do, shown before the clerk confirms: every place their
    name stands in free text (replaced by the pseudonym, or kept where it is booked data), and the
    backups that will still hold them until rotation removes them."""

    pseudonym: str
    occurrences: tuple[privacy.Occurrence, ...]
    kept_backups: tuple[tuple[str, date], ...]  # (backup file name, removed at the latest on)

    @property
    def replaced(self) -> tuple[privacy.Occurrence, ...]:
        return tuple(o for o in self.occurrences if o.replaceable)

    @property
    def kept(self) -> tuple[privacy.Occurrence, ...]:
        return tuple(o for o in self.occurrences if not o.replaceable)


@dataclass(frozen=True, slots=True)
class CheckReport:
    """The full check's findings and, if something is wrong, the newest good backup to offer."""

    problems: tuple[str, ...]
    suggestion: backup_db.BackupEntry | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True, slots=True)
class AuditExport:
    path: Path
    entries: int
    lines: int
    warnings: tuple[str, ...] = field(default_factory=tuple)


def retention_end(year: int, years: int) -> date:
    """First day after a retention of ``years`` counted from 1 January after ``year``."""
    return date(year + 1 + years, 1, 1)


class SafetyUseCases(WorkspaceBase):
    _lock: FileLock | None = None
    lock_holder: LockInfo | None = None  # set when opened read-only because someone else holds it
    location_warning: str = ""

    # ------------------------------------------------------------ opening and closing
    @classmethod
    def open_guarded(cls, path: Path, *, create: bool = False, read_only: bool = False,
                     if_locked: str = "raise", take_over: LockInfo | None = None,
                     drive_type: Callable[[str], DriveType] | None = None,
                     env: Mapping[str, str] | None = None, user: str | None = None,
                     check: str = "now"):
        """Open the live file the way the program does: location check, lock, open (with a
        verified backup before any migration). ``check="later"``: SQLite's quick check is left to
        the full check that follows (see :func:`~paktdesk.db.datafile.open_datafile`).

        ``if_locked="read_only"`` opens read-only when another running instance holds the lock
        (``lock_holder`` says who); a *stale* lock raises :class:`FileInUseError` with
        ``stale=True`` until the caller passes the confirmed holder as ``take_over``."""
        path = Path(path)
        if read_only:
            return cls(open_datafile(path, read_only=True, check=check), user=user)
        verdict = check_live_folder(str(path.resolve().parent), drive_type=drive_type or system_drive_type,
                                    env=os.environ if env is None else env)
        if not verdict.allowed:
            raise LocationError(verdict.message)
        lock = FileLock(path, user=user)
        try:
            if take_over is not None:
                lock.take_over(take_over)
            else:
                lock.acquire()
        except FileInUseError as err:
            if if_locked == "read_only" and not err.stale and path.exists():
                workspace = cls(open_datafile(path, read_only=True, check=check), user=user)
                workspace.lock_holder = err.holder
                return workspace
            raise
        _remove_leftovers(path)  # the lock is ours: no other PaktDesk writes beside this file now
        try:
            workspace = cls(open_datafile(path, create=create, check=check), user=user)
        except BaseException:
            lock.release()
            raise
        workspace._lock = lock
        workspace.location_warning = verdict.message if verdict.verdict is Verdict.WARN else ""
        return workspace

    @staticmethod
    def copy_datafile(source: Path, target: Path, *, drive_type: Callable[[str], DriveType] | None = None,
                      env: Mapping[str, str] | None = None) -> Path:
        """Copy a Datenbestand out of a folder where it must not be used (network, sync client)
        to ``target`` on this PC: a verified snapshot, the original left untouched."""
        source, target = Path(source), Path(target)
        verdict = check_live_folder(str(target.resolve().parent), drive_type=drive_type or system_drive_type,
                                    env=os.environ if env is None else env)
        if not verdict.allowed:
            raise LocationError(verdict.message)
        if target.exists():
            raise DataFileError(f"„{target}“ gibt es schon. PaktDesk überschreibt keine vorhandene Datei.")
        store = open_datafile(source, read_only=True)
        try:
            backup_db.make_backup(store, target.parent, name=target.name, rotate_after=False)
        finally:
            store.close()
        with contextlib.suppress(OSError):
            backup_db.sidecar_of(target).unlink()
        log.info("Datenbestand an einen lokalen Ort kopiert")
        return target

    def close(self) -> None:
        try:
            super().close()
        finally:
            if self._lock is not None:
                self._lock.release()
                self._lock = None

    def refresh_lock(self) -> None:
        """Renew the lock file's time stamp (the GUI calls this every few minutes)."""
        if self._lock is not None:
            self._lock.refresh()

    # ------------------------------------------------------------ backups
    def backup_settings(self) -> backup_db.BackupSettings:
        return backup_db.load_settings(self.store)

    def save_backup_settings(self, settings: backup_db.BackupSettings, *,
                             drive_type: Callable[[str], DriveType] | None = None) -> Change:
        for label, value in (("täglich", settings.keep.daily), ("wöchentlich", settings.keep.weekly),
                             ("monatlich", settings.keep.monthly)):
            if not isinstance(value, int) or not 0 <= value <= 1000:
                raise ValidationError(f"Anzahl der Sicherungen ({label}): bitte eine Zahl von 0 bis 1000.",
                                      field="keep")
        if settings.keep.daily < 1:
            raise ValidationError("Mindestens eine tägliche Sicherung muss aufbewahrt werden.", field="keep")
        for folder in (settings.folder, settings.second_folder):
            if folder is not None:
                verdict = check_backup_folder(str(folder), drive_type=drive_type or system_drive_type)
                if not verdict.allowed:
                    raise ValidationError(verdict.message, field="folder")
        with self._action("Sicherungseinstellungen gespeichert") as act:
            old = get_setting(self.store, backup_db.SETTINGS_KEY)
            value = backup_db.settings_value(settings)
            self._set_setting(backup_db.SETTINGS_KEY, value)
            act.audit("settings", None, {backup_db.SETTINGS_KEY: old}, {backup_db.SETTINGS_KEY: value})
        return self._done(Change("Sicherungseinstellungen gespeichert", "settings"))

    def _set_setting(self, key: str, value: Any) -> None:
        set_setting(self.store, key, value)

    def backup_folder(self) -> Path:
        return backup_db.folder_for(self.store.path, self.backup_settings())

    def backup_folders(self) -> list[Path]:
        settings = self.backup_settings()
        folders = [backup_db.folder_for(self.store.path, settings)]
        if settings.second_folder:
            folders.append(settings.second_folder)
        return folders

    def make_backup(self, *, to: Path | None = None, reason: str = "manual",
                    now: datetime | None = None, rotate: bool = True,
                    deep_check: str = "now") -> backup_db.BackupResult:
        """A backup into the backup folder (or ``to``), then the second folder, then rotation.
        Raises a German :class:`DataFileError` if none could be made.

        ``deep_check="now"`` verifies the copy in full before it counts (every automatic backup).
        ``"later"`` returns as soon as the snapshot is safely on the disk (marked "ausstehend");
        the caller then runs :meth:`finish_backup` with the result, e.g. on a worker — only that
        copies it to the second folder and rotates old backups away."""
        settings = self.backup_settings()
        folder = Path(to) if to else backup_db.folder_for(self.store.path, settings)
        result = backup_db.make_backup(self.store, folder, reason=reason, now=now,
                                       second_folder=None if to else settings.second_folder,
                                       keep=settings.keep, rotate_after=rotate, deep_check=deep_check)
        log.info("Sicherung angelegt (%s, Tiefenprüfung %s)", reason,
                 "ausstehend" if result.pending else "bestanden")
        return result

    @classmethod
    def open_for_backup(cls, path: Path, *, user: str | None = None):
        """The live file read-only on a worker, for "Jetzt sichern" while the window keeps its
        own connection: without the quick check of every page on opening (the snapshot is
        deep-checked in full afterwards)."""
        return cls(open_datafile(Path(path), read_only=True, check="later"), user=user)

    @staticmethod
    def finish_backup(result: backup_db.BackupResult) -> backup_db.BackupResult:
        """The deep check of a ``deep_check="later"`` backup, then second folder and rotation.
        Needs no connection to the live file (safe on a worker). A failed check raises
        :class:`~paktdesk.db.backup.BackupCheckFailed`: its German message says that the live
        Datenbestand itself may be damaged; the backup is marked and never offered."""
        if result.pending is None:
            return result
        finished = backup_db.finish_backup(result.pending)
        log.info("Tiefenprüfung der Sicherung bestanden")
        return finished

    def pending_backup_checks(self) -> list[backup_db.BackupResult]:
        """Backups of this Datenbestand whose deep check never ran (the program ended before),
        as results to hand to :meth:`finish_backup` (cheap: reads only the sidecars)."""
        settings = self.backup_settings()
        main = backup_db.folder_for(self.store.path, settings)
        pending = []
        for path in backup_db.pending_backups(self.backup_folders(), stem=self.store.path.stem):
            summary = backup_db.read_sidecar(path)
            in_main = path.parent == main
            plan = backup_db.PendingCheck(path, self.store.path.stem,
                                          settings.second_folder if in_main else None,
                                          settings.keep if in_main else None)
            pending.append(backup_db.BackupResult(path, summary, pending=plan))
        return pending

    def backup_on_close(self, *, now: datetime | None = None,
                        raise_errors: bool = False) -> backup_db.BackupResult | None:
        """The backup the program makes when it closes; skipped when nothing changed since the
        newest good backup. A failure is logged and returned as None, or with ``raise_errors``
        raised as the German :class:`DataFileError` (the window tells the clerk, then closes)."""
        if self.read_only:  # the instance holding the lock makes the backups
            return None
        try:
            # a backup still being checked counts too: if its check fails, the live file is
            # damaged and a new copy of it would be no better
            newest = next((e for e in self.backups() if (e.ok or e.pending) and e.summary), None)
            current = backup_db.summarize(self.store.conn)
            if newest and newest.summary.content_key() == current.content_key():
                return None
            return self.make_backup(reason="close", now=now)
        except DataFileError as err:
            log.warning("Sicherung beim Schließen fehlgeschlagen: %s", type(err).__name__)
            if raise_errors:
                raise
            return None

    def backups(self) -> list[backup_db.BackupEntry]:
        """Backups of this Datenbestand in the backup folders, newest first."""
        return backup_db.list_backups(self.backup_folders(), stem=self.store.path.stem)

    def newest_good_backup(self) -> backup_db.BackupEntry | None:
        return backup_db.newest_good_backup(self.backup_folders(), stem=self.store.path.stem)

    def resume_backup_rotation(self) -> None:
        """After the clerk confirmed a restore: rotation may delete old backups again."""
        for folder in self.backup_folders():
            backup_db.resume_rotation(folder, self.store.path.stem)

    def check_report(self) -> CheckReport:
        """The full check; when it fails, the newest good backup to offer (never a repair)."""
        problems = tuple(full_check(self.store))
        problems += tuple(self.backup_chain_problems())
        if not problems:
            return CheckReport(())
        return CheckReport(problems, self.newest_good_backup())

    @staticmethod
    def backups_beside(path: Path, *, folders: tuple[Path, ...] = ()) -> list[backup_db.BackupEntry]:
        """For a live file that cannot be opened (its settings are out of reach): the backups of
        this Datenbestand in the "Sicherungen" folder beside it and in ``folders`` (a USB stick the
        clerk points to), newest first."""
        path = Path(path)
        return backup_db.list_backups([backup_db.default_folder(path), *map(Path, folders)], stem=path.stem)

    @staticmethod
    def backup_info(path: Path) -> backup_db.BackupEntry:
        """One backup file the clerk picked (e.g. on a USB stick): date, contents, verified."""
        return backup_db.inspect_backup(Path(path))

    @staticmethod
    def other_gemeinde(live: Path, backup: Path) -> str | None:
        """Why ``backup`` seems to be another Gemeinde's data (asked before restoring), or None."""
        return backup_db.other_gemeinde(Path(backup), Path(live))

    @staticmethod
    def suggest_backup(path: Path) -> backup_db.BackupEntry | None:
        """For a live file that cannot even be opened: the newest good backup beside it."""
        path = Path(path)
        return backup_db.newest_good_backup([backup_db.default_folder(path)], stem=path.stem)

    def restore(self, backup: Path, *, now: datetime | None = None,
                other_gemeinde: bool = False) -> backup_db.RestoreResult:
        """Restore from the menu: a verified backup of the current data first, then the chosen
        backup into place; the workspace then works on the restored data."""
        if self.read_only:
            raise DataFileError("Schreibgeschützt geöffnet: eine Wiederherstellung ist nicht möglich.")
        path = self.store.path
        folder = self.backup_folder()
        if not other_gemeinde:  # before the backup of the current data is made
            backup_db.refuse_other_gemeinde(backup, path)
        problems = full_check(self.store)
        if not problems:  # rotation must not remove the backup that is about to be restored
            self.make_backup(reason="restore", now=now, rotate=False)
        self.store.close()
        try:
            result = backup_db.restore_backup(backup, path, aside_folder=folder, now=now,
                                              allow_other_gemeinde=other_gemeinde)
        finally:
            self.store = open_datafile(path)
        self._record_restore(result)
        self._done(Change("Sicherung zurückgespielt", "*"))
        return result

    @classmethod
    def restore_file(cls, live: Path, backup: Path, *, take_over: LockInfo | None = None,
                     folder: Path | None = None, now: datetime | None = None,
                     user: str | None = None, other_gemeinde: bool = False) -> backup_db.RestoreResult:
        """Restore from the start screen or the command line, even when the live file cannot be
        opened at all (zero bytes, random bytes, missing)."""
        live = Path(live)
        folder = Path(folder) if folder else backup_db.default_folder(live)
        lock = FileLock(live, user=user)
        if take_over is not None:
            lock.take_over(take_over)
        else:
            lock.acquire()
        try:
            if live.exists():
                with contextlib.suppress(DataFileError):
                    store = open_datafile(live, read_only=True)
                    try:
                        if not full_check(store):
                            backup_db.make_backup(store, folder, reason="restore", now=now)
                    finally:
                        store.close()
            result = backup_db.restore_backup(backup, live, aside_folder=folder, now=now,
                                              allow_other_gemeinde=other_gemeinde)
            workspace = cls(open_datafile(live), user=user)
            try:
                workspace._record_restore(result)
            finally:
                workspace.close()
        finally:
            lock.release()
        return result

    def _record_restore(self, result: backup_db.RestoreResult) -> None:
        with self._action(chain_check.RESTORE_ACTION) as act:
            act.audit("datafile", None, None, {
                "sicherung": result.restored_from.name,
                "beiseitegelegt": result.aside.name if result.aside else None,
                "stand": result.summary.created_at,
            })

    # ------------------------------------------------------------ audit trail
    @staticmethod
    def _utc_bounds(period: Period | None) -> dict[str, str | None]:
        if period is None:
            return {"since_utc": None, "until_utc": None}

        def utc(day: date) -> str | None:
            # Windows' localtime() knows only the years 1970 to 3000 (OSError 22 beyond): a day
            # outside them stands for an open end (no entry is older or younger), never converted.
            if not _LOCAL_TIME_DAYS[0] <= day <= _LOCAL_TIME_DAYS[1]:
                return None
            return datetime.combine(day, time(0)).astimezone().astimezone(UTC).isoformat(timespec="seconds")

        return {"since_utc": utc(period.start), "until_utc": utc(period.end)}

    def audit_trail(self, *, period: Period | None = None, entity: str | None = None,
                    entity_id: int | None = None, user: str | None = None, offset: int = 0,
                    limit: int | None = None, newest_first: bool = True):
        """Audit entries (who, when, which entity, old → new) filtered by local-day period,
        entity and user."""
        return audit_query.query(self.store, **self._utc_bounds(period), entity=entity,
                                 entity_id=entity_id, user=user, offset=offset, limit=limit,
                                 newest_first=newest_first)

    def audit_trail_count(self, *, period: Period | None = None, entity: str | None = None,
                          entity_id: int | None = None, user: str | None = None) -> int:
        return audit_query.count(self.store, **self._utc_bounds(period), entity=entity,
                                 entity_id=entity_id, user=user)

    def audit_entities(self) -> list[tuple[str, str]]:
        """(entity, German label) pairs for the filter box."""
        return [(name, entity_label(name)) for name in audit_query.entities(self.store)]

    def export_audit_csv(self, target: Path, *, period: Period | None = None, entity: str | None = None,
                         entity_id: int | None = None, user: str | None = None) -> AuditExport:
        """The audit trail as CSV for the Rechnungsprüfungsamt: UTF-8 with BOM, ``;``, German
        dates, one line per changed field, formula-like text neutralised. Written to a
        temporary file and renamed, so a crash leaves the old file or the complete new one."""
        entries = audit_query.iterate(self.store, **self._utc_bounds(period), entity=entity,
                                      entity_id=entity_id, user=user)
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(AUDIT_CSV_HEADER)
        count = lines = 0
        for entry in entries:
            count += 1
            for row in audit_rows(entry):
                writer.writerow(row)
                lines += 1
        target = Path(target)
        try:
            backup_db.write_atomic(target, buffer.getvalue().encode("utf-8-sig"))
        except OSError as err:
            raise DataFileError(f"Die Datei „{target.name}“ konnte nicht geschrieben werden "
                                f"({os_reason(err)}).") from err
        return AuditExport(target, count, lines)

    # ------------------------------------------------------------ personal data
    def retention(self) -> Retention:
        value = get_setting(self.store, RETENTION_KEY, {}) or {}
        defaults = Retention()
        values = {}
        for name in Retention.__dataclass_fields__:
            item = value.get(name) if isinstance(value, dict) else None
            values[name] = item if isinstance(item, int) and 0 <= item <= 100 else getattr(defaults, name)
        return Retention(**values)

    def save_retention(self, retention: Retention) -> Change:
        for name in Retention.__dataclass_fields__:
            item = getattr(retention, name)
            if not isinstance(item, int) or not 0 <= item <= 100:
                raise ValidationError("Aufbewahrungsfristen sind ganze Zahlen von 0 bis 100.", field=name)
        with self._action("Aufbewahrungsfristen gespeichert") as act:
            old = get_setting(self.store, RETENTION_KEY)
            value = {name: getattr(retention, name) for name in Retention.__dataclass_fields__}
            self._set_setting(RETENTION_KEY, value)
            act.audit("settings", None, {RETENTION_KEY: old}, {RETENTION_KEY: value})
        return self._done(Change("Aufbewahrungsfristen gespeichert", "settings"))

    def erasure_check(self, person_id: int, *, today: date | None = None) -> ErasureCheck:
        """May this person's personal data be deleted today? If not, until when and why."""
        from ..core.entities import Person

        repo.get(self.store, Person, person_id)
        today = today or date.today()
        rules = self.retention()
        facts = privacy.retention_facts(self.store, person_id)
        reasons: list[str] = []
        pending: list[date] = []
        for file_number in facts["open_decisions"]:
            reasons.append(f"Bescheid {file_number}: der Verwendungsnachweis ist noch nicht eingereicht; "
                           "die Förderakte muss vollständig bleiben.")
        for file_number, submitted in facts["proofs"]:
            end = retention_end(date.fromisoformat(submitted).year, rules.grant_files_years)
            if today < end:
                pending.append(end)
                reasons.append(f"Förderakte {file_number}: aufzubewahren bis {format_date(end - timedelta(days=1))} "
                               f"({rules.grant_files_years} Jahre nach dem Verwendungsnachweis).")
        for year in facts["receipt_years"]:
            end = retention_end(year + rules.accounts_lag_years, rules.receipts_years)
            if today < end:
                pending.append(end)
                reasons.append(f"Belege des Haushaltsjahres {year}: aufzubewahren bis "
                               f"{format_date(end - timedelta(days=1))} ({rules.receipts_years} Jahre).")
        if facts["open_decisions"]:
            return ErasureCheck(False, None, tuple(reasons))
        return ErasureCheck(not pending, max(pending) if pending else today, tuple(reasons))

    @staticmethod
    def pseudonym_of(person_id: int) -> str:
        return f"Gelöscht (Nr. {person_id})"

    def erasure_preview(self, person_id: int, *, now: datetime | None = None,
                        purge_backups: bool = False) -> ErasurePreview:
        """:class:`ErasurePreview` of :meth:`delete_personal_data` for this person."""
        from ..core.entities import Person

        repo.get(self.store, Person, person_id)
        now = now or datetime.now(UTC)
        rules = self.retention()
        today_local = now.astimezone().date()
        kept = []
        if not purge_backups:
            cutoff = add_months(today_local, -rules.backup_months)
            for entry in self.backups():
                if entry.created.date() >= cutoff:
                    kept.append((entry.path.name, add_months(entry.created.date(), rules.backup_months)))
        return ErasurePreview(self.pseudonym_of(person_id), tuple(privacy.find_occurrences(self.store, person_id)),
                              tuple(kept))

    def delete_personal_data(self, person_id: int, *, today: date | None = None,
                             purge_backups: bool = False, now: datetime | None = None) -> Change:
        """Delete a person's personal data where retention allows: money rows stay (the person
        is pseudonymised), free-text details and certificates go, names in the audit log are
        blanked; ``secure_delete`` and a rebuild of the file leave no copy in free space. Then
        a fresh verified backup is made and backups older than the retention (or, with
        ``purge_backups``, all older ones) are removed."""
        check = self.erasure_check(person_id, today=today)
        if not check.allowed:
            until = f" Frühestens ab {format_date(check.earliest)}." if check.earliest else ""
            raise ValidationError("Die Daten dürfen noch nicht gelöscht werden: " + " ".join(check.reasons) + until)
        now = now or datetime.now(UTC)
        pseudonym = self.pseudonym_of(person_id)
        with privacy.secure_delete(self.store):
            with self._action(chain.ERASURE_ACTION) as act:
                changed = privacy.erase_person(self.store, person_id, pseudonym=pseudonym, now=now_utc())
                erased = changed.pop(chain.ERASED_KEY)
                act.audit("persons", person_id, None, {"pseudonymisiert": pseudonym, "geänderte Zeilen": changed,
                                                       chain.ERASED_KEY: erased})
        with storage_errors():
            privacy.compact(self.store)
        warnings: list[str] = []
        fresh: set[str] = set()
        try:
            result = self.make_backup(reason="erasure", now=now)
            fresh = {result.path.name}
        except DataFileError as err:
            warnings.append(f"Nach dem Löschen konnte keine Sicherung angelegt werden: {err}")
        rules = self.retention()
        today_local = now.astimezone().date()
        cutoff = (today_local + timedelta(days=1) if purge_backups and fresh
                  else add_months(today_local, -rules.backup_months))
        removed = backup_db.remove_backups_older_than(self.backup_folders(), stem=self.store.path.stem,
                                                      cutoff=cutoff, keep_names=fresh)
        remaining = [e for e in self.backups() if e.path.name not in fresh]
        if remaining:
            last = max(e.created for e in remaining).date()
            warnings.append(f"{len(remaining)} ältere Sicherung(en) enthalten die Daten noch; sie werden "
                            f"spätestens ab {format_date(add_months(last, rules.backup_months))} gelöscht.")
        log.info("Personenbezogene Daten gelöscht (Person %s, %d Sicherungen entfernt)", person_id, len(removed))
        return self._done(Change("Personenbezogene Daten gelöscht", "persons", (person_id,), tuple(warnings)))


# ---------------------------------------------------------------- audit CSV rows

AUDIT_CSV_HEADER = ("Nr.", "Zeitpunkt", "Benutzer", "Aktion", "Bereich", "Datensatz-Nr.", "Feld",
                    "Alter Wert", "Neuer Wert")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def display_value(key: str, value: Any) -> str:
    """One old or new value of an audit entry for the screen: money, VZÄ, dates and times in
    German, no spreadsheet guards."""
    if value is None or value == "":
        return "–"
    if isinstance(value, int) and not isinstance(value, bool) and key.endswith("_milli"):
        return f"{format_vza(value)} VZÄ"
    if isinstance(value, str) and not (_ISO_DAY.match(value) or _ISO_STAMP.match(value)):
        return value
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    text = _cell(key, value)
    return text[1:] if isinstance(value, str) and text.startswith("'") else text


def audit_changes(entry) -> list[tuple[str, str, str]]:
    """(field label, old, new) of an audit entry, for the Änderungsprotokoll on screen."""
    old, new = _decode(entry.old), _decode(entry.new)
    if isinstance(old, dict) or isinstance(new, dict):
        old_d = old if isinstance(old, dict) else {}
        new_d = new if isinstance(new, dict) else {}
        rows = []
        for key in dict.fromkeys([*old_d, *new_d]):
            if key == "row_hash" or (old_d.get(key) in (None, "") and new_d.get(key) in (None, "")):
                continue
            if key in old_d and key in new_d and old_d[key] == new_d[key]:
                continue  # stored again unchanged: the printed protocol leaves it out too
            rows.append((field_label(key), named_value(entry.entity, key, display_value(key, old_d.get(key))),
                         named_value(entry.entity, key, display_value(key, new_d.get(key)))))
        return rows
    if old is None and new is None:
        return []
    return [("", display_value("", old), display_value("", new))]


def entity_label(name: str) -> str:
    return area_label(name)


def neutralise(text: str) -> str:
    """Free text that a spreadsheet would run as a formula gets a leading apostrophe."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def german_stamp(value: str) -> str:
    """UTC ISO time stamp → local German ``09.05.2026 14:30:12``."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return neutralise(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone().strftime("%d.%m.%Y %H:%M:%S")


def _cell(key: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, int):
        return format_cents(value) if key.endswith("_cents") else str(value)
    if isinstance(value, str):
        if _ISO_DAY.match(value):
            return format_date(date.fromisoformat(value)) if _valid_day(value) else neutralise(value)
        if _ISO_STAMP.match(value):
            return german_stamp(value)
        return neutralise(value)
    return neutralise(json.dumps(value, ensure_ascii=False, sort_keys=True))


def _valid_day(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _decode(text: str | None) -> Any:
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def audit_rows(entry) -> list[list[str]]:
    """One CSV line per changed field of an audit entry (one line if it holds no fields)."""
    head = [str(entry.id), german_stamp(entry.at), neutralise(entry.user), neutralise(entry.action),
            neutralise(entity_label(entry.entity)), "" if entry.entity_id is None else str(entry.entity_id)]
    old, new = _decode(entry.old), _decode(entry.new)
    if isinstance(old, dict) or isinstance(new, dict):
        old_d = old if isinstance(old, dict) else {}
        new_d = new if isinstance(new, dict) else {}
        rows = []
        for key in dict.fromkeys([*old_d, *new_d]):
            before, after = _cell(key, old_d.get(key)), _cell(key, new_d.get(key))
            if before or after:
                rows.append(head + [neutralise(field_label(key)), before, after])
        return rows or [head + ["", "", ""]]
    return [head + ["", _cell("", old), _cell("", new)]]


def _remove_leftovers(path: Path) -> None:
    """Temporary files of killed exports, PDFs and backups: removed at the next start."""
    from .. import atomic

    removed = atomic.sweep_leftovers()
    backup_db.remove_leftovers(path)
    if removed:
        log.info("%d verwaiste temporäre Dateien entfernt", len(removed))
