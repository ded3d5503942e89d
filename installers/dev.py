#!/usr/bin/env python3
"""Bootstrap for developers and CI: install what PaktDesk needs, then start it or test it.

    python3 installers/dev.py demo   [ARGS...]   install, then run ``paktdesk --demo ARGS``
    python3 installers/dev.py test   [ARGS...]   install with test extras, then ``pytest ARGS``
    python3 installers/dev.py windows-test [--bundle] [ARGS...]   Debian/Ubuntu: the tests under a
        Windows CPython in Wine; --bundle also the Windows bundle and installer (installers/windows_wine.py)
    (Windows: ``py installers\\dev.py demo`` / ``py installers\\dev.py test``)

Steps, each skipped when already done:
1. Debian/Ubuntu only: the OS packages Qt needs (checked with dpkg-query, installed with apt-get,
   as root directly or through sudo); ``python3-venv`` when ``python3 -m venv`` cannot work;
   for the tests every outside program they run (``TEST_TOOLS``: pdftotext, sqlite3, strace,
   LibreOffice, makensis, Xvfb with openbox) and CUPS with cups-pdf. Under ``CI=true`` on Linux a
   program of ``TEST_TOOLS`` still missing stops the run.
2. A virtual environment ``.venv`` in the repository root.
3. ``pip install -e ".[test]"`` (or ``-e .`` for the demo); a stamp file inside ``.venv`` holds
   the hash of pyproject.toml, so an unchanged project is not reinstalled.
4. Run. ``test`` sets ``QT_QPA_PLATFORM=offscreen`` (unless already set) and returns pytest's
   exit code.

Standard library only, and syntax old Pythons can still read, so that a too old interpreter
gets a clear message instead of a SyntaxError.
"""

import hashlib
import json
import os
import platform
import shutil
import signal
import subprocess
import sys

MIN_PYTHON = (3, 11)
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV = os.path.join(ROOT, ".venv")
STAMP = os.path.join(VENV, "paktdesk-dev-stamp.json")
INSTALL_INPUTS = ("pyproject.toml",)

# Qt (PySide6) needs these to import at all and to render offscreen, with a font.
QT_PACKAGES = [
    "libglib2.0-0", "libgl1", "libegl1", "libfontconfig1", "libxkbcommon0", "libdbus-1-3",
    "libx11-6", "fonts-dejavu-core",
]
# ... and these to open a real window on an X11/XWayland desktop (the demo).
QT_WINDOW_PACKAGES = [
    "libx11-xcb1", "libxkbcommon-x11-0", "libxcb-cursor0", "libxcb-icccm4", "libxcb-image0",
    "libxcb-keysyms1", "libxcb-randr0", "libxcb-render-util0", "libxcb-render0", "libxcb-shape0",
    "libxcb-shm0", "libxcb-sync1", "libxcb-util1", "libxcb-xfixes0", "libxcb-xkb1",
]
# The outside programs tests run, by Debian package: a test without its program is skipped on a
# developer's PC but fails under CI (tests/conftest.py, marker needs_tool), so each is installed here.
TEST_TOOLS = {
    "poppler-utils": ("pdftotext",),  # pdftotext/pdftoppm/pdfimages read printed forms back
    "sqlite3": ("sqlite3",),  # amounts edited behind PaktDesk's back are detected
    "strace": ("strace",),  # I/O errors injected at every write of a booking
    "libreoffice-calc-nogui": ("soffice", "libreoffice"),  # the exports opened as a German clerk would
    "nsis": ("makensis",),  # the Windows installer script compiles
    "xvfb": ("Xvfb",),  # a 1366x768 screen for the window-fit test ...
    "openbox": ("openbox",),  # ... with a window manager
    "x11-utils": ("xprop",),  # ... and a taskbar strut
}
# installed too, without a program of their own on PATH: a real print queue (the print test starts
# and stops its own cupsd; cups-pdf needs root) and the X authority the screen test uses
TEST_PACKAGES = list(TEST_TOOLS) + ["cups", "printer-driver-cups-pdf", "xauth"]
# windows-test: 64-bit Windows programs only; mingw for the Wine-only stand-ins of Windows DLLs
# (bcryptprimitives.dll, which cryptography's Rust extension needs, and icuuc.dll for Qt)
WINE_PACKAGES = ["wine", "wine64", "gcc-mingw-w64-x86-64"]
# windows-test --bundle: makensis, objdump
WINE_BUNDLE_PACKAGES = ["nsis", "binutils"]

USAGE = """Aufruf / usage:
  python3 installers/dev.py demo [ARGS...]   PaktDesk installieren und mit Demo-Daten starten
                                             install PaktDesk and start it on demo data
  python3 installers/dev.py test [ARGS...]   Testumgebung installieren und Tests ausführen
                                             install test tools and run the tests (ARGS -> pytest)
  python3 installers/dev.py windows-test [--bundle] [ARGS...]
                                             Debian/Ubuntu: Tests unter Windows-Python in Wine,
                                             mit --bundle auch Windows-Bundle und Installer
                                             the tests under Windows CPython in Wine; --bundle
                                             also builds the Windows bundle and installer
Windows: py installers\\dev.py demo | py installers\\dev.py test"""


def say(german, english):
    print("[dev] {} / {}".format(german, english), flush=True)


def fail(german, english, code=1):
    print("[dev] FEHLER: {}".format(german), file=sys.stderr, flush=True)
    print("[dev] ERROR: {}".format(english), file=sys.stderr, flush=True)
    sys.exit(code)


def run(cmd, **kwargs):
    """Run a command, show it, return its exit code (negative: ended by that signal).

    A SIGTERM or SIGHUP to this script (CI cancelling a job) is passed to the command, so that
    pytest or the demo can clean up instead of running on as an orphan. Ctrl+C reaches the command
    from the terminal by itself; this script then only waits for it."""
    print("[dev] $ " + " ".join(cmd), flush=True)
    child = subprocess.Popen(cmd, **kwargs)
    previous = {}

    def pass_on(signum, _frame):
        if child.poll() is None:
            child.send_signal(signum)

    wanted = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    for signum in wanted:
        previous[signum] = signal.signal(signum, pass_on)
    previous[signal.SIGINT] = signal.signal(signal.SIGINT, lambda _signum, _frame: None)
    try:
        return child.wait()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def exit_like(code):
    """End this script as the command ended: exit code, or the signal that ended it, so that
    a caller sees "terminated by SIGTERM" and not the exit code 241 (256 - 15)."""
    if code < 0 and os.name != "nt":
        signum = -code
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
        sys.exit(128 + signum)  # the signal could not end us (blocked): the shell's convention
    sys.exit(code)


def ensure_python():
    """Re-run with a newer python3.x from PATH when this one is too old."""
    if sys.version_info >= MIN_PYTHON:
        return
    wanted = ".".join(map(str, MIN_PYTHON))
    if os.name != "nt" and not os.environ.get("PAKTDESK_DEV_REEXEC"):
        for minor in range(20, MIN_PYTHON[1] - 1, -1):
            other = shutil.which("python3.{}".format(minor))
            if other:
                say("Python {} ist zu alt, nehme {}".format(platform.python_version(), other),
                    "Python {} is too old, using {}".format(platform.python_version(), other))
                env = dict(os.environ, PAKTDESK_DEV_REEXEC="1")
                sys.exit(subprocess.call([other, os.path.abspath(__file__)] + sys.argv[1:], env=env))
    fail("PaktDesk braucht Python {} oder neuer (gefunden: {}). Bitte installieren, unter Windows "
         "von python.org.".format(wanted, platform.python_version()),
         "PaktDesk needs Python {} or newer (found {}).".format(wanted, platform.python_version()))


# --- 1. OS packages (Debian/Ubuntu) ------------------------------------------------------------

def is_debian_like():
    if not sys.platform.startswith("linux") or not shutil.which("dpkg-query"):
        return False
    try:
        with open("/etc/os-release", encoding="utf-8") as handle:
            text = handle.read().lower()
    except OSError:
        return False
    ids = set()
    for line in text.splitlines():
        key, _, value = line.partition("=")
        if key in ("id", "id_like"):
            ids.update(value.strip().strip('"').split())
    return bool(ids & {"debian", "ubuntu"})


def installed_packages(names):
    """The subset of ``names`` that dpkg reports as installed."""
    result = subprocess.run(
        ["dpkg-query", "-W", "-f=${Package} ${db:Status-Abbrev}\n"] + list(names),
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, universal_newlines=True)
    found = set()
    for line in result.stdout.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[1].startswith("ii"):
            found.add(parts[0].split(":")[0])
    return found


def venv_can_work():
    """``python -m venv`` needs ensurepip; Debian's python3 ships it in python3-venv."""
    import importlib

    importlib.invalidate_caches()  # python3-venv may have been installed a moment ago
    try:
        import ensurepip  # noqa: F401
    except ImportError:
        return False
    return True


def has_display():
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def on_ci():
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def ensure_test_tools():
    """Under CI a test without its program must not skip quietly: say which is missing, stop."""
    if not (on_ci() and sys.platform.startswith("linux")):
        return
    missing = ["{} ({})".format(" / ".join(programs), package) for package, programs in TEST_TOOLS.items()
               if not any(shutil.which(program) for program in programs)]
    if missing:
        fail("CI=true, aber diese Programme für die Tests fehlen: " + ", ".join(missing),
             "CI=true, but these programs the tests need are missing: " + ", ".join(missing))


def root_prefix():
    """How to run apt-get as root: directly, via sudo, or not at all (None)."""
    if os.geteuid() == 0:
        return []
    if shutil.which("sudo"):
        # without a terminal sudo must not wait for a password nobody can type
        return ["sudo"] if sys.stdin is not None and sys.stdin.isatty() else ["sudo", "-n"]
    return None


def apt_known(names, prefix_env):
    """Packages apt knows about (names differ between releases; skip unknown ones)."""
    known = []
    for name in names:
        code = subprocess.call(["apt-cache", "show", "--no-all-versions", name],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=prefix_env)
        if code == 0:
            known.append(name)
        else:
            say("Paket {} gibt es hier nicht, übersprungen".format(name),
                "package {} not available here, skipped".format(name))
    return known


def ensure_os_packages(command, args=()):
    if not is_debian_like():
        if sys.platform.startswith("linux"):
            say("Kein Debian/Ubuntu: Systempakete bitte selbst prüfen (Qt braucht u. a. libGL, "
                "libEGL, fontconfig, xkbcommon, dbus, X11 und eine Schrift)",
                "not Debian/Ubuntu: please check OS packages yourself (Qt needs libGL, libEGL, "
                "fontconfig, xkbcommon, dbus, X11 and a font)")
        return
    wanted = list(QT_PACKAGES)
    if command == "test":
        wanted += TEST_PACKAGES + QT_WINDOW_PACKAGES  # the screen test opens real windows under Xvfb
    if command == "windows-test":
        wanted += WINE_PACKAGES
        if "--bundle" in args:
            wanted += WINE_BUNDLE_PACKAGES
    if command == "demo" and has_display():
        wanted += QT_WINDOW_PACKAGES
    if not venv_can_work():
        wanted.append("python3-venv")
        wanted.append("python3.{}-venv".format(sys.version_info[1]))
    say("Prüfe Systempakete ({})".format(len(wanted)),
        "checking OS packages ({})".format(len(wanted)))
    present = installed_packages(wanted)
    missing = [name for name in wanted if name not in present]
    if not missing:
        say("Systempakete vorhanden", "OS packages present")
        return
    prefix = root_prefix()
    if prefix is None:
        fail("Es fehlen Systempakete und weder root noch sudo ist verfügbar. Bitte als root "
             "ausführen: apt-get install --no-install-recommends " + " ".join(missing),
             "OS packages are missing and neither root nor sudo is available. As root run: "
             "apt-get install --no-install-recommends " + " ".join(missing))
    say("Installiere Systempakete: " + " ".join(missing), "installing OS packages: " + " ".join(missing))
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    # sudo drops the environment; a fresh cloud VM may still hold the apt lock for a while
    apt_get = (["env", "DEBIAN_FRONTEND=noninteractive"] if prefix else []) + [
        "apt-get", "-o", "DPkg::Lock::Timeout=300"]
    if run(prefix + apt_get + ["update"], env=env) != 0:
        fail("apt-get update ist fehlgeschlagen (Netz? Rechte?).", "apt-get update failed (network? rights?).")
    missing = apt_known(missing, env)
    if missing and run(prefix + apt_get + ["install", "-y", "--no-install-recommends"] + missing,
                       env=env) != 0:
        fail("apt-get install ist fehlgeschlagen.", "apt-get install failed.")
    present = installed_packages(missing)
    still = [name for name in missing if name not in present]
    if still:
        fail("Nicht installiert: " + " ".join(still), "not installed: " + " ".join(still))
    say("Systempakete installiert", "OS packages installed")


# --- 2. virtual environment --------------------------------------------------------------------

def venv_python():
    if os.name == "nt":
        return os.path.join(VENV, "Scripts", "python.exe")
    return os.path.join(VENV, "bin", "python")


def venv_works():
    python = venv_python()
    if not os.path.exists(python):
        return False
    return subprocess.call([python, "-c", "import sys, pip; sys.exit(sys.version_info < {!r})".format(MIN_PYTHON)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) == 0


def ensure_venv():
    if venv_works():
        say("Virtuelle Umgebung vorhanden: .venv", "virtual environment present: .venv")
        return
    if os.path.exists(VENV):
        say("Virtuelle Umgebung .venv ist unbrauchbar, lege sie neu an",
            "virtual environment .venv is broken, recreating it")
        shutil.rmtree(VENV)
    if not venv_can_work():
        fail("Diesem Python fehlt 'venv'/'ensurepip' (Debian/Ubuntu: Paket python3-venv).",
             "this Python lacks 'venv'/'ensurepip' (Debian/Ubuntu: package python3-venv).")
    say("Lege virtuelle Umgebung .venv an", "creating virtual environment .venv")
    if run([sys.executable, "-m", "venv", VENV]) != 0 or not venv_works():
        shutil.rmtree(VENV, ignore_errors=True)
        fail("Die virtuelle Umgebung ließ sich nicht anlegen.", "could not create the virtual environment.")


# --- 3. install the project --------------------------------------------------------------------

def install_fingerprint():
    digest = hashlib.sha256(ROOT.encode("utf-8"))  # a moved checkout needs a new editable install
    for name in INSTALL_INPUTS:
        path = os.path.join(ROOT, name)
        if os.path.exists(path):
            with open(path, "rb") as handle:
                digest.update(name.encode() + b"\0" + handle.read() + b"\0")
    return digest.hexdigest()


def read_stamp():
    try:
        with open(STAMP, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return {}


def ensure_installed(extras):
    fingerprint = install_fingerprint()
    stamp = read_stamp()
    if stamp.get("fingerprint") == fingerprint and set(extras) <= set(stamp.get("extras", [])):
        say("PaktDesk ist installiert (pyproject.toml unverändert)",
            "PaktDesk is installed (pyproject.toml unchanged)")
        return
    target = ".[{}]".format(",".join(extras)) if extras else "."
    say("Installiere PaktDesk und Abhängigkeiten (pip install -e \"{}\"), das dauert beim ersten Mal "
        "einige Minuten".format(target),
        "installing PaktDesk and its dependencies (pip install -e \"{}\"), the first time takes a few "
        "minutes".format(target))
    if os.path.exists(STAMP):
        os.remove(STAMP)
    cmd = [venv_python(), "-m", "pip", "install", "--disable-pip-version-check"]
    if not sys.stdout.isatty():
        cmd += ["--progress-bar", "off"]
    if run(cmd + ["-e", target], cwd=ROOT) != 0:
        fail("pip install ist fehlgeschlagen (Meldungen oben).", "pip install failed (see above).")
    with open(STAMP, "w", encoding="utf-8") as handle:
        json.dump({"fingerprint": fingerprint, "extras": sorted(extras)}, handle)
    say("PaktDesk installiert", "PaktDesk installed")


# --- 4. run ------------------------------------------------------------------------------------

def run_demo(args):
    if sys.platform.startswith("linux") and not has_display() and not os.environ.get("QT_QPA_PLATFORM"):
        fail("Kein Bildschirm gefunden (DISPLAY/WAYLAND_DISPLAY fehlt). Die Demo braucht eine "
             "Desktop-Sitzung.", "no display found (DISPLAY/WAYLAND_DISPLAY unset). The demo needs a "
             "desktop session.")
    say("Starte PaktDesk mit frischen Demo-Daten", "starting PaktDesk on fresh demo data")
    return run([venv_python(), "-m", "paktdesk", "--demo"] + args, cwd=ROOT)


def run_tests(args):
    ensure_test_tools()
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    say("Starte die Tests (QT_QPA_PLATFORM={})".format(env["QT_QPA_PLATFORM"]),
        "running the tests (QT_QPA_PLATFORM={})".format(env["QT_QPA_PLATFORM"]))
    code = run([venv_python(), "-m", "pytest"] + args, cwd=ROOT, env=env)
    if code == 0:
        say("Tests bestanden", "tests passed")
    elif code < 0:
        say("Tests abgebrochen (Signal {})".format(-code), "tests ended by signal {}".format(-code))
    else:
        say("Tests fehlgeschlagen (pytest-Code {})".format(code), "tests failed (pytest exit code {})".format(code))
    return code


def run_windows_tests(args):
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import windows_wine

    try:
        return windows_wine.main(venv_python(), args)
    except windows_wine.HarnessError as err:
        german, _, english = str(err).partition(" / ")
        fail(german, english or german)


def main(argv):
    if hasattr(sys.stdout, "reconfigure"):  # umlauts on a legacy Windows console
        sys.stdout.reconfigure(errors="replace")
        sys.stderr.reconfigure(errors="replace")
    if not argv or argv[0] not in ("demo", "test", "windows-test"):
        print(USAGE, file=sys.stderr)
        return 2
    ensure_python()
    command, args = argv[0], argv[1:]
    if command == "windows-test" and not is_debian_like():
        fail("windows-test läuft nur unter Debian/Ubuntu (Wine); unter Windows: dev.py test.",
             "windows-test runs on Debian/Ubuntu only (Wine); on Windows use dev.py test.")
    ensure_os_packages(command, args)
    ensure_venv()
    if command == "windows-test":
        return run_windows_tests(args)
    ensure_installed(["test"] if command == "test" else [])
    return run_tests(args) if command == "test" else run_demo(args)


if __name__ == "__main__":
    exit_like(main(sys.argv[1:]))
