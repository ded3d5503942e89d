"""Use cases of the exchange file: export (JSON, XLSX, CSV) after a full check, and for a
Landkreis the consolidation of its Gemeinden's files (preview, then all or nothing in one
transaction; a newer file of the same AGS and period replaces the older one)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..core import entities as e
from ..core.balances import decision_balance
from ..core.errors import ValidationError
from ..core.funding import extended_period, funded_period
from ..core.money import format_cents
from ..db import chain as chain_db
from ..db import chain_check
from ..db.audit import now_utc
from ..db import exchange_queries as xq
from ..db.background_check import BackgroundCheck
from ..db.datafile import money_check
from ..db.failures import StorageError
from ..exchange import document as doc
from ..exchange.errors import ExchangeError, ExportRefusedError, ImportConflictError
from ..exchange.summary import (
    PERSONAL_DATA_WARNING,
    TABLE_LABELS,
    content_lines,
    figures,
    owner_text,
    period_text,
)
from .base import Change, WorkspaceBase
from .exchange_chain import ExchangeChainUseCases, chain_refusal

if TYPE_CHECKING:
    from ..exchange.json_import import ExchangeFile


# The writers and the reader import openpyxl and jsonschema (about 0.2 s): only when used.
def write_json(*args, **kwargs):
    from ..exchange.json_export import write_json as write

    return write(*args, **kwargs)


def write_sealed(*args, **kwargs):
    from ..exchange.json_export import write_sealed as write

    return write(*args, **kwargs)


def write_xlsx(*args, **kwargs):
    from ..exchange.xlsx_export import write_xlsx as write

    return write(*args, **kwargs)


def write_csv_zip(*args, **kwargs):
    from ..exchange.csv_export import write_csv_zip as write

    return write(*args, **kwargs)


def read_file(path: Path) -> ExchangeFile:
    from ..exchange.json_import import read_file as read

    return read(path)


FORMATS = {"json": ("JSON-Austauschdatei", write_json), "xlsx": ("Excel-Arbeitsmappe", write_xlsx),
           "csv": ("CSV-Dateien im ZIP-Archiv", write_csv_zip)}
SUFFIXES = {"json": ".json", "xlsx": ".xlsx", "csv": ".zip"}  # what Windows opens each file with
KREIS_KINDS = (e.OwnerKind.LANDKREIS,)
PREVIEW_SUMS = ("payments", "receipts", "pass_through_payments", "provider_proofs")  # sums a clerk can check
READ_ERRORS = {  # error class → the refusal in a few words (preview tables)
    "NotAnExchangeFileError": "keine Austauschdatei", "NewerFormatError": "neuere Formatversion",
    "SchemaViolationError": "entspricht nicht dem Schema", "ChecksumError": "Prüfsumme stimmt nicht",
    "ControlTotalsError": "Kontrollsummen stimmen nicht", "InconsistentContentError": "Inhalt widersprüchlich",
    "FileTooLargeError": "Datei zu groß",
}
NOT_MEMBER_KINDS = ("Landkreis", "Stadtkreis")


def requalification_status(qualifications: Sequence[e.Qualification],
                           requalifications: Sequence[e.Requalification], *, today: date) -> str:
    """The status the exchange file states: an open requalification is running or overdue by its
    deadline; otherwise a recorded qualification (or a completed requalification) counts."""
    open_courses = [r for r in requalifications if r.completed_on is None]
    if open_courses:
        return doc.REQUAL_OVERDUE if any(r.deadline < today for r in open_courses) else doc.REQUALIFYING
    if qualifications or requalifications:
        return doc.QUALIFIED
    return doc.NOT_RECORDED


def _check_period(first: date | None, last: date | None) -> tuple[date | None, date | None]:
    if (first is None) != (last is None):
        raise ValidationError("Bitte Beginn und Ende des Zeitraums angeben (oder beide leer lassen).",
                              field="first" if first is None else "last")
    if first is not None and last < first:
        raise ValidationError("Das Ende des Zeitraums liegt vor dem Beginn.", field="last")
    return first, last


def _overlaps(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if a["first_day"] is None or b["first_day"] is None:
        return True
    return a["first_day"] <= b["last_day"] and b["first_day"] <= a["last_day"]


def _created(document: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(document["created_at"].replace("Z", "+00:00"))


@dataclass(frozen=True, slots=True)
class ExportJob:
    """An export gathered from the Datenbestand, ready to be built and written. :meth:`write`
    needs no database connection (a window runs it on a worker thread)."""

    format: str  # "json" | "xlsx" | "csv"
    data: doc.ExchangeData
    created_at: datetime
    checked_members: frozenset[str] = frozenset()  # SHA-256 of Gemeinde documents checked when gathered
    chain: doc.ChainSeal | None = None  # the sender's anchor and signing key (None: unsigned)

    @property
    def label(self) -> str:
        return FORMATS[self.format][0]

    def write(self, out_path: Path) -> dict[str, Any]:
        """Build the sealed document, check it and write it atomically; returns the document."""
        sealed = doc.seal(self.data, created_at=self.created_at, generator_version=__version__, chain=self.chain)
        if self.format == "json":  # the bytes the checksum was computed from, not a second encoding
            write_sealed(sealed, Path(out_path), checked_members=self.checked_members)
        else:
            FORMATS[self.format][1](sealed.document, Path(out_path))
        return sealed.document


@dataclass(frozen=True, slots=True)
class TableCount:
    """One table of an export preview: rows and, for money tables, the sum of cents."""

    name: str
    label: str
    count: int
    sum_cents: int | None


@dataclass(frozen=True, slots=True)
class ExportOverview:
    """What an export would contain: owner, period, rows and sums per table, money figures."""

    owner_name: str
    owner_kind: str
    ags: str
    period: str
    tables: tuple[TableCount, ...]
    money: dict[str, int]  # decided, received, spent, passed_on
    members: tuple[str, ...]  # a Kreis's file: the Gemeinde files it contains
    warning: str
    text: str  # the same in German lines (command line, tool tips)


@dataclass(frozen=True, slots=True)
class ImportItem:
    """One file of an import: what would happen to it."""

    name: str
    action: str  # "neu" | "ersetzt" | "unverändert" | "abgelehnt"
    message: str
    file: ExchangeFile | None = None
    error: ExchangeError | None = None
    replaces: dict[str, Any] | None = None
    reason: str = ""  # a refusal in a few words, for a preview table ("anderer Kreis")

    def summary(self) -> dict[str, Any] | None:
        """Owner, period, creation time and figures of the file (None if it could not be read):
        keys owner_name, owner_kind, ags, period, created_at, totals, money, key_figures, vza_milli."""
        if self.file is None:
            return None
        owner, document = self.file.owner, self.file.document
        return {"owner_name": owner["name"], "owner_kind": owner["kind"], "ags": owner["ags"],
                "period": period_text(self.file.period), "created_at": document["created_at"],
                **figures(document)}


@dataclass(frozen=True, slots=True)
class ImportPreview:
    items: tuple[ImportItem, ...]

    @property
    def ok(self) -> bool:
        return all(item.error is None for item in self.items)

    @property
    def changes(self) -> tuple[ImportItem, ...]:
        return tuple(i for i in self.items if i.action in ("neu", "ersetzt"))

    def text(self) -> str:
        lines = []
        for item in self.items:
            lines.append(f"{item.name}: {item.action}")
            lines.extend(f"  {line}" for line in item.message.splitlines())
        if not self.ok:
            lines.append("Es wird nichts übernommen, solange eine Datei abgelehnt ist.")
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class OverviewRow:
    """One line of the Kreis's Förderübersicht: the Kreis itself, a Gemeinde, or a total."""

    label: str
    ags: str
    period: str
    persons: int
    vza_milli: int
    decided_cents: int
    received_cents: int
    spent_cents: int
    passed_on_cents: int
    receipts: int
    third_party_planned_cents: int = 0  # Drittmittel of the financing plans (0: a file of format 1.0)
    third_party_received_cents: int = 0  # Drittmittel received
    import_id: int | None = None
    created_at: str = ""


@dataclass(frozen=True, slots=True)
class ConsolidationOverview:
    own: OverviewRow
    gemeinden: tuple[OverviewRow, ...]
    gemeinden_total: OverviewRow
    total: OverviewRow
    key_figures: dict[str, dict[str, int]] = field(default_factory=dict)  # year → code → sum


def _row(label: str, ags: str, period: str, summary: dict[str, Any], **extra: Any) -> OverviewRow:
    money, totals = summary["money"], summary["totals"]
    return OverviewRow(label, ags, period, totals["persons"]["count"], summary["vza_milli"],
                       money["decided"], money["received"], money["spent"], money["passed_on"],
                       totals["receipts"]["count"],
                       # summaries stored before format 1.1 have no Drittmittel (nor had their files)
                       money.get("third_party_planned", 0), money.get("third_party_received", 0), **extra)


def _sum_rows(label: str, ags: str, rows: Iterable[OverviewRow]) -> OverviewRow:
    rows = list(rows)
    return OverviewRow(label, ags, "", *(sum(getattr(r, name) for r in rows) for name in (
        "persons", "vza_milli", "decided_cents", "received_cents", "spent_cents", "passed_on_cents", "receipts",
        "third_party_planned_cents", "third_party_received_cents")))


class ExchangeUseCases(ExchangeChainUseCases):
    # gathering
    def exchange_data(self, first: date | None = None, last: date | None = None, *,
                      today: date | None = None, include_gemeinden: bool = True,
                      via_objects: bool = False) -> doc.ExchangeData:
        """Everything the exchange file of a period holds, as plain objects (the receipts,
        payments and key figures as finished records). ``via_objects``: every row as a core
        object, the way the records were built before (kept as the reference in tests)."""
        first, last = _check_period(first, last)
        if via_objects:
            return self._exchange_data(xq.export_rows(self.store, first, last), {}, first, last, today,
                                       include_gemeinden)
        return self._checked_data(xq.export_rows_checked(self.store, first, last), first, last, today=today,
                                  include_gemeinden=include_gemeinden)

    def _checked_data(self, checked: xq.CheckedExportRows, first: date | None, last: date | None, *,
                      today: date | None = None, include_gemeinden: bool = True,
                      members: dict[int, dict[str, Any]] | None = None) -> doc.ExchangeData:
        if checked.rows is None:  # rows that cannot be read (only an export refuses with the full check)
            raise ExportRefusedError("Die Daten können nicht gelesen werden:\n"
                                     + "\n".join(f"  – {p}" for p in checked.money_problems))
        records = {"receipts": doc.records_from_rows("receipts", xq.RECEIPT_COLUMNS, checked.receipts),
                   "payments": doc.records_from_rows("payments", xq.PAYMENT_COLUMNS, checked.payments),
                   "key_figures": doc.records_from_rows("key_figures", xq.KEY_FIGURE_COLUMNS, checked.key_figures),
                   "third_party_funds": doc.records_from_rows("third_party_funds", xq.THIRD_PARTY_COLUMNS,
                                                              checked.third_party_funds)}
        return self._exchange_data(checked.rows, records, first, last, today, include_gemeinden, members)

    def _exchange_data(self, rows: xq.ExportRows, records: dict[str, list[dict[str, Any]]], first: date | None,
                       last: date | None, today: date | None, include_gemeinden: bool,
                       members: dict[int, dict[str, Any]] | None = None) -> doc.ExchangeData:
        profile = self.profile()
        if profile is None:
            raise ExportRefusedError("Bitte zuerst die Stammdaten (Name, Art, AGS) erfassen; ohne sie kann "
                                     "keine Austauschdatei erstellt werden.")
        today = today or date.today()
        quals: dict[int, list[e.Qualification]] = {}
        for q in rows.qualifications:
            quals.setdefault(q.person_id, []).append(q)
        requals: dict[int, list[e.Requalification]] = {}
        for r in rows.requalifications:
            requals.setdefault(r.person_id, []).append(r)
        persons = [doc.PersonInfo(p, quals[p.id][-1].category if p.id in quals else None,
                                  requalification_status(quals.get(p.id, []), requals.get(p.id, []), today=today))
                   for p in rows.persons]
        return doc.ExchangeData(
            profile=profile, first_day=first, last_day=last, providers=rows.providers, persons=persons,
            employments=rows.employments, funded_periods=self._funded_periods(rows),
            decisions=rows.decisions, versions=rows.versions, positions=rows.positions,
            cost_plan=rows.cost_plan, cost_categories=rows.cost_categories, payments=rows.payments,
            receipts=rows.receipts, pass_throughs=rows.pass_throughs,
            pass_through_payments=rows.pass_through_payments, provider_proofs=rows.provider_proofs,
            key_figure_defs=rows.key_figure_defs, key_figures=rows.key_figures, narratives=rows.narratives,
            third_party_funds=rows.third_party_funds,
            rule_set_codes={rid: code for rid, (code, _) in rows.rule_sets.items()},
            settlements=tuple(decision_balance(rows.money[d.id]) for d in rows.decisions if d.id in rows.money),
            members=(self._member_documents(first, last, members)
                     if include_gemeinden and profile.kind in KREIS_KINDS else ()),
            records=records,
        )

    @staticmethod
    def _funded_periods(rows: xq.ExportRows) -> list[doc.FundedPeriod]:
        latest: dict[int, e.DecisionVersion] = {}
        for version in rows.versions:
            if version.decision_id not in latest or version.version_no > latest[version.decision_id].version_no:
                latest[version.decision_id] = version
        by_version = {v.id: v for v in latest.values()}
        breaks: dict[int, list[e.Interruption]] = {}
        for item in rows.interruptions:
            breaks.setdefault(item.person_id, []).append(item)
        result = []
        for position in rows.positions:
            version = by_version.get(position.version_id)
            if version is None:
                continue
            max_extension = rows.rule_sets.get(version.rule_set_id, ("", 12))[1]
            base = funded_period(position.first_day, position.months)
            extended = extended_period(position.first_day, position.months, breaks.get(position.person_id, []),
                                       max_extension_months=max_extension)
            result.append(doc.FundedPeriod(position.id, position.person_id, version.decision_id, version.version_no,
                                           base.start, base.last_day, extended.last_day, position.months,
                                           position.vza_milli))
        return result

    def _member_documents(self, first: date | None, last: date | None,
                          parsed: dict[int, dict[str, Any]] | None = None) -> list[dict[str, Any]]:
        """The Gemeinde documents overlapping the period (``parsed``: those already read)."""
        wanted = {"first_day": first.isoformat() if first else None, "last_day": last.isoformat() if last else None}
        return [parsed[item["id"]] if parsed and item["id"] in parsed
                else json.loads(xq.import_document(self.store, item["id"])) for item in xq.imports(self.store)
                if _overlaps(wanted, {"first_day": item["first_day"], "last_day": item["last_day"]})]

    def exchange_document(self, first: date | None = None, last: date | None = None, *,
                          created_at: datetime | None = None, include_gemeinden: bool = True) -> dict[str, Any]:
        """The sealed exchange document (control totals and SHA-256 filled in; signed with the
        Datenbestand's key once its first export created one)."""
        data = self.exchange_data(first, last, include_gemeinden=include_gemeinden)
        return doc.seal(data, created_at=created_at or datetime.now(UTC), generator_version=__version__,
                        chain=self.chain_seal(create=False)).document

    def stop_reading_when(self, stopped: Callable[[], bool]) -> None:
        """Let a long read on another thread be stopped: while ``stopped()`` is true every query
        of this connection ends with an error (asked every few thousand SQLite steps), and so
        does the export's check on its own connection."""
        self.store.conn.set_progress_handler(lambda: 1 if stopped() else 0, 10_000)
        self._stop_reading = stopped

    # export
    def export_preview(self, first: date | None = None, last: date | None = None) -> str:
        """What an export of this period would contain, in German (nothing is written)."""
        return self.export_overview(first, last).text

    def export_overview(self, first: date | None = None, last: date | None = None) -> ExportOverview:
        """What an export of this period would contain, as figures for a preview (nothing is written)."""
        document = self.exchange_document(first, last)
        totals, summary = document["control_totals"], figures(document)
        tables = tuple(TableCount(name, TABLE_LABELS[name], totals[name]["count"],
                                  totals[name]["sum_cents"] if name in PREVIEW_SUMS else None)
                       for name in doc.TABLES)
        owner = document["owner"]
        members = tuple(f"{owner_text(m['owner'])}, {period_text(m['period'])}"
                        for m in document.get(doc.MEMBERS) or ())
        return ExportOverview(owner_name=owner["name"], owner_kind=owner["kind"], ags=owner["ags"],
                              period=period_text(document["period"]), tables=tables, money=summary["money"],
                              members=members, warning=PERSONAL_DATA_WARNING,
                              text="\n".join([*content_lines(document), PERSONAL_DATA_WARNING]))

    def prepare_export(self, format: str, first: date | None = None,  # noqa: A002 - the CLI's word
                       last: date | None = None) -> ExportJob:
        """Check the whole Datenbestand and gather what the file holds. The returned job builds
        and writes the file without the database, so a window can run it on a worker thread."""
        key = (format or "").strip().lower()
        if key not in FORMATS:
            raise ValidationError(f"Unbekanntes Format „{format}“: bitte json, xlsx oder csv wählen.", field="format")
        first, last = _check_period(first, last)
        # the full check (Workspace.check) with the money rows checked while they are gathered:
        # the same problems in the same order, and nothing written when there is one
        # (SQLite's integrity check runs on a connection of its own while the rows are read)
        check = BackgroundCheck(self.store, stopped=getattr(self, "_stop_reading", None))
        try:
            checked = xq.export_rows_checked(self.store, first, last)
        except Exception:  # a damaged file: the check below says so, else it is raised
            problems, money_readable = check.result()
            if money_readable:
                raise
            checked = None
        else:
            problems, money_readable = check.result()
        if money_readable:
            problems += checked.money_problems
            problems += money_check(self.store, chain_check.verify)  # the hash chain, as Workspace.check
        problems += [p for p in self.backup_chain_problems() if p not in problems]
        gemeinde_problems, members = self._checked_gemeinde_documents()
        problems += gemeinde_problems
        if problems:
            raise ExportRefusedError(
                "Export abgebrochen: die Prüfung des Datenbestands ist fehlgeschlagen. Bitte zuerst die "
                "Ursache klären (ggf. Sicherung zurückspielen):\n" + "\n".join(f"  – {p}" for p in problems))
        data = self._checked_data(checked, first, last, members=members)
        return ExportJob(key, data, datetime.now(UTC),
                         checked_members=frozenset(member["sha256"] for member in members.values()),
                         chain=self.chain_seal())

    def record_export(self, job: ExportJob, document: dict[str, Any], out_path: Path) -> str:
        """After ``job`` wrote ``document`` to ``out_path``: the audit entry, and the German summary."""
        out_path = Path(out_path)
        notes = []
        if not self.read_only:
            try:
                with self._action("Austauschdatei exportiert") as act:
                    if document.get("chain"):
                        chain_db.record_anchor(self.store, document["chain"]["anchor"],
                                               purpose=f"Austauschdatei {out_path.name}", now=now_utc())
                    act.audit("export", None, None, {
                        "format": job.format, "datei": out_path.name,
                        "zeitraum": period_text(document["period"]), "sha256": document["sha256"],
                        "zeilen": {t: v["count"] for t, v in document["control_totals"].items()}})
                self._done(Change("Austauschdatei exportiert", "export"))
            except StorageError as err:
                if err.kind != "readonly":
                    raise
                # the written file is complete and carries its own time and checksum: it is the record
                notes.append("Hinweis: Die Datendatei ist schreibgeschützt; der Export steht deshalb nicht "
                             "im Änderungsprotokoll. Zeitpunkt und Prüfsumme stehen in der Austauschdatei.")
        return "\n".join([
            f"{job.label} geschrieben: {out_path}",
            f"Format: {document['format']} {document['format_version']}, erstellt {document['created_at']}",
            *content_lines(document),
            f"Prüfsumme (SHA-256) des Inhalts: {document['sha256']}",
            PERSONAL_DATA_WARNING,
            *notes,
        ])

    def export(self, format: str, out_path: Path, first: date | None = None,  # noqa: A002 - the CLI's word
               last: date | None = None) -> str:
        """Check the whole Datenbestand, then write the exchange file. Returns a German summary."""
        job = self.prepare_export(format, first, last)
        document = job.write(Path(out_path))
        return self.record_export(job, document, out_path)

    # consolidation (Landkreis)
    def _require_kreis(self) -> e.Profile:
        profile = self.profile()
        if profile is None or profile.kind not in KREIS_KINDS:
            owner = f"„{profile.name}“ ({profile.kind})" if profile else "noch nicht angegeben"
            raise ImportConflictError(
                "Dateien von Gemeinden kann nur ein Datenbestand eines Landkreises übernehmen. "
                f"Inhaber dieses Datenbestands: {owner}.")
        return profile

    def preview_gemeinde_import(self, paths: Sequence[Path], *, accept_key_change: bool = False) -> ImportPreview:
        """Read and check every file; say for each what an import would do. Writes nothing.
        ``accept_key_change``: the clerk confirmed that a Gemeinde signs with a new key."""
        self._require_kreis()
        return self.plan_gemeinde_import(self.read_gemeinde_files(paths), accept_key_change=accept_key_change)

    @staticmethod
    def read_gemeinde_files(paths: Sequence[Path]) -> list[ExchangeFile | ImportItem]:
        """Read and check the files on their own (schema, checksum, control totals). Needs no
        database, so a window can run it on a worker thread; unreadable files come back as
        refused :class:`ImportItem`."""
        files: list[ExchangeFile | ImportItem] = []
        for path in paths:
            try:
                files.append(read_file(Path(path)))
            except ExchangeError as err:
                files.append(ImportItem(Path(path).name, "abgelehnt", str(err), error=err,
                                        reason=READ_ERRORS.get(type(err).__name__, "Datei fehlerhaft")))
        return files

    def plan_gemeinde_import(self, files: Sequence[ExchangeFile | ImportItem], *,
                             accept_key_change: bool = False) -> ImportPreview:
        """The preview of files read by :meth:`read_gemeinde_files`, against the Datenbestand now."""
        return self._plan(files, accept_key_change=accept_key_change)

    def _plan(self, files: Sequence[ExchangeFile | ImportItem], *, accept_key_change: bool = False) -> ImportPreview:
        kreis = self._require_kreis()
        existing = xq.imports(self.store)
        planned: list[tuple[str, ExchangeFile]] = []
        items = []
        for found in files:
            item = found if isinstance(found, ImportItem) else self._classify(found, kreis, existing, planned,
                                                                                      accept_key_change)
            items.append(item)
            if item.file is not None and item.error is None:
                planned.append((item.name, item.file))
        return ImportPreview(tuple(items))

    def _classify(self, found: ExchangeFile, kreis: e.Profile, existing: list[dict[str, Any]],
                  planned: list[tuple[str, ExchangeFile]], accept_key_change: bool = False) -> ImportItem:
        name, owner, document = found.name, found.owner, found.document
        key = doc.period_key(found.period)

        def refuse(message: str, reason: str) -> ImportItem:
            return ImportItem(name, "abgelehnt", message, file=found, error=ImportConflictError(message),
                              reason=reason)

        if owner["kind"] in NOT_MEMBER_KINDS or document.get(doc.MEMBERS):
            return refuse(f"„{name}“ ist die Datei eines Kreises ({owner_text(owner)}); übernommen werden "
                          "nur Dateien von Gemeinden und Trägern.", "Datei eines Kreises")
        if owner["ags"] == kreis.ags:
            return refuse(f"„{name}“ trägt den AGS des Landkreises selbst ({kreis.ags}).", "AGS des Landkreises")
        if owner["ags"][:5] != kreis.ags[:5]:
            return refuse(f"„{name}“ stammt von {owner_text(owner)}; diese Gemeinde gehört nicht zum "
                          f"{kreis.name} (AGS beginnt nicht mit {kreis.ags[:5]}).", "anderer Kreis")
        for other_name, other in planned:
            if other.owner["ags"] == owner["ags"] and _overlaps(other.period, found.period):
                return refuse(f"„{name}“ und „{other_name}“ betreffen dieselbe Gemeinde (AGS {owner['ags']}) "
                              "und überschneidende Zeiträume; bitte nur eine davon übernehmen.", "doppelt ausgewählt")
        summary = figures(document)
        facts = (f"{owner_text(owner)}, Zeitraum {period_text(found.period)}, erstellt am "
                 f"{_created(document).strftime('%d.%m.%Y um %H:%M')} Uhr (UTC)\n"
                 f"{summary['totals']['persons']['count']} Personen, {summary['totals']['decisions']['count']} "
                 f"Bescheide, {summary['totals']['receipts']['count']} Belege "
                 f"({format_cents(summary['totals']['receipts']['sum_cents'])}), "
                 f"{summary['totals']['payments']['count']} Zahlungen "
                 f"({format_cents(summary['totals']['payments']['sum_cents'])})"
                 + (f", Drittmittel: geplant {format_cents(summary['money']['third_party_planned'])}, erhalten "
                    f"{format_cents(summary['money']['third_party_received'])}"
                    if "third_party_funds" in summary["totals"] else ""))
        same_ags = [item for item in existing if item["ags"] == owner["ags"]]
        replaced = next((item for item in same_ags if item["period_key"] == key), None)
        refusal = chain_refusal(document, self.known_gemeinde_chains().get(owner["ags"]),
                                self.gemeinde_document(replaced["id"]) if replaced else None, name=name,
                                accept_key_change=accept_key_change)
        if refusal is not None and not (replaced and replaced["file_sha256"] == found.sha256):
            return refuse(*refusal)
        for item in same_ags:
            if item["period_key"] == key:
                if item["file_sha256"] == found.sha256:
                    return ImportItem(name, "unverändert", f"{facts}\nGenau dieser Stand ist bereits übernommen.",
                                      file=found)
                if _created(document) <= datetime.fromisoformat(item["created_at"]):
                    return refuse(
                        f"„{name}“ ist nicht neuer als der bereits übernommene Stand von {owner_text(owner)} "
                        f"für {period_text(found.period)} (erstellt {item['created_at']}). Es wird nur eine "
                        "neuere Datei übernommen.", "nicht neuer als der übernommene Stand")
                return ImportItem(name, "ersetzt", f"{facts}\nErsetzt den Stand vom {item['created_at']} "
                                                   f"(übernommen am {item['imported_at']}).",
                                  file=found, replaces=item)
            if _overlaps(item, {"first_day": found.period["first_day"], "last_day": found.period["last_day"]}):
                return refuse(
                    f"„{name}“ ({period_text(found.period)}) überschneidet sich mit dem bereits übernommenen "
                    f"Zeitraum {period_text(item)} derselben Gemeinde. Bitte zuerst den alten Import entfernen.",
                    "Zeitraum überschneidet sich")
        return ImportItem(name, "neu", facts, file=found)

    def import_gemeinde_files(self, paths: Sequence[Path], *, accept_key_change: bool = False) -> Change:
        """Take over the files all together or not at all."""
        return self.apply_gemeinde_import(self.preview_gemeinde_import(paths, accept_key_change=accept_key_change),
                                          accept_key_change=accept_key_change)

    def apply_gemeinde_import(self, preview: ImportPreview, *, accept_key_change: bool = False) -> Change:
        """Take over exactly the files a preview has read and checked, all or nothing. Their
        fit is checked again against the Datenbestand as it is now."""
        preview = self._plan([item.file if item.file is not None else item for item in preview.items],
                             accept_key_change=accept_key_change)
        failed = [item for item in preview.items if item.error is not None]
        if len(failed) == 1 and len(preview.items) == 1:
            raise failed[0].error
        if failed:
            raise ImportConflictError(
                "Es wurde nichts übernommen, weil nicht alle Dateien in Ordnung sind:\n"
                + "\n".join(f"  – {item.message}" for item in failed))
        changes = preview.changes
        if not changes:
            return self._done(Change("Keine neuen Gemeinde-Dateien", "consolidated_imports",
                                     warnings=tuple(f"{i.name}: bereits übernommen" for i in preview.items)))
        ids = []
        with self._action("Gemeinde-Dateien übernommen") as act:
            for item in changes:
                if item.replaces is not None:
                    xq.delete_import(self.store, item.replaces["id"])
                    act.audit("consolidated_imports", item.replaces["id"], _meta(item.replaces), None)
                row = self._import_row(item)
                new_id = xq.insert_import(self.store, row, json.dumps(
                    item.file.document, ensure_ascii=False, separators=(",", ":")))
                act.audit("consolidated_imports", new_id, None, _meta({**row, "id": new_id}))
                self._remember_gemeinde_chain(act, item.file.document, item.name)
                ids.append(new_id)
        notes = tuple(f"{i.name}: {i.action}" for i in preview.items)
        return self._done(Change("Gemeinde-Dateien übernommen", "consolidated_imports", tuple(ids), notes))

    def _import_row(self, item: ImportItem) -> dict[str, Any]:
        document, owner = item.file.document, item.file.owner
        return {
            "ags": owner["ags"], "owner_name": owner["name"], "owner_kind": owner["kind"],
            "period_key": doc.period_key(item.file.period), "first_day": item.file.period["first_day"],
            "last_day": item.file.period["last_day"], "created_at": _created(document).isoformat(),
            "format_version": document["format_version"], "file_sha256": item.file.sha256,
            "file_name": item.name[:200], "imported_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "imported_by": self.user, "summary": figures(document),
        }

    def check_gemeinde_imports(self) -> list[str]:
        """Every stored Gemeinde file against its checksum (changes made outside PaktDesk).
        Returns German problem descriptions; empty means all good."""
        return self._checked_gemeinde_documents()[0]

    def _checked_gemeinde_documents(self) -> tuple[list[str], dict[int, dict[str, Any]]]:
        """:meth:`check_gemeinde_imports`, and the documents that passed (by import id), parsed
        once for the export that follows; their content matches their stated SHA-256."""
        problems, passed = [], {}
        for import_id, name, ags, sha, text in xq.stored_documents(self.store):
            try:
                document = json.loads(text)
                actual = doc.content_sha256(document)
            except (ValueError, TypeError, AttributeError, UnicodeEncodeError):
                actual = None
            if actual != sha or document.get("sha256") != sha:
                problems.append(f"Übernommene Datei Nr. {import_id} ({name}, AGS {ags}) wurde außerhalb von "
                                "PaktDesk verändert; bitte neu übernehmen.")
            else:
                passed[import_id] = document
        return problems, passed

    def gemeinde_imports(self) -> list[dict[str, Any]]:
        """The Gemeinde files taken over (without their documents)."""
        return xq.imports(self.store)

    def gemeinde_document(self, import_id: int) -> dict[str, Any]:
        return json.loads(xq.import_document(self.store, import_id))

    def remove_gemeinde_import(self, import_id: int) -> Change:
        found = [item for item in xq.imports(self.store) if item["id"] == import_id]
        if not found:
            raise ValidationError(f"Der Import Nr. {import_id} existiert nicht (mehr).")
        with self._action("Gemeinde-Datei entfernt") as act:
            xq.delete_import(self.store, import_id)
            act.audit("consolidated_imports", import_id, _meta(found[0]), None)
        return self._done(Change("Gemeinde-Datei entfernt", "consolidated_imports", (import_id,)))

    def consolidation_overview(self) -> ConsolidationOverview:
        """The Kreis's Förderübersicht: its own figures, each Gemeinde's, and the totals. Money
        the Kreis passes on to a Gemeinde appears in both rows (as passed on and as received)."""
        kreis = self._require_kreis()
        own_summary = figures(self.exchange_document(include_gemeinden=False))
        own = _row(kreis.name, kreis.ags, "gesamter Datenbestand", own_summary)
        imports = xq.imports(self.store)
        rows = [_row(item["owner_name"], item["ags"], period_text(item), item["summary"],
                     import_id=item["id"], created_at=item["created_at"]) for item in imports]
        gemeinden_total = _sum_rows("Gemeinden zusammen", "", rows)
        key_figures: dict[str, dict[str, int]] = {}
        for summary in [own_summary, *(item["summary"] for item in imports)]:
            for year, codes in summary["key_figures"].items():
                for code, value in codes.items():
                    key_figures.setdefault(year, {})[code] = key_figures.get(year, {}).get(code, 0) + value
        return ConsolidationOverview(own, tuple(rows), gemeinden_total,
                                     _sum_rows(f"{kreis.name} insgesamt", kreis.ags, [own, gemeinden_total]),
                                     key_figures)


def _meta(row: dict[str, Any]) -> dict[str, Any]:
    """What the audit log keeps of an import (not the document)."""
    return {k: row[k] for k in ("id", "ags", "owner_name", "period_key", "created_at", "file_sha256", "file_name")
            if k in row}
