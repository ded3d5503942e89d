"""Export: a stand-in until the exchange files are built (replace this module)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ..planned_page import PlannedPage


class ExportPage(PlannedPage):
    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(
            title="Export",
            intro="Hier werden Daten für den Landkreis, das Regierungspräsidium oder Excel ausgegeben:",
            items=[
                ("Austauschdatei", "dokumentiertes, versioniertes Format mit veröffentlichtem Schema, "
                 "z. B. für die Zusammenführung beim Landkreis"),
                ("Excel (XLSX)", "Belege, Zahlungen und Qualifikationsübersicht"),
                ("CSV für deutsches Excel", "UTF-8 mit BOM, Semikolon, Dezimalkomma, führende Nullen bleiben"),
                ("Fristen als Kalenderdatei", "ICS-Datei für Outlook"),
            ],
            parent=parent)
