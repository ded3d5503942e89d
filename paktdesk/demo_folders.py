"""The temporary folders demo copies live in, and the removal of those a killed PaktDesk left.

A closed window removes its demo folder; a killed program cannot. Each folder therefore names
the process that made it (``owner.json``: host and PID), and every start removes the demo folders
of this user whose process no longer runs on this PC. Folders of older versions have no owner
file: they go once the demo file's lock is gone or stale and the folder holds nothing but the
demo file. Standard library and the lock file only: this runs before the window is drawn."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from .core.errors import DataFileError
from .lockfile import read_lock, staleness, this_host
from .platform_win import process_alive

PREFIX = "paktdesk-demo-"
OWNER_FILE = "owner.json"
DEMO_FILE_NAME = "Demo-Lindenbach.paktdesk"
_LEGACY_GRACE_SECONDS = 600  # an old version may just be creating its demo file


def new_demo_folder() -> Path:
    """A fresh folder for one demo copy, marked as this process's; stale ones are removed first."""
    remove_stale_demo_folders()
    folder = Path(tempfile.mkdtemp(prefix=PREFIX))
    owner = {"host": this_host(), "pid": os.getpid()}
    (folder / OWNER_FILE).write_text(json.dumps(owner), encoding="utf-8")
    return folder


def remove_stale_demo_folders(temp_dir: Path | None = None, *, alive: Callable[[int], bool] = process_alive,
                              host: str | None = None) -> list[Path]:
    """Remove the demo folders left by processes that have ended; returns those removed. Never
    raises: a folder that cannot be removed now is tried again at the next start."""
    host = host or this_host()
    removed = []
    try:
        candidates = sorted(Path(temp_dir or tempfile.gettempdir()).glob(PREFIX + "*"))
    except OSError:
        return removed
    for folder in candidates:
        try:
            if _is_stale(folder, alive=alive, host=host):
                shutil.rmtree(folder)
                removed.append(folder)
        except OSError:
            continue
    return removed


def _is_stale(folder: Path, *, alive: Callable[[int], bool], host: str) -> bool:
    if folder.is_symlink() or not folder.is_dir():
        return False
    if hasattr(os, "getuid") and folder.stat().st_uid != os.getuid():
        return False  # another user's (a shared /tmp)
    owner_file = folder / OWNER_FILE
    if owner_file.exists():
        try:
            owner = json.loads(owner_file.read_text(encoding="utf-8"))
            return owner["host"] == host and not alive(int(owner["pid"]))
        except (ValueError, KeyError, TypeError):
            return False
    return _is_stale_legacy(folder, alive=alive, host=host)


def _is_stale_legacy(folder: Path, *, alive: Callable[[int], bool], host: str) -> bool:
    if time.time() - folder.stat().st_mtime < _LEGACY_GRACE_SECONDS:
        return False
    names = [entry.name for entry in folder.iterdir()]
    if not names or any(not name.startswith(DEMO_FILE_NAME) for name in names):
        return False  # not only our demo file: leave it alone
    try:
        holder = read_lock(folder / DEMO_FILE_NAME)
    except DataFileError:
        return False
    return holder is None or staleness(holder, host=host, now=datetime.now(UTC), alive=alive) is not None
