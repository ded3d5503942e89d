"""One writer per Datenbestand: a lock file beside the data file.

``Datenbestand.paktdesk.lock`` holds JSON naming who opened the file (user, PC, process, since
when). A second instance sees it and opens read-only or explains who holds the file. A lock left
behind by a crash is *stale* — its process no longer runs on this PC, or it has not been renewed
for a long time — and may be taken over, but only explicitly (the GUI asks first) and only if it
is still the lock the clerk was shown. The pattern of GnuCash and KeePassXC.

No Qt here; the GUI renews the lock with :meth:`FileLock.refresh` from a timer.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import platform
import secrets
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from . import __version__, atomic
from .core.errors import DataFileError
from .core.os_errors import reason as os_reason
from .platform_win import process_alive

LOCK_SUFFIX = ".lock"
STALE_AFTER = timedelta(hours=12)  # not renewed for this long: the holder is gone
REFRESH_EVERY = timedelta(minutes=10)  # how often a running instance renews its lock
_UNREADABLE_GRACE = timedelta(seconds=30)  # a lock being written right now looks empty


def _now() -> datetime:
    return datetime.now(UTC)


def this_host() -> str:
    return platform.node() or "unbekannt"


def this_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unbekannt"


@dataclass(frozen=True, slots=True)
class LockInfo:
    """Who holds a Datenbestand. Times are UTC ISO text."""

    user: str
    host: str
    pid: int
    since: str
    refreshed: str
    token: str = ""
    program: str = ""

    def describe(self) -> str:
        """German, for the dialog: who, where, since when."""
        try:
            since = datetime.fromisoformat(self.since).astimezone()
            when = since.strftime("seit %d.%m.%Y, %H:%M Uhr")
        except ValueError:
            when = "seit unbekannter Zeit"
        return f"{self.user} am PC „{self.host}“ (Prozess {self.pid}), {when}"


class FileInUseError(DataFileError):
    """Another instance holds the lock. ``holder`` says who; ``stale`` whether it may be taken over."""

    def __init__(self, message: str, *, holder: LockInfo, stale: bool, reason: str):
        super().__init__(message)
        self.holder = holder
        self.stale = stale
        self.reason = reason


def lock_path(data_path: Path) -> Path:
    data_path = Path(data_path)
    return data_path.with_name(data_path.name + LOCK_SUFFIX)


def read_lock(data_path: Path) -> LockInfo | None:
    """The lock beside ``data_path``; None if there is none. An unreadable lock file (a crash
    while it was written) comes back with empty fields and the file's time."""
    path = lock_path(data_path)
    try:
        raw = path.read_bytes()
        stamp = datetime.fromtimestamp(path.stat().st_mtime, UTC).isoformat(timespec="seconds")
    except FileNotFoundError:
        return None
    except OSError as err:
        raise DataFileError(f"Die Sperrdatei „{path.name}“ kann nicht gelesen werden: {os_reason(err)}.") from err
    try:
        data = json.loads(raw.decode("utf-8"))
        return LockInfo(user=str(data["user"]), host=str(data["host"]), pid=int(data["pid"]),
                        since=str(data["since"]), refreshed=str(data.get("refreshed", data["since"])),
                        token=str(data.get("token", "")), program=str(data.get("program", "")))
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        return LockInfo(user="unbekannt", host="unbekannt", pid=0, since=stamp, refreshed=stamp)


def staleness(info: LockInfo, *, host: str, now: datetime,
              alive: Callable[[int], bool] = process_alive,
              stale_after: timedelta = STALE_AFTER) -> str | None:
    """Why ``info`` is stale (German), or None while its holder may still be working."""
    try:
        refreshed = datetime.fromisoformat(info.refreshed)
    except ValueError:
        refreshed = now - stale_after - timedelta(seconds=1)
    if not info.token and info.pid == 0:
        if now - refreshed > _UNREADABLE_GRACE:
            return "Die Sperrdatei ist unvollständig (Absturz beim Öffnen)."
        return None
    if info.host == host and not alive(info.pid):
        return "Das Programm, das die Datei geöffnet hatte, läuft auf diesem PC nicht mehr."
    if now - refreshed > stale_after:
        hours = int((now - refreshed).total_seconds() // 3600)
        return f"Die Sperre wurde seit {hours} Stunden nicht erneuert."
    return None


class FileLock:
    """The lock of one open Datenbestand, held by this process."""

    def __init__(self, data_path: Path, *, user: str | None = None, host: str | None = None,
                 pid: int | None = None, clock: Callable[[], datetime] = _now,
                 alive: Callable[[int], bool] = process_alive, stale_after: timedelta = STALE_AFTER):
        self.data_path = Path(data_path)
        self.path = lock_path(self.data_path)
        self.user = user or this_user()
        self.host = host or this_host()
        self.pid = os.getpid() if pid is None else pid
        self._clock = clock
        self._alive = alive
        self._stale_after = stale_after
        self.token = secrets.token_hex(8)
        self.held = False

    def _info(self, since: str | None = None) -> LockInfo:
        now = self._clock().isoformat(timespec="seconds")
        return LockInfo(user=self.user, host=self.host, pid=self.pid, since=since or now,
                        refreshed=now, token=self.token, program=f"PaktDesk {__version__}")

    def _payload(self, info: LockInfo) -> bytes:
        return json.dumps(asdict(info), ensure_ascii=False, indent=1).encode("utf-8")

    def acquire(self) -> None:
        """Take the lock, or raise :class:`FileInUseError` naming the holder."""
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o644)
        except FileExistsError:
            holder = read_lock(self.data_path)
            if holder is None:  # released meanwhile
                return self.acquire()
            if holder.token == self.token:
                self.held = True
                return None
            raise self._in_use(holder) from None
        except OSError as err:
            raise DataFileError(
                f"Neben der Datei kann keine Sperrdatei angelegt werden ({os_reason(err)}). "
                "Ist der Ordner schreibgeschützt?") from err
        try:
            os.write(fd, self._payload(self._info()))
            os.fsync(fd)
        finally:
            os.close(fd)
        self.held = True
        return None

    def _in_use(self, holder: LockInfo) -> FileInUseError:
        reason = staleness(holder, host=self.host, now=self._clock(), alive=self._alive,
                           stale_after=self._stale_after)
        if reason:
            return FileInUseError(
                f"Der Datenbestand ist noch als geöffnet markiert: {holder.describe()}. {reason} "
                "Wenn sicher niemand mehr damit arbeitet, kann die Sperre übernommen werden.",
                holder=holder, stale=True, reason=reason)
        return FileInUseError(
            f"Der Datenbestand ist gerade geöffnet: {holder.describe()}. Er kann nur "
            "schreibgeschützt geöffnet werden, bis dort das Programm beendet wird.",
            holder=holder, stale=False, reason="")

    def take_over(self, expected: LockInfo) -> None:
        """Replace the lock the clerk was shown (and confirmed) by ours. Refuses if the lock
        changed meanwhile (its holder came back or someone else took it over)."""
        current = read_lock(self.data_path)
        if current is not None and current != expected:
            raise self._in_use(current)
        self._write_replace(self._info())
        if (read_lock(self.data_path) or expected).token != self.token:
            raise self._in_use(read_lock(self.data_path) or expected)
        self.held = True

    def refresh(self) -> None:
        """Renew the lock's time stamp so other PCs do not think it stale."""
        if not self.held:
            return
        current = read_lock(self.data_path)
        if current is None or current.token != self.token:
            self.held = False
            raise DataFileError("Die Sperre des Datenbestands wurde von einer anderen Sitzung übernommen. "
                                "Bitte das Programm schließen; Änderungen sind nicht mehr möglich.")
        self._write_replace(self._info(since=current.since))

    def release(self) -> None:
        """Remove the lock if it is still ours. Never raises."""
        if not self.held:
            return
        self.held = False
        with contextlib.suppress(OSError, DataFileError):
            current = read_lock(self.data_path)
            if current is not None and current.token == self.token:
                self.path.unlink()

    def _write_replace(self, info: LockInfo) -> None:
        try:
            atomic.write_bytes(self.path, self._payload(info))
        except OSError as err:
            raise DataFileError(f"Die Sperrdatei kann nicht geschrieben werden ({os_reason(err)}).") from err

    def __enter__(self) -> FileLock:
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()
