"""The command line: export in every format with a period, import of Gemeinde files."""

from __future__ import annotations

import json

import pytest
from exchange_builders import build, gemeinde_data, write_document

from paktdesk.cli import EXIT_FAILED, EXIT_OK, EXIT_USAGE, main


def test_export_commands(demo, tmp_path, capsys):
    path = demo.path
    demo.close()
    for fmt, name in (("json", "a.json"), ("xlsx", "a.xlsx"), ("csv", "a.zip")):
        assert main(["--data", str(path), "export", "--format", fmt, "--out", str(tmp_path / name)]) == EXIT_OK
        assert (tmp_path / name).exists()
    out = capsys.readouterr().out
    assert "Achtung: Die Datei enthält personenbezogene Daten" in out
    assert main(["--data", str(path), "export", "--format", "json", "--out", str(tmp_path / "p.json"),
                 "--from", "2024-01-01", "--to", "2024-12-31"]) == EXIT_OK
    document = json.loads((tmp_path / "p.json").read_text(encoding="utf-8"))
    assert document["period"] == {"first_day": "2024-01-01", "last_day": "2024-12-31"}
    assert main(["--data", str(path), "export", "--format", "json", "--out", str(tmp_path / "q.json"),
                 "--from", "2024-01-01"]) == EXIT_USAGE


def test_bad_date_is_a_usage_error(demo, tmp_path, capsys):
    path = demo.path
    demo.close()
    with pytest.raises(SystemExit) as caught:
        main(["--data", str(path), "export", "--format", "json", "--out", str(tmp_path / "q.json"),
              "--from", "31.13.2024", "--to", "2024-12-31"])
    assert caught.value.code == EXIT_USAGE
    assert "kein gültiges Datum" in capsys.readouterr().err


def test_import_gemeinde_command(kreis, tmp_path, capsys):
    path = kreis.path
    kreis.close()
    good = write_document(build(gemeinde_data()), tmp_path / "obersulm.json")
    assert main(["--data", str(path), "import-gemeinde", str(good), "--preview"]) == EXIT_OK
    assert "obersulm.json: neu" in capsys.readouterr().out
    assert main(["--data", str(path), "import-gemeinde", str(good)]) == EXIT_OK
    assert "1 Datei(en) übernommen" in capsys.readouterr().out
    assert main(["--data", str(path), "import", str(good)]) == EXIT_OK
    assert "bereits übernommen" in capsys.readouterr().out
    broken = tmp_path / "kaputt.json"
    broken.write_text("{", encoding="utf-8")
    assert main(["--data", str(path), "import-gemeinde", str(broken)]) == EXIT_FAILED
    out = capsys.readouterr().out
    assert "kaputt.json: abgelehnt" in out and "keine gültige JSON-Datei" in out


def test_gemeinde_file_cannot_import(demo, tmp_path, capsys):
    path = demo.path
    demo.close()
    good = write_document(build(gemeinde_data()), tmp_path / "obersulm.json")
    assert main(["--data", str(path), "import-gemeinde", str(good)]) == EXIT_FAILED
    assert "nur ein Datenbestand eines Landkreises" in capsys.readouterr().err


def test_export_suffix_follows_the_format(demo, tmp_path, capsys):
    import zipfile

    path = demo.path
    demo.close()
    assert main(["--data", str(path), "export", "--format", "csv", "--out", str(tmp_path / "exp.csv")]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "„exp.csv“ passt nicht zu --format csv" in err and "--out exp.zip" in err
    assert list(tmp_path.glob("exp*")) == []  # nothing written under the wrong name
    assert main(["--data", str(path), "export", "--format", "xlsx", "--out", str(tmp_path / "exp.json")]) == EXIT_USAGE
    assert "Excel-Arbeitsmappe" in capsys.readouterr().err
    assert main(["--data", str(path), "export", "--format", "csv", "--out", str(tmp_path / "exp")]) == EXIT_OK
    assert zipfile.is_zipfile(tmp_path / "exp.zip") and not (tmp_path / "exp").exists()
    assert main(["--data", str(path), "export", "--format", "json", "--out", str(tmp_path / "Austausch.JSON")]) == EXIT_OK
    assert json.loads((tmp_path / "Austausch.JSON").read_text(encoding="utf-8"))["format"]


def test_a_landkreis_datenbestand_from_the_command_line_takes_over_and_counts_its_gemeinden(tmp_path, capsys):
    import contextlib
    import sqlite3

    path = tmp_path / "Kreis.paktdesk"
    assert main(["--data", str(path), "create", "--art", "landkreis", "--name", "Landkreis Heilbronn",
                 "--ags", "08125000"]) == EXIT_OK
    assert "Inhaber: Landkreis Heilbronn (Landkreis, AGS 08125000)" in capsys.readouterr().out
    assert main(["--data", str(path), "create", "--name", "Noch einer", "--ags", "08125000"]) == EXIT_FAILED
    assert "gibt es schon" in capsys.readouterr().err
    good = write_document(build(gemeinde_data()), tmp_path / "obersulm.json")
    assert main(["--data", str(path), "import-gemeinde", str(good)]) == EXIT_OK
    capsys.readouterr()

    assert main(["--data", str(path), "check"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "Datensätze: 0 Personen, 0 Bescheide, 0 Belege (0,00 €), 0 Zahlungen (0,00 €)" in out
    assert "Übernommene Gemeinde-Dateien: 1\n" in out
    assert "  Gemeinde Obersulm-Süd (AGS 08125081, gesamter Datenbestand): 1 Personen, 1 Bescheide, " in out
    together = out.split("Datensätze mit den Gemeinden zusammen: ")[1].splitlines()[0]
    member = out.split("gesamter Datenbestand): ")[1].splitlines()[0]
    assert together == member and "0 Belege" not in member  # the Kreis itself has none of its own

    with contextlib.closing(sqlite3.connect(path)) as conn, conn:  # an edit behind PaktDesk's back
        conn.execute("UPDATE consolidated_imports SET document = replace(document, 'Kasse', 'Kassa')")
    assert main(["--data", str(path), "check"]) == EXIT_FAILED
    assert "wurde außerhalb von PaktDesk verändert" in capsys.readouterr().out


def test_create_refuses_a_bad_profile_before_any_file_exists(tmp_path, capsys):
    path = tmp_path / "Neu.paktdesk"
    assert main(["--data", str(path), "create", "--art", "landkreis", "--name", "Landkreis", "--ags", "123"]) \
        == EXIT_FAILED
    assert "genau 8 Ziffern" in capsys.readouterr().err
    assert list(tmp_path.glob("Neu*")) == []
    with pytest.raises(SystemExit) as usage:
        main(["--data", str(path), "create", "--art", "bundesland", "--name", "X", "--ags", "08125000"])
    assert usage.value.code == EXIT_USAGE and "ungültige Auswahl" in capsys.readouterr().err
