"""Förderung: Zuwendungsbescheide, Zahlungseingänge and Belege as lists."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ..context import UiContext
from ..list_page import ListPage


class DecisionsPage(ListPage):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None):
        super().__init__(
            ctx, "decisions", noun=("Bescheid", "Bescheide"), filter_hint="Aktenzeichen oder Zuwendungsgeber",
            empty_text="Noch keine Zuwendungsbescheide erfasst.", shrink=("area", "grantor"), parent=parent)


class PaymentsPage(ListPage):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None):
        super().__init__(
            ctx, "payments", noun=("Zahlung", "Zahlungen"), filter_hint="Aktenzeichen, Kassenzeichen, Bemerkung",
            empty_text="Noch keine Zahlungseingänge erfasst.", grow="note",
            blanks={"received_on": "noch offen"}, parent=parent)


class ReceiptsPage(ListPage):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None):
        super().__init__(
            ctx, "receipts", noun=("Beleg", "Belege"), filter_hint="Empfänger, Zweck, Kostenart, Person",
            empty_text="Noch keine Belege erfasst.", shrink=("payee", "purpose", "category", "person"),
            hidden=("paid_on",), parent=parent)
