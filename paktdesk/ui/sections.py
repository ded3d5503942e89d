"""The sections of the main window and the pages (tabs) inside each, as data.

To add a page: write a widget class whose constructor takes ``(ctx, parent=None)`` in its own
module under ``paktdesk/ui/pages/`` and append a :class:`Tab` line to the section below, naming
the handbook chapter that F1 opens there. Pages
are imported and built only when their section is first opened, which keeps start-up fast.

Optional page methods the window uses when present:
``focus_filter()`` (Strg+F), ``refresh()`` (after opening another file is not needed: pages are
rebuilt then)."""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from PySide6.QtWidgets import QWidget


@dataclass(frozen=True, slots=True)
class Tab:
    title: str
    factory: str  # "module.path:ClassName"
    help: str = ""  # the handbook chapter F1 opens on this page (resources/handbook/NN-<help>.md)

    def build(self, ctx, parent: QWidget | None = None) -> QWidget:
        module_name, _, name = self.factory.partition(":")
        page_class = getattr(importlib.import_module(module_name), name)
        return page_class(ctx, parent)


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    title: str
    tabs: tuple[Tab, ...]
    hint: str = ""  # tool tip in the navigation


_PAGES = "paktdesk.ui.pages"

SECTIONS: list[Section] = [
    Section("overview", "Übersicht", (
        Tab("Übersicht", f"{_PAGES}.overview:OverviewPage", "uebersicht"),
    ), "Stand der Bescheide und des Datenbestands"),
    Section("persons", "Integrationsmanager:innen", (
        Tab("Personen", f"{_PAGES}.register:RegisterPersonsPage", "personen"),
        Tab("Träger", f"{_PAGES}.register:RegisterProvidersPage", "traeger"),
        Tab("Qualifikationsübersicht", f"{_PAGES}.register:QualificationOverviewPage", "qualifikation"),
        Tab("Kennzahlen", f"{_PAGES}.key_figures:KeyFigurePage", "kennzahlen"),
    ), "Personen, Träger, Stellenanteile und Qualifikation"),
    Section("funding", "Förderung", (
        Tab("Bescheide", f"{_PAGES}.money_pages:DecisionsPage", "bescheide"),
        Tab("Zahlungen", f"{_PAGES}.money_pages:PaymentsPage", "zahlungen"),
        Tab("Belege", f"{_PAGES}.money_pages:ReceiptsPage", "belege"),
        Tab("Weiterleitungen", f"{_PAGES}.money_pages:PassThroughPage", "weiterleitungen"),
        Tab("Drittmittel", f"{_PAGES}.third_party:ThirdPartyPage", "drittmittel"),
        Tab("Soll-Ist", f"{_PAGES}.plan_actual:PlanActualPage", "soll-ist"),
    ), "Zuwendungsbescheide, Zahlungen, Belege, Weiterleitungen, Drittmittel und Soll-Ist-Vergleich"),
    Section("reports", "Berichte & Druck", (
        Tab("Dokumente", f"{_PAGES}.reports:ReportsPage", "berichte"),
        Tab("Sachbericht", f"{_PAGES}.narrative:NarrativePage", "sachbericht"),
    ), "Verwendungsnachweis, Beleglisten und Sachbericht drucken"),
    Section("export", "Export", (
        Tab("Export", f"{_PAGES}.export:ExportPage", "export"),
        Tab("Gemeinden", f"{_PAGES}.consolidation:ConsolidationPage", "export"),
    ), "Daten für Kreis, Land oder Excel ausgeben"),
    Section("settings", "Einstellungen", (
        Tab("Stammdaten", f"{_PAGES}.settings:ProfilePage", "einstellungen"),
        Tab("Regelwerke", f"{_PAGES}.settings:RuleSetsPage", "einstellungen"),
        Tab("Nachqualifizierung und Fristen", f"{_PAGES}.requal_settings:RequalSettingsPage", "fristen"),
        Tab("Datensicherung", f"{_PAGES}.backup_settings:BackupSettingsPage", "datensicherung"),
        Tab("Änderungsprotokoll", f"{_PAGES}.audit_log:AuditLogPage", "aenderungsprotokoll"),
        Tab("Kennzahlen", f"{_PAGES}.key_figures:KeyFigureDefsPage", "kennzahlen"),
    ), "Stammdaten, Fördersätze, Datensicherung und Änderungsprotokoll"),
]


#: Panels at the top of the Übersicht (e.g. the deadline board), built with ``(ctx, parent)``.
OVERVIEW_PANELS: list[Tab] = [
    Tab("Fristen", f"{_PAGES}.deadlines:DeadlineBoard", "fristen"),
    Tab("Geld im Blick", f"{_PAGES}.plan_actual:MoneyOverviewPanel", "uebersicht"),
]


def section(key: str) -> Section:
    for item in SECTIONS:
        if item.key == key:
            return item
    raise KeyError(key)
