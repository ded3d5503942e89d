"""A private CUPS scheduler with one cups-pdf queue, for tests that print as the clerk does.

The scheduler runs from its own folder (configuration, spool, logs) and listens only on a socket
in it; libcups in this process is pointed at that socket and at the queue as the default printer,
and back at the system's scheduler afterwards. Printed jobs stay in the spool (PreserveJobFiles),
so a test can measure what went over the wire; cups-pdf writes its PDF into the folder named by
``Out`` in its configuration file."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

CUPSD = "/usr/sbin/cupsd"
BACKEND = Path("/usr/lib/cups/backend/cups-pdf")
PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd")
CUPS_PDF_CONF = Path("/etc/cups/cups-pdf.conf")


def missing() -> str:
    """Why no queue can be set up here, or "" when it can."""
    if not Path(CUPSD).exists() or shutil.which("lpadmin") is None:
        return "CUPS fehlt (Debian: cups)"
    if not BACKEND.exists() or not PPD.exists():
        return "cups-pdf fehlt (Debian: printer-driver-cups-pdf)"
    if os.geteuid() != 0:
        return "cups-pdf läuft nur unter einem cupsd als root"
    if ctypes.util.find_library("cups") is None:
        return "libcups fehlt"
    return ""


@dataclass
class CupsQueue:
    name: str
    root: Path
    socket: Path
    out_dir: Path

    @property
    def spool(self) -> Path:
        return self.root / "spool"

    def env(self) -> dict[str, str]:
        return {**os.environ, "CUPS_SERVER": str(self.socket)}

    def run(self, *command: str) -> str:
        return subprocess.run(command, env=self.env(), check=True, capture_output=True, text=True).stdout

    def jobs_pending(self) -> bool:
        """True while a job waits or prints; a failed filter stops the queue and fails the test."""
        state = self.run("lpstat", "-p", self.name)
        assert "disabled" not in state, state + self.log()
        return bool(self.run("lpstat", "-o", self.name).strip())

    def log(self) -> str:
        return (self.root / "log/error_log").read_text(encoding="utf-8", errors="replace")[-4000:]

    def job_files(self) -> list[Path]:
        """The documents of every job as the scheduler received them."""
        return sorted(self.spool.glob("d*-*"))


def _out_dir() -> Path:
    """Where cups-pdf puts its files for this user (``Out`` in cups-pdf.conf, ${HOME} resolved)."""
    out = "/var/spool/cups-pdf/${USER}"
    for line in CUPS_PDF_CONF.read_text(encoding="utf-8").splitlines():
        parts = line.split(None, 1)
        if len(parts) == 2 and parts[0] == "Out":
            out = parts[1].strip()
    user = pwd.getpwuid(os.geteuid())
    return Path(out.replace("${HOME}", user.pw_dir).replace("${USER}", user.pw_name))


def _point_libcups(socket: str | None) -> None:
    """Make libcups in this process ask ``socket`` (None: the system's scheduler) from now on;
    it otherwise keeps the server it asked first."""
    lib = ctypes.CDLL(ctypes.util.find_library("cups"))
    lib.cupsSetServer.argtypes = [ctypes.c_char_p]
    lib.cupsSetServer(socket.encode() if socket else None)


def start(name: str) -> tuple[CupsQueue, subprocess.Popen]:
    """Start a scheduler in a new folder with the queue ``name`` as its default; returns it and the
    process. The folder is not under pytest's private temp folder: CUPS filters run as user "lp"
    and must reach the spooled job."""
    root = Path(tempfile.mkdtemp(prefix="paktdesk-cups-"))
    root.chmod(0o755)
    for folder in ("etc", "spool/tmp", "cache", "state", "log"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    socket = root / "cups.sock"
    (root / "etc/cupsd.conf").write_text(
        f"Listen {socket}\nLogLevel warn\nWebInterface No\nBrowsing No\n"
        "PreserveJobFiles Yes\nPreserveJobHistory Yes\nMaxJobs 0\nErrorPolicy stop-printer\n"
        "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
        "<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n", encoding="utf-8")
    (root / "etc/cups-files.conf").write_text(
        f"ServerRoot {root}/etc\nRequestRoot {root}/spool\nTempDir {root}/spool/tmp\nCacheDir {root}/cache\n"
        f"StateDir {root}/state\nErrorLog {root}/log/error_log\nAccessLog {root}/log/access_log\n"
        f"PageLog {root}/log/page_log\nSandboxing Relaxed\nSystemGroup root\nFileDevice No\n", encoding="utf-8")
    process = subprocess.Popen([CUPSD, "-f", "-c", str(root / "etc/cupsd.conf"),
                                "-s", str(root / "etc/cups-files.conf")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    queue = CupsQueue(name=name, root=root, socket=socket, out_dir=_out_dir())
    deadline = time.monotonic() + 30
    while not socket.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"cupsd did not start: {(root / 'log/error_log').read_text(errors='replace')}")
        time.sleep(0.1)
    queue.run("lpadmin", "-p", name, "-E", "-v", "cups-pdf:/", "-P", str(PPD))
    queue.run("lpadmin", "-d", name)
    _point_libcups(str(socket))
    return queue, process


def stop(queue: CupsQueue, process: subprocess.Popen) -> None:
    _point_libcups(None)
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    shutil.rmtree(queue.root, ignore_errors=True)
