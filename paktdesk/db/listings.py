"""Paged, sorted, filtered lists for the screens: the SQL behind every table view.

A view asks for the row count and one page at a time, so 200,000 receipts scroll like 20.
Sorting and filtering happen here, in SQL."""

from __future__ import annotations

from dataclasses import dataclass

from .connection import Store


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    expr: str
    kind: str = "text"  # text | money | date | vza | int


@dataclass(frozen=True, slots=True)
class Lookup:
    """A joined table the search looks into: the base row's ``column`` refers to ``key`` of
    ``table`` (joined as ``alias``). A search word is then matched once per row of that small
    table (``column IN (SELECT key …)``) instead of once per base row through the join."""

    alias: str
    column: str
    table: str
    key: str


@dataclass(frozen=True, slots=True)
class Listing:
    name: str
    source: str  # FROM … JOIN …
    columns: tuple[Column, ...]
    where: str = ""
    search: tuple[str, ...] = ()
    default_sort: str = ""
    # Counting on 200,000 receipts: the base table alone has the same rows as ``source`` when every
    # join meets exactly one row (a NOT NULL foreign key) or is a LEFT JOIN, and ``where`` and the
    # search need no joined column except through ``lookups``.
    count_source: str = ""
    lookups: tuple[Lookup, ...] = ()

    @property
    def _base_countable(self) -> bool:
        """Whether ``count_source`` can count: every searched column is on the base table or
        reached through a lookup."""
        if not self.count_source:
            return False
        base = self.count_source.split()[-1]
        reachable = {base, *(lookup.alias for lookup in self.lookups)}
        return all(expr.split(".", 1)[0] in reachable for expr in self.search)

    def _match(self, expr: str, *, through_lookups: bool) -> str:
        alias = expr.split(".", 1)[0] if "." in expr else ""
        for lookup in self.lookups if through_lookups else ():
            if lookup.alias == alias:
                return (f"{lookup.column} IN (SELECT {lookup.alias}.{lookup.key} FROM {lookup.table} "
                        f"{lookup.alias} WHERE {expr} LIKE ? ESCAPE '\\')")
        return f"{expr} LIKE ? ESCAPE '\\'"

    def _where(self, text: str, extra: str = "", *, through_lookups: bool = False) -> tuple[str, list]:
        parts, params = [], []
        if self.where:
            parts.append(f"({self.where})")
        if extra:
            parts.append(f"({extra})")
        for word in (text or "").split():
            escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            like = f"%{escaped}%"
            parts.append("(" + " OR ".join(self._match(expr, through_lookups=through_lookups)
                                           for expr in self.search) + ")")
            params.extend([like] * len(self.search))
        return (" WHERE " + " AND ".join(parts)) if parts else "", params

    def count(self, store: Store, *, search: str = "", extra_where: str = "",
              extra_params: tuple = ()) -> int:
        base = self._base_countable and not extra_where
        where, params = self._where(search, extra_where, through_lookups=bool(self.lookups))
        return store.conn.execute(
            f"SELECT count(*) FROM {self.count_source if base else self.source}{where}",
            [*extra_params, *params]
        ).fetchone()[0]

    def page(self, store: Store, *, offset: int, limit: int, sort: str | None = None,
             descending: bool = False, search: str = "", extra_where: str = "",
             extra_params: tuple = ()) -> list[tuple]:
        """Rows as tuples ``(id, value per column…)``."""
        where, params = self._where(search, extra_where, through_lookups=bool(self.lookups))
        columns = {c.key: c for c in self.columns}
        order = columns[sort].expr if sort in columns else self.default_sort or "1"
        direction = "DESC" if descending else "ASC"
        select = ", ".join(c.expr for c in self.columns)
        sql = (f"SELECT {self.id_expr}, {select} FROM {self.source}{where} "
               f"ORDER BY {order} {direction}, {self.id_expr} {direction} LIMIT ? OFFSET ?")
        return store.conn.execute(sql, [*extra_params, *params, limit, offset]).fetchall()

    @property
    def id_expr(self) -> str:
        return f"{self.source.split()[1]}.id" if " " in self.source.strip() else "id"


_PERSON_VZA = ("(SELECT ifnull(sum(vza_milli), 0) FROM employments e WHERE e.person_id = p.id "
               "AND e.first_day <= date('now') AND (e.last_day IS NULL OR e.last_day >= date('now')))")
_PERSON_CAT = ("(SELECT category FROM qualifications q WHERE q.person_id = p.id ORDER BY q.id DESC LIMIT 1)")
_DECISION_AMOUNT = ("(SELECT amount_cents FROM decision_versions v WHERE v.decision_id = d.id "
                    "ORDER BY v.version_no DESC LIMIT 1)")

LISTINGS: dict[str, Listing] = {}


def _add(listing: Listing) -> None:
    LISTINGS[listing.name] = listing


_add(Listing(
    name="persons",
    source="persons p JOIN providers t ON t.id = p.provider_id",
    where="p.deleted_at IS NULL",
    columns=(
        Column("name", "Name", "p.last_name || ', ' || p.first_name"),
        Column("provider", "Träger", "t.name"),
        Column("category", "Kategorie", f"ifnull({_PERSON_CAT}, '')"),
        Column("vza", "VZÄ heute", _PERSON_VZA, "vza"),
        Column("ended", "Ausgeschieden", "p.ended_on", "date"),
    ),
    search=("p.last_name", "p.first_name", "t.name"),
    default_sort="p.last_name, p.first_name",
))
_add(Listing(
    name="providers",
    source="providers t",
    where="t.deleted_at IS NULL",
    columns=(
        Column("name", "Name", "t.name"),
        Column("kind", "Art", "CASE t.kind WHEN 'eigen' THEN 'Eigene Verwaltung' "
               "WHEN 'frei' THEN 'Freier Träger' ELSE 'Andere Kommune' END"),
        Column("contact", "Ansprechpartner", "t.contact"),
        Column("persons", "Personen", "(SELECT count(*) FROM persons p WHERE p.provider_id = t.id "
               "AND p.deleted_at IS NULL)", "int"),
    ),
    search=("t.name", "t.contact"),
    default_sort="t.name",
))
_add(Listing(
    name="decisions",
    source="decisions d",
    where="d.deleted_at IS NULL",
    columns=(
        Column("file_number", "Aktenzeichen", "d.file_number"),
        Column("area", "Förderbereich", "CASE d.funding_area WHEN '1' THEN 'Integrationsmanagement' "
               "WHEN '2' THEN 'Junge Geflüchtete' WHEN '3' THEN 'Spracherwerb' ELSE 'Engagement' END"),
        Column("grantor", "Zuwendungsgeber", "d.grantor"),
        Column("start", "Beginn", "(SELECT first_day FROM decision_versions v WHERE v.decision_id = d.id "
               "ORDER BY version_no DESC LIMIT 1)", "date"),
        Column("end", "Ende", "(SELECT last_day FROM decision_versions v WHERE v.decision_id = d.id "
               "ORDER BY version_no DESC LIMIT 1)", "date"),
        Column("versions", "Fassungen", "(SELECT count(*) FROM decision_versions v WHERE v.decision_id = d.id)", "int"),
        Column("amount", "Bewilligt", _DECISION_AMOUNT, "money"),
        Column("received", "Erhalten", "(SELECT ifnull(sum(amount_cents), 0) FROM payments z "
               "WHERE z.decision_id = d.id AND z.received_on IS NOT NULL)", "money"),
        Column("spent", "Ausgegeben", "(SELECT ifnull(sum(amount_cents), 0) FROM receipts b "
               "WHERE b.decision_id = d.id)", "money"),
    ),
    search=("d.file_number", "d.grantor"),
    default_sort="d.id",
))
_add(Listing(
    name="payments",
    source="payments z JOIN decisions d ON d.id = z.decision_id",
    columns=(
        Column("received_on", "Eingang", "z.received_on", "date"),
        Column("requested_on", "Abgerufen", "z.requested_on", "date"),
        Column("decision", "Bescheid", "d.file_number"),
        Column("cash_ref", "Kassenzeichen", "z.cash_ref"),
        Column("amount", "Betrag", "z.amount_cents", "money"),
        Column("note", "Bemerkung", "CASE WHEN z.reversal_of IS NOT NULL THEN 'Storno: ' || "
               "z.reversal_reason ELSE z.note END"),
    ),
    search=("d.file_number", "z.cash_ref", "z.note"),
    default_sort="z.received_on",
))
_add(Listing(
    name="receipts",
    source=("receipts b JOIN decisions d ON d.id = b.decision_id "
            "JOIN cost_categories k ON k.code = b.cost_category "
            "LEFT JOIN persons p ON p.id = b.person_id"),
    columns=(
        Column("number", "Nr.", "b.list_kind || '-' || printf('%04d', b.number)"),
        Column("date", "Datum", "b.receipt_date", "date"),
        Column("paid_on", "Bezahlt", "b.paid_on", "date"),
        Column("year", "HH-Jahr", "b.budget_year", "int"),
        Column("payee", "Empfänger", "b.payee"),
        Column("purpose", "Zweck", "b.purpose"),
        Column("category", "Kostenart", "k.label"),
        Column("person", "Person", "ifnull(p.last_name || ', ' || p.first_name, '')"),
        Column("decision", "Bescheid", "d.file_number"),
        Column("amount", "Betrag", "b.amount_cents", "money"),
    ),
    search=("b.payee", "b.purpose", "d.file_number", "p.last_name", "k.label"),
    default_sort="b.receipt_date",
    count_source="receipts b",
    lookups=(Lookup("d", "b.decision_id", "decisions", "id"),
             Lookup("k", "b.cost_category", "cost_categories", "code"),
             Lookup("p", "b.person_id", "persons", "id")),
))
_add(Listing(
    name="audit",
    source="audit_log a",
    columns=(
        Column("at", "Zeitpunkt (UTC)", "a.at"),
        Column("user", "Benutzer", "a.user"),
        Column("action", "Aktion", "a.action"),
        Column("entity", "Objekt", "a.entity"),
        Column("entity_id", "Nr.", "a.entity_id", "int"),
    ),
    search=("a.action", "a.entity", "a.user"),
    default_sort="a.id",
))
