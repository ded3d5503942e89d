"""A deterministic Kreis-size Datenbestand for the benchmarks, and the exchange files of its Gemeinden.

The fictional Landkreis Lindenau (AGS 08199000) runs the Integrationsmanagement of its 45
Gemeinden over ten years (2016–2025): about 300 integration managers employed by the Gemeinden,
120 Zuwendungsbescheide (Erstbescheid plus Änderungsbescheide) with their positions and cost plans,
200,000 receipts (with reversals), 5,000 payments, yearly key figures, narrative reports, and one
audit-log row per record as the use cases would have written it. Besides the Kreis file it writes
each Gemeinde's share of the same data as that Gemeinde's JSON exchange file (period "gesamt"), for
the import measure.

The file is written in one transaction through the storage layer (``repo.insert`` with row
hashes and control totals, ``audit.record``), not through 200,000 use-case calls with an fsync
each. It passes ``paktdesk --data FILE check``. The same scale always gives the same rows and
byte-identical Gemeinde files.

Generated files are cached in a folder keyed by :data:`GENERATOR_VERSION`, the schema version and the scale
(``$PAKTDESK_BENCH_CACHE`` or ``<temp>/paktdesk-bench-cache``), so a second run starts at once.
Change :data:`GENERATOR_VERSION` whenever the generated content changes.

    python tests/benchmarks/generate.py            # the full Kreis (20–45 s the first time)
    python tests/benchmarks/generate.py --smoke    # 2 Gemeinden, 200 receipts
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import random
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from paktdesk.core import entities as e  # noqa: E402
from paktdesk.core.funding import position_amount  # noqa: E402
from paktdesk.core.money import split_cents  # noqa: E402
from paktdesk.core.periods import add_months, months_between  # noqa: E402
from paktdesk.db import audit, repo  # noqa: E402
from paktdesk.db import profile as profile_db  # noqa: E402
from paktdesk.db import rules as rules_db  # noqa: E402
from paktdesk.db.datafile import open_datafile  # noqa: E402
from paktdesk.db.seed import COST_CATEGORIES, KEY_FIGURES  # noqa: E402
from paktdesk.db.versions import SCHEMA_VERSION  # noqa: E402
from paktdesk.exchange import document as doc  # noqa: E402
from paktdesk.exchange.json_export import write_json  # noqa: E402
from paktdesk.workspace.exchange import ExchangeUseCases, requalification_status  # noqa: E402

GENERATOR_VERSION = "3"
SEED = 2016
USER = "benchmark"
KREIS_AGS = "08199000"
KREIS_NAME = "Landkreis Lindenau"
FIRST_YEAR, LAST_YEAR = 2016, 2025
DATA_END = date(LAST_YEAR, 12, 31)  # the Datenbestand's state: nothing booked after this day
CREATED = datetime(2026, 1, 31, 8, 0, tzinfo=UTC)  # when the Gemeinden wrote their files
KREIS_FILE = "Landkreis-Lindenau.paktdesk"
MANIFEST = "manifest.json"


@dataclass(frozen=True, slots=True)
class Scale:
    gemeinden: int
    persons: int
    decisions: int
    receipts: int
    payments: int

    @property
    def key(self) -> str:
        return (f"g{self.gemeinden}-p{self.persons}-d{self.decisions}-r{self.receipts}-z{self.payments}")


FULL = Scale(gemeinden=45, persons=300, decisions=120, receipts=200_000, payments=5_000)
SMOKE = Scale(gemeinden=2, persons=6, decisions=4, receipts=200, payments=20)


@dataclass(frozen=True)
class Generated:
    """Where the generated files are and what they hold."""

    folder: Path
    kreis_file: Path
    gemeinde_files: tuple[Path, ...]
    scale: Scale
    counts: dict[str, int]
    seconds: float = 0.0


# --------------------------------------------------------------------------- names and words

_PREFIXES = ["", "Ober", "Unter", "Nieder", "Alt", "Neu", "Hohen", "Klein", "Groß"]
_ROOTS = ["Linden", "Eichen", "Buchen", "Tann", "Stein", "Mühl", "Kirch", "Wies", "Roth", "Sulz", "Hasel",
          "Erlen", "Weiden", "Brunn", "Rosen", "Kalten", "Sonnen", "Wald", "Berg", "Feld", "Fichten",
          "Birken", "Hirsch", "Wolfs", "Schön"]
_SUFFIXES = ["bach", "weiler", "hausen", "heim", "dorf", "stetten", "ingen", "au", "hofen", "tal", "bronn"]
FIRST_NAMES = ["Sabine", "Mehmet", "Julia", "Dragan", "Lena", "Ayşe", "Jürgen", "Fatima", "Olena", "Grzegorz",
               "Maximilian", "Özlem", "Hannah", "Luca", "Amira", "Thomas", "Katharina", "Yusuf", "Marie",
               "Tobias", "Elif", "Sören", "Zeynep", "Björn", "Nadia", "Jörg", "Svetlana", "Ahmad", "Franziska",
               "Dominik", "Małgorzata", "Jean-Luc", "Anne-Kathrin", "Dương", "Chiara"]
LAST_NAMES = ["Keller", "Yıldız", "Schäfer", "Petrović", "Weiß", "Müller", "Öztürk", "Großmann", "Nguyen",
              "Kowalski", "Bauer", "Al-Hassan", "Fischer", "Schmid", "Krüger", "Demir", "Hoffmann", "Kaya",
              "Wagner", "Jäger", "Haddad", "Schneider", "Lößer", "Popescu", "Becker", "Ivanova", "Hartmann",
              "Şahin", "Zimmermann", "Meißner", "von Bülow", "O'Connor", "Dąbrowski", "Strauß"]
DEGREES = {"a": ["B.A. Soziale Arbeit (DHBW Stuttgart)", "Diplom-Sozialpädagogin (FH)", "B.A. Sozialpädagogik"],
           "b": ["M.A. Erziehungswissenschaft", "M.A. Islamwissenschaft", "B.A. Politikwissenschaft"],
           "c": ["Verwaltungsfachangestellte, 6 Jahre Flüchtlingsarbeit", "Erzieher, Berufserfahrung Migration",
                 "Kauffrau für Büromanagement, Ehrenamt Asylkreis"]}
SUPPLIERS = ["Bürobedarf Schäfer GmbH", "Dolmetscherdienst „Brücke“ e. V.", "Volkshochschule Lindenau",
             "DB Fernverkehr AG", "Druckerei Müller & Söhne", "Café Öztürk; Catering", "Reisebüro Weiß",
             "Telekom Deutschland GmbH", "Kreismedienzentrum Lindenau", "Hausmeisterservice Groß",
             "Sprachmittler-Pool Lindenau", "Buchhandlung \"Seitenweise\"", "Evangelische Hochschule Freiburg",
             "Stadtwerke Lindenau", "Raumausstattung Jäger KG", "Caritasverband Lindenau e. V."]
PURPOSES = {
    "S_FORTB": ["Fortbildung „Interkulturelle Kompetenz“", "Seminar Asyl- und Aufenthaltsrecht",
                "Fachtag Integrationsmanagement", "Supervision"],
    "S_REISE": ["Fahrtkosten Dienstgänge {month}", "Bahnfahrt Netzwerktreffen Stuttgart", "Kilometergeld {month}"],
    "S_RAUM": ["Miete Beratungsraum {month}", "Nebenkosten Beratungsbüro {month}", "Reinigung Beratungsraum"],
    "S_BUERO": ["Büromaterial", "Toner und Papier", "Mobilfunkvertrag {month}", "Porto und Versand"],
    "S_DOLM": ["Dolmetschereinsatz Arabisch", "Übersetzung Bescheid (Ukrainisch)", "Sprachmittlung Dari",
               "Dolmetschen Tigrinya; Elterngespräch"],
    "S_HONORAR": ["Honorar Workshop Bewerbungstraining", "Referentin Elternabend", "Honorar Sprachcafé"],
    "S_SONST": ["Fachliteratur", "Verpflegung Netzwerktreffen", "Sonstige Sachausgaben",
                "Infomaterial mehrsprachig (Druck)"],
}
S_WEIGHTS = {"S_FORTB": 6, "S_REISE": 22, "S_RAUM": 10, "S_BUERO": 25, "S_DOLM": 20, "S_HONORAR": 7, "S_SONST": 10}
REVERSAL_REASONS = ["Doppelt erfasst", "Falsche Kostenart", "Rechnung storniert (Gutschrift)", "Falscher Bescheid"]
# decision periods of the programme (inclusive) and their rules
PERIODS = [(date(2017, 1, 1), date(2018, 12, 31), "VwV2017"), (date(2019, 1, 1), date(2020, 12, 31), "VwV2017"),
           (date(2021, 1, 1), date(2022, 12, 31), "VwV2017"), (date(2023, 1, 1), date(2024, 12, 31), "VwV2023"),
           (date(2025, 1, 1), date(2026, 12, 31), "VwV2023")]
LATEST_PERIOD = 3  # every Gemeinde has a decision for 2023/2024


def gemeinde_names(rnd: random.Random, count: int) -> list[str]:
    names: list[str] = []
    while len(names) < count:
        name = rnd.choice(_PREFIXES) + rnd.choice(_ROOTS).lower() + rnd.choice(_SUFFIXES)
        name = name[0].upper() + name[1:]
        if name not in names:
            names.append(name)
    return names


def stamp(day: date, rnd: random.Random) -> str:
    """A working-hours UTC timestamp on ``day`` (as ``audit.now_utc`` writes them)."""
    return f"{day.isoformat()}T{rnd.randint(6, 15):02d}:{rnd.randint(0, 59):02d}:{rnd.randint(0, 59):02d}+00:00"


def largest_remainder(total: int, weights: list[float], *, minimum: int = 0) -> list[int]:
    """``total`` split by ``weights`` into ints that add up exactly, each at least ``minimum``."""
    rest = total - minimum * len(weights)
    if rest < 0:
        raise ValueError("too few items for the minimum")
    scale = sum(weights)
    raw = [rest * w / scale for w in weights]
    parts = [int(x) for x in raw]
    order = sorted(range(len(weights)), key=lambda i: (parts[i] - raw[i], i))
    for i in order[: rest - sum(parts)]:
        parts[i] += 1
    return [p + minimum for p in parts]


# --------------------------------------------------------------------------- the content


@dataclass
class Gemeinde:
    number: int
    name: str
    kind: e.OwnerKind
    ags: str
    weight: float
    provider: e.Provider | None = None
    persons: list[e.Person] = field(default_factory=list)
    periods: list[int] = field(default_factory=list)


@dataclass
class Staff:
    """A person with what the generator needs to know about their employment."""

    person: e.Person
    gemeinde: Gemeinde
    first_day: date
    last_day: date | None  # None: still employed at DATA_END
    vza_milli: int
    category: e.Category


class Builder:
    """Generates the content and writes it through the storage layer, one audit row per record."""

    def __init__(self, store, scale: Scale):
        self.store = store
        self.scale = scale
        self.rnd = random.Random(SEED)
        self.counts: dict[str, int] = defaultdict(int)
        self.rules: dict[str, e.RuleSet] = {}
        self.gemeinden: list[Gemeinde] = []
        self.staff: list[Staff] = []
        # what the Gemeinde files need, by Gemeinde number
        self.by_gemeinde: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))

    # writing
    def add(self, obj, *, action: str, at: str, gemeinde: Gemeinde | None = None):
        new_id, row = repo.insert(self.store, obj, now=at)
        table = repo.table_of(obj)
        audit.record(self.store, user=USER, action=action, entity=table, entity_id=new_id, new=row, at=at)
        self.counts[table] += 1
        self.counts["audit_log"] += 1
        stored = dataclasses.replace(obj, id=new_id)
        if gemeinde is not None:
            self.by_gemeinde[gemeinde.number][table].append(stored)
        return stored

    def build(self) -> None:
        self._profile_and_rules()
        self._gemeinden()
        self._persons()
        self._decisions()
        self._key_figures()

    def _profile_and_rules(self) -> None:
        at = stamp(date(FIRST_YEAR, 1, 4), self.rnd)
        profile = e.Profile(name=KREIS_NAME, kind=e.OwnerKind.LANDKREIS, ags=KREIS_AGS, street="Schlossplatz 3",
                            postcode="74999", city="Lindenau", contact_name="Sachgebiet Integration",
                            contact_email="integration@lkr-lindenau.example", funding_route=e.FundingRoute.LAND,
                            has_audit_office=True)
        saved_clock = profile_db.now_utc
        profile_db.now_utc = lambda: at  # the profile's "updated_at": the generated day, not today
        try:
            old, new = profile_db.save_profile(self.store, profile)
        finally:
            profile_db.now_utc = saved_clock
        audit.record(self.store, user=USER, action="Stammdaten gespeichert", entity="profile", entity_id=1,
                     old=old, new=new, at=at)
        self.counts["audit_log"] += 1
        for rule_set in rules_db.rule_sets(self.store):
            if rule_set.code == "VwV2017":  # the decision letters name rates for a and b too
                rule_set = dataclasses.replace(rule_set, rates={"a": 5_100_000, "b": 5_100_000, "c": 5_100_000})
                old, new = rules_db.save_rule_set(self.store, rule_set)
                audit.record(self.store, user=USER, action="Regelwerk gespeichert", entity="rule_sets",
                             entity_id=rule_set.id, old=old, new=new, at=at)
                self.counts["audit_log"] += 1
            self.rules[rule_set.code] = rule_set

    def _gemeinden(self) -> None:
        count = self.scale.gemeinden
        names = gemeinde_names(self.rnd, count)
        # a few towns and many villages: weight ~ 1/rank
        for number, name in enumerate(names, start=1):
            kind = e.OwnerKind.STADT if number <= max(1, count // 6) else e.OwnerKind.GEMEINDE
            gemeinde = Gemeinde(number, name, kind, f"{KREIS_AGS[:5]}{number:03d}", 1 / number ** 0.8)
            day = date(FIRST_YEAR, 1, 4)
            gemeinde.provider = self.add(
                e.Provider(None, f"{'Stadt' if kind == e.OwnerKind.STADT else 'Gemeinde'} {name}",
                           e.ProviderKind.MUNICIPAL, ags=gemeinde.ags,
                           address=f"Rathausplatz {number % 7 + 1}, 74{900 + number:03d} {name}",
                           contact=f"Bürgermeisteramt {name}"),
                action="Träger angelegt", at=stamp(day, self.rnd), gemeinde=gemeinde)
            self.gemeinden.append(gemeinde)
        # which decision periods each Gemeinde has: all have 2023/24, the bigger ones more
        slots = [(g, LATEST_PERIOD) for g in self.gemeinden]
        extra = [(g, p) for g in self.gemeinden for p in (4, 2, 1, 0)]
        extra.sort(key=lambda item: (-item[0].weight, item[0].number))
        wanted = self.scale.decisions - len(slots)
        if wanted < 0:
            slots = slots[: self.scale.decisions]
        slots += extra[: max(0, wanted)]
        for gemeinde, period in slots:
            gemeinde.periods.append(period)
        for gemeinde in self.gemeinden:
            gemeinde.periods.sort()

    def _persons(self) -> None:
        rnd = self.rnd
        counts = largest_remainder(self.scale.persons, [g.weight for g in self.gemeinden], minimum=1)
        names = set()
        for gemeinde, count in zip(self.gemeinden, counts, strict=True):
            first_start = PERIODS[gemeinde.periods[0]][0] if gemeinde.periods else date(2023, 1, 1)
            last_start = PERIODS[gemeinde.periods[-1]][0] if gemeinde.periods else date(2023, 1, 1)
            span_days = max(1, (last_start - first_start).days)
            for index in range(count):
                while True:
                    name = (rnd.choice(FIRST_NAMES), rnd.choice(LAST_NAMES))
                    if name not in names or len(names) > len(FIRST_NAMES) * len(LAST_NAMES) // 2:
                        names.add(name)
                        break
                # the first person of a Gemeinde starts with its first decision; the others spread out
                offset = 0 if index == 0 else rnd.randint(-180, span_days)
                start = first_start + timedelta(days=offset)
                start = date(max(FIRST_YEAR, start.year), start.month, 1)
                months = rnd.randint(18, 110) if index else 200
                end_excl = add_months(start, months)
                last_day = None if end_excl > DATA_END else end_excl - timedelta(days=1)
                category = e.Category(rnd.choices("abc", weights=[50, 25, 25])[0])
                vza = rnd.choice([500, 500, 750, 1000, 1000, 250])
                at = stamp(start - timedelta(days=rnd.randint(14, 40)), rnd)
                person = self.add(
                    e.Person(None, name[0], name[1], gemeinde.provider.id,
                             email=f"im{len(self.staff) + 1}@{gemeinde.ags}.example",
                             phone=f"07131 {rnd.randint(10000, 99999)}",
                             ended_on=last_day),
                    action="Person angelegt", at=at, gemeinde=gemeinde)
                gemeinde.persons.append(person)
                staff = Staff(person, gemeinde, start, last_day, vza, category)
                self.staff.append(staff)
                self.add(e.Qualification(None, person.id, category, rnd.choice(DEGREES[category.value]),
                                         checked_by="Sachgebiet Integration", checked_on=start),
                         action="Qualifikation erfasst", at=at, gemeinde=gemeinde)
                self._employments(staff, at)
                if category == e.Category.C and start >= date(2023, 1, 1):
                    begun = add_months(start, 2)
                    done = begun + timedelta(days=rnd.randint(300, 700))
                    self.add(e.Requalification(
                        None, person.id, "Weiterbildung Integrationsmanagement (modular)",
                        "Evangelische Hochschule Freiburg", started_on=begun, deadline=add_months(begun, 24),
                        hours_planned=240, hours_done=240 if done <= DATA_END else rnd.randint(0, 200),
                        completed_on=done if done <= DATA_END else None),
                        action="Nachqualifizierung erfasst", at=stamp(begun, rnd), gemeinde=gemeinde)
                if rnd.random() < 0.06:
                    first = add_months(start, rnd.randint(6, 14))
                    last = add_months(first, rnd.randint(3, 12)) - timedelta(days=1)
                    if last <= (last_day or DATA_END):
                        self.add(e.Interruption(None, person.id, first, last, "Elternzeit"),
                                 action="Unterbrechung erfasst", at=stamp(first, rnd), gemeinde=gemeinde)

    def _employments(self, staff: Staff, at: str) -> None:
        rnd = self.rnd
        provider = staff.gemeinde.provider.id
        change = None
        if rnd.random() < 0.3:
            change = add_months(staff.first_day, rnd.randint(12, 36))
            if change > (staff.last_day or DATA_END):
                change = None
        if change is None:
            self.add(e.Employment(None, staff.person.id, provider, staff.first_day, staff.last_day, staff.vza_milli,
                                  note="Integrationsmanagement"),
                     action="Stellenanteil erfasst", at=at, gemeinde=staff.gemeinde)
            return
        self.add(e.Employment(None, staff.person.id, provider, staff.first_day, change - timedelta(days=1),
                              staff.vza_milli, note="Integrationsmanagement"),
                 action="Stellenanteil erfasst", at=at, gemeinde=staff.gemeinde)
        self.add(e.Employment(None, staff.person.id, provider, change, staff.last_day,
                              max(250, min(1000, staff.vza_milli + rnd.choice([-250, 250]))),
                              note="Stellenanteil geändert"),
                 action="Stellenanteil erfasst", at=stamp(change - timedelta(days=10), rnd), gemeinde=staff.gemeinde)

    # decisions with versions, positions, cost plans, payments, receipts and narratives
    def _decisions(self) -> None:
        plans = []
        for gemeinde in self.gemeinden:
            for period in gemeinde.periods:
                plans.append((gemeinde, period))
        plans.sort(key=lambda item: (PERIODS[item[1]][0], item[0].number))
        weights = []
        staffed = []
        for gemeinde, period in plans:
            first, last, _ = PERIODS[period]
            people = [s for s in self.staff if s.gemeinde is gemeinde and s.first_day <= last
                      and (s.last_day is None or s.last_day >= first)]
            staffed.append(people)
            weights.append(max(0.3, sum(s.vza_milli for s in people) / 1000))
        receipts = largest_remainder(self.scale.receipts, weights, minimum=2)
        payments = largest_remainder(self.scale.payments, weights, minimum=1)
        for number, ((gemeinde, period), people) in enumerate(zip(plans, staffed, strict=True), start=1):
            self._decision(number, gemeinde, period, people, receipts[number - 1], payments[number - 1])

    def _decision(self, number: int, gemeinde: Gemeinde, period: int, people: list[Staff], receipt_count: int,
                  payment_count: int) -> None:
        rnd = self.rnd
        first, last, rules_code = PERIODS[period]
        rules = self.rules[rules_code]
        positions = []
        for staff in people:
            start = max(first, staff.first_day)
            end_excl = min(last, staff.last_day or last) + timedelta(days=1)
            months = months_between(start, end_excl)
            if months < 1:
                continue
            rate = rules.rate_for(staff.category)
            positions.append(e.Position(None, 0, staff.person.id, staff.vza_milli, staff.category, start, months, rate,
                                        position_amount(rate_cents_per_year=rate, vza_milli=staff.vza_milli,
                                                        months=months)))
        decided = first - timedelta(days=rnd.randint(10, 40))
        at = stamp(decided + timedelta(days=3), rnd)
        area = e.FundingArea.INTEGRATION_MANAGEMENT if positions else e.FundingArea.VOLUNTEERING
        decision = self.add(
            e.Decision(None, area, "Regierungspräsidium Stuttgart, Ref. 15.2",
                       f"15.2-8712.{first.year % 100:02d}/{gemeinde.number:02d}{number:03d}",
                       notes=f"{gemeinde.kind} {gemeinde.name}"),
            action="Bescheid angelegt", at=at, gemeinde=gemeinde)
        amount = sum(p.amount_cents for p in positions) or rnd.randint(20_000, 80_000) * 100
        versions = [self._version(decision, gemeinde, 1, e.VersionKind.ORIGINAL, decided, first, last, amount,
                                  rules, positions, at)]
        version_count = 1 + (rnd.random() < 0.45) + (rnd.random() < 0.12)
        for version_no in range(2, version_count + 1):
            day = min(DATA_END, first + timedelta(days=rnd.randint(120, 600)))
            changed = [dataclasses.replace(p, vza_milli=min(1000, p.vza_milli + 250),
                                           amount_cents=position_amount(rate_cents_per_year=p.rate_cents,
                                                                        vza_milli=min(1000, p.vza_milli + 250),
                                                                        months=p.months))
                       if rnd.random() < 0.4 else p for p in positions]
            amount = sum(p.amount_cents for p in changed) or amount + rnd.randint(1_000, 9_000) * 100
            versions.append(self._version(decision, gemeinde, version_no, e.VersionKind.AMENDMENT, day, first, last,
                                          amount, rules, changed, stamp(day, rnd),
                                          note="Änderung der Stellenanteile" if changed != positions
                                          else "Erhöhung der Sachkosten"))
            positions = changed
        self._payments(decision, gemeinde, first, min(last, DATA_END), versions[-1].amount_cents, payment_count)
        self._receipts(decision, gemeinde, first, min(last, DATA_END), positions, receipt_count)
        if last <= DATA_END:
            day = add_months(last, 2)
            text = (f"Sachbericht {gemeinde.kind} {gemeinde.name}, Zeitraum {first:%d.%m.%Y} – {last:%d.%m.%Y}.\n"
                    f"{len(positions)} Integrationsmanager:innen haben Geflüchtete in der Anschlussunterbringung "
                    "beraten, Integrationspläne erstellt und in Sprachkurse, Ausbildung und Arbeit vermittelt.")
            self.add(e.NarrativeReport(None, decision.id, None, text, stamp(day, rnd)),
                     action="Sachbericht gespeichert", at=stamp(day, rnd), gemeinde=gemeinde)

    def _version(self, decision: e.Decision, gemeinde: Gemeinde, version_no: int, kind: e.VersionKind,
                 decided: date, first: date, last: date, amount: int, rules: e.RuleSet,
                 positions: list[e.Position], at: str, note: str = "") -> e.DecisionVersion:
        action = "Bescheid angelegt" if version_no == 1 else "Änderungsbescheid erfasst"
        version = self.add(e.DecisionVersion(None, decision.id, version_no, kind, decided, first, last, amount,
                                             rules.id, note=note),
                           action=action, at=at, gemeinde=gemeinde)
        for position in positions:
            self.add(dataclasses.replace(position, version_id=version.id), action=action, at=at, gemeinde=gemeinde)
        codes = ["P_ENTGELT", "P_SOZ", "P_ZVK", "S_REISE", "S_BUERO", "S_DOLM"]
        for code, cents in zip(codes, split_cents(amount, [750, 170, 50, 10, 10, 10]), strict=True):
            self.add(e.CostPlanItem(None, version.id, code, cents), action=action, at=at, gemeinde=gemeinde)
        return version

    def _payments(self, decision: e.Decision, gemeinde: Gemeinde, first: date, last: date, amount: int,
                  count: int) -> None:
        rnd = self.rnd
        mistake = count >= 4 and rnd.random() < 0.25  # a wrong booking and its reversal
        regular = count - 2 if mistake else count
        days = max(1, (last - first).days)
        parts = split_cents(amount, [1] * regular)
        booked = []
        for index, cents in enumerate(parts):
            requested = first + timedelta(days=days * index // regular)
            received = requested + timedelta(days=rnd.randint(5, 25))
            received = received if received <= DATA_END else None
            booked.append(self.add(
                e.Payment(None, decision.id, requested, received, cents,
                          cash_ref=f"KZ-{decision.id:04d}-{index + 1:03d}", note=f"{index + 1}. Abschlag"),
                action="Zahlung erfasst", at=stamp(received or requested, rnd), gemeinde=gemeinde))
        if mistake:
            day = first + timedelta(days=rnd.randint(0, days))
            wrong = self.add(e.Payment(None, decision.id, None, day, rnd.randint(1_000, 50_000) * 100,
                                       cash_ref=f"KZ-{decision.id:04d}-X", note="Fehlbuchung"),
                             action="Zahlung erfasst", at=stamp(day, rnd), gemeinde=gemeinde)
            later = min(DATA_END, day + timedelta(days=rnd.randint(1, 20)))
            self.add(dataclasses.replace(wrong, id=None, received_on=later, amount_cents=-wrong.amount_cents,
                                         reversal_of=wrong.id, reversal_reason="Falsches Kassenzeichen", note=""),
                     action="Zahlung storniert", at=stamp(later, rnd), gemeinde=gemeinde)

    def _receipts(self, decision: e.Decision, gemeinde: Gemeinde, first: date, last: date,
                  positions: list[e.Position], count: int) -> None:
        rnd = self.rnd
        personnel = min(count // 5, sum(p.months for p in positions) * 3) if positions else 0
        reversals = max(1, count // 200) if count >= 20 else 0  # Storno: about 0.5 %
        material = count - personnel - reversals
        payee_pay = f"{gemeinde.kind} {gemeinde.name} (Bezüge)"
        rows: list[e.Receipt] = []
        # personnel: salary, social insurance and pension per position and month, month by month
        monthly = []
        for month in range(max((p.months for p in positions), default=0)):
            for position in positions:
                if month < position.months:
                    monthly.append((add_months(position.first_day, month), position))
        persons = {s.person.id: s.person for s in self.staff}
        for index in range(personnel):
            day, position = monthly[(index // 3) % len(monthly)]
            code = ("P_ENTGELT", "P_SOZ", "P_ZVK")[index % 3]
            gross = 420_000 * position.vza_milli // 1000 + rnd.randint(-5_000, 15_000)
            cents = {"P_ENTGELT": gross, "P_SOZ": gross * 212 // 1000, "P_ZVK": gross * 55 // 1000}[code]
            pay_day = min(last, day + timedelta(days=27))
            person = persons[position.person_id]
            purpose = {"P_ENTGELT": "Entgelt", "P_SOZ": "AG-Anteil Sozialversicherung",
                       "P_ZVK": "Zusatzversorgung"}[code]
            rows.append(e.Receipt(None, decision.id, e.ListKind.PERSONNEL, 0, pay_day, pay_day, pay_day.year,
                                  payee_pay, f"{purpose} {person.last_name} {day:%m/%Y}", code, cents,
                                  person_id=position.person_id))
        days = max(1, (last - first).days)
        codes, weights = zip(*S_WEIGHTS.items(), strict=True)
        for _ in range(material):
            day = first + timedelta(days=rnd.randint(0, days))
            code = rnd.choices(codes, weights=weights)[0]
            purpose = rnd.choice(PURPOSES[code]).format(month=f"{day:%m/%Y}")
            cents = int(rnd.lognormvariate(8.5, 1.0)) + 99
            paid = day + timedelta(days=rnd.randint(0, 21))
            paid = paid if paid <= DATA_END and rnd.random() > 0.02 else None
            person = (positions[rnd.randrange(len(positions))].person_id
                      if positions and code in ("S_FORTB", "S_REISE") else None)
            rows.append(e.Receipt(None, decision.id, e.ListKind.MATERIAL, 0, day, paid, (paid or day).year,
                                  rnd.choice(SUPPLIERS), purpose, code, cents, person_id=person))
        rows.sort(key=lambda r: (r.list_kind, r.receipt_date))
        numbers = defaultdict(int)
        stored = []
        for receipt in rows:
            numbers[receipt.list_kind] += 1
            receipt = dataclasses.replace(receipt, number=numbers[receipt.list_kind])
            stored.append(self.add(receipt, action="Beleg erfasst", at=stamp(receipt.receipt_date, rnd),
                                   gemeinde=gemeinde))
        materials = [r for r in stored if r.list_kind == e.ListKind.MATERIAL]
        for original in rnd.sample(materials, min(reversals, len(materials))):
            numbers[original.list_kind] += 1
            day = min(DATA_END, original.receipt_date + timedelta(days=rnd.randint(3, 60)))
            self.add(dataclasses.replace(original, id=None, number=numbers[original.list_kind], receipt_date=day,
                                         paid_on=None, budget_year=day.year, amount_cents=-original.amount_cents,
                                         reversal_of=original.id, reversal_reason=rnd.choice(REVERSAL_REASONS)),
                     action="Beleg storniert", at=stamp(day, rnd), gemeinde=gemeinde)

    def _key_figures(self) -> None:
        rnd = self.rnd
        totals: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for year in range(FIRST_YEAR, LAST_YEAR + 1):
            first, last = date(year, 1, 1), date(year, 12, 31)
            for staff in self.staff:
                if staff.first_day > last or (staff.last_day is not None and staff.last_day < first):
                    continue
                values = self._figures(round(rnd.randint(25, 80) * staff.vza_milli / 1000) + 1)
                at = stamp(date(year + 1, 1, 20) if year < LAST_YEAR else DATA_END, rnd)
                for code, value in values.items():
                    totals[year][code] += value
                    self.add(e.KeyFigure(None, year, staff.person.id, code, value),
                             action="Kennzahlen gespeichert", at=at, gemeinde=staff.gemeinde)
            for code, value in sorted(totals[year].items()):
                self.add(e.KeyFigure(None, year, None, code, value), action="Kennzahlen gespeichert",
                         at=stamp(date(year + 1, 2, 1) if year < LAST_YEAR else DATA_END, rnd))

    def _figures(self, counselled: int) -> dict[str, int]:
        rnd = self.rnd
        female = rnd.randint(0, counselled)
        diverse = rnd.randint(0, max(0, (counselled - female) // 20))
        young = rnd.randint(0, counselled // 3)
        middle = rnd.randint(0, counselled - young)
        old = rnd.randint(0, (counselled - young - middle) // 4)
        new_cases = rnd.randint(0, counselled)
        plans = rnd.randint(0, counselled)
        return {"beraten_gesamt": counselled, "beraten_w": female, "beraten_d": diverse,
                "beraten_m": counselled - female - diverse, "alter_u18": young, "alter_18_26": middle,
                "alter_27_64": counselled - young - middle - old, "alter_65": old, "faelle_neu": new_cases,
                "faelle_abgeschlossen": rnd.randint(0, new_cases), "plaene_neu": plans,
                "plaene_fortgeschrieben": rnd.randint(0, plans), "vermittlungen": rnd.randint(0, counselled // 2)}


# --------------------------------------------------------------------------- Gemeinde files


def gemeinde_document(builder: Builder, gemeinde: Gemeinde) -> dict:
    """The exchange document this Gemeinde would send for its whole Datenbestand."""
    rows = builder.by_gemeinde[gemeinde.number]
    quals: dict[int, list] = defaultdict(list)
    for item in rows["qualifications"]:
        quals[item.person_id].append(item)
    requals: dict[int, list] = defaultdict(list)
    for item in rows["requalifications"]:
        requals[item.person_id].append(item)
    persons = [doc.PersonInfo(p, quals[p.id][-1].category if quals[p.id] else None,
                              requalification_status(quals[p.id], requals[p.id], today=CREATED.date()))
               for p in rows["persons"]]
    rule_sets = {r.id: (r.code, r.max_extension_months) for r in builder.rules.values()}
    funded = ExchangeUseCases._funded_periods(SimpleNamespace(
        versions=rows["decision_versions"], positions=rows["positions"], interruptions=rows["interruptions"],
        rule_sets=rule_sets))
    applicant: dict[tuple[int, str], int] = defaultdict(int)
    for figure in rows["key_figures"]:
        applicant[(figure.year, figure.code)] += figure.value
    key_figures = [*rows["key_figures"],
                   *(e.KeyFigure(None, year, None, code, value) for (year, code), value in sorted(applicant.items()))]
    key_figures.sort(key=lambda k: (k.year, k.person_id is not None, k.person_id or 0, k.code))
    profile = e.Profile(name=f"{gemeinde.kind} {gemeinde.name}", kind=gemeinde.kind, ags=gemeinde.ags,
                        funding_route=e.FundingRoute.KREIS, kreis_name=KREIS_NAME)
    own = dataclasses.replace(gemeinde.provider, kind=e.ProviderKind.OWN)
    data = doc.ExchangeData(
        profile=profile, providers=[own], persons=persons, employments=rows["employments"], funded_periods=funded,
        decisions=rows["decisions"], versions=rows["decision_versions"], positions=rows["positions"],
        cost_plan=rows["cost_plan_items"],
        cost_categories=[e.CostCategory(code, label, e.ListKind(kind), order)
                         for code, label, kind, order in COST_CATEGORIES],
        payments=rows["payments"], receipts=rows["receipts"],
        key_figure_defs=[e.KeyFigureDef(code, label, group, order) for code, label, group, order in KEY_FIGURES],
        key_figures=key_figures, narratives=rows["narrative_reports"],
        rule_set_codes={r.id: r.code for r in builder.rules.values()})
    return doc.build_document(data, created_at=CREATED, generator_version=f"benchmark {GENERATOR_VERSION}")


def _slug(text: str) -> str:
    table = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue",
                           " ": "-"})
    return text.translate(table)


# --------------------------------------------------------------------------- entry points


def generate(folder: Path, scale: Scale = FULL) -> Generated:
    """Write the Kreis file and the Gemeinde files into ``folder`` (which must not hold them yet)."""
    begin = time.perf_counter()
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / KREIS_FILE
    if path.exists():
        raise FileExistsError(path)
    store = open_datafile(path, create=True)
    try:
        store.conn.execute("PRAGMA cache_size = -262144")  # this connection only: 256 MB while writing
        builder = Builder(store, scale)
        with store.transaction():
            builder.build()
    finally:
        store.close()
    gemeinde_dir = folder / "gemeinden"
    gemeinde_dir.mkdir(exist_ok=True)
    files = []
    for gemeinde in builder.gemeinden:
        target = gemeinde_dir / f"{gemeinde.ags}_{_slug(gemeinde.name)}.json"
        write_json(gemeinde_document(builder, gemeinde), target)
        files.append(target)
    counts = dict(sorted(builder.counts.items()))
    return Generated(folder, path, tuple(files), scale, counts, time.perf_counter() - begin)


def cache_root() -> Path:
    return Path(os.environ.get("PAKTDESK_BENCH_CACHE") or Path(tempfile.gettempdir()) / "paktdesk-bench-cache")


def ensure(scale: Scale = FULL, *, cache: Path | None = None, force: bool = False) -> Generated:
    """The generated files of ``scale`` from the cache, generating them first if needed."""
    # a file of an older schema would be migrated (and backed up) by the first benchmark that opens it
    folder = Path(cache or cache_root()) / f"v{GENERATOR_VERSION}-schema{SCHEMA_VERSION}-{scale.key}"
    manifest = folder / MANIFEST
    if manifest.exists() and not force:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        kreis = folder / data["kreis_file"]
        files = tuple(folder / name for name in data["gemeinde_files"])
        if kreis.exists() and all(f.exists() for f in files):
            return Generated(folder, kreis, files, scale, data["counts"], 0.0)
    if folder.exists():
        shutil.rmtree(folder)
    work = folder.with_name(folder.name + f".tmp{os.getpid()}")
    shutil.rmtree(work, ignore_errors=True)
    generated = generate(work, scale)
    work.rename(folder)
    result = Generated(folder, folder / generated.kreis_file.name,
                       tuple(folder / f.relative_to(work) for f in generated.gemeinde_files), scale,
                       generated.counts, generated.seconds)
    manifest.write_text(json.dumps({
        "generator_version": GENERATOR_VERSION, "scale": dataclasses.asdict(scale),
        "kreis_file": result.kreis_file.name,
        "gemeinde_files": [str(f.relative_to(folder)) for f in result.gemeinde_files],
        "counts": result.counts, "seconds": round(result.seconds, 1)}, indent=1), encoding="utf-8")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny scale (2 Gemeinden, 200 receipts)")
    parser.add_argument("--cache", type=Path, help="cache folder (default: $PAKTDESK_BENCH_CACHE or the temp folder)")
    parser.add_argument("--force", action="store_true", help="generate again even if cached")
    args = parser.parse_args(argv)
    result = ensure(SMOKE if args.smoke else FULL, cache=args.cache, force=args.force)
    print(f"Kreis file:     {result.kreis_file} ({result.kreis_file.stat().st_size / 1e6:.1f} MB)")
    print(f"Gemeinde files: {len(result.gemeinde_files)} in {result.gemeinde_files[0].parent}")
    print("Rows:           " + ", ".join(f"{k} {v}" for k, v in result.counts.items()))
    print(f"Generated in {result.seconds:.1f} s" if result.seconds else "Taken from the cache.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
