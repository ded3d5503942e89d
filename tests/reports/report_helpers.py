"""Helpers for the printed-form tests: read a PDF's text back, find rows, amounts and labels.

Text comes from poppler's ``pdftotext -layout`` when it is installed (fast), otherwise from
pypdf's layout extraction; both keep one table row per line, ending in its amount."""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from paktdesk.core.money import parse_cents

PRINTED_ON = date(2025, 3, 12)
DECISION_2023 = "15.2-8712.23/1274"
DECISION_2017 = "15.2-8712.17/0815"
AMOUNT = r"-?\d{1,3}(?:\.\d{3})*,\d\d €"
_ROW = re.compile(rf"^\s*(\d+)\s+\d\d\.\d\d\.\d{{4}}\s.*?({AMOUNT})\s*$")


def _pages(path: Path, *, layout: bool) -> list[str]:
    if shutil.which("pdftotext"):
        mode = "-layout" if layout else "-raw"
        out = subprocess.run(["pdftotext", mode, "-enc", "UTF-8", str(path), "-"], check=True,
                             capture_output=True, text=True, encoding="utf-8").stdout
        pages = out.split("\f")
        return pages[:-1] if pages and not pages[-1].strip() else pages
    from pypdf import PdfReader

    return [p.extract_text(extraction_mode="layout" if layout else "plain") for p in PdfReader(str(path)).pages]


@dataclass
class PdfText:
    """A PDF's text per page: ``pages`` in layout (one table row per line), ``raw_pages`` in
    drawing order (a wrapped cell's lines follow each other)."""

    path: Path
    pages: list[str]

    @classmethod
    def read(cls, path: Path) -> PdfText:
        return cls(Path(path), _pages(path, layout=True))

    @functools.cached_property
    def raw_pages(self) -> list[str]:
        return _pages(self.path, layout=False)

    @property
    def text(self) -> str:
        return "\n".join(self.pages)

    def flat(self) -> str:
        """The text in drawing order with all whitespace removed (to find wrapped strings)."""
        return re.sub(r"\s+", "", "".join(self.raw_pages))

    def flat_page(self, index: int) -> str:
        return re.sub(r"\s+", "", self.raw_pages[index])

    def find_pages(self, needle: str) -> list[int]:
        return [i for i, text in enumerate(self.pages) if needle in text]

    @staticmethod
    def row_amounts(page: str) -> list[int]:
        """Amounts of the numbered receipt rows of a Belegliste page."""
        return [parse_cents(m.group(2)) for line in page.splitlines() if (m := _ROW.match(line))]

    @staticmethod
    def row_numbers(page: str) -> list[int]:
        return [int(m.group(1)) for line in page.splitlines() if (m := _ROW.match(line))]

    @staticmethod
    def labelled(page: str, label: str) -> int | None:
        """The amount printed on the line that holds ``label`` (e.g. an Übertrag)."""
        for line in page.splitlines():
            if label in line:
                found = re.findall(AMOUNT, line)
                if found:
                    return parse_cents(found[-1])
        return None


def numeric_sheets(pdf: PdfText) -> dict[str, str]:
    """Numeric-proof sheets by their title (the decision's, then each person's); a sheet that runs
    onto a second page keeps that page too."""
    found: dict[str, str] = {}
    current = None
    for page in pdf.pages:
        title = next((line for line in page.splitlines() if "· " in line and line.startswith("zum ")), None)
        if "Zahlenmäßiger Nachweis" in page and title is not None:
            current = title.split("· ", 1)[1].strip()
            found[current] = page
        elif current is not None and "Zahlenmäßiger Nachweis" not in page and "Ergebnis" not in found[current]:
            found[current] += page
        else:
            current = None
    return found
