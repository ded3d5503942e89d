"""Berichte & Druck: a stand-in until the printed forms are built (replace this module)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ..planned_page import PlannedPage


class ReportsPage(PlannedPage):
    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(
            title="Berichte & Druck",
            intro="Hier entstehen die Unterlagen für den Zuwendungsgeber als PDF, mit Vorschau vor dem Druck:",
            items=[
                ("Verwendungsnachweis", "zahlenmäßiger Nachweis je Integrationsmanager:in mit Soll und Ist, "
                 "Zahlungseingängen und Saldo"),
                ("Beleglisten", "Personal- und Sachausgaben, nach Datum nummeriert, mit Summen"),
                ("Sachbericht", "zusammengeführt aus den Beiträgen aller Träger"),
                ("Kennzahlen", "Auswertung für den Förderzeitraum"),
                ("Mittelabruf", "bewilligt, abgerechnet, bereits erhalten, jetzt angefordert"),
                ("Bestätigungen", "sachlich und rechnerisch richtig, Prüfung durch das Rechnungsprüfungsamt"),
            ],
            parent=parent)
