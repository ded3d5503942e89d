"""Register use cases on a real file, read back after reopening: profile, providers, persons,
employment shares, interruptions, qualifications. Bad input changes nothing."""

import dataclasses
from datetime import date

import pytest

from paktdesk.core import entities as e
from paktdesk.core.errors import NotFoundError, ValidationError
from paktdesk.workspace import Workspace

PROFILE = e.Profile("Gemeinde Lindenbach", e.OwnerKind.GEMEINDE, "08125097", street="Rathausplatz 1",
                    postcode="74999", city="Lindenbach", contact_name="Petra Sommer",
                    iban="DE89 3704 0044 0532 0130 00", bank_name="Kreissparkasse")


@pytest.fixture
def reopen(data_path):
    """Close the workspace and open the file again, as the next program start would."""
    opened = []

    def _reopen(ws: Workspace) -> Workspace:
        ws.close()
        again = Workspace.open(data_path)
        opened.append(again)
        return again

    yield _reopen
    for ws in opened:
        ws.close()


def audit_count(ws):
    return ws.counts()["audit_log"]


def test_profile_round_trip(workspace, reopen):
    assert workspace.profile() is None
    change = workspace.save_profile(PROFILE)
    assert change.warnings == ()
    ws = reopen(workspace)
    assert ws.profile() == dataclasses.replace(PROFILE, iban="DE89370400440532013000")
    ws.save_profile(dataclasses.replace(PROFILE, contact_name="Jana Roth"))
    entry = ws.audit_entries(entity="profile")[0]
    assert entry.action == "Stammdaten gespeichert" and entry.user == ws.user
    assert "Petra Sommer" in entry.old and "Jana Roth" in entry.new
    assert reopen(ws).profile().contact_name == "Jana Roth"


def test_profile_outside_bw_is_saved_with_a_warning(workspace, reopen):
    change = workspace.save_profile(dataclasses.replace(PROFILE, ags="09162000"))
    assert change.warnings and "Baden-Württemberg" in change.warnings[0]
    assert reopen(workspace).profile().ags == "09162000"


@pytest.mark.parametrize(("changes", "field"), [
    ({"ags": "0812509"}, "ags"),
    ({"ags": "０８１２５０９７"}, "ags"),
    ({"iban": "DE89 3704 0044 0532 0130 01"}, "iban"),
    ({"name": ""}, "name"),
])
def test_bad_profile_saves_nothing(workspace, reopen, changes, field):
    with pytest.raises(ValidationError) as err:
        workspace.save_profile(dataclasses.replace(PROFILE, **changes))
    assert err.value.field == field
    ws = reopen(workspace)
    assert ws.profile() is None
    assert audit_count(ws) == 0


def test_a_new_datenbestand_starts_with_the_owner_as_traeger(workspace, reopen):
    change = workspace.set_up(PROFILE)
    ws = reopen(workspace)
    assert ws.profile().name == "Gemeinde Lindenbach"
    [own] = ws.providers()
    assert (own.id, own.name, own.kind, own.ags) == (change.ids[1], "Gemeinde Lindenbach", e.ProviderKind.OWN,
                                                     "08125097")
    assert own.address == "Rathausplatz 1, 74999 Lindenbach" and own.contact == "Petra Sommer"
    assert {entry.entity for entry in ws.audit_entries()} >= {"profile", "providers"}
    with pytest.raises(ValidationError):  # once only
        ws.set_up(PROFILE)
    assert len(ws.providers()) == 1


def test_set_up_with_a_bad_profile_writes_nothing(workspace, reopen):
    with pytest.raises(ValidationError) as err:
        workspace.set_up(dataclasses.replace(PROFILE, ags="0812509"))
    assert err.value.field == "ags"
    ws = reopen(workspace)
    assert ws.profile() is None and ws.providers() == [] and audit_count(ws) == 0


def test_provider_and_person_round_trip(workspace, reopen):
    workspace.save_provider(e.Provider(None, "Caritasverband Unterland e. V.", e.ProviderKind.FREE,
                                       address="Kirchgasse 4", contact="Thomas Berger"))
    workspace.save_provider(e.Provider(None, "Gemeinde Lindenbach", e.ProviderKind.OWN, ags="08125097"))
    ws = reopen(workspace)
    caritas, own = ws.providers()  # sorted by name
    assert caritas.name == "Caritasverband Unterland e. V." and caritas.kind is e.ProviderKind.FREE
    assert own.ags == "08125097"
    ws.save_provider(dataclasses.replace(caritas, contact="Miriam Öztürk"))
    ws.save_person(e.Person(None, "Mehmet", "Yıldız", caritas.id, email="m.yildiz@example.org",
                            notes="Sprachen: Türkisch, Kurdisch"))
    ws = reopen(ws)
    assert ws.provider(caritas.id).contact == "Miriam Öztürk"
    (person,) = ws.persons()
    assert (person.full_name, person.sort_name, person.provider_id) == ("Mehmet Yıldız", "Yıldız, Mehmet", caritas.id)
    assert person.notes == "Sprachen: Türkisch, Kurdisch"
    ws.delete_person(person.id)
    ws = reopen(ws)
    assert ws.persons() == []
    assert [p.id for p in ws.persons(include_deleted=True)] == [person.id]


def test_person_in_the_bin_and_back(workspace):
    provider = workspace.save_provider(e.Provider(None, "Gemeinde", e.ProviderKind.OWN)).ids[0]
    person_id = workspace.save_person(e.Person(None, "Sabine", "Keller", provider)).ids[0]
    workspace.delete_person(person_id)
    assert workspace.persons() == []
    assert [p.id for p in workspace.persons(include_deleted=True)] == [person_id]
    workspace.restore_person(person_id)
    assert [p.id for p in workspace.persons()] == [person_id]


def test_person_needs_an_existing_provider(workspace):
    with pytest.raises(NotFoundError):
        workspace.save_person(e.Person(None, "Sabine", "Keller", 42))
    assert workspace.persons(include_deleted=True) == []


@pytest.fixture
def person(workspace):
    provider = workspace.save_provider(e.Provider(None, "Gemeinde Lindenbach", e.ProviderKind.OWN)).ids[0]
    person_id = workspace.save_person(e.Person(None, "Julia", "Schäfer", provider)).ids[0]
    return workspace.person(person_id)


def share(person, vza, first, last=None, id_=None):
    return e.Employment(id_, person.id, person.provider_id, first, last, vza, note="Test")


def test_employment_round_trip_and_sum_above_one_rejected(workspace, reopen, person):
    workspace.save_employment(share(person, 500, date(2023, 1, 1), date(2024, 12, 31)))
    workspace.save_employment(share(person, 500, date(2024, 1, 1)))
    ws = reopen(workspace)
    first, second = ws.employments(person.id)
    assert (first.vza_milli, first.first_day, first.last_day) == (500, date(2023, 1, 1), date(2024, 12, 31))
    assert (second.vza_milli, second.last_day) == (500, None)
    before = audit_count(ws)
    with pytest.raises(ValidationError) as err:  # 0,5 + 0,5 + 0,25 on 01.06.2024
        ws.save_employment(share(person, 250, date(2024, 6, 1), date(2024, 6, 30)))
    assert err.value.field == "vza" and "01.06.2024" in str(err.value)
    with pytest.raises(ValidationError):  # raising an existing share the same way
        ws.save_employment(dataclasses.replace(second, vza_milli=750))
    ws = reopen(ws)
    assert ws.employments(person.id) == [first, second]
    assert audit_count(ws) == before
    # lowering one share makes room
    ws.save_employment(dataclasses.replace(second, vza_milli=250))
    ws.save_employment(share(person, 250, date(2024, 6, 1), date(2024, 6, 30)))
    assert len(reopen(ws).employments(person.id)) == 3


@pytest.mark.parametrize(("vza", "first", "last", "field"), [
    (200, date(2023, 1, 1), None, "vza"),
    (1001, date(2023, 1, 1), None, "vza"),
    (500, date(2023, 1, 1), date(2022, 12, 31), "last_day"),
])
def test_bad_employment_saves_nothing(workspace, person, vza, first, last, field):
    with pytest.raises(ValidationError) as err:
        workspace.save_employment(share(person, vza, first, last))
    assert err.value.field == field
    assert workspace.employments(person.id) == []


def test_interruption_qualification_requalification_round_trip(workspace, reopen, person):
    # an interruption must lie inside the person's employment (issue 3)
    workspace.save_employment(e.Employment(None, person.id, person.provider_id, date(2023, 1, 1), None, 500))
    workspace.add_interruption(e.Interruption(None, person.id, date(2023, 9, 1), date(2024, 2, 29), "Elternzeit"))
    workspace.add_qualification(e.Qualification(None, person.id, e.Category.C, "Verwaltungsfachangestellte",
                                                checked_by="P. Sommer", checked_on=date(2023, 1, 5)))
    workspace.add_requalification(e.Requalification(
        None, person.id, "Weiterbildung Integrationsmanagement", "EH Freiburg", date(2025, 9, 1),
        date(2027, 9, 1), hours_planned=240, hours_done=96))
    ws = reopen(workspace)
    summary = ws.person_summary(person.id)
    (pause,) = summary["interruptions"]
    assert (pause.period.days, pause.reason) == (182, "Elternzeit")
    assert ws.current_category(person.id) is e.Category.C
    (requal,) = summary["requalifications"]
    assert (requal.hours_done, requal.deadline, requal.completed_on) == (96, date(2027, 9, 1), None)
    with pytest.raises(ValidationError, match="geprüft"):
        ws.add_qualification(e.Qualification(None, person.id, e.Category.A, "B.A.", checked_on=date(2024, 1, 1)))
    with pytest.raises(ValidationError):
        ws.add_interruption(e.Interruption(None, person.id, date(2024, 3, 1), date(2024, 2, 1), "Krankheit"))
    assert len(reopen(ws).qualifications(person.id)) == 1


def test_every_use_case_is_audited_and_announced(workspace):
    seen = []
    workspace.subscribe(seen.append)
    change = workspace.save_provider(e.Provider(None, "DRK", e.ProviderKind.FREE))
    assert seen == [change]
    assert change.action == "Träger angelegt" and change.entity == "providers"
    (entry,) = workspace.audit_entries()
    assert (entry.action, entry.entity, entry.entity_id) == ("Träger angelegt", "providers", change.ids[0])
    assert entry.old is None and '"DRK"' in entry.new
