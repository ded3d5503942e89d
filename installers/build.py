"""Build PaktDesk's one-folder bundle and its installer, and check the bundle headless.

    python installers/build.py                     # bundle, check, installer (all steps)
    python installers/build.py bundle check        # only these steps
    python installers/build.py installer --payload placeholder

Steps:
  bundle     PyInstaller with installers/paktdesk.spec → dist/paktdesk/
  check      run the bundle without a display: --version, demo and check on a path with umlauts
             and spaces, a missing file (German message, no traceback), the main window offscreen
             (skipped, loudly, while paktdesk/app.py does not exist yet); bundle size and start
             times against starting from source
  installer  makensis installers/paktdesk.nsi around the bundle (--payload bundle), a placeholder
             folder (--payload placeholder) or both; checks the .exe it wrote

Needs PyInstaller (pip) for ``bundle``, NSIS (``makensis``) for ``installer``. Exits non-zero on
any failure. Works on Linux (test bundle, installer around it or a placeholder) and on Windows
(the real thing).
"""

from __future__ import annotations

import argparse
import locale
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "installers"))

import versioninfo  # noqa: E402

WINDOWS = sys.platform == "win32"
STEPS = ("bundle", "check", "installer")
TIMEOUT = 180  # seconds for any one program run
# PyInstaller itself: ≈ 20 s on Linux, but 260 s for the Windows build under Wine on 2 cores and
# slower still on a busy runner; a limit that cuts a healthy build off proves nothing
BUNDLE_TIMEOUT = 1800


class BuildError(Exception):
    """A step failed; the message says which and why."""


def say(text: str) -> None:
    print(f"[build] {text}", flush=True)


def run(cmd: list, *, env: dict | None = None, expect: int | None = 0, cwd: Path | None = None,
        timeout: int = TIMEOUT) -> subprocess.CompletedProcess:
    """Run a program, echo its output, and fail unless it exits with ``expect`` (None: any)."""
    shown = " ".join(str(c) for c in cmd)
    say(f"$ {shown}")
    try:
        raw = subprocess.run([str(c) for c in cmd], env=env, cwd=cwd, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired as err:
        raise BuildError(f"timed out after {timeout} s: {shown}") from err
    result = subprocess.CompletedProcess(raw.args, raw.returncode, _decode(raw.stdout), _decode(raw.stderr))
    for line in (result.stdout + result.stderr).splitlines():
        if "propagateSizeHints" not in line:
            print(f"    {line}")
    if expect is not None and result.returncode != expect:
        raise BuildError(f"exit code {result.returncode}, expected {expect}: {shown}")
    return result


def _decode(data: bytes) -> str:
    """Program output: UTF-8, or the Windows ANSI code page a frozen program uses for pipes."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # the ANSI code page even when this Python runs in UTF-8 mode (PYTHONUTF8=1): the frozen
        # program ignores PYTHON* variables and writes to a pipe in the code page (cp1252)
        ansi = locale.getencoding() if hasattr(locale, "getencoding") else locale.getpreferredencoding(False)
        return data.decode(ansi, errors="replace")


# --- bundle -----------------------------------------------------------------------------------------

def build_bundle(dist: Path, work: Path) -> Path:
    spec = ROOT / "installers" / "paktdesk.spec"
    started = time.monotonic()
    run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
         "--distpath", dist, "--workpath", work, spec], cwd=ROOT, timeout=BUNDLE_TIMEOUT)
    bundle = dist / "paktdesk"
    if not program(bundle).is_file():
        raise BuildError(f"PyInstaller wrote no program into {bundle}")
    say(f"bundle built in {time.monotonic() - started:.0f} s: {bundle} ({megabytes(folder_size(bundle))})")
    return bundle


def program(bundle: Path, *, console: bool = True) -> Path:
    """The bundle's program; on Windows the console twin for checks (the windowed one prints nothing)."""
    if WINDOWS:
        return bundle / ("paktdesk-cli.exe" if console else "paktdesk.exe")
    return bundle / "paktdesk"


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.0f} MB"


# --- check ------------------------------------------------------------------------------------------

def gui_available() -> bool:
    return (ROOT / "paktdesk" / "app.py").is_file()


def check_bundle(bundle: Path, report_dir: Path) -> None:
    exe = program(bundle)
    if not exe.is_file():
        raise BuildError(f"no bundle at {bundle}: run the bundle step first")
    version = versioninfo.app_version(ROOT)
    with tempfile.TemporaryDirectory(prefix="paktdesk-check-") as tmp:
        tmp = Path(tmp)
        env = {**os.environ, "PAKTDESK_HOME": str(tmp / "home"), "QT_QPA_PLATFORM": "offscreen",
               "PYTHONIOENCODING": "utf-8"}
        env.pop("PAKTDESK_SMOKE", None)
        data = tmp / "Ablage mit Leerzeichen und Umlauten äöü" / "Gemeinde Müllheim.paktdesk"
        data.parent.mkdir()

        out = run([exe, "--version"], env=env).stdout
        if version not in out:
            raise BuildError(f"bundle reports {out.strip()!r}, source has version {version}")
        run([exe, "--data", data, "demo"], env=env)
        out = run([exe, "--data", data, "check"], env=env).stdout
        if "Prüfung bestanden" not in out:
            raise BuildError("check of the demo file did not pass (German output garbled?)")

        # a printed form: reportlab, its C speed-ups and the embedded font must be in the bundle
        pdf = tmp / "Verwendungsnachweis Müllheim.pdf"
        run([exe, "--data", data, "print", "proof", "--decision", "15.2-8712.23/1274", "--out", pdf], env=env)
        head = pdf.read_bytes()
        if not head.startswith(b"%PDF") or b"DejaVuSans" not in head:
            raise BuildError("the bundle's Verwendungsnachweis is no PDF with the embedded DejaVu font")

        missing = run([exe, "--data", tmp / "fehlt.paktdesk", "check"], env=env, expect=1)
        if "Traceback" in missing.stderr or "Fehler:" not in missing.stderr:
            raise BuildError("a missing data file must give a German message, not a traceback")

        if gui_available():
            grab = report_dir / "bundle-window.png"
            report_dir.mkdir(parents=True, exist_ok=True)
            smoke = {**env, "PAKTDESK_SMOKE": "1", "PAKTDESK_SMOKE_GRAB": str(grab)}
            out = run([exe, "--data", data, "gui"], env=smoke).stdout
            if "Hauptfenster" not in out:
                raise BuildError("main window smoke check printed nothing")
            say(f"main window picture: {grab}")
        else:
            say("SKIPPED main window check: paktdesk/app.py does not exist yet in this source tree")

        compare_start(bundle, data, env)
    say("bundle checks passed")


def _fastest(cmd: list, env: dict, runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([str(c) for c in cmd], env=env, capture_output=True, timeout=TIMEOUT, check=True)
        best = min(best, time.perf_counter() - started)
    return best


def compare_start(bundle: Path, data: Path, env: dict) -> None:
    """Wall time of the same runs from the bundle and from source (best of three, warm cache)."""
    source_env = {**env, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))}
    from_source = [sys.executable, ROOT / "installers" / "launcher.py"]
    rows = [("check", ["--data", data, "check"])]
    if gui_available():
        rows.append(("main window shown", ["--data", data, "gui"]))
    say(f"bundle size: {megabytes(folder_size(bundle))} in {sum(1 for _ in bundle.rglob('*'))} files")
    for label, args in rows:
        run_env = {**env, "PAKTDESK_SMOKE": "1"} if label != "check" else env
        run_source_env = {**source_env, "PAKTDESK_SMOKE": "1"} if label != "check" else source_env
        frozen = _fastest([program(bundle), *args], run_env)
        source = _fastest([*from_source, *args], run_source_env)
        say(f"start to end, {label}: bundle {frozen:.2f} s, from source {source:.2f} s")


# --- installer --------------------------------------------------------------------------------------

def find_makensis() -> str:
    found = shutil.which("makensis")
    if not found and WINDOWS:
        for base in (os.environ.get("ProgramFiles(x86)"), os.environ.get("ProgramFiles")):
            candidate = Path(base or "") / "NSIS" / "makensis.exe"
            if base and candidate.is_file():
                found = str(candidate)
                break
    if not found:
        raise BuildError("makensis not found (Debian: apt-get install nsis; Windows: choco install nsis)")
    return found


def placeholder_payload(work: Path) -> Path:
    folder = work / "placeholder-payload"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    (folder / "README.txt").write_text(
        "Platzhalter: kein PaktDesk. Dieser Installer prüft nur das Installationsskript.\n",
        encoding="utf-8")
    return folder


def build_installer(payload: Path, out: Path, *, compressor: str, version: str | None = None,
                    target: str | None = None) -> Path:
    """Compile the installer around ``payload``; ``version`` defaults to the package's,
    ``target`` to makensis' default (x86-unicode; amd64-unicode for 64-bit-only Wine)."""
    version = version or versioninfo.app_version(ROOT)
    has_program = (payload / "paktdesk.exe").is_file()
    defines = {**versioninfo.nsis_defines(version), "PAYLOAD_DIR": str(payload), "OUTFILE": str(out),
               "COMPRESSOR": compressor}
    if target:
        defines["TARGET"] = target
    out.parent.mkdir(parents=True, exist_ok=True)
    out.unlink(missing_ok=True)
    started = time.monotonic()
    result = run([find_makensis(), "-V2", *(f"-D{k}={v}" for k, v in defines.items()),
                  ROOT / "installers" / "paktdesk.nsi"])
    warnings = [line for line in (result.stdout + result.stderr).splitlines()
                if line.lower().startswith("warning") and "Keine paktdesk.exe" not in line]
    if warnings:
        raise BuildError("makensis warned: " + "; ".join(warnings))
    check_installer(out, version)
    kind = "installer" if has_program else "installer AROUND A PAYLOAD WITHOUT paktdesk.exe (not for release)"
    say(f"{kind} built in {time.monotonic() - started:.0f} s: {out} ({out.stat().st_size:,} bytes)")
    return out


def check_installer(exe: Path, version: str) -> None:
    """A Windows GUI program by NSIS that asks for no administrator rights and carries ``version``."""
    if not exe.is_file():
        raise BuildError(f"makensis wrote no {exe}")
    content = exe.read_bytes()
    version = versioninfo.nsis_defines(version)["APP_VERSION_WIN"]
    expectations = {
        "a PE program (MZ header)": content[:2] == b"MZ",
        "made by NSIS": b"Nullsoft" in content,
        "manifest without elevation (asInvoker)": b'requestedExecutionLevel level="asInvoker"' in content,
        "version resource with the app version": version.encode("utf-16-le") in content,
    }
    failed = [what for what, ok in expectations.items() if not ok]
    if failed:
        raise BuildError(f"{exe.name} is not what we expect: " + ", ".join(failed))
    if shutil.which("file"):
        run(["file", exe])


# --- main -------------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("steps", nargs="*", metavar="STEP", help="bundle, check, installer (default: all)")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder (default dist/)")
    parser.add_argument("--work", type=Path, default=ROOT / "build", help="work folder (default build/)")
    parser.add_argument("--payload", choices=("bundle", "placeholder", "both"), default="bundle",
                        help="what the installer wraps (default: the bundle)")
    parser.add_argument("--compressor", choices=("lzma", "zlib", "none"), default="lzma",
                        help="installer compression; zlib is ~3x faster, none fastest (for checks)")
    args = parser.parse_args(argv)
    steps = args.steps or list(STEPS)
    unknown = sorted(set(steps) - set(STEPS))
    if unknown:
        parser.error(f"unknown step(s): {', '.join(unknown)}")
    dist, work = args.dist.resolve(), args.work.resolve()
    bundle = dist / "paktdesk"
    version = versioninfo.app_version(ROOT)
    try:
        if "bundle" in steps:
            build_bundle(dist, work / "pyinstaller")
        if "check" in steps:
            check_bundle(bundle, work)
        if "installer" in steps:
            if args.payload in ("placeholder", "both"):
                build_installer(placeholder_payload(work), dist / f"PaktDesk-Setup-{version}-PLATZHALTER.exe",
                                compressor=args.compressor)
            if args.payload in ("bundle", "both"):
                if not bundle.is_dir():
                    raise BuildError(f"no bundle at {bundle}: run the bundle step first")
                name = f"PaktDesk-Setup-{version}.exe" if WINDOWS else f"PaktDesk-Setup-{version}-linux-test.exe"
                build_installer(bundle, dist / name, compressor=args.compressor)
    except BuildError as err:
        say(f"FAILED: {err}")
        return 1
    say("done: " + ", ".join(steps))
    return 0


if __name__ == "__main__":
    sys.exit(main())
