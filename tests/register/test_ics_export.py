"""The calendar export, read back with a real iCalendar library."""

from __future__ import annotations

from datetime import UTC, date, datetime

import icalendar
import pytest

from paktdesk.core import entities as e
from paktdesk.core.deadlines import Deadline, DeadlineKind
from paktdesk.exchange import ics

from .helpers import person_by_name

TODAY = date(2025, 6, 1)


def _events(path):
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return {str(ev["UID"]): ev for ev in calendar.walk("VEVENT")}


def test_demo_export_parses_with_icalendar(demo, tmp_path):
    path = tmp_path / "Fristen.ics"
    count = demo.export_ics(path, today=TODAY)
    events = {uid: ev for uid, ev in _events(path).items() if str(ev["STATUS"]) == "CONFIRMED"}
    open_items = demo.open_deadlines(TODAY)
    assert count == len(open_items) == len(events) > 0
    uids = {ics.uid_for(i.key, "08125097.paktdesk"): i for i in open_items}
    assert set(events) == set(uids)
    for uid, event in events.items():
        item = uids[uid]
        assert event.decoded("DTSTART") == item.due
        assert event.decoded("DTEND") == date.fromordinal(item.due.toordinal() + 1)
        assert str(event["SUMMARY"]) == f"{item.kind.label}: {item.deadline.concerns}"
        alarms = event.walk("VALARM")
        ahead = (item.due - TODAY).days
        if ahead <= 0:  # overdue or due today: a reminder would lie in the past
            assert alarms == []
            continue
        assert len(alarms) == 1 and str(alarms[0]["ACTION"]) == "DISPLAY"
        assert alarms[0].decoded("TRIGGER").days == -min(14, ahead)
        assert item.due + alarms[0].decoded("TRIGGER") > TODAY
    lena = next(ev for ev in events.values() if "Lena Weiß" in str(ev["SUMMARY"]))
    assert "Elternzeit" in str(lena["SUMMARY"])


def test_file_format_crlf_and_folding(demo, tmp_path):
    path = tmp_path / "Fristen.ics"
    demo.export_ics(path, today=TODAY)
    raw = path.read_bytes()
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    lines = raw.split(b"\r\n")[:-1]
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # long lines were folded
    for line in lines:
        line.decode("utf-8")  # no UTF-8 character was split by folding


def test_uids_stable_and_reimport_updates(demo, tmp_path):
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    demo.export_ics(first, today=TODAY)
    mehmet = person_by_name(demo, "Yıldız")
    demo.shift_deadlines(note="Verlängerung wegen Kursausfall", months=2, person_ids=[mehmet.id], today=TODAY)
    demo.export_ics(second, today=TODAY)
    old, new = _events(first), _events(second)
    assert set(old) == set(new)  # same deadlines, same UIDs: a re-import updates
    moved = [uid for uid in old if old[uid].decoded("DTSTART") != new[uid].decoded("DTSTART")]
    assert len(moved) == 1 and "nachqualifizierung" in moved[0]
    assert new[moved[0]].decoded("DTSTART") == date(2027, 11, 1)
    assert int(new[moved[0]]["SEQUENCE"]) >= int(old[moved[0]]["SEQUENCE"])


def test_a_deadline_marked_done_is_exported_as_cancelled(demo, tmp_path):
    """A calendar that imported the earlier file drops the event: same UID, higher SEQUENCE,
    STATUS:CANCELLED, no reminder."""
    before, after = tmp_path / "vorher.ics", tmp_path / "nachher.ics"
    key = next(i.key for i in demo.open_deadlines(TODAY) if i.deadline.done_on is None)
    demo.export_ics(before, now=datetime(2025, 6, 1, 8, 0, tzinfo=UTC), today=TODAY)
    demo.mark_deadline_done(key, today=TODAY)
    demo.export_ics(after, now=datetime(2025, 6, 1, 9, 0, tzinfo=UTC), today=TODAY)
    uid = ics.uid_for(key, "08125097.paktdesk")
    old, new = _events(before)[uid], _events(after)[uid]
    assert str(old["STATUS"]) == "CONFIRMED" and str(new["STATUS"]) == "CANCELLED"
    assert int(new["SEQUENCE"]) > int(old["SEQUENCE"])
    assert new.walk("VALARM") == [] and new.decoded("DTSTART") == old.decoded("DTSTART")
    assert key not in {i.key for i in demo.open_deadlines(TODAY)}


@pytest.mark.parametrize("text", [
    "Kurs; Teil 1, Modul A",
    "Pfad C:\\Scans\\Zertifikat",
    "zwei\nZeilen\r\nund mehr",
    "Ümlaute ß und ein sehr langer Text " * 6,
    "Yıldız – ğüşiöç – 中文 – 😀" * 5,
])
def test_escaping_round_trip(text):
    deadline = Deadline("nachqualifizierung:1:2025-09-01", date(2027, 9, 1), DeadlineKind.REQUALIFICATION,
                        text, detail=text)
    data = ics.render([deadline], now=datetime(2025, 6, 1, 8, 0, tzinfo=UTC), uid_domain="08111000.paktdesk")
    for line in data.split(b"\r\n"):
        assert len(line) <= 75
    event = icalendar.Calendar.from_ical(data).walk("VEVENT")[0]
    expected = text.replace("\r\n", "\n").replace("\r", "\n")
    assert str(event["SUMMARY"]) == f"Nachqualifizierung: {expected}"
    assert str(event["DESCRIPTION"]).startswith(f"{expected}\n{expected}\nFällig am 01.09.2027")
    assert str(event["UID"]) == "nachqualifizierung-1-2025-09-01@08111000.paktdesk"


def test_fold_boundaries():
    assert ics.fold("A" * 75) == "A" * 75
    folded = ics.fold("A" * 76)
    assert folded == "A" * 75 + "\r\n A"
    # a two-byte character is not split: 74 ASCII + "ä" (2 octets) = 76 octets
    assert ics.fold("A" * 74 + "ä") == "A" * 74 + "\r\n ä"
    # an escape pair stays together
    assert ics.fold("A" * 74 + "\\n") == "A" * 74 + "\r\n \\n"


def test_write_replaces_atomically(tmp_path):
    folder = tmp_path / "ausgabe"
    folder.mkdir()
    target = folder / "kalender.ics"
    target.write_bytes(b"alt")
    ics.write(target, b"neu")
    assert target.read_bytes() == b"neu"
    assert [p.name for p in folder.iterdir()] == ["kalender.ics"]


def test_write_to_missing_folder_is_a_german_error(tmp_path):
    from paktdesk.core.errors import PaktDeskError

    with pytest.raises(PaktDeskError) as err:
        ics.write(tmp_path / "fehlt" / "k.ics", b"x")
    assert "kann in" in str(err.value)


def test_empty_file_without_profile(ws, tmp_path):
    person = ws.persons()
    assert person == []
    ws.save_person(e.Person(None, "Erika", "Muster", ws.providers()[0].id))
    path = tmp_path / "leer.ics"
    assert ws.export_ics(path, today=TODAY) == 0
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    assert calendar.walk("VEVENT") == []


def test_qualification_csv_for_german_excel(demo, tmp_path):
    import csv

    from paktdesk.exchange.qualification_csv import safe_text

    path = tmp_path / "Qualifikation.csv"
    assert demo.export_qualification_csv(path, today=TODAY) == 5
    raw = path.read_bytes()
    assert raw.startswith("\ufeff".encode()) and b"\r\n" in raw
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
    assert rows[0] == ["Name", "Träger", "VZÄ", "Kategorie", "Status", "Frist", "Ausgeschieden", "Hinweise"]
    mehmet = next(r for r in rows if r[0] == "Yıldız, Mehmet")
    assert mehmet[2:6] == ["0,50", "c", "Nachqualifizierung läuft", "01.09.2027"]
    assert safe_text("=HYPERLINK()") == "'=HYPERLINK()" and safe_text("Weiß") == "Weiß"
