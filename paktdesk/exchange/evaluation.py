"""The key-figure evaluation "Auswertung Zeitraum": the figures of every year of the period in
rows (grouped as in the list of figures), one column per integration manager, their sum and the
applicant's own figures; followed by the whole period. In a Kreis's file the columns are the Kreis
itself and each Gemeinde.

The Land's Excel template was not available; the layout follows its name and purpose (one sheet
for the whole funding period, figures per integration manager and for the applicant)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .document import MEMBERS
from .summary import key_figure_totals, period_text


@dataclass(frozen=True, slots=True)
class Figure:
    group: str
    code: str
    label: str


@dataclass(slots=True)
class Evaluation:
    owner: str
    ags: str
    period: str
    columns: list[str]
    years: list[int]
    figures: list[Figure]
    values: dict[tuple[int, int, str], int] = field(default_factory=dict)  # (year, column, code)

    def value(self, year: int | None, column: int, code: str) -> int | None:
        """One cell; ``year`` None = the whole period (sum over its years)."""
        if year is not None:
            return self.values.get((year, column, code))
        found = [self.values[(y, column, code)] for y in self.years if (y, column, code) in self.values]
        return sum(found) if found else None


def _figures(documents: list[Mapping[str, Any]], used: set[str]) -> list[Figure]:
    defs: dict[str, dict] = {}
    for document in documents:
        for item in document["tables"]["key_figure_defs"]:
            defs.setdefault(item["code"], item)
    shown = [d for d in defs.values() if d["active"] or d["code"] in used]
    shown.sort(key=lambda d: (d["sort_order"], d["code"]))
    extra = sorted(used - set(defs))
    return [Figure(d["group"], d["code"], d["label"]) for d in shown] + [Figure("", c, c) for c in extra]


def evaluation(document: Mapping[str, Any]) -> Evaluation:
    owner = document["owner"]
    members = list(document.get(MEMBERS) or [])
    result = Evaluation(owner["name"], owner["ags"], period_text(document["period"]), [], [], [])
    values = result.values
    if members:
        parts = [document, *members]
        result.columns = [f"{p['owner']['name']} ({p['owner']['ags']})" for p in parts] + ["Summe"]
        for index, part in enumerate(parts):
            for year, codes in key_figure_totals(part).items():
                for code, value in codes.items():
                    values[(int(year), index, code)] = value
        _add_sum(values, sources=range(len(parts)), target=len(parts))
        documents = parts
    else:
        persons = {p["id"]: p for p in document["tables"]["persons"]}
        with_figures = sorted({k["person_id"] for k in document["tables"]["key_figures"]
                               if k["person_id"] is not None},
                              key=lambda pid: (persons[pid]["last_name"], persons[pid]["first_name"], pid)
                              if pid in persons else ("", "", pid))
        index_of = {pid: i for i, pid in enumerate(with_figures)}
        result.columns = [f"{persons[pid]['last_name']}, {persons[pid]['first_name']}".rstrip(", ")
                          if pid in persons else f"Person {pid}" for pid in with_figures]
        result.columns += ["Summe Integrationsmanager:innen", "Antragsteller insgesamt"]
        sum_column, own_column = len(with_figures), len(with_figures) + 1
        for item in document["tables"]["key_figures"]:
            column = own_column if item["person_id"] is None else index_of[item["person_id"]]
            values[(item["year"], column, item["code"])] = item["value"]
        _add_sum(values, sources=range(len(with_figures)), target=sum_column)
        documents = [document]
    result.years = sorted({year for year, _, _ in values})
    result.figures = _figures(documents, {code for _, _, code in values})
    return result


def _add_sum(values: dict[tuple[int, int, str], int], *, sources: range, target: int) -> None:
    sums: dict[tuple[int, str], int] = {}
    for (year, column, code), value in list(values.items()):
        if column in sources:
            sums[(year, code)] = sums.get((year, code), 0) + value
    for (year, code), value in sums.items():
        values[(year, target, code)] = value
