"""Register use cases on real data files: bad input leaves the data as it was; ending, the
Papierkorb and attachments."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from paktdesk.core import entities as e
from paktdesk.core.errors import NotFoundError, ValidationError
from paktdesk.core.requalification import RequalStatus
from paktdesk.workspace import Workspace

from .helpers import add_person, person_by_name, snapshot

D = date


def _refused(ws, action, *fragments):
    """``action`` raises a German ValidationError and changes nothing in the file."""
    before = snapshot(ws)
    with pytest.raises(ValidationError) as err:
        action()
    assert snapshot(ws) == before
    for fragment in fragments:
        assert fragment in str(err.value)
    return err.value


def test_bad_employment_input_saves_nothing(ws, provider_id):
    person = add_person(ws, provider_id, share=(D(2023, 1, 1), None, 500))
    _refused(ws, lambda: ws.save_employment(e.Employment(None, person, provider_id, D(2024, 3, 1), None, 600)),
             "Am 01.03.2024", "1,10 VZÄ")
    _refused(ws, lambda: ws.save_employment(e.Employment(None, person, provider_id, D(2024, 3, 1), None, 200)),
             "mindestens 0,25")
    _refused(ws, lambda: ws.save_employment(
        e.Employment(None, person, provider_id, D(2024, 3, 1), D(2024, 1, 1), 250)), "vor dem Beginn")
    # the same share at 0,5 next to the existing 0,5 is fine
    ws.save_employment(e.Employment(None, person, provider_id, D(2024, 3, 1), None, 500))
    assert len(ws.employments(person)) == 2


def test_min_vza_comes_from_the_rule_set(ws, provider_id):
    rules = next(r for r in ws.rule_sets() if r.code == "VwV2023")
    ws.change_rule_set(dataclasses.replace(rules, min_vza_milli=500), today=D(2025, 1, 1))
    person = add_person(ws, provider_id, share=None)
    _refused(ws, lambda: ws.save_employment(e.Employment(None, person, provider_id, D(2023, 1, 1), None, 250)),
             "mindestens 0,50")
    # the 2017 rules still allow 0,25 for a share starting then
    change = ws.save_employment(e.Employment(None, person, provider_id, D(2018, 1, 1), D(2018, 12, 31), 250))
    (stored,) = ws.employments(person)
    assert change.ids == (stored.id,)
    assert (stored.first_day, stored.last_day, stored.vza_milli) == (D(2018, 1, 1), D(2018, 12, 31), 250)
    again = Workspace.open(ws.path, read_only=True)  # on disk, not only in this connection
    try:
        assert again.employments(person) == [stored]
    finally:
        again.close()


def test_interruption_outside_employment_saves_nothing(ws, provider_id):
    person = add_person(ws, provider_id, share=(D(2023, 1, 1), D(2024, 12, 31), 500))
    _refused(ws, lambda: ws.add_interruption(e.Interruption(None, person, D(2024, 10, 1), D(2025, 3, 31),
                                                            "Elternzeit")),
             "außerhalb der Beschäftigung", "01.01.2025")
    _refused(ws, lambda: ws.add_interruption(e.Interruption(None, person, D(2024, 3, 1), D(2024, 2, 1),
                                                            "Elternzeit")), "vor dem Beginn")
    _refused(ws, lambda: ws.add_interruption(e.Interruption(None, person, D(2024, 3, 1), D(2024, 4, 1), " ")),
             "Grund")
    ws.add_interruption(e.Interruption(None, person, D(2024, 3, 1), D(2024, 4, 30), "Krankheit"))
    _refused(ws, lambda: ws.add_interruption(e.Interruption(None, person, D(2024, 4, 1), D(2024, 5, 31),
                                                            "Elternzeit")), "überschneidet")
    # shortening the share would leave the interruption outside: refused too
    share = ws.employments(person)[0]
    _refused(ws, lambda: ws.save_employment(dataclasses.replace(share, last_day=D(2024, 3, 31))),
             "außerhalb der Beschäftigung")
    _refused(ws, lambda: ws.delete_employment(share.id), "außerhalb der Beschäftigung")


def test_requalification_bad_input_saves_nothing(ws, provider_id):
    person = add_person(ws, provider_id, category="c")
    start = D(2025, 9, 1)
    good = e.Requalification(None, person, "Weiterbildung", "EH Freiburg", start,
                             ws.default_requalification_deadline(start), 240, 0)
    assert good.deadline == D(2027, 9, 1)
    _refused(ws, lambda: ws.add_requalification(dataclasses.replace(good, deadline=D(2025, 8, 1),
                                                                   deadline_reason="x")),
             "vor dem Beginn")
    _refused(ws, lambda: ws.add_requalification(dataclasses.replace(good, deadline=D(2027, 12, 1))),
             "Grund", "01.09.2027")
    _refused(ws, lambda: ws.add_requalification(dataclasses.replace(good, course="")), "Kurs")
    _refused(ws, lambda: ws.add_requalification(dataclasses.replace(good, hours_done=-1)), "negativ")
    ws.add_requalification(dataclasses.replace(good, deadline=D(2027, 12, 1), deadline_reason="Elternzeit"))
    status = ws.requalification_status(person, D(2027, 11, 1))
    assert status.status == RequalStatus.RUNNING and status.deadline == D(2027, 12, 1)


def test_progress_and_completion_keep_the_history(ws, provider_id):
    person = add_person(ws, provider_id, category="c")
    start = D(2024, 1, 15)
    ws.add_requalification(e.Requalification(None, person, "Weiterbildung", "EH Freiburg", start,
                                             ws.default_requalification_deadline(start), 240, 0))
    ws.update_requalification(person, hours_done=120, today=D(2025, 1, 1))
    _refused(ws, lambda: ws.complete_requalification(person, completed_on=D(2026, 1, 1), hours_done=240,
                                                     today=D(2025, 6, 1)), "Zukunft")
    attachment = ws.add_attachment("Zertifikat Müller.pdf", b"%PDF-1.4 scan").ids[0]
    ws.complete_requalification(person, completed_on=D(2025, 6, 1), hours_done=240,
                                certificate_attachment_id=attachment, today=D(2025, 6, 1))
    history = ws.requalifications(person)
    assert [(r.hours_done, r.completed_on) for r in history] == [(0, None), (120, None), (240, D(2025, 6, 1))]
    result = ws.requalification_status(person, D(2025, 7, 1))
    assert result.status == RequalStatus.COMPLETED and result.notes == ()
    assert ws.attachment_content(result.record.certificate_attachment_id) == b"%PDF-1.4 scan"
    assert ws.attachment(attachment).mime == "application/pdf"


def test_attachments_in_the_file(ws, provider_id, tmp_path):
    person = add_person(ws, provider_id, category="a")
    scan = tmp_path / "Urkunde.png"
    scan.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10)
    attachment_id = ws.add_attachment_file(scan).ids[0]
    qualification = ws.qualifications(person)[-1]
    ws.set_qualification_evidence(qualification.id, attachment_id)
    path = ws.path
    ws.close()
    scan.unlink()  # the scan lives in the data file, not beside it
    reopened = Workspace.open(path)
    try:
        stored = reopened.qualifications(person)[-1]
        assert reopened.attachment_content(stored.evidence_attachment_id).startswith(b"\x89PNG")
        assert reopened.attachment(stored.evidence_attachment_id).filename == "Urkunde.png"
        assert reopened.check() == []
    finally:
        reopened.close()
    ws.store = Workspace.open(path).store  # the fixture closes it again


def test_attachment_bad_input(ws):
    _refused(ws, lambda: ws.add_attachment("leer.pdf", b""), "leer")
    _refused(ws, lambda: ws.add_attachment("   ", b"x"), "Dateinamen")
    with pytest.raises(ValidationError):
        ws.add_attachment_file(ws.path.parent / "gibt-es-nicht.pdf")
    with pytest.raises(NotFoundError):
        ws.set_qualification_evidence(1, 999)


def test_end_person_closes_open_shares(ws, provider_id):
    person = add_person(ws, provider_id, share=(D(2023, 1, 1), None, 500))
    ws.save_employment(e.Employment(None, person, provider_id, D(2024, 1, 1), D(2026, 12, 31), 250))
    ws.save_employment(e.Employment(None, person, provider_id, D(2020, 1, 1), D(2020, 12, 31), 250))
    _refused(ws, lambda: ws.end_person(person, D(2019, 12, 31)), "vor dem ersten Arbeitstag")
    _refused(ws, lambda: ws.end_person(person, D(2023, 12, 31)), "beginnt nach dem Ausscheiden")
    ws.add_interruption(e.Interruption(None, person, D(2025, 2, 1), D(2025, 8, 31), "Elternzeit"))
    _refused(ws, lambda: ws.end_person(person, D(2025, 3, 31)), "Unterbrechung")
    ws.end_person(person, D(2025, 9, 30))
    assert ws.person(person).ended_on == D(2025, 9, 30)
    assert [s.last_day for s in ws.employments(person)] == [D(2020, 12, 31), D(2025, 9, 30), D(2025, 9, 30)]
    # a new share after leaving is refused
    _refused(ws, lambda: ws.save_employment(e.Employment(None, person, provider_id, D(2025, 10, 1), None, 500)),
             "ausgeschieden")
    entries = [a for a in ws.audit_entries() if a.action == "Person ausgeschieden"]
    assert {a.entity for a in entries} == {"persons", "employments"} and len(entries) == 3


def test_papierkorb_person_and_provider(ws, provider_id):
    other = ws.save_provider(e.Provider(None, "Caritas", e.ProviderKind.FREE)).ids[0]
    person = add_person(ws, other, last="Neumann", category="c")
    _refused(ws, lambda: ws.delete_provider(other), "noch Integrationsmanager:innen")
    _refused(ws, lambda: ws.purge_person(person), "nur aus dem Papierkorb")
    ws.delete_person(person)
    assert person not in [p.id for p in ws.persons()]
    ws.delete_provider(other)
    persons, providers = ws.trash()
    assert [p.id for p in persons] == [person] and [t.id for t in providers] == [other]
    # a provider still referenced by a person in the Papierkorb cannot be purged
    _refused(ws, lambda: ws.purge_provider(other), "verweisen noch")
    ws.restore_provider(other)
    ws.restore_person(person)
    assert ws.trash() == ([], [])
    assert person in [p.id for p in ws.persons()]


def test_purge_person_without_money(ws, provider_id):
    person = add_person(ws, provider_id, last="Irrtum", category="c")
    scan = ws.add_attachment("scan.pdf", b"%PDF scan").ids[0]
    ws.set_qualification_evidence(ws.qualifications(person)[0].id, scan)
    ws.add_interruption(e.Interruption(None, person, D(2023, 5, 1), D(2023, 5, 31), "Krankheit"))
    ws.delete_person(person)
    ws.purge_person(person)
    with pytest.raises(NotFoundError):
        ws.person(person)
    counts = ws.store.conn.execute(
        "SELECT (SELECT count(*) FROM employments), (SELECT count(*) FROM interruptions), "
        "(SELECT count(*) FROM qualifications), (SELECT count(*) FROM attachments)").fetchone()
    assert tuple(counts) == (0, 0, 0, 0)
    assert any(a.entity == "persons" and a.new is None for a in ws.audit_entries(entity="persons"))
    assert ws.check() == []


def test_money_booked_blocks_deletion(demo):
    sabine = person_by_name(demo, "Keller")
    err = _refused(demo, lambda: demo.delete_person(sabine.id), "gebucht")
    assert "ausgeschieden" in str(err)
    caritas = next(t for t in demo.providers() if t.name.startswith("Caritas"))
    _refused(demo, lambda: demo.delete_provider(caritas.id), "noch Integrationsmanager:innen")


def test_purge_refused_when_money_booked(demo):
    """Soft-deleted by an older version despite bookings: the hard delete still refuses."""
    mehmet = person_by_name(demo, "Yıldız")
    with demo.store.transaction():
        demo.store.conn.execute("UPDATE persons SET deleted_at = '2025-01-01T00:00:00+00:00' WHERE id = ?",
                                [mehmet.id])
    _refused(demo, lambda: demo.purge_person(mehmet.id), "gebucht")
    demo.restore_person(mehmet.id)
    drk = next(t for t in demo.providers() if t.name.startswith("DRK"))
    with demo.store.transaction():
        demo.store.conn.execute("UPDATE providers SET deleted_at = '2025-01-01T00:00:00+00:00' WHERE id = ?",
                                [drk.id])
    _refused(demo, lambda: demo.purge_provider(drk.id), "weitergeleitet")


def test_register_person_is_one_action(ws, provider_id):
    before = snapshot(ws)
    person = e.Person(None, "Aylin", "Demir", provider_id)
    bad_share = e.Employment(None, 0, provider_id, D(2025, 1, 1), None, 100)
    with pytest.raises(ValidationError):
        ws.register_person(person, first_share=bad_share,
                           qualification=e.Qualification(None, 0, e.Category.B, "M.A."))
    with pytest.raises(ValidationError):
        ws.register_person(dataclasses.replace(person, last_name=" "))
    assert snapshot(ws) == before
    change = ws.register_person(person, first_share=dataclasses.replace(bad_share, vza_milli=750),
                                qualification=e.Qualification(None, 0, e.Category.B, "M.A."))
    new_id = change.ids[0]
    assert [s.vza_milli for s in ws.employments(new_id)] == [750]
    assert ws.current_category(new_id) == e.Category.B
    assert {a.action for a in ws.audit_entries()[:3]} == {"Person angelegt"}


def test_qualification_overview(demo):
    rows = {r.name: r for r in demo.qualification_overview(D(2026, 1, 1))}
    assert set(rows) == {p.sort_name for p in demo.persons()}
    mehmet = rows["Yıldız, Mehmet"]
    assert (mehmet.category, mehmet.status, mehmet.deadline, mehmet.vza_milli) == (
        "c", RequalStatus.RUNNING, D(2027, 9, 1), 500)
    assert rows["Keller, Sabine"].status == RequalStatus.QUALIFIED and rows["Keller, Sabine"].deadline is None


def test_qualification_and_requalification_with_scan_in_one_action(ws, provider_id, tmp_path):
    person = add_person(ws, provider_id, category=None)
    scan = tmp_path / "Zeugnis.pdf"
    scan.write_bytes(b"%PDF-1.4 Zeugnis")
    before = snapshot(ws)
    with pytest.raises(ValidationError):  # checked by without a date: nothing stored, not even the scan
        ws.save_qualification(e.Qualification(None, person, e.Category.C, "Ausbildung", checked_by="P. Sommer"),
                              evidence_file=scan)
    with pytest.raises(ValidationError):
        ws.save_qualification(e.Qualification(None, person, e.Category.C, "Ausbildung"),
                              evidence_file=tmp_path / "fehlt.pdf")
    assert snapshot(ws) == before
    ws.save_qualification(e.Qualification(None, person, e.Category.C, " Ausbildung ", checked_by="P. Sommer",
                                          checked_on=D(2025, 1, 10)), evidence_file=scan)
    stored = ws.qualifications(person)[-1]
    assert stored.degree == "Ausbildung"
    assert ws.attachment_content(stored.evidence_attachment_id) == b"%PDF-1.4 Zeugnis"

    start = D(2025, 2, 1)
    item = e.Requalification(None, person, "Modul IM", "EH Freiburg", start,
                             ws.default_requalification_deadline(start), 240, 0)
    ws.save_requalification(item, today=D(2025, 3, 1))
    before = snapshot(ws)
    with pytest.raises(ValidationError):
        ws.save_requalification(dataclasses.replace(item, completed_on=D(2025, 6, 1), hours_done=240),
                                certificate_file=scan, today=D(2025, 3, 1))
    assert snapshot(ws) == before
    ws.save_requalification(dataclasses.replace(item, completed_on=D(2025, 3, 1), hours_done=240),
                            certificate_file=scan, today=D(2025, 3, 1))
    assert ws.requalification_status(person, D(2025, 3, 2)).status == RequalStatus.COMPLETED
    assert len(ws.requalifications(person)) == 2
