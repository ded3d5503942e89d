"""PaktDesk on a 1366×768 laptop screen, in a real X server with a window manager (Xvfb + openbox):
the first window fits the screen with its status bar, every page keeps it there, and every dialog
opens whole on the screen. Screenshots of each are written for looking at (PAKTDESK_KEEP_SHOTS=folder
keeps them)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from paktdesk.ui.sections import SECTIONS

WIDTH, HEIGHT = 1366, 768
TASKBAR = 40  # the Windows 10/11 taskbar at 100 %: 1366×728 are left for windows
CHILD = Path(__file__).with_name("screen_fit_child.py")

pytestmark = pytest.mark.skipif(not all(shutil.which(tool) for tool in ("Xvfb", "openbox", "xprop")),
                                reason="Xvfb, openbox oder xprop fehlen (Debian: xvfb openbox x11-utils)")


@pytest.fixture
def display(tmp_path):
    """A 1366×768 X server with a window manager; yields the DISPLAY value."""
    read, write = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", f"{WIDTH}x{HEIGHT}x24",
                               "-nolisten", "tcp"], pass_fds=(write,), stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    assert number, "Xvfb did not start"
    env = {**os.environ, "DISPLAY": f":{number}"}
    manager = subprocess.Popen(["openbox", "--sm-disable"], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    time.sleep(0.5)  # openbox takes the screen; there is nothing to wait on
    yield f":{number}"
    for process in (manager, server):
        process.terminate()
        process.wait(timeout=10)


def inside(frame: list[int], room: list[int]) -> bool:
    x, y, w, h = frame
    rx, ry, rw, rh = room
    return rx <= x and ry <= y and x + w <= rx + rw and y + h <= ry + rh


def test_every_page_and_dialog_fits_a_1366x768_screen(display, demo_file, tmp_path):
    shots = tmp_path / "shots"
    shots.mkdir()
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb", "PAKTDESK_HOME": str(tmp_path / "home")}
    run = subprocess.run([sys.executable, str(CHILD), str(demo_file), str(shots), str(TASKBAR)], env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads((shots / "report.json").read_text(encoding="utf-8"))
    if os.environ.get("PAKTDESK_KEEP_SHOTS"):
        shutil.copytree(shots, os.environ["PAKTDESK_KEEP_SHOTS"], dirs_exist_ok=True)
    assert report["errors"] == []
    assert report["screen"] == [0, 0, WIDTH, HEIGHT]
    room = report["available"]
    assert room == [0, 0, WIDTH, HEIGHT - TASKBAR]
    assert len(report["pages"]) == sum(len(section.tabs) for section in SECTIONS)
    for page in report["pages"]:
        assert inside(page["frame"], room), page
        assert page["status_bar_visible"] and inside(page["status_bar"], room), page
    assert len(report["dialogs"]) >= 20
    outside = [dialog["name"] for dialog in report["dialogs"] if not inside(dialog["frame"], room)]
    assert outside == []
