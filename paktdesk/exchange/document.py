"""The exchange document: built from plain data, sealed with control totals and a SHA-256 of its
canonical form. The layout is described field by field in ``resources/EXCHANGE-FORMAT.md`` and
checked by ``resources/paktdesk-exchange.schema.json``.

Every table is a list of flat records; records refer to each other by the ids of the sender's
Datenbestand. Amounts are integer cents, dates ISO ``YYYY-MM-DD``, VZÄ in thousandths."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from operator import itemgetter
from typing import Any

from ..core import entities as e
from ..core.balances import BalanceLine, DecisionBalance
from . import FORMAT_NAME, FORMAT_VERSION

# Tables in document order, and the column each one's control sum adds up (others sum to 0).
TABLES = (
    "providers", "persons", "employments", "funded_periods", "decisions", "decision_versions",
    "positions", "cost_plan_items", "cost_categories", "payments", "receipts", "pass_throughs",
    "pass_through_payments", "provider_proofs", "key_figure_defs", "key_figures", "narrative_reports",
    "third_party_funds", "settlements",
)
# tables a newer minor version added, with that version: optional in the schema, absent from files
# of an older version (a 1.0 file has neither the table nor its control total)
ADDED_IN = {"third_party_funds": "1.1", "settlements": "1.2"}
REQUIRED_TABLES = tuple(name for name in TABLES if name not in ADDED_IN)
AMOUNT_FIELD = {
    "decision_versions": "amount_cents", "positions": "amount_cents", "cost_plan_items": "amount_cents",
    "payments": "amount_cents", "receipts": "amount_cents", "pass_throughs": "amount_cents",
    "pass_through_payments": "amount_cents", "provider_proofs": "spent_cents",
    "third_party_funds": "amount_cents", "settlements": "actual_cents",
}
MEMBERS = "gemeinden"  # a Kreis's file: the documents of its Gemeinden, exactly as received

QUALIFIED = "qualifiziert"
REQUALIFYING = "Nachqualifizierung läuft"
REQUAL_OVERDUE = "Nachqualifizierung überfällig"
NOT_RECORDED = "nicht erfasst"
REQUALIFICATION_STATUSES = (QUALIFIED, REQUALIFYING, REQUAL_OVERDUE, NOT_RECORDED)


@dataclass(frozen=True, slots=True)
class PersonInfo:
    """What the recipient learns about an integration manager: no contact data, no notes."""

    person: e.Person
    category: e.Category | None
    requalification_status: str


@dataclass(frozen=True, slots=True)
class FundedPeriod:
    """A position's funded period (inclusive days), extended by pay interruptions whose reasons
    stay with the sender."""

    position_id: int
    person_id: int
    decision_id: int
    version_no: int
    first_day: date
    last_day: date
    extended_last_day: date
    months: int
    vza_milli: int


@dataclass(frozen=True, slots=True)
class ExchangeData:
    """Everything one exchange file holds, as plain objects (gathered by the workspace)."""

    profile: e.Profile
    first_day: date | None = None
    last_day: date | None = None
    providers: Sequence[e.Provider] = ()
    persons: Sequence[PersonInfo] = ()
    employments: Sequence[e.Employment] = ()
    funded_periods: Sequence[FundedPeriod] = ()
    decisions: Sequence[e.Decision] = ()
    versions: Sequence[e.DecisionVersion] = ()
    positions: Sequence[e.Position] = ()
    cost_plan: Sequence[e.CostPlanItem] = ()
    cost_categories: Sequence[e.CostCategory] = ()
    payments: Sequence[e.Payment] = ()
    receipts: Sequence[e.Receipt] = ()
    pass_throughs: Sequence[e.PassThrough] = ()
    pass_through_payments: Sequence[e.PassThroughPayment] = ()
    provider_proofs: Sequence[e.ProviderProof] = ()
    key_figure_defs: Sequence[e.KeyFigureDef] = ()
    key_figures: Sequence[e.KeyFigure] = ()
    narratives: Sequence[e.NarrativeReport] = ()
    third_party_funds: Sequence[e.ThirdPartyFund] = ()
    rule_set_codes: Mapping[int, str] = field(default_factory=dict)
    # the settlement of every decision (core.balances), the figures the forms and screens show
    settlements: Sequence[DecisionBalance] = ()
    members: Sequence[Mapping[str, Any]] = ()
    # tables whose records are already built (see :func:`records_from_rows`); they take the
    # place of the objects above
    records: Mapping[str, list[dict[str, Any]]] = field(default_factory=dict)


# the records of the large tables as the storage layer reads them: each field is a column of
# the same name whose stored value is already the record's value (ISO dates, enum values)
ROW_FIELDS = {
    "receipts": ("id", "decision_id", "list_kind", "number", "receipt_date", "paid_on", "budget_year", "payee",
                 "purpose", "cost_category", "amount_cents", "person_id", "reversal_of", "reversal_reason"),
    "payments": ("id", "decision_id", "requested_on", "received_on", "amount_cents", "cash_ref", "note",
                 "reversal_of", "reversal_reason"),
    "key_figures": ("year", "person_id", "code", "value"),
    "third_party_funds": ("id", "decision_id", "kind", "giver", "person_id", "received_on", "amount_cents",
                          "purpose", "reversal_of", "reversal_reason"),
}


def records_from_rows(table: str, columns: Sequence[str], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The records of ``table`` from row dicts of ``columns`` (which must be exactly
    :data:`ROW_FIELDS` of the table): such a row already is the record the core object would
    give (for values the database's CHECK constraints allow), so the list is taken as it is,
    without an object and a second dict per row."""
    fields = ROW_FIELDS[table]
    if tuple(columns) != fields:
        raise ValueError(f"{table}: columns {tuple(columns)} instead of {fields}")
    return rows


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _tables(d: ExchangeData) -> dict[str, list[dict[str, Any]]]:
    unknown = set(d.records) - set(TABLES)
    if unknown:
        raise ValueError(f"records of unknown tables: {sorted(unknown)}")
    tables = _object_tables(d)
    tables.update(d.records)  # keeps the order of TABLES
    return tables


def _object_tables(d: ExchangeData) -> dict[str, list[dict[str, Any]]]:
    return {
        "providers": [
            {"id": p.id, "name": p.name, "kind": str(p.kind), "ags": p.ags, "address": p.address}
            for p in d.providers],
        "persons": [
            {"id": i.person.id, "first_name": i.person.first_name, "last_name": i.person.last_name,
             "provider_id": i.person.provider_id, "category": str(i.category) if i.category else None,
             "requalification_status": i.requalification_status, "ended_on": _day(i.person.ended_on)}
            for i in d.persons],
        "employments": [
            {"id": m.id, "person_id": m.person_id, "provider_id": m.provider_id, "first_day": _day(m.first_day),
             "last_day": _day(m.last_day), "vza_milli": m.vza_milli}
            for m in d.employments],
        "funded_periods": [
            {"position_id": f.position_id, "person_id": f.person_id, "decision_id": f.decision_id,
             "version_no": f.version_no, "first_day": _day(f.first_day), "last_day": _day(f.last_day),
             "extended_last_day": _day(f.extended_last_day), "months": f.months, "vza_milli": f.vza_milli}
            for f in d.funded_periods],
        "decisions": [
            {"id": b.id, "funding_area": str(b.funding_area), "grantor": b.grantor, "file_number": b.file_number}
            for b in d.decisions],
        "decision_versions": [
            {"id": v.id, "decision_id": v.decision_id, "version_no": v.version_no, "kind": str(v.kind),
             "decided_on": _day(v.decided_on), "first_day": _day(v.first_day), "last_day": _day(v.last_day),
             "amount_cents": v.amount_cents, "rule_set": d.rule_set_codes.get(v.rule_set_id),
             "note": v.note}
            for v in d.versions],
        "positions": [
            {"id": p.id, "version_id": p.version_id, "person_id": p.person_id, "vza_milli": p.vza_milli,
             "category": str(p.category), "first_day": _day(p.first_day), "months": p.months,
             "rate_cents": p.rate_cents, "amount_cents": p.amount_cents}
            for p in d.positions],
        "cost_plan_items": [
            {"id": c.id, "version_id": c.version_id, "cost_category": c.cost_category,
             "amount_cents": c.amount_cents}
            for c in d.cost_plan],
        "cost_categories": [
            {"code": c.code, "label": c.label, "list_kind": str(c.list_kind), "sort_order": c.sort_order}
            for c in d.cost_categories],
        "payments": [
            {"id": z.id, "decision_id": z.decision_id, "requested_on": _day(z.requested_on),
             "received_on": _day(z.received_on), "amount_cents": z.amount_cents, "cash_ref": z.cash_ref,
             "note": z.note, "reversal_of": z.reversal_of, "reversal_reason": z.reversal_reason}
            for z in d.payments],
        "receipts": [
            {"id": r.id, "decision_id": r.decision_id, "list_kind": str(r.list_kind), "number": r.number,
             "receipt_date": _day(r.receipt_date), "paid_on": _day(r.paid_on), "budget_year": r.budget_year,
             "payee": r.payee, "purpose": r.purpose, "cost_category": r.cost_category,
             "amount_cents": r.amount_cents, "person_id": r.person_id, "reversal_of": r.reversal_of,
             "reversal_reason": r.reversal_reason}
            for r in d.receipts],
        "pass_throughs": [
            {"id": w.id, "decision_id": w.decision_id, "provider_id": w.provider_id,
             "agreed_on": _day(w.agreed_on), "reference": w.reference, "amount_cents": w.amount_cents,
             "note": w.note}
            for w in d.pass_throughs],
        "pass_through_payments": [
            {"id": z.id, "pass_through_id": z.pass_through_id, "paid_on": _day(z.paid_on),
             "amount_cents": z.amount_cents, "note": z.note, "reversal_of": z.reversal_of,
             "reversal_reason": z.reversal_reason}
            for z in d.pass_through_payments],
        "provider_proofs": [
            {"id": n.id, "pass_through_id": n.pass_through_id, "received_on": _day(n.received_on),
             "spent_cents": n.spent_cents, "note": n.note}
            for n in d.provider_proofs],
        "key_figure_defs": [
            {"code": k.code, "label": k.label, "group": k.group, "sort_order": k.sort_order,
             "active": bool(k.active)}
            for k in d.key_figure_defs],
        "key_figures": [
            {"year": k.year, "person_id": k.person_id, "code": k.code, "value": k.value}
            for k in d.key_figures],
        "narrative_reports": [
            {"decision_id": n.decision_id, "provider_id": n.provider_id, "text": n.text,
             "updated_at": n.updated_at}
            for n in d.narratives],
        "third_party_funds": [
            {"id": m.id, "decision_id": m.decision_id, "kind": str(m.kind), "giver": m.giver,
             "person_id": m.person_id, "received_on": _day(m.received_on), "amount_cents": m.amount_cents,
             "purpose": m.purpose, "reversal_of": m.reversal_of, "reversal_reason": m.reversal_reason}
            for m in d.third_party_funds],
        "settlements": settlement_records(d.settlements),
    }


# what a settlement line stands for, by the core's key of the line
SETTLEMENT_LINES = {"person:none": "ohne_person", "person:pass-through": "weiterleitung_ohne_person",
                    "person:unassigned-payments": "zahlungen_ohne_zuordnung",
                    "person:unassigned-third-party": "drittmittel_ohne_zuordnung"}


def _settlement_record(decision_id: int, line: BalanceLine, *, whole: bool = False) -> dict[str, Any]:
    """One line of a settlement exactly as the core computed it; nothing is worked out here."""
    kind = "bescheid" if whole else SETTLEMENT_LINES.get(line.key, "person")
    return {"decision_id": decision_id, "line": kind,
            "person_id": int(line.key.split(":")[1]) if kind == "person" else None,
            "planned_cents": line.planned or 0, "received_cents": line.received or 0,
            "requested_open_cents": line.requested_open, "spent_cents": line.spent,
            "passed_on_cents": line.passed_on, "provider_refund_cents": line.provider_refund,
            "actual_cents": line.actual, "not_eligible_cents": line.not_eligible,
            "third_party_cents": line.third_party, "due_cents": line.due,
            "own_share_cents": line.own_share, "balance_cents": line.balance}


def settlement_records(balances: Iterable[DecisionBalance]) -> list[dict[str, Any]]:
    """Per decision its line as a whole, then its lines per person (those without a funded
    person as the core shows them), which add up to it."""
    records = []
    for balance in balances:
        records.append(_settlement_record(balance.decision_id, balance.total, whole=True))
        records.extend(_settlement_record(balance.decision_id, line) for line in balance.by_person)
    return records


def table_records(tables: Mapping[str, Any], name: str) -> Sequence[Mapping[str, Any]]:
    """The records of table ``name`` (empty for a table a file of an older version does not have)."""
    return tables.get(name, ()) if name in ADDED_IN else tables[name]


def control_totals(tables: Mapping[str, Sequence[Mapping[str, Any]]]) -> dict[str, dict[str, int]]:
    """Row count and sum of cents per table (the sum is 0 for tables without amounts). A table
    of a newer minor version (:data:`ADDED_IN`) has a total only when ``tables`` holds it."""
    totals = {}
    for name in TABLES:
        if name in ADDED_IN and name not in tables:
            continue
        rows = tables.get(name, ())
        column = AMOUNT_FIELD.get(name)
        totals[name] = {"count": len(rows), "sum_cents": sum(map(itemgetter(column), rows)) if column else 0}
    return totals


# members outside the checksum: the checksum itself and the signature made over it
SEAL_MEMBERS = ("sha256", "signature")


def canonical_bytes(document: Mapping[str, Any]) -> bytes:
    """The document without its ``sha256`` (and ``signature``) as canonical JSON: keys sorted, no
    whitespace, UTF-8, non-ASCII characters unescaped. For this format's values (no floats) this
    is RFC 8785 (JCS)."""
    content = {key: value for key, value in document.items() if key not in SEAL_MEMBERS}
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return text.encode("utf-8")


def content_sha256(document: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_bytes(document)).hexdigest()


_CANONICAL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False).encode
_CHUNK = 10_000  # records encoded at a time (the text of 200,000 receipts at once would be 60 MB more)


def _chunks(value: Any, depth: int = 0) -> Iterator[bytes]:
    """``value`` as canonical JSON in pieces whose concatenation is exactly
    ``canonical_bytes``'s encoding of it: the document and its tables member by member, long
    lists a few thousand items at a time."""
    if depth < 2 and type(value) is dict and all(type(key) is str for key in value):
        yield from _object((key, _chunks(value[key], depth + 1)) for key in sorted(value))
    elif type(value) is list and len(value) > _CHUNK:
        yield b"["
        for start in range(0, len(value), _CHUNK):
            text = _CANONICAL(value[start:start + _CHUNK])[1:-1]
            yield (("," if start else "") + text).encode("utf-8")
        yield b"]"
    else:
        yield _CANONICAL(value).encode("utf-8")


def _object(members: Iterable[tuple[str, Iterable[bytes]]]) -> Iterator[bytes]:
    """A JSON object of already encoded members, in the order given."""
    yield b"{"
    for number, (key, encoded) in enumerate(members):
        yield (("," if number else "") + _CANONICAL(key) + ":").encode("utf-8")
        yield from encoded
    yield b"}"


def encode(document: Mapping[str, Any], *, sign: Callable[[str], str] | None = None) -> tuple[str, list[bytes]]:
    """The SHA-256 of ``document``'s canonical form (without its ``sha256``) and the bytes of
    the file, both from ONE encoding: the file holds the document's members in their order,
    the tables in theirs, each record and every other value in canonical form, and
    ``"sha256"`` last (then ``"signature"``: ``sign(sha256)``, or the document's own). (The format leaves the
    file's member order free; its content is exactly the canonical form's.) Raises
    ``ValueError``/``TypeError`` for values JSON cannot hold."""
    content = {key: value for key, value in document.items() if key not in SEAL_MEMBERS}
    tables = content.get("tables")
    split = type(tables) is dict and all(type(name) is str for name in tables)
    table_parts = {name: list(_chunks(records, 2)) for name, records in tables.items()} if split else {}
    parts = {key: list(_chunks(value, 1)) for key, value in content.items() if not (split and key == "tables")}

    def member(key: str, canonical: bool) -> Iterable[bytes]:
        if split and key == "tables":
            return _object(sorted(table_parts.items()) if canonical else table_parts.items())
        return parts[key]

    digest = hashlib.sha256()
    for chunk in _object((key, member(key, True)) for key in sorted(content)):
        digest.update(chunk)
    sha = digest.hexdigest()
    seal_members = [("sha256", [_CANONICAL(sha).encode("ascii")])]
    stated = sign(sha) if sign is not None else document.get("signature")  # a signed document keeps it
    if stated is not None:
        seal_members.append(("signature", [_CANONICAL(stated).encode("ascii")]))
    return sha, list(_object([*((key, member(key, False)) for key in content), *seal_members]))


@dataclass(frozen=True, slots=True)
class SealedDocument:
    """A sealed document and the bytes of its file (see :func:`encode`)."""

    document: dict[str, Any]
    file_bytes: list[bytes]


@dataclass(frozen=True, slots=True)
class ChainSeal:
    """The sender's hash chain head and signing key for an exchange file (issue 17)."""

    anchor: str
    seq: int
    link: str
    public_key: str
    sign: Callable[[str], str]  # sha256 hex → signature (base64)


def seal(data: ExchangeData, *, created_at: datetime, generator_version: str,
         chain: ChainSeal | None = None) -> SealedDocument:
    """The complete, sealed document (control totals and SHA-256 filled in, and with ``chain``
    the sender's anchor and an Ed25519 signature of the SHA-256) and its file's bytes, encoded once."""
    profile = data.profile
    tables = _tables(data)
    document: dict[str, Any] = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "generator": {"name": "PaktDesk", "version": generator_version},
        "created_at": created_at.astimezone(UTC).isoformat(timespec="seconds"),
        "owner": {"name": profile.name, "kind": str(profile.kind), "ags": profile.ags,
                  "funding_route": str(profile.funding_route), "kreis_name": profile.kreis_name},
        "period": {"first_day": _day(data.first_day), "last_day": _day(data.last_day)},
        "tables": tables,
        "control_totals": control_totals(tables),
    }
    if data.members:
        document[MEMBERS] = [dict(member) for member in data.members]
    if chain is not None:
        document["chain"] = {"anchor": chain.anchor, "seq": chain.seq, "link": chain.link,
                             "public_key": chain.public_key}
    signatures: list[str] = []

    def sign(sha: str) -> str:
        signatures.append(chain.sign(sha))
        return signatures[-1]

    document["sha256"], file_bytes = encode(document, sign=sign if chain is not None else None)
    if signatures:
        document["signature"] = signatures[0]
    return SealedDocument(document, file_bytes)


def build_document(data: ExchangeData, *, created_at: datetime, generator_version: str) -> dict[str, Any]:
    """The complete, sealed document (control totals and SHA-256 filled in)."""
    return seal(data, created_at=created_at, generator_version=generator_version).document


def period_key(period: Mapping[str, Any]) -> str:
    """``"gesamt"`` for a whole Datenbestand, else ``"YYYY-MM-DD/YYYY-MM-DD"``."""
    first, last = period.get("first_day"), period.get("last_day")
    return "gesamt" if first is None and last is None else f"{first}/{last}"
