"""What a newcomer types on the command line: the Bescheid by its Aktenzeichen in every command,
and a --help that lists files apart from commands."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from paktdesk.cli import EXIT_FAILED, EXIT_OK, main
from paktdesk.demo import create_demo

OLD, NEW = "15.2-8712.17/0815", "15.2-8712.23/1274"  # the demo's two Bescheide, Nr. 1 and Nr. 2
LISTED = f"„{OLD}“ (Nr. 1), „{NEW}“ (Nr. 2)"


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "Lindenbach.paktdesk"
    create_demo(path).close()
    return path


@pytest.fixture
def demo(demo_template, tmp_path) -> Path:
    return Path(shutil.copyfile(demo_template, tmp_path / "Lindenbach.paktdesk"))


@pytest.mark.parametrize("named", [NEW, "15.2-8712.23", "15.2-8712.23/12", "2"])
def test_balance_takes_the_aktenzeichen_a_unique_beginning_or_the_number(demo, named, capsys):
    assert main(["--data", str(demo), "balance", "--decision", named]) == EXIT_OK
    out = capsys.readouterr().out
    assert f"Bescheid {NEW} (Nr. 2)" in out and OLD not in out


@pytest.mark.parametrize(("named", "words"), [
    ("15.2-8712", f"„15.2-8712“ passt zu mehreren Bescheiden: {LISTED}. Bitte mehr vom Aktenzeichen angeben."),
    ("15.2-9999", f"Es gibt keinen Bescheid mit dem Aktenzeichen „15.2-9999“. Vorhandene Bescheide: {LISTED}."),
    ("7", "Es gibt keinen Bescheid mit dem Aktenzeichen „7“. Vorhandene Bescheide:"),
])
def test_a_decision_that_does_not_fit_lists_the_decisions_in_german(demo, named, words, capsys):
    assert main(["--data", str(demo), "balance", "--decision", named]) == EXIT_FAILED
    captured = capsys.readouterr()
    assert captured.err.startswith("Fehler: ") and words in captured.err
    assert "invalid" not in captured.err and captured.out == ""


def _receipts(tmp_path: Path) -> Path:
    csv = tmp_path / "Belege.csv"
    csv.write_text("Belegdatum;Betrag;Empfänger;Zweck\n03.05.2024;49,90;Bürobedarf Müller;Toner\n",
                   encoding="utf-8")
    return csv


def test_import_receipts_takes_the_aktenzeichen_and_says_which_decision(demo, tmp_path, capsys):
    before = demo.read_bytes()
    args = ["--data", str(demo), "import-receipts", str(_receipts(tmp_path)), "--kostenart", "S_BUERO", "--preview"]
    assert main([*args, "--decision", "15.2-8712.23"]) == EXIT_OK
    out = capsys.readouterr().out
    assert f"Bescheid: {NEW} (Nr. 2)" in out and "Vorschau: nichts gespeichert." in out
    assert main([*args, "--decision", "15.2-8712.17/0816"]) == EXIT_FAILED
    assert f"Vorhandene Bescheide: {LISTED}" in capsys.readouterr().err
    assert demo.read_bytes() == before


def test_print_takes_a_unique_beginning_of_the_aktenzeichen(demo, tmp_path, capsys):
    out = tmp_path / "vn.pdf"
    assert main(["--data", str(demo), "print", "proof", "--decision", "15.2-8712.17", "--entwurf",
                 "--out", str(out)]) == EXIT_OK
    assert out.read_bytes().startswith(b"%PDF")
    assert main(["--data", str(demo), "print", "proof", "--decision", "15.2", "--out", str(tmp_path / "x.pdf")]) \
        == EXIT_FAILED
    assert "passt zu mehreren Bescheiden" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


def test_help_lists_a_commands_file_under_angaben_not_befehle(capsys):
    for command, file in (("restore", "SICHERUNG"), ("import-receipts", "DATEI"), ("import-gemeinde", "DATEI")):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        text = capsys.readouterr().out
        assert "Befehle:" not in text, command
        assert f"Angaben:\n  {file}" in text, command
    with pytest.raises(SystemExit):
        main(["--help"])
    text = capsys.readouterr().out
    assert "Befehle:\n  BEFEHL\n    gui" in text and "Angaben:" not in text
    assert "Standard: im Benutzer-Datenordner" not in text  # only the window has a default
    assert "jeder andere Befehl braucht --data" in " ".join(text.split())


def test_the_readme_names_every_receipt_column_the_import_recognises():
    from paktdesk.exchange.receipt_import import FIELDS

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip(" `"): line for line in readme.splitlines() if line.startswith("| `")}
    for field in FIELDS:
        assert field.key in rows, field.key
        names = [n.strip().casefold() for n in rows[field.key].split("|")[2].split(",")]
        assert names == list(field.aliases), field.key
        assert ("required" in rows[field.key]) == field.required, field.key
