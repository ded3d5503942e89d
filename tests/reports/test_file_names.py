"""Default file names of saved forms are German and valid on Windows."""

from __future__ import annotations

import re

import pytest

from paktdesk.reports.file_names import pdf_name, safe_stem

WINDOWS_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


@pytest.mark.parametrize(("parts", "expected"), [
    (("Verwendungsnachweis", "15.2-8712.23/1274"), "Verwendungsnachweis 15.2-8712.23-1274.pdf"),
    (("Zwischennachweis", "AZ 4:5", "01.01.2024-30.06.2024"), "Zwischennachweis AZ 4-5 01.01.2024-30.06.2024.pdf"),
    (("Förderübersicht", "2024"), "Förderübersicht 2024.pdf"),
    (("Mittelabruf", 'a<b>c|d?e*f"g\\h'), "Mittelabruf a-b-c-d-e-f-g-h.pdf"),
    (("CON",), "_CON.pdf"),
    (("lpt1.txt",), "_lpt1.txt.pdf"),
    (("  ...  ",), "Dokument.pdf"),
    (("Bericht. ",), "Bericht.pdf"),
])
def test_names_are_safe_and_readable(parts, expected):
    assert pdf_name(*parts) == expected


def test_control_characters_and_length_are_handled():
    stem = safe_stem("Sachbericht\tmit\nZeilen" + "x" * 400)
    assert not WINDOWS_FORBIDDEN.search(stem)
    assert stem.startswith("Sachbericht-mit-Zeilen")
    assert len(stem) <= 150
