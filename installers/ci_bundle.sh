#!/usr/bin/env bash
# CI step: build the PyInstaller bundle, run it headless, compile the NSIS installer.
#
#   bash installers/ci_bundle.sh          (from anywhere; PYTHON=... picks the interpreter)
#
# Installs what it needs if missing: Debian packages nsis, binutils (PyInstaller needs objdump),
# file, and the few libraries Qt needs offscreen; PyInstaller (pinned) into the active venv.
# The app's own dependencies must already be installed in that venv (pip install -e ".[test]").
# On Linux the installer is compiled around a placeholder payload and around the Linux test bundle
# (uncompressed, fast): it proves the script, not a Windows program. Takes well under a minute on 2 cores
# once the packages are there. Any failure ends it with a non-zero exit code and a FEHLER line.
set -euo pipefail

PYINSTALLER_VERSION="6.22.3"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

fail() { echo "FEHLER (ci_bundle): $*" >&2; exit 1; }
trap 'echo "FEHLER (ci_bundle): Schritt in Zeile $LINENO fehlgeschlagen" >&2' ERR

started=$(date +%s)

# --- Debian packages ---------------------------------------------------------------------------
apt_needed=()
need_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed" || apt_needed+=("$1"); }
if command -v dpkg-query >/dev/null; then
    for pkg in nsis binutils file libglib2.0-0 libgl1 libegl1 libfontconfig1 libxkbcommon0 \
               libdbus-1-3 libx11-6 fonts-dejavu-core; do
        need_pkg "$pkg"
    done
    if ((${#apt_needed[@]})); then
        echo "[ci_bundle] apt-get install ${apt_needed[*]}"
        SUDO=""
        if [ "$(id -u)" != 0 ]; then
            command -v sudo >/dev/null || fail "Pakete fehlen (${apt_needed[*]}) und weder root noch sudo"
            SUDO="sudo"
        fi
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${apt_needed[@]}" >/dev/null
    fi
fi
command -v makensis >/dev/null || fail "makensis fehlt (Debian-Paket nsis)"
command -v objdump >/dev/null || fail "objdump fehlt (Debian-Paket binutils)"

# --- Python --------------------------------------------------------------------------------------
if [ -n "${PYTHON:-}" ]; then
    :
elif [ -n "${VIRTUAL_ENV:-}" ]; then
    PYTHON="$VIRTUAL_ENV/bin/python"
elif [ -x "$ROOT/.venv/bin/python" ]; then
    PYTHON="$ROOT/.venv/bin/python"
else
    PYTHON="python3"
fi
echo "[ci_bundle] Python: $PYTHON ($("$PYTHON" --version 2>&1))"
"$PYTHON" -c "import PySide6.QtWidgets, PySide6.QtPdf, reportlab, sqlite_utils, platformdirs" \
    || fail "die Abhängigkeiten von PaktDesk fehlen in $PYTHON (pip install -e \".[test]\")"
if ! "$PYTHON" -c "import importlib.metadata as m, sys; sys.exit(m.version('pyinstaller') != '$PYINSTALLER_VERSION')" 2>/dev/null; then
    "$PYTHON" -m pip install --quiet --disable-pip-version-check "pyinstaller==$PYINSTALLER_VERSION" \
        || fail "pip install pyinstaller==$PYINSTALLER_VERSION fehlgeschlagen"
fi

# --- build, check, installer ---------------------------------------------------------------------
"$PYTHON" installers/build.py bundle check || fail "Bundle bauen oder prüfen fehlgeschlagen"
"$PYTHON" installers/build.py installer --payload both --compressor none || fail "NSIS-Installer fehlgeschlagen"

echo "[ci_bundle] OK in $(( $(date +%s) - started )) s"
