"""The compiled installer really run (silently) under Wine: per-user install, registry, update over a
running program, uninstall that keeps the clerk's data.

Opt-in: needs ``makensis`` and a 64-bit Wine (Debian: ``apt-get install nsis wine64 wine``) and
``PAKTDESK_WINE_TESTS=1``; about 20 s. The installer is compiled for amd64 here because Debian's
wine64 runs no 32-bit programs; the script is the same one the x86 release build uses. Wine is not
Windows (see RELEASE-CHECKLIST.md), but the script's logic runs for real."""

from __future__ import annotations

import glob
import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WINE = shutil.which("wine64") or next(iter(glob.glob("/usr/lib/wine/wine64")), None)
PING = next(iter(glob.glob("/usr/lib/*/wine/x86_64-windows/ping.exe")), None)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.environ.get("PAKTDESK_WINE_TESTS") != "1", reason="PAKTDESK_WINE_TESTS=1 nicht gesetzt"),
    pytest.mark.skipif(not (WINE and PING and shutil.which("makensis")), reason="wine64 oder makensis fehlt"),
]

UNINSTALL_KEY = "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\PaktDesk"
ABORTED = 2  # NSIS exit code when the installer was aborted


def _build_module():
    sys.path.insert(0, str(ROOT / "installers"))
    spec = importlib.util.spec_from_file_location("paktdesk_installers_build_wine", ROOT / "installers" / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Wine:
    def __init__(self, prefix: Path):
        self.env = {**os.environ, "WINEPREFIX": str(prefix), "WINEDEBUG": "-all", "USER": "sachbearbeitung",
                    "WINEDLLOVERRIDES": "mscoree,mshtml="}
        self.run("wineboot", "-i")
        self.local = prefix / "drive_c" / "users" / "sachbearbeitung" / "AppData" / "Local"

    def run(self, *args, wait: bool = True) -> int:
        """Run a Windows program; ``wait`` also waits for every other Wine process to end."""
        result = subprocess.run([WINE, *map(str, args)], env=self.env, stdin=subprocess.DEVNULL,
                                capture_output=True, timeout=180)
        if wait:
            self.wait()
        return result.returncode

    def is_locked(self, windows_path: str) -> bool:
        """Windows refuses to open a running program for writing (appending nothing changes nothing)."""
        assert " " not in windows_path  # cmd would need quotes, which do not survive wine's command line
        result = subprocess.run([WINE, "cmd", "/c", f"type nul >> {windows_path}"], env=self.env,
                                stdin=subprocess.DEVNULL, capture_output=True, timeout=60)
        return b"Sharing violation" in result.stdout + result.stderr

    def wait(self) -> None:
        server = Path(WINE).with_name("wineserver")
        subprocess.run([str(server) if server.exists() else "wineserver", "-w"], env=self.env, timeout=180)

    def reg_value(self, key: str, name: str = "") -> str | None:
        """A value under HKCU/HKLM via ``reg query``; ``name`` empty: the key's default value."""
        which = ["/v", name] if name else ["/ve"]
        result = subprocess.run([WINE, "reg", "query", key, *which], env=self.env, stdin=subprocess.DEVNULL,
                                capture_output=True, text=True, errors="replace", timeout=60)
        name = name or "(Default)"
        for line in result.stdout.splitlines():
            parts = line.split(None, 2)
            if len(parts) == 3 and parts[0] == name:
                return parts[2].strip()
        return None


def test_install_update_over_running_program_and_uninstall_keeping_data(tmp_path):
    build = _build_module()

    def installer(version: str, library: str) -> Path:
        payload = tmp_path / f"payload-{version}"
        (payload / "_internal").mkdir(parents=True)
        shutil.copy(PING, payload / "paktdesk.exe")  # a real Windows program that can stay running
        (payload / "_internal" / library).write_text(version)
        return build.build_installer(payload, tmp_path / f"setup-{version}.exe", compressor="zlib",
                                     version=version, target="amd64-unicode")

    old, new = installer("0.0.1", "alt.dll"), installer("0.0.2", "neu.dll")
    wine = Wine(tmp_path / "prefix")
    program_dir = wine.local / "Programs" / "PaktDesk"

    assert wine.run(old, "/S") == 0
    assert (program_dir / "paktdesk.exe").is_file() and (program_dir / "_internal" / "alt.dll").is_file()
    assert wine.reg_value(UNINSTALL_KEY, "DisplayVersion") == "0.0.1"
    assert wine.reg_value("HKCU\\Software\\Classes\\.paktdesk") == "PaktDesk.Datenbestand"
    start_menu = wine.local.parent / "Roaming" / "Microsoft" / "Windows" / "Start Menu" / "Programs"
    assert (start_menu / "PaktDesk.lnk").is_file()

    data = wine.local / "PaktDesk"
    (data / "Sicherungen").mkdir(parents=True)
    (data / "Datenbestand.paktdesk").write_bytes(b"Daten der Sachbearbeitung")
    (data / "Sicherungen" / "vorher.paktdesk").write_bytes(b"Sicherung")

    # Update while the old program runs: refused, nothing changed.
    windows_dir = "C:\\users\\sachbearbeitung\\AppData\\Local\\Programs\\PaktDesk"
    running = subprocess.Popen([WINE, str(program_dir / "paktdesk.exe"), "-n", "60", "127.0.0.1"],
                               env=wine.env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        assert any(wine.is_locked(windows_dir + "\\paktdesk.exe") for _ in range(100)), "program never ran"
        assert wine.run(new, "/S", wait=False) == ABORTED
        assert (program_dir / "_internal" / "alt.dll").is_file()
        assert wine.reg_value(UNINSTALL_KEY, "DisplayVersion") == "0.0.1"
    finally:
        running.kill()
        running.wait(timeout=30)
        wine.wait()

    # Closed: the update goes through and leaves no file of the old version behind.
    assert wine.run(new, "/S") == 0
    assert (program_dir / "_internal" / "neu.dll").is_file()
    assert not (program_dir / "_internal" / "alt.dll").exists()
    assert wine.reg_value(UNINSTALL_KEY, "DisplayVersion") == "0.0.2"

    # Silent uninstall (run in place so it finishes before we look): program gone, data kept.
    assert wine.run(program_dir / "uninstall.exe", "/S", f"_?={windows_dir}") == 0
    assert not (program_dir / "paktdesk.exe").exists() and not (program_dir / "_internal").exists()
    assert not (start_menu / "PaktDesk.lnk").exists()
    assert wine.reg_value(UNINSTALL_KEY, "DisplayVersion") is None
    assert wine.reg_value("HKCU\\Software\\Classes\\.paktdesk") is None
    assert (data / "Datenbestand.paktdesk").read_bytes() == b"Daten der Sachbearbeitung"
    assert (data / "Sicherungen" / "vorher.paktdesk").is_file()
