"""A consistent copy of an open Datenbestand, as fast as SQLite's own ``.backup``, with the
SHA-256 of its bytes computed while they are copied.

Two ways, chosen by :func:`take_snapshot`:

* **byte copy under a read lock** (the usual way): ``BEGIN`` + one ``SELECT`` gives the
  connection SQLite's SHARED lock. In rollback-journal mode no writer can commit while it is held
  (a writer needs the EXCLUSIVE lock to touch the main file; it waits in its busy handler), and a
  hot journal cannot exist (SQLite rolls it back, or refuses a read-only connection, before the
  SELECT returns). So the file's bytes are one committed state: they are copied as they are
  (``copy_file_range`` in the kernel where there is one, else in large blocks), hashed on a second
  thread from the same bytes, then the lock is released and the copy is flushed to the disk. The
  copy is byte-identical to the live file.
* **SQLite's backup API** (all pages in one step, as ``sqlite3 .backup`` does) for a WAL file
  (its committed pages may still be in the ``-wal`` file) and for files of 1 GiB or more (on
  Windows SQLite locks the byte range at 1 GiB, where plain reads then fail). Page 1's counters
  of such a copy differ from the live file's; every other byte is the same.

The copy is then checked cheaply (SQLite header, page count against the size, PaktDesk's file id,
schema version); the deep check of its content follows separately (``backup.deep_check``).

POSIX detail: closing *any* descriptor of a file drops every ``fcntl`` lock this process holds on
it, including those of SQLite's connections ("How To Corrupt An SQLite Database File", 2.2).
The descriptor used to read the live file is therefore kept open for the life of the process
(one per file) and only closed once that path names another file (after a restore). On Windows
locks belong to a handle, so the handle is closed at once (an open handle would also block the
rename of a restore).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from .connection import APPLICATION_ID

LARGE_FILE = 1 << 30  # from here on the backup API (Windows' lock bytes at 1 GiB)
BLOCK = 1 << 22  # 4 MiB: big enough for hashlib to release the GIL, small enough to overlap
_MAGIC = b"SQLite format 3\x00"
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What the copy is: its size, the SHA-256 of its bytes and how it was made."""

    size: int
    sha256: str
    method: str  # "copy" (byte-identical) or "backup-api"


class SnapshotError(Exception):
    """The copy does not look like what was copied (English detail; the caller words it)."""


def take_snapshot(conn: sqlite3.Connection, source: Path, target: Path, *,
                  describe: Callable[[sqlite3.Connection], T], force_api: bool = False) -> tuple[Snapshot, T]:
    """Copy the database open on ``conn`` (its file is ``source``) to the new file ``target``,
    flushed to the disk, and check its header. ``describe(conn)`` runs under the same read lock,
    so what it reads (counts, sums for the sidecar) is exactly the state copied.
    ``conn`` must not be inside a transaction."""
    source, target = Path(source), Path(target)
    out = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o644)
    try:
        conn.execute("BEGIN")
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # takes the SHARED lock
            described = describe(conn)
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            journal = conn.execute("PRAGMA journal_mode").fetchone()[0].lower()
            snap, flushed = None, False
            if not force_api and journal != "wal":
                snap, flushed = _copy_locked(source, out)
            if snap is None:
                os.close(out)
                out = -1
                snap = _by_backup_api(conn, target)  # flushes the copy itself
        finally:
            conn.execute("COMMIT")  # releases the lock: writers may go on
        if out != -1 and not flushed:
            os.fsync(out)
    except BaseException:
        if out != -1:
            os.close(out)
        with contextlib.suppress(OSError):
            os.unlink(target)
        raise
    if out != -1:
        os.close(out)
    check_header(target, size=snap.size, schema_version=version)
    return snap, described


# ---------------------------------------------------------------- byte copy under a read lock

_HANDLES: dict[str, tuple[int, int, int]] = {}  # resolved path → (fd, st_dev, st_ino), POSIX only
_HANDLES_LOCK = threading.Lock()


@contextlib.contextmanager
def _source_fd(path: Path):
    """A read descriptor of the live file (see the module docstring for why it stays open)."""
    if sys.platform == "win32":
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        try:
            yield fd
        finally:
            os.close(fd)
        return
    key = str(Path(path).resolve())
    stat = os.stat(key)
    with _HANDLES_LOCK:
        for other, (fd, dev, ino) in list(_HANDLES.items()):
            try:
                current = os.stat(other)
                same = (current.st_dev, current.st_ino) == (dev, ino)
            except OSError:
                same = False
            if not same:  # that path names another file now: nothing can lock the old one through it
                del _HANDLES[other]
                with contextlib.suppress(OSError):
                    os.close(fd)
        entry = _HANDLES.get(key)
        if entry is None or (entry[1], entry[2]) != (stat.st_dev, stat.st_ino):
            fd = os.open(key, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
            _HANDLES[key] = entry = (fd, stat.st_dev, stat.st_ino)
    yield entry[0]


def _copy_locked(source: Path, out: int) -> tuple[Snapshot | None, bool]:
    """The byte copy while the caller holds the read lock: (snapshot, already flushed); no
    snapshot for a file of 1 GiB or more."""
    with _source_fd(source) as fd:
        size = os.fstat(fd).st_size
        if size >= LARGE_FILE:
            return None, False
        digest, flushed = _copy_and_hash(fd, out, size)
    return Snapshot(size, digest, "copy"), flushed


def _copy_and_hash(fd: int, out: int, size: int) -> tuple[str, bool]:
    """Copy ``size`` bytes of ``fd`` to ``out``; return their SHA-256 and whether ``out`` is
    already flushed. Where the kernel can copy (``copy_file_range``), it copies and the copy is
    flushed while a second thread hashes the same bytes from the page cache (hashing is the
    longest part); otherwise blocks are read once and written while the previous one is hashed."""
    if hasattr(os, "copy_file_range") and size:
        digest = hashlib.sha256()
        failure: list[BaseException] = []

        def hash_source() -> None:
            try:
                buffer = bytearray(BLOCK)
                offset = 0
                while offset < size:
                    read = _pread_into(fd, memoryview(buffer)[: min(BLOCK, size - offset)], offset)
                    if not read:
                        raise SnapshotError("source shorter than its size")
                    digest.update(memoryview(buffer)[:read])
                    offset += read
            except BaseException as err:  # noqa: BLE001 - re-raised on the calling thread
                failure.append(err)

        hasher = threading.Thread(target=hash_source, name="paktdesk-snapshot-hash", daemon=True)
        hasher.start()
        try:
            copied = _kernel_copy(fd, out, size)
            if copied:
                os.fsync(out)
        finally:
            hasher.join()
        if failure:
            raise failure[0]
        if copied:
            return digest.hexdigest(), True
        os.lseek(out, 0, os.SEEK_SET)
        os.ftruncate(out, 0)
    return _copy_in_blocks(fd, out, size), False


def _kernel_copy(fd: int, out: int, size: int) -> bool:
    """``copy_file_range`` of the whole file; False if this file system cannot (then nothing
    was copied, or what was is overwritten by the caller)."""
    offset = 0
    while offset < size:
        try:
            done = os.copy_file_range(fd, out, size - offset, offset, offset)
        except OSError as err:
            if offset == 0 and err.errno in (18, 22, 38, 95, 1):  # EXDEV, EINVAL, ENOSYS, EOPNOTSUPP, EPERM
                return False
            raise
        if done == 0:
            raise SnapshotError("source shorter than its size")
        offset += done
    return True


def _copy_in_blocks(fd: int, out: int, size: int) -> str:
    digest = hashlib.sha256()
    buffers = [bytearray(BLOCK), bytearray(BLOCK)]
    hashing: threading.Thread | None = None
    offset, which = 0, 0
    try:
        while offset < size:
            view = memoryview(buffers[which])[: min(BLOCK, size - offset)]
            read = _pread_into(fd, view, offset)
            if read == 0:
                raise SnapshotError("source shorter than its size")
            view = view[:read]
            if hashing is not None:
                hashing.join()
            hashing = threading.Thread(target=digest.update, args=(view,), daemon=True)
            hashing.start()
            written = 0
            while written < read:
                written += os.write(out, view[written:])
            offset += read
            which ^= 1
    finally:
        if hashing is not None:
            hashing.join()
    return digest.hexdigest()


def _pread_into(fd: int, view: memoryview, offset: int) -> int:
    if hasattr(os, "preadv"):
        return os.preadv(fd, [view], offset)
    os.lseek(fd, offset, os.SEEK_SET)  # Windows: the handle is this function's own
    with open(fd, "rb", buffering=0, closefd=False) as handle:
        return handle.readinto(view)


# ---------------------------------------------------------------- backup API

def _by_backup_api(conn: sqlite3.Connection, target: Path) -> Snapshot:
    """All pages in one step (the caller's read transaction keeps them one state)."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(target)  # the empty file the caller created
    dest = sqlite3.connect(str(target), isolation_level=None)
    try:
        dest.execute("PRAGMA journal_mode = OFF")  # a new temporary file: flushed below, renamed later
        dest.execute("PRAGMA synchronous = OFF")
        conn.backup(dest, pages=-1)
    finally:
        dest.close()
    digest = hashlib.sha256()
    flushed: list[BaseException] = []
    with open(target, "rb+") as handle:
        def flush() -> None:
            try:
                os.fsync(handle.fileno())
            except BaseException as err:  # noqa: BLE001 - re-raised below
                flushed.append(err)

        flusher = threading.Thread(target=flush, daemon=True)
        flusher.start()
        try:
            with open(target, "rb", buffering=0) as reader:
                while block := reader.read(BLOCK):
                    digest.update(block)
        finally:
            flusher.join()
    if flushed:
        raise flushed[0]
    return Snapshot(os.stat(target).st_size, digest.hexdigest(), "backup-api")


# ---------------------------------------------------------------- the cheap check of a copy

def check_header(path: Path, *, size: int, schema_version: int) -> None:
    """The copy's size, SQLite header, page count, PaktDesk file id and schema version."""
    with open(path, "rb") as handle:
        head = handle.read(100)
        actual = os.fstat(handle.fileno()).st_size
    if actual != size:
        raise SnapshotError(f"size {actual} instead of {size}")
    if len(head) < 100 or not head.startswith(_MAGIC):
        raise SnapshotError("no SQLite header")
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1) or size % page_size:
        raise SnapshotError(f"page size {page_size} does not divide {size}")
    pages = int.from_bytes(head[28:32], "big")
    header_valid = head[24:28] == head[92:96]  # "in-header database size" is valid
    if header_valid and pages * page_size != size:
        raise SnapshotError(f"{pages} pages in the header, {size // page_size} in the file")
    if int.from_bytes(head[68:72], "big") != APPLICATION_ID:
        raise SnapshotError("not a PaktDesk file")
    version = int.from_bytes(head[60:64], "big")
    if version != schema_version:
        raise SnapshotError(f"schema version {version} instead of {schema_version}")
