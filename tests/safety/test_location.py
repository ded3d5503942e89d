"""Where the live file may live: network paths and sync folders refused, backups allowed."""

from __future__ import annotations

import pytest

from paktdesk.core.location import (
    DriveType,
    Verdict,
    check_backup_folder,
    check_live_folder,
    drive_root,
    drive_type_from_mounts,
    is_unc,
    sync_client_of,
)


def drives(**types: DriveType):
    """A drive-type lookup as GetDriveTypeW would answer, keyed by drive letter."""
    def lookup(root: str) -> DriveType:
        return types.get(root[:1].upper(), DriveType.FIXED)
    return lookup


LOCAL = drives()


@pytest.mark.parametrize("path", [
    r"\\rathaus-fs01\Kaemmerei\PaktDesk",
    r"\\?\UNC\rathaus-fs01\Kaemmerei",
    "//server/share/daten",
    r"\\192.168.1.10\daten",
])
def test_unc_paths_are_refused_for_the_live_file(path):
    check = check_live_folder(path, drive_type=LOCAL)
    assert check.verdict is Verdict.REFUSE and check.reason == "unc"
    assert "Netzwerk" in check.message and "Festplatte" in check.message
    assert check_backup_folder(path, drive_type=LOCAL).allowed


def test_a_mapped_network_drive_is_refused_but_fine_for_backups():
    lookup = drives(H=DriveType.NETWORK)
    check = check_live_folder(r"H:\Eigene Dateien\PaktDesk", drive_type=lookup)
    assert check.verdict is Verdict.REFUSE and check.reason == "network"
    assert "Netzlaufwerk" in check.message
    assert check_backup_folder(r"H:\Sicherungen", drive_type=lookup).allowed
    assert check_live_folder(r"C:\Users\sommer\AppData\Local\PaktDesk", drive_type=lookup).verdict is Verdict.OK


@pytest.mark.parametrize(("path", "client"), [
    (r"C:\Users\sommer\OneDrive\PaktDesk", "OneDrive"),
    (r"C:\Users\sommer\OneDrive - Gemeinde Lindenbach\Dokumente", "OneDrive"),
    (r"C:\Users\sommer\Nextcloud\Integration", "Nextcloud"),
    (r"D:\Dropbox\Rathaus", "Dropbox"),
    (r"G:\My Drive\PaktDesk", "Google Drive"),
    (r"G:\Meine Ablage\PaktDesk", "Google Drive"),
    (r"C:\Users\sommer\iCloudDrive\PaktDesk", "iCloud"),
    ("/home/sommer/Nextcloud/paktdesk", "Nextcloud"),
    ("/Users/sommer/Library/CloudStorage/OneDrive-Personal/x", "OneDrive"),
])
def test_sync_client_folders_are_refused(path, client):
    check = check_live_folder(path, drive_type=LOCAL)
    assert check.verdict is Verdict.REFUSE and check.reason == "sync"
    assert client in check.message
    assert check_backup_folder(path, drive_type=LOCAL).allowed


def test_a_redirected_onedrive_folder_is_found_through_the_environment():
    env = {"OneDriveCommercial": r"C:\Users\sommer\Firma AG Cloud"}
    assert sync_client_of(r"C:\Users\sommer\Firma AG Cloud\Akten", env=env) == "OneDrive"
    assert sync_client_of(r"C:\Users\sommer\Firma AG Cloudy\Akten", env=env) is None
    assert check_live_folder(r"c:\users\sommer\firma ag cloud", drive_type=LOCAL, env=env).reason == "sync"


@pytest.mark.parametrize("path", [
    r"C:\Users\sommer\AppData\Local\PaktDesk",
    r"C:\Daten\Boxer-Verein",  # "Box" only as a whole folder name
    r"D:\Dropboxen-Archiv",  # a name that only starts like a sync client's
    "/home/sommer/.local/share/PaktDesk",
])
def test_ordinary_local_folders_are_allowed(path):
    assert check_live_folder(path, drive_type=LOCAL).verdict is Verdict.OK


def test_removable_and_optical_drives():
    lookup = drives(E=DriveType.REMOVABLE, F=DriveType.CDROM)
    usb = check_live_folder(r"E:\PaktDesk", drive_type=lookup)
    assert usb.verdict is Verdict.WARN and usb.allowed and "USB" in usb.message
    assert not check_live_folder(r"F:\PaktDesk", drive_type=lookup).allowed
    assert not check_backup_folder(r"F:\Sicherung", drive_type=lookup).allowed


def test_the_drive_type_is_asked_for_the_drive_root():
    asked = []
    check_live_folder(r"D:\a\b", drive_type=lambda root: asked.append(root) or DriveType.FIXED)
    assert asked == ["D:\\"]
    assert drive_root(r"\\?\C:\Users\x") == "C:\\"
    assert is_unc(r"\\?\UNC\srv\share") and not is_unc(r"\\?\C:\x") and not is_unc("/home/x")


MOUNTS = """\
/dev/vda1 / ext4 rw,relatime 0 0
tmpfs /run/user/1000 tmpfs rw 0 0
server:/export /mnt/nfs nfs4 rw 0 0
//rathaus/kasse /mnt/kasse cifs rw 0 0
user@host:/srv /home/sommer/remote fuse.sshfs rw 0 0
/dev/sr0 /media/cdrom iso9660 ro 0 0
/dev/sdb1 /media/USB\\040Stick vfat rw 0 0
"""


@pytest.mark.parametrize(("path", "expected"), [
    ("/home/sommer/.local/share/PaktDesk", DriveType.FIXED),
    ("/run/user/1000/x", DriveType.FIXED),
    ("/mnt/nfs/paktdesk", DriveType.NETWORK),
    ("/mnt/kasse", DriveType.NETWORK),
    ("/mnt/kasse-lokal", DriveType.FIXED),  # a prefix of a mount point name is not inside it
    ("/home/sommer/remote/daten", DriveType.NETWORK),
    ("/media/cdrom/x", DriveType.CDROM),
    ("/media/USB Stick/x", DriveType.FIXED),
])
def test_linux_network_file_systems_come_from_proc_mounts(path, expected):
    assert drive_type_from_mounts(path, MOUNTS) is expected


def test_a_linux_nfs_home_is_refused_as_network():
    def lookup(root: str) -> DriveType:
        return drive_type_from_mounts(root, MOUNTS)
    assert check_live_folder("/mnt/nfs/paktdesk", drive_type=lookup).reason == "network"
    assert check_live_folder("/home/sommer/daten", drive_type=lookup).verdict is Verdict.OK
