"""Make sure the UI font can draw what German money texts need.

Without a suitable font Qt draws every missing glyph as an empty box and says nothing. At start the
application font is checked for ``€``, umlauts and ``ß``; if it lacks any, the DejaVu Sans that
ships with PaktDesk is loaded and used instead."""

from __future__ import annotations

import logging

from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics
from PySide6.QtWidgets import QApplication

from ..paths import resource_path

log = logging.getLogger("paktdesk.ui")

REQUIRED_GLYPHS = "€äöüÄÖÜß–„“"


def missing_glyphs(font: QFont, text: str = REQUIRED_GLYPHS) -> str:
    """The characters of ``text`` that ``font`` (the family Qt actually resolved) cannot draw."""
    metrics = QFontMetrics(font)
    return "".join(ch for ch in text if not metrics.inFontUcs4(ord(ch)))


def ensure_ui_font(app: QApplication) -> str:
    """Switch to the bundled font when the current one cannot draw € or umlauts.

    Returns the characters still missing afterwards ("" when all is well)."""
    missing = missing_glyphs(app.font())
    if not missing:
        return ""
    log.warning("Schriftart ohne %d benötigte Zeichen; verwende mitgelieferte DejaVu Sans", len(missing))
    try:
        font_id = QFontDatabase.addApplicationFont(str(resource_path("fonts", "DejaVuSans.ttf")))
        QFontDatabase.addApplicationFont(str(resource_path("fonts", "DejaVuSans-Bold.ttf")))
    except FileNotFoundError:
        font_id = -1
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if families:
        font = QFont(families[0], app.font().pointSize())
        app.setFont(font)
    still = missing_glyphs(app.font())
    if still:
        log.error("Auch die Ersatzschrift kann %d Zeichen nicht darstellen", len(still))
    return still
