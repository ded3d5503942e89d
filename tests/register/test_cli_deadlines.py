"""``paktdesk --data FILE deadlines`` on a real demo file."""

from __future__ import annotations

import icalendar

from paktdesk.cli import EXIT_FAILED, EXIT_OK, main
from paktdesk.demo import create_demo


def test_deadlines_board_in_german(tmp_path, capsys):
    data = tmp_path / "demo.paktdesk"
    create_demo(data).close()
    ics_path = tmp_path / "Fristen.ics"
    code = main(["--data", str(data), "deadlines", "--stichtag", "01.06.2025", "--ics", str(ics_path)])
    out = capsys.readouterr().out
    assert code == EXIT_OK
    assert out.startswith("Fristen am 01.06.2025 – Gemeinde Lindenbach")
    assert "ÜBERFÄLLIG" not in out and "FÄLLIG IN ≤ 30 TAGEN (1)" in out  # the demo's past is done
    assert "01.07.2025  Ende Verlängerung    Lena Weiß" in out
    assert "Kennzahlen 2025 an das Land melden (in 244 Tagen)" in out
    assert "Kennzahlen 2024" not in out  # reported by the demo's clerk: only with --alle
    assert "Förderzeitraum 01.07.2017" not in out  # past events only with --alle
    events = icalendar.Calendar.from_ical(ics_path.read_bytes()).walk("VEVENT")
    confirmed = [ev for ev in events if str(ev["STATUS"]) == "CONFIRMED"]
    assert f"{len(confirmed)} offene Fristen als Kalender gespeichert" in out and len(confirmed) == 4
    assert all(str(ev["STATUS"]) == "CANCELLED" for ev in events if ev not in confirmed)  # those done

    code = main(["--data", str(data), "deadlines", "--stichtag", "01.06.2025", "--alle"])
    out = capsys.readouterr().out
    assert code == EXIT_OK and "VORBEI" in out and "Förderzeitraum 01.07.2017" in out
    assert "Kennzahlen 2024 an das Land melden" in out


def test_bad_date_is_a_german_error(tmp_path, capsys):
    data = tmp_path / "demo.paktdesk"
    create_demo(data).close()
    code = main(["--data", str(data), "deadlines", "--stichtag", "31.02.2025"])
    assert code == EXIT_FAILED
    assert "kein gültiges Datum" in capsys.readouterr().err


def test_dates_are_german_and_a_closed_pipe_ends_quietly(tmp_path, capsys):
    """``deadlines --alle | head``: the reader leaves early; PaktDesk ends without a traceback
    or an OS error message. "erledigt 07.12.2026", not ISO."""
    import os
    import re
    import subprocess
    import sys

    data = tmp_path / "demo.paktdesk"
    create_demo(data).close()
    assert main(["--data", str(data), "deadlines", "--stichtag", "01.06.2025", "--alle"]) == EXIT_OK
    out = capsys.readouterr().out
    done = re.findall(r"erledigt (\S+) von", out)
    assert done and all(re.fullmatch(r"\d{2}\.\d{2}\.\d{4}", day) for day in done)

    read_end, write_end = os.pipe()
    os.close(read_end)  # like head after its lines: nobody reads any more
    try:
        result = subprocess.run([sys.executable, "-m", "paktdesk", "--data", str(data), "deadlines", "--alle"],
                                stdout=write_end, stderr=subprocess.PIPE, timeout=120,
                                env={**os.environ, "PAKTDESK_HOME": str(tmp_path / "home")})
    finally:
        os.close(write_end)
    assert result.returncode == EXIT_FAILED
    assert result.stderr == b""  # no "BrokenPipeError", no "Exception ignored", no German OS error either


def test_without_stichtag_a_demo_is_shown_on_its_story_day_like_the_window(tmp_path, capsys):
    from datetime import date

    from paktdesk.core.periods import format_date
    from paktdesk.workspace import Workspace

    data = tmp_path / "demo.paktdesk"
    create_demo(data).close()
    assert main(["--data", str(data), "deadlines"]) == EXIT_OK
    out = capsys.readouterr().out
    assert out.startswith("Fristen am 01.06.2025 (Stichtag der Demo) – Gemeinde Lindenbach")
    assert "ÜBERFÄLLIG" not in out  # the window's board on the demo: 0 overdue

    own = tmp_path / "eigene.paktdesk"
    Workspace.open(own, create=True).close()
    assert main(["--data", str(own), "deadlines"]) == EXIT_OK
    assert capsys.readouterr().out.startswith(f"Fristen am {format_date(date.today())}\n")
