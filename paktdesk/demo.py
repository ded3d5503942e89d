"""A realistic, fictional demo Datenbestand: Gemeinde Lindenbach in Baden-Württemberg.

Deterministic: the same content every time apart from timestamps. Built through the workspace's
use cases, so the demo passes every check a clerk's own data must pass."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

from .core import entities as e
from .core.deadlines import DEMO_TODAY_SETTING, DeadlineKind
from .core.errors import DataFileError
from .core.periods import add_months
from .workspace import Workspace


def iban_with_check_digits(country: str, bban: str) -> str:
    digits = "".join(str(int(ch, 36)) for ch in bban + country + "00")
    return f"{country}{98 - int(digits) % 97:02d}{bban}"


PROFILE = e.Profile(
    name="Gemeinde Lindenbach",
    kind=e.OwnerKind.GEMEINDE,
    ags="08125097",
    street="Rathausplatz 1",
    postcode="74999",
    city="Lindenbach",
    contact_name="Petra Sommer",
    contact_phone="07131 99887-20",
    contact_email="p.sommer@lindenbach.example",
    iban=iban_with_check_digits("DE", "600501010001234567"),
    bank_name="Kreissparkasse (Demo)",
    funding_route=e.FundingRoute.LAND,
    has_audit_office=True,
    signer_name="Thomas Bauer",  # the mayor signs the proofs, the clerk is the contact
    signer_title="Bürgermeister",
)

# name, first, provider index, category, degree, vza per period
PEOPLE = [
    ("Keller", "Sabine", 0, "a", "B.A. Soziale Arbeit (DHBW Stuttgart)", 1000),
    ("Yıldız", "Mehmet", 0, "c", "Verwaltungsfachangestellter, 6 Jahre Flüchtlingsarbeit", 500),
    ("Schäfer", "Julia", 1, "b", "M.A. Erziehungswissenschaft", 750),
    ("Petrović", "Dragan", 1, "a", "B.A. Sozialpädagogik", 500),
    ("Weiß", "Lena", 2, "a", "B.A. Soziale Arbeit – Integrationsmanagement (Mannheim)", 500),
]
# The day the demo's story is told at: everything due before it is done (proof of use 2017 sent,
# key figures reported), so the board shows what is genuinely open then. Stored in the
# file (setting ``demo_today``): the Übersicht's deadline board shows the demo as on that day,
# whenever it is opened.
DEMO_TODAY = date(2025, 6, 1)
PAST_TASKS = (DeadlineKind.PROOF, DeadlineKind.INTERIM_PROOF, DeadlineKind.KEY_FIGURES,
              DeadlineKind.REQUALIFICATION)
MONTHLY_GROSS_FULL_TIME = 470_000  # cents, roughly TVöD SuE S 12 with a few years' experience: with the
# employer's share the position costs more than its Festbetrag, as in real town halls
EMPLOYER_SHARE_PERMILLE = 212
LAST_CALL = 5_000_000  # cents requested of the running decision and not yet received on DEMO_TODAY


def create_demo(path: Path) -> Workspace:
    """Create the demo file at ``path``; refuses to overwrite an existing file."""
    path = Path(path)
    if path.exists():
        raise DataFileError(f"Die Datei „{path}“ gibt es schon; die Demo überschreibt nichts.")
    ws = Workspace.open(path, create=True)
    try:
        with ws.batch():
            _fill(ws)
    except BaseException:
        ws.close()
        path.unlink(missing_ok=True)
        raise
    return ws


def _fill(ws: Workspace) -> None:
    rnd = random.Random(2017)
    ws.save_profile(PROFILE)
    for provider in (
        e.Provider(None, "Gemeinde Lindenbach", e.ProviderKind.OWN, ags=PROFILE.ags,
                   address="Rathausplatz 1, 74999 Lindenbach", contact="Petra Sommer"),
        e.Provider(None, "Caritasverband Unterland e. V.", e.ProviderKind.FREE,
                   address="Kirchgasse 4, 74999 Lindenbach", contact="Thomas Berger"),
        e.Provider(None, "DRK-Kreisverband Lindenbach e. V.", e.ProviderKind.FREE,
                   address="Am Bahnhof 12, 74999 Lindenbach", contact="Miriam Öztürk"),
    ):
        ws.save_provider(provider)
    providers = [p.id for p in ws.providers()]
    providers.sort()

    rules_2017 = next(r for r in ws.rule_sets() if r.code == "VwV2017")
    ws.save_rule_set(e.RuleSet(**{**_fields(rules_2017),
                                  "rates": {"a": 5_100_000, "b": 5_100_000, "c": 5_100_000}}))
    rules_2017 = ws.rule_set(rules_2017.id)
    rules_2023 = next(r for r in ws.rule_sets() if r.code == "VwV2023")

    persons = []
    for last, first, provider_index, category, degree, vza in PEOPLE:
        ws.save_person(e.Person(None, first, last, providers[provider_index],
                                email=f"{first.lower()}.{_ascii(last)}@lindenbach.example"))
        person_id = max(p.id for p in ws.persons())
        persons.append((person_id, providers[provider_index], e.Category(category), vza))
        ws.add_qualification(e.Qualification(None, person_id, e.Category(category), degree,
                                             checked_by="P. Sommer", checked_on=date(2017, 6, 20)))
        ws.save_employment(e.Employment(None, person_id, providers[provider_index], date(2017, 7, 1),
                                        date(2019, 6, 30), vza, note="Pakt für Integration 2017–2019"))
        ws.save_employment(e.Employment(None, person_id, providers[provider_index], date(2023, 1, 1),
                                        None, vza, note="VwV 2023"))

    # Mehmet Yıldız (category c) is requalifying; Lena Weiß had parental leave
    ws.add_requalification(e.Requalification(
        None, persons[1][0], "Weiterbildung Integrationsmanagement (modular)",
        "Evangelische Hochschule Freiburg", started_on=date(2025, 9, 1),
        deadline=add_months(date(2025, 9, 1), rules_2023.requal_months), hours_planned=240,
        hours_done=96))
    ws.add_interruption(e.Interruption(None, persons[4][0], date(2023, 9, 1), date(2024, 2, 29),
                                       "Elternzeit"))

    decisions = [
        ("15.2-8712.17/0815", date(2017, 6, 28), date(2017, 7, 1), date(2019, 6, 30), rules_2017),
        ("15.2-8712.23/1274", date(2022, 12, 15), date(2023, 1, 1), date(2024, 12, 31), rules_2023),
    ]
    for file_number, decided_on, first, last, rules in decisions:
        months = (last.year - first.year) * 12 + last.month - first.month + 1
        positions = [ws.plan_position(rule_set=rules, person_id=pid, vza_milli=vza, category=cat,
                                      first_day=first, months=months)
                     for pid, _, cat, vza in persons]
        amount = sum(p.amount_cents for p in positions)
        ws.create_decision(
            e.Decision(None, e.FundingArea.INTEGRATION_MANAGEMENT, "Regierungspräsidium Stuttgart, Ref. 15.2",
                       file_number),
            e.DecisionVersion(None, 0, 0, e.VersionKind.ORIGINAL, decided_on, first, last, amount, rules.id),
            positions=positions)

    # an amendment of the 2017 decision: extension by 12 months per position (2019 rules)
    first_decision = min(d.id for d in ws.decisions())
    current = ws.current_version(first_decision)
    ws.amend_decision(first_decision, e.DecisionVersion(
        None, first_decision, 0, e.VersionKind.AMENDMENT, date(2019, 5, 20), current.first_day,
        date(2020, 6, 30), current.amount_cents + sum(
            p.amount_cents // 2 for p in ws.positions(current.id)),
        current.rule_set_id, note="Verlängerung um 12 Monate"),
        positions=[e.Position(None, 0, p.person_id, p.vza_milli, p.category, p.first_day, p.months + 12,
                              p.rate_cents, p.amount_cents + p.amount_cents // 2)
                   for p in ws.positions(current.id)])

    # the money of each decision over its whole (amended) term
    for decision in sorted(ws.decisions(), key=lambda d: d.id):
        version = ws.current_version(decision.id)
        months = ((version.last_day.year - version.first_day.year) * 12 + version.last_day.month
                  - version.first_day.month + 1)
        _money(ws, rnd, decision_id=decision.id, first=version.first_day, months=months,
               amount=version.amount_cents, persons=persons, providers=providers)

    for year in (2023, 2024):
        for pid, *_ in persons:
            counselled = rnd.randint(35, 70)
            female = rnd.randint(10, counselled // 2)
            ws.save_key_figures(year, pid, _key_figures(rnd, counselled, female))
        ws.save_key_figures(year, None, _applicant_figures(
            [ws.key_figures(year, pid) for pid, *_ in persons], counted_twice=12))

    last_decision = max(d.id for d in ws.decisions())
    ws.save_narrative(last_decision, SACHBERICHT_ENTWURF)
    _third_party(ws, last_decision, persons[0][0])
    _history(ws)


def _third_party(ws: Workspace, decision_id: int, person_id: int) -> None:
    """The Landkreis co-finances Sabine Keller's position with 5.000 € a year (Drittmittel)."""
    giver = "Landkreis Heilbronn"
    purpose = "Kofinanzierung Integrationsmanagement (Kreistagsbeschluss vom 08.11.2022)"
    ws.add_third_party(e.ThirdPartyFund(None, decision_id, e.ThirdPartyKind.PLANNED, giver, 1_000_000,
                                        person_id=person_id, purpose=purpose))
    for year in (2023, 2024):
        ws.add_third_party(e.ThirdPartyFund(None, decision_id, e.ThirdPartyKind.RECEIVED, giver, 500_000,
                                            date(year, 4, 14), person_id=person_id,
                                            purpose=f"Zuschuss {year}"))


def _history(ws: Workspace) -> None:
    """What the clerk did before ``DEMO_TODAY``, with the board's own use case ("Als erledigt
    markieren"): the proof of use of the 2017 decision was sent and the key figures of the past
    years were reported. The board then shows only what is open on ``DEMO_TODAY`` and after.

    The 2017 proof is marked done rather than recorded with ``submit_proof``: that would lock the
    2017–2020 bookings, which the demo keeps editable for trying things out."""
    for item in ws.deadlines(DEMO_TODAY):
        if item.kind in PAST_TASKS and item.due < DEMO_TODAY and item.urgency.is_open:
            ws.mark_deadline_done(item.key, today=DEMO_TODAY)
    ws.save_setting(DEMO_TODAY_SETTING, DEMO_TODAY.isoformat())  # the board shows the demo as on that day


def _key_figures(rnd: random.Random, counselled: int, female: int) -> dict[str, int]:
    diverse = 1 if counselled > 40 else 0
    under_18 = counselled // 5
    young = counselled // 4
    old = counselled // 20
    new_cases = rnd.randint(counselled // 4, counselled // 2)
    return {
        "beraten_gesamt": counselled, "beraten_w": female, "beraten_d": diverse,
        "beraten_m": counselled - female - diverse,
        "alter_u18": under_18, "alter_18_26": young, "alter_65": old,
        "alter_27_64": counselled - under_18 - young - old,
        "faelle_neu": new_cases, "faelle_abgeschlossen": rnd.randint(5, new_cases),
        "plaene_neu": rnd.randint(5, new_cases), "plaene_fortgeschrieben": rnd.randint(5, 30),
        "vermittlungen": rnd.randint(10, 60),
    }


def _applicant_figures(per_person: list[dict[str, int]], *, counted_twice: int) -> dict[str, int]:
    """The applicant's totals as a town hall reports them: the managers' figures added up, less
    the refugees two managers advised (counted by both, once in the total); they are taken off
    the total and one part of each breakdown, so the breakdowns still add up."""
    totals = {code: sum(values.get(code, 0) for values in per_person) for code in per_person[0]}
    for code in ("beraten_gesamt", "beraten_m", "alter_27_64"):
        totals[code] -= counted_twice
    return totals


def _money(ws: Workspace, rnd: random.Random, *, decision_id: int, first: date, months: int,
           amount: int, persons, providers) -> None:
    # payments: instalments of a quarter. A closed decision got them all; for the running one the
    # last call (a part of the rest, once the costs were known) is still on its way, and what the
    # costs justify beyond it is left for a Mittelabruf
    quarter = amount // 4
    closed = add_months(first, months) <= DEMO_TODAY.replace(year=DEMO_TODAY.year - 1)
    for index in range(4):
        requested = add_months(first, index * 6)
        received = add_months(requested, 1) if index < 3 or closed else None
        last = amount - 3 * quarter if closed else LAST_CALL
        ws.record_payment(e.Payment(None, decision_id, requested, received, quarter if index < 3 else last,
                                    cash_ref=f"KZ-{first.year}-{decision_id:02d}{index + 1:02d}"))
    # monthly salaries per person, with the employer share
    for month in range(months):
        day = add_months(first, month)
        pay_day = date(day.year, day.month, 25)
        for pid, provider_id, _cat, vza in persons:
            if provider_id != providers[0]:
                continue  # free providers book their own salaries
            gross = MONTHLY_GROSS_FULL_TIME * vza // 1000 + rnd.randint(-3000, 3000)
            for category, value, purpose in (
                ("P_ENTGELT", gross, "Entgelt"),
                ("P_SOZ", gross * EMPLOYER_SHARE_PERMILLE // 1000, "AG-Anteile SV"),
            ):
                ws.add_receipt(e.Receipt(None, decision_id, e.ListKind.PERSONNEL, 0, pay_day, pay_day,
                                         pay_day.year, "Gemeindekasse Lindenbach",
                                         f"{purpose} {pay_day:%m/%Y}", category, value, pid))
    # material costs
    for _ in range(80):
        day = add_months(first, rnd.randrange(months)).replace(day=rnd.randint(1, 28))
        category, payee, purpose, low, high = rnd.choice(MATERIAL)
        ws.add_receipt(e.Receipt(None, decision_id, e.ListKind.MATERIAL, 0, day, day, day.year, payee,
                                 purpose, category, rnd.randint(low, high) * 100 + rnd.randint(0, 99),
                                 rnd.choice(persons)[0]))
    # pass-through to the free providers for their positions
    for provider_id in providers[1:]:
        share = sum(p.amount_cents for p in ws.positions(ws.current_version(decision_id).id)
                    if any(pid == p.person_id and prov == provider_id for pid, prov, *_ in persons))
        if not share:
            continue
        ws.add_pass_through(e.PassThrough(None, decision_id, provider_id, first, f"Vereinbarung {first.year}",
                                          share, note="Weiterleitung nach § 44 LHO"))
        agreement = ws.pass_throughs(decision_id)[-1]
        for index in range(2):
            ws.pay_pass_through(e.PassThroughPayment(None, agreement.id, add_months(first, 2 + index * 12),
                                                     share // 2 if index == 0 else share - share // 2))
        # the providers' costs exceed what they were passed, except where a manager's parental
        # leave (an interruption) saved salary: that provider proves less and pays the rest back
        end = add_months(first, months)
        on_leave = any(i.first_day < end and i.last_day >= first for pid, prov, *_ in persons
                       if prov == provider_id for i in ws.interruptions(pid))
        proven = share - rnd.randint(1_200_000, 1_800_000) if on_leave else share + rnd.randint(200_000, 900_000)
        ws.add_provider_proof(e.ProviderProof(None, agreement.id, add_months(first, months + 2), proven,
                                              note="Verwendungsnachweis des Trägers"))


MATERIAL = [
    ("S_FORTB", "Evangelische Hochschule Freiburg", "Fortbildung Integrationsmanagement", 180, 650),
    ("S_REISE", "Gemeindekasse Lindenbach", "Fahrtkosten Hausbesuche", 20, 140),
    ("S_DOLM", "Sprachmittlerpool Unterland", "Dolmetschereinsatz Arabisch/Farsi", 60, 320),
    ("S_BUERO", "Bürobedarf Schwäbisch GmbH", "Büromaterial", 15, 120),
    ("S_RAUM", "Gemeinde Lindenbach", "Raumnutzung Beratungsraum", 150, 300),
    ("S_HONORAR", "Kulturverein Brücke e. V.", "Honorar Informationsabend", 100, 400),
]

SACHBERICHT_ENTWURF = """1. Ausgangslage
In Lindenbach leben zum Stichtag rund 260 Geflüchtete in der Anschlussunterbringung. Das
Integrationsmanagement wird von der Gemeinde und zwei freien Trägern gemeinsam geleistet.

2. Ziele und Umsetzung
Die Integrationsmanager:innen beraten Geflüchtete individuell, erstellen Integrationspläne und
vermitteln in Regelangebote (Sprachkurse, Jobcenter, Schulen, Vereine).

3. Ergebnisse
(Entwurf – bitte ergänzen: Zahl der Beratungen, Integrationspläne, Beispiele gelungener Vermittlung.)

4. Zusammenarbeit mit den Trägern
(Entwurf – Beiträge von Caritas und DRK einfügen.)
"""


def _fields(rules: e.RuleSet) -> dict:
    return {name: getattr(rules, name) for name in rules.__dataclass_fields__}


def _ascii(text: str) -> str:
    table = str.maketrans({"ı": "i", "ć": "c", "ß": "ss", "ä": "ae", "ö": "oe", "ü": "ue", "č": "c"})
    return text.lower().translate(table)
