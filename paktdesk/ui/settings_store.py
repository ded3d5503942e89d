"""Per-user window settings (geometry, last section) in an INI file under the config folder.

Business settings travel with the data file; only what belongs to this PC and user lives here."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from ..paths import config_dir

SETTINGS_FILE = "PaktDesk.ini"


def ui_settings() -> QSettings:
    folder = config_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        pass  # QSettings then keeps values in memory only; nothing to lose but the geometry
    return QSettings(str(folder / SETTINGS_FILE), QSettings.Format.IniFormat)
