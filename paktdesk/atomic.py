"""The one way PaktDesk writes a file: a temporary file beside the target, flushed to disk, then
renamed over the target (retried briefly while a virus scanner or viewer holds it), so after a crash
the target is the complete old or the complete new version.

Temporary names are ``.<target name>.<pid>-<random>.tmp``. Each one is noted in a small list in the
data folder while it exists, so a process killed mid-write leaves nothing behind for good:
:func:`sweep_leftovers` at the next start removes the listed files of processes that are gone (and
nothing else: only names of our own pattern, only from that list). Errors stay ``OSError``; each
caller words them for its own action."""

from __future__ import annotations

import contextlib
import os
import secrets
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO, TypeVar

T = TypeVar("T")
REPLACE_TRIES = 10
_LIST_NAME = "temporaere-dateien.txt"
_list_guard = threading.Lock()


def fsync_dir(folder: Path) -> None:
    """Make a rename durable (POSIX); NTFS commits it with the file, and has no directory handle."""
    if sys.platform == "win32":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def replace_file(source: Path | str, target: Path | str, *, attempts: int = REPLACE_TRIES) -> None:
    """``os.replace`` that retries briefly while another program holds the target (Windows)."""
    for attempt in range(attempts):
        try:
            os.replace(source, target)
            return
        except PermissionError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.1 * (attempt + 1))


def temp_name(target: Path) -> Path:
    """A fresh temporary name beside ``target`` that names this process (for the sweep)."""
    return target.with_name(f".{target.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")


def _list_file() -> Path | None:
    try:
        from .paths import data_dir

        return data_dir() / _LIST_NAME
    except Exception:  # noqa: BLE001 - no data folder (yet): writing still works, only unswept
        return None


def _note(temp: Path, *, add: bool) -> None:
    listing = _list_file()
    if listing is None:
        return
    line = str(temp.resolve())
    with _list_guard, contextlib.suppress(OSError):
        if add:
            listing.parent.mkdir(parents=True, exist_ok=True)
            with open(listing, "a", encoding="utf-8") as handle:
                handle.write(line + "\n")
        elif listing.exists():
            lines = listing.read_text(encoding="utf-8").splitlines()
            if line in lines:
                lines.remove(line)
                listing.write_text("".join(f"{kept}\n" for kept in lines), encoding="utf-8")


@contextlib.contextmanager
def temporary_beside(target: Path) -> Iterator[Path]:
    """A noted temporary path beside ``target``; removed (and un-noted) whatever happens, unless
    it was renamed into place."""
    temp = temp_name(Path(target))
    _note(temp, add=True)
    try:
        yield temp
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()
        _note(temp, add=False)


def write_atomically(target: Path, write: Callable[[BinaryIO], T]) -> T:
    """Call ``write`` with a binary handle on a temporary file, then put it in place of ``target``."""
    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    with temporary_beside(target) as temp:
        with open(temp, "xb") as handle:
            result = write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        replace_file(temp, target)
    fsync_dir(folder)
    return result


def write_bytes(target: Path, data: bytes) -> None:
    write_atomically(target, lambda handle: handle.write(data))


def _is_ours(path: Path) -> bool:
    name = path.name
    if not (name.startswith(".") and name.endswith(".tmp")):
        return False
    stem = name[:-4].rsplit(".", 1)[-1]
    pid, _, token = stem.partition("-")
    return pid.isdecimal() and pid.isascii() and len(token) == 8


def _pid_of(path: Path) -> int:
    return int(path.name[:-4].rsplit(".", 1)[-1].partition("-")[0])


def sweep_leftovers() -> list[Path]:
    """At start: remove the temporary files of killed PaktDesk processes named in the list.
    Files of a process that still runs stay (another window may be writing right now)."""
    from .platform_win import process_alive

    listing = _list_file()
    if listing is None or not listing.exists():
        return []
    removed, kept = [], []
    with _list_guard:
        try:
            lines = listing.read_text(encoding="utf-8").splitlines()
        except OSError:
            return []
        for line in dict.fromkeys(filter(None, lines)):
            path = Path(line)
            if not _is_ours(path):
                continue
            pid = _pid_of(path)
            if pid == os.getpid() or process_alive(pid):
                kept.append(line)
                continue
            with contextlib.suppress(OSError):
                if path.is_file() and not path.is_symlink():
                    path.unlink()
                    removed.append(path)
        with contextlib.suppress(OSError):
            listing.write_text("".join(f"{line}\n" for line in kept), encoding="utf-8")
    return removed
