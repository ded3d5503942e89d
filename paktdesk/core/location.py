"""Where the live Datenbestand may live: a pure decision over a folder path.

SQLite's locking and durability rely on a local disk. A network share (``\\\\server\\share`` or a
mapped drive letter) can corrupt the file when the connection drops, and sync clients (OneDrive,
Nextcloud, Dropbox, …) copy, rename or lock an open file behind the program's back. Such folders
are refused for the live file, and allowed for backups.

The caller injects how drive types are found (``drive_type``): on Windows ``GetDriveTypeW``
(see :mod:`paktdesk.platform_win`), on Linux the file system types in ``/proc/mounts``
(:func:`drive_type_from_mounts`). Tests inject fixed answers, so the rules are testable anywhere.
"""

from __future__ import annotations

import ntpath
import posixpath
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum


class DriveType(Enum):
    FIXED = "fixed"
    REMOVABLE = "removable"
    NETWORK = "network"
    CDROM = "cdrom"
    RAMDISK = "ramdisk"
    UNKNOWN = "unknown"


class Verdict(Enum):
    OK = "ok"
    WARN = "warn"  # allowed, but the clerk should know the risk
    REFUSE = "refuse"


@dataclass(frozen=True, slots=True)
class LocationCheck:
    """The decision for one folder: ``verdict``, a short ``reason`` code and the German ``message``."""

    verdict: Verdict
    reason: str
    message: str = ""

    @property
    def allowed(self) -> bool:
        return self.verdict is not Verdict.REFUSE


# folder names sync clients create; compared case-insensitively with each path component
_SYNC_PREFIXES = {
    "onedrive": "OneDrive",  # "OneDrive", "OneDrive - Stadt Musterhausen"
    "nextcloud": "Nextcloud",
    "owncloud": "ownCloud",
    "dropbox": "Dropbox",
    "google drive": "Google Drive",
    "googledrive": "Google Drive",
    "my drive": "Google Drive",
    "meine ablage": "Google Drive",
    "icloud drive": "iCloud",
    "iclouddrive": "iCloud",
    "mobile documents": "iCloud",
    "seafile": "Seafile",
    "pcloud": "pCloud",
    "magentacloud": "MagentaCLOUD",
    "box sync": "Box",
    "tresorit": "Tresorit",
}
_SYNC_EXACT = {"box": "Box", "cloudstorage": "einem Cloud-Speicher"}
# environment variables that name sync folders (Windows sets these for OneDrive)
_SYNC_ENV = {"OneDrive": "OneDrive", "OneDriveCommercial": "OneDrive", "OneDriveConsumer": "OneDrive"}

NETWORK_FS_TYPES = frozenset({
    "nfs", "nfs4", "cifs", "smb3", "smbfs", "fuse.sshfs", "sshfs", "9p", "afs", "ncpfs",
    "fuse.rclone", "davfs", "fuse.davfs2", "glusterfs", "ceph", "fuse.glusterfs", "lustre",
})

_LOCAL_HINT = ("Bitte einen Ordner auf der Festplatte dieses PCs wählen, zum Beispiel den "
               "vorgeschlagenen Standardordner. Sicherungen dürfen dagegen auf ein Netzlaufwerk, "
               "einen USB-Stick oder in einen Cloud-Ordner.")


def _is_windows_style(path: str) -> bool:
    return "\\" in path or (len(path) >= 2 and path[1] == ":")


def _strip_long_prefix(path: str) -> tuple[str, bool]:
    r"""``\\?\C:\x`` → ``C:\x``; ``\\?\UNC\srv\share`` → ``\\srv\share`` (and says it is UNC)."""
    for prefix in ("\\\\?\\", "\\\\.\\", "//?/", "//./"):
        if path.startswith(prefix):
            rest = path[len(prefix):]
            if rest[:4].upper() in ("UNC\\", "UNC/"):
                return "\\\\" + rest[4:], True
            return rest, False
    return path, False


def is_unc(path: str) -> bool:
    r"""``\\server\share\…`` or ``//server/share/…`` (also in the ``\\?\UNC\`` long form)."""
    path, unc = _strip_long_prefix(str(path))
    return unc or path.startswith("\\\\") or (path.startswith("//") and not path.startswith("///"))


def drive_root(path: str) -> str:
    r"""The root the drive type is asked for: ``C:\`` on Windows, ``/`` style on POSIX."""
    path, _ = _strip_long_prefix(str(path))
    if _is_windows_style(path):
        drive, _ = ntpath.splitdrive(path)
        return (drive + "\\") if drive else "\\"
    return path if path.startswith("/") else posixpath.abspath(path)


def _components(path: str) -> list[str]:
    path, _ = _strip_long_prefix(str(path))
    return [c for c in path.replace("\\", "/").split("/") if c and not c.endswith(":")]


def sync_client_of(path: str, *, env: Mapping[str, str] | None = None) -> str | None:
    """The name of the sync client whose folder holds ``path``, or None."""
    for part in _components(path):
        folded = part.casefold().strip()
        if folded in _SYNC_EXACT:
            return _SYNC_EXACT[folded]
        for prefix, name in _SYNC_PREFIXES.items():
            if folded == prefix or folded.startswith(prefix + " ") or folded.startswith(prefix + "-"):
                return name
            if prefix == "onedrive" and folded.startswith(prefix):
                return name
    normalised = "/".join(_components(path)).casefold()
    for variable, name in _SYNC_ENV.items():
        value = (env or {}).get(variable)
        if value:
            base = "/".join(_components(value)).casefold()
            if base and (normalised == base or normalised.startswith(base + "/")):
                return name
    return None


def check_live_folder(folder: str, *, drive_type: Callable[[str], DriveType],
                      env: Mapping[str, str] | None = None) -> LocationCheck:
    """May ``folder`` hold the live Datenbestand? Refuses network and sync-client folders."""
    folder = str(folder)
    if is_unc(folder):
        return LocationCheck(Verdict.REFUSE, "unc", (
            f"Der Ordner „{folder}“ liegt auf einem Server im Netzwerk. Dort kann der Datenbestand "
            "beschädigt werden, wenn die Verbindung kurz abbricht, und ein zweiter Arbeitsplatz "
            "könnte ihn gleichzeitig ändern. " + _LOCAL_HINT))
    client = sync_client_of(folder, env=env)
    if client:
        return LocationCheck(Verdict.REFUSE, "sync", (
            f"Der Ordner „{folder}“ wird von {client} mit einem Cloud-Speicher abgeglichen. "
            "Solche Programme kopieren, sperren oder ersetzen eine geöffnete Datei im Hintergrund; "
            "dabei können Buchungen verloren gehen. " + _LOCAL_HINT))
    kind = drive_type(drive_root(folder))
    if kind is DriveType.NETWORK:
        return LocationCheck(Verdict.REFUSE, "network", (
            f"Der Ordner „{folder}“ liegt auf einem Netzlaufwerk. Dort kann der Datenbestand "
            "beschädigt werden, wenn die Verbindung kurz abbricht. " + _LOCAL_HINT))
    if kind is DriveType.CDROM:
        return LocationCheck(Verdict.REFUSE, "cdrom", (
            f"Der Ordner „{folder}“ liegt auf einer CD/DVD; dort kann nichts gespeichert werden. "
            + _LOCAL_HINT))
    if kind is DriveType.RAMDISK:
        return LocationCheck(Verdict.REFUSE, "ramdisk", (
            f"Der Ordner „{folder}“ liegt auf einer RAM-Disk; ihr Inhalt ist nach dem Ausschalten "
            "verloren. " + _LOCAL_HINT))
    if kind is DriveType.REMOVABLE:
        return LocationCheck(Verdict.WARN, "removable", (
            f"Der Ordner „{folder}“ liegt auf einem Wechseldatenträger (z. B. USB-Stick). Wird er "
            "bei geöffnetem Programm abgezogen, kann der Datenbestand beschädigt werden. Besser ist "
            "ein Ordner auf der Festplatte; den Stick für Sicherungen verwenden."))
    return LocationCheck(Verdict.OK, "local")


def check_backup_folder(folder: str, *, drive_type: Callable[[str], DriveType],
                        env: Mapping[str, str] | None = None) -> LocationCheck:
    """Backups may go anywhere writable, network and cloud folders included (not a CD)."""
    if not is_unc(str(folder)) and drive_type(drive_root(str(folder))) is DriveType.CDROM:
        return LocationCheck(Verdict.REFUSE, "cdrom",
                             f"Auf „{folder}“ (CD/DVD) kann keine Sicherung geschrieben werden.")
    return LocationCheck(Verdict.OK, "backup")


def parse_mounts(text: str) -> list[tuple[str, str]]:
    """``/proc/mounts`` text → [(mount point, file system type)], octal escapes decoded."""
    found = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) >= 3:
            point = fields[1].encode("latin-1", "replace").decode("unicode_escape", "replace")
            found.append((point, fields[2]))
    return found


def drive_type_from_mounts(path: str, mounts_text: str) -> DriveType:
    """Drive type of ``path`` from ``/proc/mounts``: the longest mount point that contains it."""
    path = posixpath.normpath(str(path))
    best, best_type = "", ""
    for point, fs_type in parse_mounts(mounts_text):
        point = posixpath.normpath(point)
        inside = path == point or path.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, best_type = point, fs_type
    if not best:
        return DriveType.UNKNOWN
    if best_type in NETWORK_FS_TYPES or best_type.startswith("fuse.sshfs") or best_type.startswith("nfs"):
        return DriveType.NETWORK
    if best_type in ("iso9660", "udf"):
        return DriveType.CDROM
    if best_type == "ramfs":
        return DriveType.RAMDISK
    return DriveType.FIXED
