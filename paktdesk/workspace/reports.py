"""Use cases of printing: gather a form's content from the stored rows, render it, write the PDF.

Each ``*_data`` method reads everything in one snapshot and returns the plain input object of
:mod:`paktdesk.reports.model` (milliseconds; call it on the thread that owns the connection).
Each ``print_*`` method also renders and writes the PDF atomically. A GUI should call ``*_data``
on its own thread and hand the result to :func:`paktdesk.reports.write_pdf` on a worker (no
database there); ``progress(done, total)`` reports progress and cancels by raising. Printing
changes no data, so nothing is written to the audit log."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING

from ..core import entities as e
from ..core.decision_lookup import match_decision
from ..core.errors import NotFoundError, ValidationError
from ..core.money import format_cents
from ..core.key_figures import applicant_problems
from ..core.narrative import is_merged
from ..core.periods import Period, format_date
from ..core.balances import decision_balance, request_warnings, settlement_period, sum_lines
from ..core.requalification import (
    RequalRule,
    current_qualification,
    current_requalification,
)
from ..core.validation import check_amount
from ..db import balance_queries as balance_db
from ..db import chain as chain_db
from ..db import profile as profile_db
from ..db import repo
from ..db.audit import now_utc
from .base import WorkspaceBase
from .audit_names import field_label, named_value
from .safety import entity_label, german_stamp

if TYPE_CHECKING:  # imported by the methods that print: opening the program does not need them
    from ..db import report_queries as rq
    from ..reports import model as m


def write_pdf(document, path: Path, *, progress: m.Progress | None = None) -> m.RenderResult:
    """Render with reportlab, imported only now: opening the program does not pay for it."""
    from ..reports.render import write_pdf as render

    return render(document, path, progress=progress)



def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None




class ReportUseCases(WorkspaceBase):
    # -- common pieces ------------------------------------------------------------------------

    def _letterhead(self, printed_on: date | None) -> m.Letterhead:
        from ..reports import model as m
        profile = profile_db.load_profile(self.store)
        if profile is None:
            raise ValidationError("Bitte zuerst die Stammdaten (Name und AGS des Zuwendungsempfängers) erfassen.")
        city_line = " ".join(p for p in (profile.postcode, profile.city) if p)
        return m.Letterhead(
            owner_name=profile.name, owner_kind=str(profile.kind), ags=profile.ags,
            printed_on=printed_on or date.today(),
            address_lines=tuple(line for line in (profile.street, city_line) if line),
            contact_name=profile.contact_name, contact_phone=profile.contact_phone,
            contact_email=profile.contact_email, city=profile.city,
            anchor=chain_db.current_anchor(self.store) if chain_db.present(self.store) else "")

    def _decision(self, decision_id: int) -> tuple[e.Decision, list[e.DecisionVersion], m.DecisionHead]:
        from ..reports import model as m
        decision = repo.get(self.store, e.Decision, decision_id)
        if decision.deleted_at:
            raise NotFoundError(f"Der Bescheid {decision.file_number} ist gelöscht.")
        versions = repo.find(self.store, e.DecisionVersion, "decision_id = ?", [decision_id], order_by="version_no")
        if not versions:
            raise NotFoundError(f"Der Bescheid {decision.file_number} hat keine Fassung.")
        head = m.DecisionHead(
            file_number=decision.file_number, grantor=decision.grantor, funding_area=decision.funding_area.label,
            area=decision.funding_area,
            versions=tuple(m.VersionLine(v.version_no, str(v.kind), v.decided_on, v.first_day, v.last_day,
                                         v.amount_cents, v.note) for v in versions),
            **self._grantor_address(decision.grantor))
        return decision, versions, head

    def _grantor_address(self, grantor_text: str) -> dict:
        """The postal address block of the grantor record the decision's grantor text selects."""
        from ..core.forms import grantor_for
        from ..db import forms as forms_db
        record = grantor_for(grantor_text, forms_db.grantors(self.store))
        if record is None:
            return {}
        return {"grantor_address": record.address_lines(), "grantor_email": record.email}

    def _confirmations(self, document: str, *, submitted_on: date | None = None,
                       interim: bool = False) -> m.Confirmations:
        """The signed statements' data; the retention period runs from ``submitted_on`` (the
        recorded submission, else the print date: the day the package leaves the house)."""
        from ..core.forms import retention_end
        from ..reports import model as m
        profile = profile_db.load_profile(self.store) or e.Profile(name="", kind=e.OwnerKind.GEMEINDE, ags="")
        return m.Confirmations(
            document=document, has_audit_office=profile.has_audit_office, place=profile.city,
            contact_name=profile.contact_name, signer_name=profile.signer_name, signer_title=profile.signer_title,
            audit_office_name=profile.audit_office_name, audit_note=profile.audit_note,
            retention_years=profile.retention_years,
            retention_until=retention_end(submitted_on, profile.retention_years) if submitted_on else None,
            interim=interim)

    def _proof_extras(self, decision_id: int, *, kind: str, draft: bool) -> dict:
        """Explanation, Sachbericht date and submission day of a proof; refuses a final proof of use
        without the applicant's Sachbericht (a draft may be printed)."""
        from ..db import forms as forms_db
        narrative = repo.find(self.store, e.NarrativeReport, "decision_id = ? AND provider_id IS NULL",
                              [decision_id])
        text = narrative[0].text.strip() if narrative else ""
        if kind == "VN" and not text and not draft:
            raise ValidationError(
                "Der Verwendungsnachweis kann noch nicht endgültig gedruckt werden: Es fehlt der Sachbericht des "
                "Antragstellers (Seite „Sachbericht“). Ein Entwurf kann gedruckt werden.", field="narrative")
        submitted = [s.submitted_on for s in repo.find(self.store, e.ProofSubmission,
                                                       "decision_id = ? AND kind = ?", [decision_id, kind])]
        return {"explanation": forms_db.explanation(self.store, decision_id),
                "narrative_on": _day(narrative[0].updated_at[:10]) if text else None,
                "submitted_on": max(submitted) if submitted else None}

    def _receipt_lists(self, decision_id: int, *, first: date | None = None,
                       last: date | None = None) -> tuple[m.ReceiptList, ...]:
        from ..db import report_queries as rq
        from ..reports import model as m
        categories = {c.code: c for c in profile_db.cost_categories(self.store)}
        rows = rq.receipts(self.store, decision_id, first=_iso(first), last=_iso(last))
        lists = []
        for code, items in groupby(rows, key=lambda r: r.cost_category):
            category = categories[code]
            lines = []
            for r in items:
                purpose = r.purpose
                if r.reversal_of_number is not None:
                    purpose += f" – Storno zu {r.list_kind}-{r.reversal_of_number:04d}"
                    if r.reversal_reason:
                        purpose += f": {r.reversal_reason}"
                reference = booking_reference(r)
                if reference:  # on its own line: what the auditor looks up in the finance system's books
                    purpose += "\n" + reference
                lines.append(m.ReceiptLine(
                    receipt_date=date.fromisoformat(r.receipt_date), number=f"{r.list_kind}-{r.number:04d}",
                    payee=r.payee, purpose=purpose, amount_cents=r.amount_cents, paid_on=_day(r.paid_on),
                    budget_year=r.budget_year, person=r.person_name))
            lists.append(m.ReceiptList(code=code, label=category.label, list_kind=category.list_kind.label,
                                       lines=tuple(lines)))
        return tuple(lists)

    def _numeric_proofs(self, decision: e.Decision, version: e.DecisionVersion, *,
                        period: Period | None = None) -> tuple[m.NumericProof, ...]:
        """The decision as a whole, then one proof per integration manager of the current version,
        every figure from ``core.balances`` (for a Zwischennachweis over the rows of ``period``)."""
        from ..db import report_queries as rq
        from .numeric_proofs import build_numeric_proofs
        money = balance_db.decision_money(self.store, decision.id, period=period)
        return build_numeric_proofs(money, rq.positions(self.store, version.id))

    def _key_figure_sheet(self, version: e.DecisionVersion, period: Period) -> m.KeyFigureSheet:
        from ..db import report_queries as rq
        from ..reports import model as m
        positions = rq.positions(self.store, version.id)
        persons: list[tuple[int, str]] = []
        for p in positions:
            if p.person_id not in [pid for pid, _ in persons]:
                persons.append((p.person_id, f"{p.first_name} {p.last_name}".strip()))
        years = tuple(range(period.start.year, period.last_day.year + 1))
        values: dict[tuple[int | None, str], int] = {
            (person, code): value for person, code, value in
            rq.key_figure_values(self.store, first_year=years[0], last_year=years[-1])}
        definitions = profile_db.key_figure_defs(self.store)
        rows = tuple(
            m.KeyFigureRow(group=d.group, label=d.label,
                           values=tuple(values.get((pid, d.code), 0) for pid, _ in persons),
                           applicant_value=values.get((None, d.code)))
            for d in definitions)
        applicant = {code: value for (pid, code), value in values.items() if pid is None}
        columns = [{code: value for (pid, code), value in values.items() if pid == person} for person, _ in persons]
        problems = applicant_problems(applicant, columns, labels={d.code: d.label for d in definitions})
        return m.KeyFigureSheet(years=years, persons=tuple(name for _, name in persons), rows=rows,
                                problems=tuple(p.message for p in problems))

    def _narrative(self, decision_id: int, owner: str) -> tuple[m.NarrativeSection, ...]:
        """The applicant's text, then each provider's contribution that was not merged into it."""
        from ..db import report_queries as rq
        from ..reports import model as m
        rows = rq.narratives(self.store, decision_id)
        applicant = next((text for provider, _, text in rows if provider is None), "")
        return tuple(m.NarrativeSection(author=owner if provider is None else name, text=text,
                                        is_applicant=provider is None)
                     for provider, name, text in rows
                     if provider is None or not is_merged(text, applicant))

    # -- the documents ------------------------------------------------------------------------

    def proof_of_use_data(self, decision_id: int, *, printed_on: date | None = None, draft: bool = False,
                          with_receipt_lists: bool = False) -> m.ProofOfUse:
        """Everything the Verwendungsnachweis of a decision prints, from one snapshot. Without the
        applicant's Sachbericht only a ``draft`` (marked "Entwurf") is printed; the Beleglisten
        are left out unless asked for (the RP wants them only on request)."""
        from ..db import report_queries as rq
        from ..reports import model as m
        with rq.snapshot(self.store):
            letter = self._letterhead(printed_on)
            decision, versions, head = self._decision(decision_id)
            extras = self._proof_extras(decision_id, kind="VN", draft=draft)
            version = versions[-1]
            period = version.period
            return m.ProofOfUse(
                letterhead=letter, decision=head, period=period,
                numeric=self._numeric_proofs(decision, version),
                narrative=self._narrative(decision_id, letter.owner_name),
                receipt_lists=self._receipt_lists(decision_id),
                key_figures=(self._key_figure_sheet(version, period)
                             if decision.funding_area.funded_by_positions else None),
                confirmations=self._confirmations("Verwendungsnachweis",
                                                  submitted_on=extras["submitted_on"] or letter.printed_on),
                explanation=extras["explanation"], narrative_on=extras["narrative_on"], draft=draft,
                include_receipt_lists=with_receipt_lists)

    def interim_data(self, decision_id: int, first: date, last: date, *, printed_on: date | None = None,
                     with_receipt_lists: bool = False) -> m.InterimProof:
        """A Zwischennachweis: receipts, payments and providers' proofs dated inside [first, last]."""
        from ..db import report_queries as rq
        from ..reports import model as m
        period = Period.inclusive(first, last)
        with rq.snapshot(self.store):
            letter = self._letterhead(printed_on)
            decision, versions, head = self._decision(decision_id)
            version = versions[-1]
            if first < version.first_day or last > version.last_day:
                raise ValidationError(
                    f"Der Zeitraum {period.format()} liegt nicht innerhalb des Bewilligungszeitraums "
                    f"{version.period.format()} des Bescheids {decision.file_number}.", field="first")
            return m.InterimProof(
                letterhead=letter, decision=head, period=period,
                numeric=self._numeric_proofs(decision, version, period=period),
                receipt_lists=self._receipt_lists(decision_id, first=first, last=last),
                confirmations=self._confirmations("Zwischennachweis", submitted_on=letter.printed_on, interim=True),
                explanation=self._proof_extras(decision_id, kind="ZN", draft=True)["explanation"],
                include_receipt_lists=with_receipt_lists)

    def funding_statement_data(self, first: date, last: date, *,
                               printed_on: date | None = None) -> m.FundingStatement:
        """Every decision touching the period with its settlement (core.balances) for the part of
        its Bewilligungszeitraum inside the period, the way a Zwischennachweis of that part reads."""
        from ..db import report_queries as rq
        from ..reports import model as m
        period = Period.inclusive(first, last)
        with rq.snapshot(self.store):
            letter = self._letterhead(printed_on)
            found = rq.statement_decisions(self.store, first=first.isoformat(), last=last.isoformat())
            settled = []
            for item in found:
                part = settlement_period(date.fromisoformat(item.first_day), date.fromisoformat(item.last_day),
                                         period)
                money = balance_db.decision_money(self.store, item.decision_id, period=part)
                settled.append((item, part, money.decided, decision_balance(money)))
        groups = []
        for area, items in groupby(settled, key=lambda found: found[0].funding_area):
            rows = tuple(m.StatementRow(b.file_number, b.grantor, b.first_day, b.last_day, decided, b.total,
                                        part is not None) for _, part, decided, b in items)
            groups.append(m.StatementGroup(funding_area=e.FundingArea(area).label, rows=rows,
                                           total=sum_lines(r.figures for r in rows),
                                           decided_cents=sum(r.decided_cents for r in rows)))
        return m.FundingStatement(letterhead=letter, period=period, groups=tuple(groups),
                                  total=sum_lines(g.total for g in groups) if groups else None,
                                  decided_cents=sum(g.decided_cents for g in groups))

    def payment_request_data(self, decision_id: int, requested_cents: int, *,
                             printed_on: date | None = None) -> m.PaymentRequest:
        """A Mittelabruf, refused above what the costs booked so far justify (``core.balances``:
        grant due − received − requested and not yet received)."""
        from ..db import report_queries as rq
        from ..reports import model as m
        check_amount(requested_cents, label="Der angeforderte Betrag", field="requested")
        with rq.snapshot(self.store):
            letter = self._letterhead(printed_on)
            _, _, head = self._decision(decision_id)
            profile = profile_db.load_profile(self.store)
            instalments = tuple(m.Instalment(_day(p.requested_on), _day(p.received_on), p.amount_cents, p.cash_ref)
                                for p in rq.payments(self.store, decision_id))
            money = balance_db.decision_money(self.store, decision_id)
            latest = rq.latest_receipt_date(self.store, decision_id)
        balance = decision_balance(money)
        if requested_cents > balance.requestable:
            raise ValidationError(
                f"Es können höchstens {format_cents(balance.requestable)} angefordert werden: zustehende "
                f"Zuwendung nach den bisher gebuchten Ausgaben {format_cents(balance.due)}, bereits erhalten "
                f"{format_cents(balance.received)}, angefordert und noch nicht eingegangen "
                f"{format_cents(balance.requested_open)}.", field="requested")
        return m.PaymentRequest(
            letterhead=letter, decision=head, statement_cents=balance.total.actual, instalments=instalments,
            requested_cents=requested_cents, iban=profile.iban, bank_name=profile.bank_name,
            statement_until=_day(latest), due_cents=balance.due, paid_cents=balance.received,
            pending_cents=balance.requested_open, requestable_cents=balance.requestable,
            warnings=request_warnings(money, printed_on or date.today()),
            signer_name=profile.signer_name, signer_title=profile.signer_title)

    # -- printing -----------------------------------------------------------------------------

    def print_proof_of_use(self, decision_id: int, out_path: Path, *, printed_on: date | None = None,
                           progress: m.Progress | None = None, draft: bool = False,
                           with_receipt_lists: bool = False) -> m.RenderResult:
        data = self.proof_of_use_data(decision_id, printed_on=printed_on, draft=draft,
                                      with_receipt_lists=with_receipt_lists)
        result = write_pdf(data, out_path, progress=progress)
        self._handed_out(data, "Verwendungsnachweis" + (" (Entwurf)" if draft else ""))
        return result

    def _handed_out(self, data, form: str) -> None:
        """The anchor printed on a form, recorded in the file (``paktdesk check`` shows that each
        one still lies on the chain); a read-only file prints it without recording."""
        code = data.letterhead.anchor
        if not code or self.read_only:
            return
        with self.store.transaction():
            chain_db.record_anchor(self.store, code, purpose=f"{form} {data.decision.file_number}".strip(),
                                   now=now_utc())

    def print_interim(self, decision_id: int, first: date, last: date, out_path: Path, *,
                      printed_on: date | None = None, progress: m.Progress | None = None,
                      with_receipt_lists: bool = False) -> m.RenderResult:
        data = self.interim_data(decision_id, first, last, printed_on=printed_on,
                                 with_receipt_lists=with_receipt_lists)
        result = write_pdf(data, out_path, progress=progress)
        self._handed_out(data, "Zwischennachweis")
        return result

    def print_funding_statement(self, first: date, last: date, out_path: Path, *, printed_on: date | None = None,
                                progress: m.Progress | None = None) -> m.RenderResult:
        return write_pdf(self.funding_statement_data(first, last, printed_on=printed_on), out_path,
                         progress=progress)

    def print_payment_request(self, decision_id: int, requested_cents: int, out_path: Path, *,
                              printed_on: date | None = None, progress: m.Progress | None = None) -> m.RenderResult:
        data = self.payment_request_data(decision_id, requested_cents, printed_on=printed_on)
        result = write_pdf(data, out_path, progress=progress)
        self._handed_out(data, "Mittelabruf")
        return result

    def decision_by_file_number(self, file_number: str) -> int:
        """The id of the (not deleted) decision with this Aktenzeichen, for the command line."""
        found = repo.find(self.store, e.Decision, "file_number = ? AND deleted_at IS NULL", [file_number.strip()])
        if not found:
            raise NotFoundError(f"Es gibt keinen Bescheid mit dem Aktenzeichen „{file_number}“.")
        if len(found) > 1:
            raise ValidationError(f"Das Aktenzeichen „{file_number}“ ist mehrfach vergeben; bitte die Nummer "
                                  "des Bescheids angeben.")
        return found[0].id

    def find_decision(self, text: str) -> int:
        """The id of the decision the command line names by Aktenzeichen, a unique beginning of it or
        its number; a German message listing the decisions when none or several fit."""
        return match_decision(self.decisions(), text).id


    # -- for the Berichte & Druck page and the Sachbericht editor ---------------------------------

    def report_decisions(self) -> list[DecisionChoice]:
        """The decisions a form can be printed for, newest period first."""
        choices = []
        for decision in repo.find(self.store, e.Decision, "deleted_at IS NULL"):
            versions = repo.find(self.store, e.DecisionVersion, "decision_id = ?", [decision.id],
                                 order_by="version_no")
            if versions:
                current = versions[-1]
                choices.append(DecisionChoice(decision.id, decision.file_number, decision.funding_area.label,
                                              current.first_day, current.last_day, current.amount_cents))
        return sorted(choices, key=lambda c: (c.first_day, c.decision_id), reverse=True)

    def payment_request_open_cents(self, decision_id: int) -> int:
        """What a Mittelabruf may still ask for (``DecisionBalance.requestable``)."""
        return decision_balance(balance_db.decision_money(self.store, decision_id)).requestable

    def narrative_contributions(self, decision_id: int) -> list[NarrativeContribution]:
        """The providers' contributions to a decision's Sachbericht, by provider name."""
        providers = {p.id: p.name for p in repo.find(self.store, e.Provider)}
        found = repo.find(self.store, e.NarrativeReport, "decision_id = ? AND provider_id IS NOT NULL",
                          [decision_id])
        items = [NarrativeContribution(r.provider_id, providers.get(r.provider_id, ""), r.text, r.updated_at)
                 for r in found]
        return sorted(items, key=lambda c: (c.provider_name.casefold(), c.provider_id))

    def qualification_overview_data(self, today: date | None = None, *,
                                    printed_on: date | None = None) -> m.QualificationOverview:
        """The Qualifikationsübersicht on ``today``: the register's rows plus degree, evidence
        check and course hours of each person's current records."""
        from ..db import report_queries as rq
        from ..reports import model as m
        today = today or date.today()
        with rq.snapshot(self.store):
            letter = self._letterhead(printed_on)
            if today > letter.printed_on:
                # a status "as of" a later day would print a forecast as if it were the record
                raise ValidationError(
                    f"Der Stichtag {format_date(today)} liegt nach dem Druckdatum "
                    f"{format_date(letter.printed_on)}. Bitte einen Stichtag bis zum Druckdatum wählen.",
                    field="as_of")
            rows = self.qualification_overview(today)
            quals = defaultdict(list)
            for record in repo.find(self.store, e.Qualification):
                quals[record.person_id].append(record)
            requals = defaultdict(list)
            for record in repo.find(self.store, e.Requalification):
                requals[record.person_id].append(record)
            rule = self.requal_rule(today)
        lines = []
        for row in rows:
            qual = current_qualification(quals.get(row.person_id, []))
            course = current_requalification(requals.get(row.person_id, []))
            lines.append(m.QualificationLine(
                name=row.name, provider=row.provider, vza_milli=row.vza_milli, category=row.category,
                degree=qual.degree if qual else "", checked_by=qual.checked_by if qual else "",
                checked_on=qual.checked_on if qual else None, status=str(row.status), deadline=row.deadline,
                course=course.course if course else "", course_provider=course.course_provider if course else "",
                hours_done=course.hours_done if course else None,
                hours_planned=course.hours_planned if course else None,
                completed_on=course.completed_on if course else None, ended_on=row.ended_on, notes=row.notes))
        return m.QualificationOverview(
            letterhead=letter, as_of=today, lines=tuple(lines),
            categories=tuple(category.label for category in e.Category), rule_note=_rule_note(rule))

    def print_qualification_overview(self, out_path: Path, *, today: date | None = None,
                                     printed_on: date | None = None,
                                     progress: m.Progress | None = None) -> m.RenderResult:
        return write_pdf(self.qualification_overview_data(today, printed_on=printed_on), out_path,
                         progress=progress)

    def audit_trail_data(self, first: date | None = None, last: date | None = None, entity: str | None = None, *,
                         printed_on: date | None = None) -> m.AuditTrail:
        """The Änderungsprotokoll of local days ``first``..``last`` (either may be open), oldest
        entry first, optionally for one kind of record (``entity`` = table name)."""
        from ..db import report_queries as rq
        from ..reports import model as m
        if first and last and last < first:
            raise ValidationError("Das Ende des Zeitraums liegt vor seinem Anfang.", field="last")
        period = Period.inclusive(first or date(1900, 1, 1), last or date(9999, 12, 30)) if first or last else None
        with rq.snapshot(self.store):
            letter = self._letterhead(printed_on)
            entries = self.audit_trail(period=period, entity=entity or None, newest_first=False)
        lines = tuple(m.AuditLine(number=entry.id, at=german_stamp(entry.at), user=entry.user, action=entry.action,
                                entity=entity_label(entry.entity), entity_id=entry.entity_id,
                                changes=_audit_changes(entry)) for entry in entries)
        if first and last:
            period_text = f"Zeitraum {Period.inclusive(first, last).format()}"
        elif first or last:
            period_text = f"ab {format_date(first)}" if first else f"bis {format_date(last)}"
        else:
            period_text = "alle Einträge"
        return m.AuditTrail(letterhead=letter, lines=lines, period_text=period_text,
                          entity=entity_label(entity) if entity else "")

    def print_audit_trail(self, first: date | None, last: date | None, entity: str | None, out_path: Path, *,
                          printed_on: date | None = None, progress: m.Progress | None = None) -> m.RenderResult:
        """The Änderungsprotokoll as PDF for the Rechnungsprüfungsamt (written atomically)."""
        return write_pdf(self.audit_trail_data(first, last, entity, printed_on=printed_on), out_path,
                         progress=progress)


@dataclass(frozen=True, slots=True)
class DecisionChoice:
    """A decision as the print page offers it."""

    decision_id: int
    file_number: str
    funding_area: str
    first_day: date
    last_day: date
    amount_cents: int

    @property
    def period(self) -> Period:
        return Period.inclusive(self.first_day, self.last_day)


@dataclass(frozen=True, slots=True)
class NarrativeContribution:
    provider_id: int
    provider_name: str
    text: str
    updated_at: str = ""


def _rule_note(rule: RequalRule) -> str:
    if not rule.categories:
        return ""
    categories = ", ".join(sorted(str(c) for c in rule.categories))
    return f"Nachqualifizierung (Kategorie {categories}) nach dem geltenden Regelwerk: {rule.describe()}."


def _audit_value(key: str, value) -> str:
    """An audit value as the Rechnungsprüfungsamt reads it (as in the CSV export, but no
    spreadsheet protection: the PDF prints text literally)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, int):
        return format_cents(value) if key.endswith("_cents") else str(value)
    if isinstance(value, str):
        if len(value) == 10 and value[4] == "-" and value[7] == "-":
            try:
                return format_date(date.fromisoformat(value))
            except ValueError:
                return value
        if len(value) >= 16 and value[4] == "-" and value[10] == "T":
            return german_stamp(value)
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _json(text: str | None):
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def _audit_changes(entry) -> tuple[m.AuditChange, ...]:
    from ..reports import model as m
    old, new = _json(entry.old), _json(entry.new)
    if isinstance(old, dict) or isinstance(new, dict):
        old_d = old if isinstance(old, dict) else {}
        new_d = new if isinstance(new, dict) else {}
        changes = []
        for key in dict.fromkeys([*old_d, *new_d]):
            if key in old_d and key in new_d and old_d[key] == new_d[key]:
                continue  # stored again unchanged: not a change
            before, after = (named_value(entry.entity, key, _audit_value(key, side.get(key))) for side in (old_d, new_d))
            if before or after:
                changes.append(m.AuditChange(field_label(str(key)), before, after))
        if not changes and old_d and new_d:
            changes.append(m.AuditChange("(keine Feldänderung)", "", ""))
        return tuple(changes)
    before, after = _audit_value("", old), _audit_value("", new)
    return (m.AuditChange("", before, after),) if before or after else ()


REFERENCE_LABELS = (("document_number", "Belegnr."), ("budget_line", "HHSt."), ("account", "Sachkonto"),
                    ("cost_center", "KSt."), ("cash_ref", "Kassenz."))


def booking_reference(row) -> str:
    """The finance system's references of a receipt as one line of the Belegliste
    ("Buchung: Belegnr. 1900004711 · HHSt. 1.3120.4271"), "" when it has none."""
    parts = [f"{label} {getattr(row, key)}" for key, label in REFERENCE_LABELS if getattr(row, key, "")]
    return "Buchung: " + " · ".join(parts) if parts else ""
