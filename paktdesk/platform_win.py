"""Small adapters to the operating system that the pure rules elsewhere take as parameters.

Windows (``ctypes``, only on ``sys.platform == "win32"``): ``GetDriveTypeW`` for
:func:`paktdesk.core.location.check_live_folder` and ``OpenProcess`` to ask whether a lock's
owner is still running. Other systems get the equivalent from ``/proc/mounts`` and ``os.kill``.
No Qt here: the crash handler and the lock file use it before any window exists.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .core.location import DriveType, drive_type_from_mounts

IS_WINDOWS = sys.platform == "win32"

# GetDriveTypeW results
_WIN_DRIVE_TYPES = {
    0: DriveType.UNKNOWN,  # DRIVE_UNKNOWN
    1: DriveType.UNKNOWN,  # DRIVE_NO_ROOT_DIR
    2: DriveType.REMOVABLE,
    3: DriveType.FIXED,
    4: DriveType.NETWORK,  # DRIVE_REMOTE: mapped network drive
    5: DriveType.CDROM,
    6: DriveType.RAMDISK,
}


def windows_drive_type(root: str) -> DriveType:
    r"""``GetDriveTypeW("C:\\")`` as a :class:`DriveType` (Windows only)."""
    if not IS_WINDOWS:
        raise OSError("GetDriveTypeW gibt es nur unter Windows.")
    import ctypes

    root = root if root.endswith("\\") else root + "\\"
    return _WIN_DRIVE_TYPES.get(ctypes.windll.kernel32.GetDriveTypeW(ctypes.c_wchar_p(root)),
                                DriveType.UNKNOWN)


def linux_drive_type(path: str, *, mounts_file: str = "/proc/mounts") -> DriveType:
    try:
        text = Path(mounts_file).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return DriveType.UNKNOWN
    return drive_type_from_mounts(os.path.realpath(path) if os.path.exists(path) else path, text)


def system_drive_type(root: str) -> DriveType:
    """The drive type for this machine: ``GetDriveTypeW`` on Windows, ``/proc/mounts`` elsewhere."""
    if IS_WINDOWS:
        return windows_drive_type(root)
    return linux_drive_type(root)


def process_alive(pid: int) -> bool:
    """Is process ``pid`` running on this machine? (Unsure answers count as "yes".)"""
    if pid <= 0:
        return False
    if IS_WINDOWS:
        return _windows_process_alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, belongs to someone else
        return True
    except OSError:
        return True
    return True


def _windows_process_alive(pid: int) -> bool:
    import ctypes
    from ctypes import wintypes

    process_query_limited_information = 0x1000
    still_active = 259
    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    handle = kernel32.OpenProcess(process_query_limited_information, False, pid)
    if not handle:
        return ctypes.get_last_error() == 5  # access denied: it exists
    try:
        code = wintypes.DWORD()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == still_active
    finally:
        kernel32.CloseHandle(handle)
