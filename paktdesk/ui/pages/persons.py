"""Integrationsmanager:innen: the persons and the providers (Träger) they work for."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ..context import UiContext
from ..list_page import ListPage


class PersonsPage(ListPage):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None):
        super().__init__(
            ctx, "persons", noun=("Person", "Personen"), filter_hint="Name oder Träger",
            empty_text="Noch keine Integrationsmanager:innen erfasst.",
            parent=parent)


class ProvidersPage(ListPage):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None):
        super().__init__(
            ctx, "providers", noun=("Träger", "Träger"), filter_hint="Name oder Ansprechpartner",
            empty_text="Noch keine Träger erfasst.", parent=parent)
