"""The facade the GUI and the command line call: one method per use case."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..core import entities as e
from ..db import audit
from ..db import grants as grants_db
from ..db import profile as profile_db
from ..db.datafile import full_check, schema_version
from ..db.integrity import control_totals
from .anchors import AnchorUseCases
from .base import Change, current_user
from .exchange import ExchangeUseCases
from .forms import FormsUseCases
from .grants import GrantUseCases
from .key_figures import KeyFigureUseCases
from .money import MoneyUseCases
from .people import PeopleUseCases
from .register import RegisterUseCases
from .reports import ReportUseCases
from .safety import SafetyUseCases
from .third_party import ThirdPartyUseCases

if TYPE_CHECKING:
    from ..db.listings import Listing


def _listings():
    """The list definitions, imported when a list is first shown (not to draw the Übersicht)."""
    from ..db.listings import LISTINGS

    return LISTINGS

__all__ = ["Change", "Workspace", "current_user"]


class Workspace(SafetyUseCases, RegisterUseCases, PeopleUseCases, GrantUseCases, MoneyUseCases,
                KeyFigureUseCases, ReportUseCases, ExchangeUseCases, ThirdPartyUseCases, FormsUseCases,
                AnchorUseCases):
    """An open Datenbestand with every use case."""

    def listing(self, name: str) -> Listing:
        return _listings()[name]

    def cost_categories(self) -> list[e.CostCategory]:
        return profile_db.cost_categories(self.store)

    def key_figure_defs(self, *, active_only: bool = True) -> list[e.KeyFigureDef]:
        return profile_db.key_figure_defs(self.store, active_only=active_only)

    def setting(self, key: str, default=None):
        return profile_db.get_setting(self.store, key, default)

    def save_setting(self, key: str, value) -> Change:
        with self._action("Einstellung gespeichert") as act:
            old = profile_db.set_setting(self.store, key, value)
            act.audit("settings", None, {key: old}, {key: value})
        return self._done(Change("Einstellung gespeichert", "settings"))

    def check(self) -> list[str]:
        """Full check: schema, SQLite integrity, references, money hashes, control totals, the
        hash chain with the anchors handed out, and the newest verified backups as its prefixes."""
        problems = full_check(self.store)
        return problems + [p for p in self.backup_chain_problems() if p not in problems]

    def schema_version(self) -> int:
        return schema_version(self.store)

    def counts(self) -> dict[str, int]:
        return grants_db.table_counts(self.store)

    def control_totals(self) -> dict[str, tuple[int, int]]:
        return control_totals(self.store)

    def audit_entries(self, **filters) -> list[e.AuditEntry]:
        return audit.entries(self.store, **filters)

    def list_count(self, name: str, *, search: str = "") -> int:
        return _listings()[name].count(self.store, search=search)

    def list_page(self, name: str, *, offset: int, limit: int, sort: str | None = None,
                  descending: bool = False, search: str = "") -> list[tuple]:
        return _listings()[name].page(self.store, offset=offset, limit=limit, sort=sort,
                                   descending=descending, search=search)

    def sqlite_version(self) -> str:
        """The SQLite library version the file is opened with (shown in "Über PaktDesk")."""
        return self.store.conn.execute("SELECT sqlite_version()").fetchone()[0]
