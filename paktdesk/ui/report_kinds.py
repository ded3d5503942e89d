"""The documents of "Berichte & Druck" as data: what each needs (decision, period, amount, day),
its sensible defaults, how its content is gathered from the workspace and its file name."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..core.periods import format_date
from ..reports.file_names import pdf_name
from ..workspace.reports import DecisionChoice


@dataclass(frozen=True, slots=True)
class ReportKind:
    key: str
    title: str
    description: str
    decision: bool = False  # needs a Zuwendungsbescheid
    period: bool = False  # needs a period (von – bis)
    amount: bool = False  # needs the amount requested
    as_of: bool = False  # needs a Stichtag


KINDS: tuple[ReportKind, ...] = (
    ReportKind("proof", "Verwendungsnachweis",
               "Das ganze Paket für den Zuwendungsgeber: zahlenmäßiger Nachweis für den Bescheid und je "
               "Integrationsmanager:in, Sachbericht, Beleglisten je Kostenart, Kennzahlen und Bestätigungen "
               "mit Unterschriftszeilen.", decision=True),
    ReportKind("interim", "Zwischennachweis",
               "Zahlenmäßiger Nachweis und Beleglisten für einen Zeitraum innerhalb des "
               "Bewilligungszeitraums.", decision=True, period=True),
    ReportKind("statement", "Förderübersicht",
               "Alle Bescheide eines Jahres oder Zeitraums nach Förderbereichen: bewilligt, erhalten, "
               "ausgegeben, weitergeleitet und Saldo.", period=True),
    ReportKind("request", "Mittelabruf",
               "Anforderung von Zuwendungsmitteln: bewilligt, laut Nachweis ausgegeben, bereits erhaltene "
               "Raten und der jetzt angeforderte Betrag.", decision=True, amount=True),
    ReportKind("qualifications", "Qualifikationsübersicht",
               "Alle Integrationsmanager:innen mit Träger, Kategorie, Abschluss, Prüfung des Nachweises, "
               "Stand und Frist der Nachqualifizierung.", as_of=True),
)


def kind(key: str) -> ReportKind:
    return next(k for k in KINDS if k.key == key)


@dataclass(frozen=True, slots=True)
class ReportRequest:
    """One document with everything chosen for it; equal requests give the same PDF."""

    kind: str
    decision: DecisionChoice | None = None
    first: date | None = None
    last: date | None = None
    amount_cents: int | None = None
    as_of: date | None = None
    with_receipt_lists: bool = False  # the RP asks for Beleglisten only on request
    draft: bool = False  # a proof of use printed as "Entwurf" (e.g. before the Sachbericht is written)

    @property
    def title(self) -> str:
        return kind(self.kind).title

    def gather(self, workspace):
        """The document's content from the stored rows (GUI thread: it reads the database)."""
        decision_id = self.decision.decision_id if self.decision else None
        if self.kind == "proof":
            return workspace.proof_of_use_data(decision_id, draft=self.draft,
                                               with_receipt_lists=self.with_receipt_lists)
        if self.kind == "interim":
            return workspace.interim_data(decision_id, self.first, self.last,
                                          with_receipt_lists=self.with_receipt_lists)
        if self.kind == "statement":
            return workspace.funding_statement_data(self.first, self.last)
        if self.kind == "request":
            return workspace.payment_request_data(decision_id, self.amount_cents)
        if self.kind == "qualifications":
            return workspace.qualification_overview_data(self.as_of)
        raise KeyError(self.kind)

    def file_name(self, today: date | None = None) -> str:
        """A German default file name without characters Windows forbids."""
        file_number = self.decision.file_number if self.decision else ""
        if self.kind in ("proof",):
            return pdf_name(self.title, file_number)
        if self.kind == "interim":
            return pdf_name(self.title, file_number, _span(self.first, self.last))
        if self.kind == "statement":
            if (self.first and self.last and self.first.year == self.last.year
                    and (self.first.month, self.first.day, self.last.month, self.last.day) == (1, 1, 12, 31)):
                return pdf_name(self.title, str(self.first.year))
            return pdf_name(self.title, _span(self.first, self.last))
        if self.kind == "request":
            return pdf_name(self.title, file_number, format_date(today or date.today()))
        return pdf_name(self.title, format_date(self.as_of or today or date.today()))


def _span(first: date | None, last: date | None) -> str:
    return f"{format_date(first)}-{format_date(last)}" if first and last else ""


def interim_default(decision: DecisionChoice, today: date) -> tuple[date, date]:
    """The last complete calendar year inside the decision (or its last year, if it ended earlier)."""
    year = max(min(today.year - 1, decision.last_day.year), decision.first_day.year)
    return max(date(year, 1, 1), decision.first_day), min(date(year, 12, 31), decision.last_day)


def statement_default(decisions: list[DecisionChoice], today: date) -> tuple[date, date]:
    """The last complete calendar year, or the last year a decision ran if all ended before."""
    year = today.year - 1
    if decisions:
        year = min(year, max(d.last_day.year for d in decisions))
    return date(year, 1, 1), date(year, 12, 31)
