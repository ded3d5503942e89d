"""Anchors of the hash chain: the short check code of the chain's head that leaves the office on
every form, backup and export, and checking the file against one (the Rechnungsprüfungsamt types
the code from a printed Verwendungsnachweis) or against the newest verified backups."""

from __future__ import annotations

from ..db import backup as backup_db
from ..db import chain, chain_check
from ..db.audit import now_utc
from ..db.chain_check import AnchorReport
from .base import WorkspaceBase

BACKUPS_COMPARED = 3  # the newest verified backups the check compares with the live chain

EXPLANATION = (
    "Die Prüfkette verbindet jeden gebuchten Betrag und jeden Eintrag des Änderungsprotokolls mit dem "
    "vorherigen. Ihr Stand – der Prüfanker – steht auf jedem Verwendungsnachweis, Zwischennachweis und "
    "Mittelabruf, in jeder Sicherung und jeder Austauschdatei. Wer die Datei später außerhalb von PaktDesk "
    "ändert, kann den ausgedruckten Anker nicht mehr treffen: Die Prüfung gegen den Anker zeigt dann, "
    "was verändert wurde. Änderungen in PaktDesk nach dem Anker werden ebenfalls genannt."
)


class AnchorUseCases(WorkspaceBase):
    def anchor(self) -> str:
        """The anchor code of the file as it is now."""
        return chain.current_anchor(self.store) if chain.present(self.store) else ""

    def hand_out_anchor(self, purpose: str) -> str:
        """The current anchor, recorded as handed out (printed form, export) when the file is
        writable; a read-only file still gives the code."""
        if self.read_only or not chain.present(self.store):
            return self.anchor()
        with self.store.transaction():
            return chain.store_anchor(self.store, purpose=purpose, now=now_utc())

    def stored_anchors(self) -> list[chain.StoredAnchor]:
        return chain.stored_anchors(self.store) if chain.present(self.store) else []

    def check_anchor(self, code: str) -> AnchorReport:
        """Everything that existed at the anchor ``code``, checked; when the anchor no longer lies
        on the chain, a backup that holds it names where the file was changed. Raises
        :class:`~paktdesk.db.chain.AnchorCodeError` for a mistyped code."""
        report = chain_check.check_anchor(self.store, code)
        if report.on_chain:
            return report
        found = self._backup_problems(holding=report.code)
        return AnchorReport(report.code, report.seq, False, (*report.problems, *found), report.changed_since,
                            report.erased_since, report.stored_as)

    def backup_chain_problems(self) -> list[str]:
        """Whether the newest verified backups are prefixes of the live chain."""
        return self._backup_problems()

    def _backup_problems(self, *, holding: str | None = None) -> list[str]:
        problems: list[str] = []
        compared = 0
        for entry in self.backups():
            if compared >= BACKUPS_COMPARED:
                break
            if not entry.ok:
                continue
            found = backup_db.chain_prefix_problems(self.store, entry.path, holding=holding)
            if found is not None:
                compared += 1
                problems.extend(found)
        return problems
