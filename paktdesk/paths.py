"""Where PaktDesk keeps its files. ``PAKTDESK_HOME`` overrides every location (tests use it)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

from . import APP_NAME

DATA_SUFFIX = ".paktdesk"


def _home() -> Path | None:
    value = os.environ.get("PAKTDESK_HOME")
    return Path(value) if value else None


def data_dir() -> Path:
    home = _home()
    # roaming=False: the live file must stay on the local disk, not a redirected profile.
    return home / "data" if home else Path(platformdirs.user_data_dir(APP_NAME, False, roaming=False))


def config_dir() -> Path:
    home = _home()
    return home / "config" if home else Path(platformdirs.user_config_dir(APP_NAME, False, roaming=False))


def log_dir() -> Path:
    home = _home()
    return home / "logs" if home else Path(platformdirs.user_log_dir(APP_NAME, False))


def backup_dir() -> Path:
    return data_dir() / "Sicherungen"


def default_data_file() -> Path:
    return data_dir() / f"Datenbestand{DATA_SUFFIX}"


def resource_path(*parts: str) -> Path:
    """A file shipped in ``resources/`` (installed as ``paktdesk.resources``)."""
    candidates = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.append(Path(bundle) / "paktdesk" / "resources")
    try:
        from . import resources as package  # installed wheel or editable install

        # In the bundle paktdesk/resources/ has no __init__.py: a namespace package, __file__ None.
        if getattr(package, "__file__", None):
            candidates.append(Path(package.__file__).parent)
    except ImportError:
        pass
    candidates.append(Path(__file__).resolve().parent.parent / "resources")  # source checkout
    for base in candidates:
        path = base.joinpath(*parts)
        if path.exists():
            return path
    raise FileNotFoundError("Programmdatei fehlt: resources/" + "/".join(parts))
