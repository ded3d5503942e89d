"""Reading receipts from the municipal finance system's CSV or XLSX export. No database here.

Steps: :func:`read_table` turns the file's bytes into a header and rows (CSV as German Excel
writes it: ``;``, decimal comma, UTF-8 with or without BOM, Windows-1252 as a fallback; XLSX via
openpyxl, first sheet); :func:`suggest_mapping` proposes which column holds which field (or
reuses the clerk's remembered choice); :func:`parse_rows` reads every row into typed values with
German per-row errors. The workspace then checks what needs the database (cost category,
person, decision period, numbers, duplicates) and writes all rows or none.

Every problem is a :class:`ImportFileError` (the file as a whole) or a row error string; nothing
else escapes, whatever the bytes (a hypothesis test feeds random files)."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from ..core import entities as e
from ..core.errors import ValidationError
from ..core.money import format_cents

MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 200_000
MAX_COLUMNS = 200
MAX_CELL = 10_000
MAX_UNZIPPED = 300 * 1024 * 1024
MAX_ZIP_RATIO = 200
MAX_SHARED_STRINGS = 32 * 1024 * 1024  # XML of the shared strings; a 20,000-row export needs about 3 MB
MAX_AMOUNT_CENTS = 10**12  # ten billion euros: anything above is a typing or export error


class ImportFileError(ValidationError):
    """The file as a whole cannot be read (encoding, format, size, column mapping)."""


@dataclass(frozen=True, slots=True)
class ImportField:
    key: str
    label: str
    required: bool
    aliases: tuple[str, ...]


FIELDS: tuple[ImportField, ...] = (
    ImportField("receipt_date", "Belegdatum", True,
                ("belegdatum", "beleg-datum", "rechnungsdatum", "datum", "buchungsdatum", "anordnungsdatum",
                 "buchungstag")),
    ImportField("amount", "Betrag", True,
                ("betrag", "betrag eur", "betrag (eur)", "betrag in eur", "betrag €", "betrag (€)",
                 "betrag in hw", "betrag hw", "betrag in hauswährung", "betrag hauswährung", "betrag in bw",
                 "umsatz (ohne soll/haben-kz)", "umsatz", "summe", "ausgabe", "bruttobetrag", "brutto", "euro")),
    ImportField("payee", "Empfänger", True,
                ("zahlungsempfänger", "zahlungsempfaenger", "empfänger", "empfaenger", "empfängername", "name 1",
                 "name", "kreditorname", "name des kreditors", "lieferant", "kreditor", "geschäftspartner")),
    ImportField("purpose", "Zweck", True,
                ("verwendungszweck", "zweck", "buchungstext", "positionstext", "text", "beschreibung",
                 "bezeichnung")),
    ImportField("paid_on", "Zahldatum", False,
                ("zahldatum", "bezahlt am", "zahlungsdatum", "ausgleichsdatum", "valuta", "wertstellung",
                 "bezahlt")),
    ImportField("budget_year", "Haushaltsjahr", False,
                ("haushaltsjahr", "hh-jahr", "hhj", "hh jahr", "geschäftsjahr", "jahr")),
    ImportField("cost_category", "Kostenart", False,
                ("kostenart", "kategorie", "ausgabeart")),
    ImportField("number", "Lfd. Nr. (PaktDesk)", False,
                ("lfd. nr. (paktdesk)", "nr. belegliste", "lfd. nr. belegliste", "paktdesk-nr.", "paktdesk-nr")),
    ImportField("person", "Person", False,
                ("person", "integrationsmanager", "integrationsmanagerin", "integrationsmanager:in",
                 "mitarbeiter", "mitarbeiterin", "mitarbeiter:in")),
    # booking journals: a debit and a credit column (net = Soll − Haben), or one amount and a marker
    ImportField("debit", "Soll", False, ("soll", "sollbetrag", "soll-betrag", "soll eur", "betrag soll")),
    ImportField("credit", "Haben", False, ("haben", "habenbetrag", "haben-betrag", "haben eur", "betrag haben")),
    ImportField("sign", "Soll/Haben-Kennzeichen", False,
                ("s/h", "s/h-kz", "s/h-kz.", "sh-kz", "soll/haben", "soll/haben-kz", "soll/haben-kennzeichen",
                 "soll-/haben-kennzeichen", "soll/haben-kennz.")),
    # the finance system's own references: kept as text, never PaktDesk's list number
    ImportField("document_number", "Belegnr. (Finanzsoftware)", False,
                ("belegnr", "belegnr.", "belegnummer", "beleg-nr.", "beleg-nr", "beleg nr", "beleg nr.",
                 "belegfeld 1", "rechnungsnummer", "rechnungsnr.", "rechnungsnr", "re-nr.", "referenz")),
    ImportField("budget_line", "Haushaltsstelle", False,
                ("haushaltsstelle", "hh-stelle", "hhst", "hhst.", "buchungsstelle", "produktsachkonto")),
    ImportField("account", "Sachkonto", False, ("sachkonto", "hauptbuchkonto", "konto")),
    ImportField("cost_center", "Kostenstelle", False, ("kostenstelle", "kst", "kost1 - kostenstelle")),
    ImportField("cash_ref", "Kassenzeichen", False, ("kassenzeichen", "kassenz.", "kassenzeichen/az")),
)
REFERENCE_KEYS = ("document_number", "budget_line", "account", "cost_center", "cash_ref")
AMOUNT_KEYS = ("amount", "debit", "credit")
FIELD_BY_KEY = {f.key: f for f in FIELDS}
_DATE_NAMES = frozenset(FIELD_BY_KEY["receipt_date"].aliases)
_AMOUNT_NAMES = frozenset(a for key in AMOUNT_KEYS for a in FIELD_BY_KEY[key].aliases)
_KNOWN_NAMES = frozenset(a for item in FIELDS for a in item.aliases)

Cell = str | int | float | Decimal | date | datetime | bool | None


@dataclass(frozen=True, slots=True)
class TableRow:
    line: int  # line (CSV) or row (XLSX) number as the clerk sees it in the file
    cells: tuple[Cell, ...]


@dataclass(frozen=True, slots=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[TableRow, ...]
    kind: str  # "CSV" or "XLSX"
    encoding: str = ""  # CSV only
    header_line: int = 1
    # rows above the header (title lines of the export: Gemeinde, Buchungskreis, "Stand: …")
    title_rows: tuple[TableRow, ...] = ()
    header_found: bool = True  # False: no row names a date and an amount column, the first row is taken
    formula_totals: frozenset[int] = frozenset()  # XLSX rows holding a SUM/SUMME/TEILERGEBNIS formula
    delimiter: str = ""  # CSV only


@dataclass(frozen=True, slots=True)
class ImportRow:
    """One row read from the file; values are ``None`` where missing or unreadable. A row that
    is no receipt (the export's totals, a repeated header) has ``skipped`` set and no errors."""

    line: int
    receipt_date: date | None = None
    paid_on: date | None = None
    budget_year: int | None = None
    payee: str = ""
    purpose: str = ""
    amount_cents: int | None = None
    cost_category: str = ""
    number: int | None = None
    person: str = ""
    references: tuple[tuple[str, str], ...] = ()  # (field key, text) of the finance system's references
    errors: tuple[str, ...] = ()
    skipped: str = ""  # why the row is not a receipt
    total: bool = False  # a totals row: its amount is compared with the rows above

    @property
    def ok(self) -> bool:
        return not self.errors


TAKEN, SKIPPED, FAILED = "übernommen", "übersprungen", "fehlerhaft"


@dataclass(frozen=True, slots=True)
class PreviewRow:
    """A row as the preview shows it: the receipt that would be booked (number 0 = next free
    number), its problems, and whether it looks like a receipt already booked."""

    line: int
    row: ImportRow
    receipt: e.Receipt | None
    errors: tuple[str, ...] = ()
    duplicate: str = ""  # description of the receipt it duplicates, if any
    category_label: str = ""
    person_label: str = ""
    skip_duplicates: bool = True

    @property
    def skipped(self) -> bool:
        return bool(self.row.skipped) or (bool(self.duplicate) and self.skip_duplicates and not self.errors)

    @property
    def status(self) -> str:
        if self.row.skipped:
            return SKIPPED
        if self.errors:
            return FAILED
        return SKIPPED if self.duplicate and self.skip_duplicates else TAKEN

    @property
    def reason(self) -> str:
        """The text beside the status: the errors, why the row is skipped, a duplicate."""
        if self.row.skipped:
            return self.row.skipped + (f": {format_cents(self.row.amount_cents)}"
                                       if self.row.total and self.row.amount_cents is not None else "")
        if self.errors:
            return " ".join(self.errors)
        if self.row.amount_cents is not None and self.row.amount_cents < 0 and not self.duplicate:
            return "Gutschrift (mindert die Kosten)"
        return self.duplicate

    def messages(self) -> list[str]:
        found = [f"Zeile {self.line}, {text}" if text.startswith("Spalte ") else f"Zeile {self.line}: {text}"
                 for text in self.errors]
        if self.duplicate:
            found.append(f"Zeile {self.line}: {self.duplicate}")
        return found


@dataclass(frozen=True, slots=True)
class ImportPreview:
    """What an import would do. ``can_import`` only when no row has an error."""

    kind: str
    encoding: str
    headers: tuple[str, ...]
    mapping: Mapping[str, str]
    rows: tuple[PreviewRow, ...]
    skip_duplicates: bool = True
    file_errors: tuple[str, ...] = field(default=())
    header_line: int = 1
    header_found: bool = True
    title_lines: tuple[str, ...] = ()  # the rows above the header, as text
    warnings: tuple[str, ...] = ()  # e.g. a totals row that does not match the rows read
    profile: str = ""  # the saved column profile that was chosen, if any

    @property
    def error_rows(self) -> tuple[PreviewRow, ...]:
        return tuple(r for r in self.rows if r.errors)

    @property
    def duplicate_rows(self) -> tuple[PreviewRow, ...]:
        return tuple(r for r in self.rows if r.duplicate and not r.errors)

    @property
    def skipped_rows(self) -> tuple[PreviewRow, ...]:
        """Rows that are no receipts (totals, repeated headers, footers); duplicates not included."""
        return tuple(r for r in self.rows if r.row.skipped)

    @property
    def rows_to_import(self) -> tuple[PreviewRow, ...]:
        return tuple(r for r in self.rows if r.status == TAKEN)

    @property
    def total_cents(self) -> int:
        return sum(r.receipt.amount_cents for r in self.rows_to_import)

    @property
    def credit_rows(self) -> tuple[PreviewRow, ...]:
        return tuple(r for r in self.rows_to_import if r.receipt.amount_cents < 0)

    @property
    def can_import(self) -> bool:
        return not self.file_errors and not self.error_rows and bool(self.rows_to_import)

    def summary(self) -> str:
        parts = [f"{len(self.rows)} Zeilen gelesen", f"{len(self.rows_to_import)} zu übernehmen "
                 f"({format_cents(self.total_cents)})"]
        if self.credit_rows:
            parts.append(f"darin {len(self.credit_rows)} Gutschrift(en) "
                         f"({format_cents(sum(r.receipt.amount_cents for r in self.credit_rows))})")
        if self.error_rows:
            parts.append(f"{len(self.error_rows)} mit Fehlern")
        if self.skipped_rows:
            parts.append(f"{len(self.skipped_rows)} übersprungen (Summen-, Kopf- oder Leerzeilen)")
        if self.duplicate_rows:
            parts.append(f"{len(self.duplicate_rows)} Dubletten"
                         + (" (werden übersprungen)" if self.skip_duplicates else " (werden übernommen)"))
        return ", ".join(parts) + "."


# --- reading the file -------------------------------------------------------------------------

_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_BOM = b"\xef\xbb\xbf"


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode_text(data: bytes) -> tuple[str, str]:
    """Bytes of a CSV file → (text, encoding name). UTF-16 with its byte order mark (Excel's
    "Unicode-Text"), else UTF-8 (with or without BOM), then Windows-1252; a file mixing UTF-8 and
    another encoding is refused with the line of the first foreign byte."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode-Text"
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            raise ImportFileError("Die Zeichenkodierung der Datei (UTF-16) ist beschädigt. Bitte als "
                                  "„CSV UTF-8“ exportieren.") from None
    body = data[len(_BOM):] if data.startswith(_BOM) else data
    try:
        return body.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError as err:
        line = _line_of(body, err.start)
        if data.startswith(_BOM) or _UTF8_MULTIBYTE.search(body):
            raise ImportFileError(
                f"Die Datei mischt Zeichenkodierungen (UTF-8 und eine andere, erstes fremdes Zeichen in "
                f"Zeile {line}). Bitte in der Finanzsoftware erneut als „CSV UTF-8“ exportieren.") from None
    try:
        return body.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as err:
        raise ImportFileError(
            f"Die Zeichenkodierung der Datei ist nicht lesbar (weder UTF-8 noch Windows-1252, "
            f"Zeile {_line_of(body, err.start)}). Bitte als „CSV UTF-8“ exportieren.") from None


_DELIMITERS = (";", "\t", ",")
HEADER_SEARCH_ROWS = 40  # the header is looked for among the first non-empty rows
_SAMPLE_LINES = 200


def _delimiter_of_line(line: str) -> str:
    counts = {d: line.count(d) for d in _DELIMITERS}
    best = max(counts, key=lambda d: (counts[d], d == ";"))
    return best if counts[best] else ";"


def _header_score(cells) -> int:
    """How well a row reads as the header: 0 unless it names a date column and an amount column
    (or Soll/Haben) in the words of the common finance systems, else the number of columns it
    names that way."""
    names = {_norm(c) for c in cells if isinstance(c, str) and c.strip()}
    if not (names & _DATE_NAMES and names & _AMOUNT_NAMES):
        return 0
    return len(names & _KNOWN_NAMES)


def _header_index(records: list[tuple[int, tuple]],
                  known: tuple[frozenset[str], ...] = ()) -> int | None:
    """The row among the first ones that names most known columns (the first such row on a
    tie); a title line "Liste nach Datum und Betrag" loses against the real header below. A row
    holding every column a saved profile maps (``known``, normalised names) wins over both."""
    best, best_score = None, 0
    for position, (_line, cells) in enumerate(records[:HEADER_SEARCH_ROWS]):
        score = _header_score(cells)
        if known:
            names = {_norm(c) for c in cells if isinstance(c, str) and c.strip()}
            if any(wanted and wanted <= names for wanted in known):
                score += 1000
        if score > best_score:
            best, best_score = position, score
    return best


def _sample_records(text: str, delimiter: str) -> list[tuple[int, tuple]]:
    sample = "\n".join(text.splitlines()[:_SAMPLE_LINES])
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter, strict=False)
    found, last = [], 0
    try:
        for record in reader:
            start, last = last + 1, reader.line_num
            if any(cell.strip() for cell in record):
                found.append((start, tuple(record)))
    except csv.Error:
        pass
    return found


def _delimiter(text: str, header_line: int | None = None, known: tuple[frozenset[str], ...] = ()) -> str:
    """The separator, judged on the header and the data rows, never on a title line above them
    (a comma in "Gemeinde Lindenbach, Kämmerei" must not make the file comma-separated)."""
    lines = text.splitlines()
    if header_line is not None:
        return _delimiter_of_line(lines[header_line - 1]) if 0 < header_line <= len(lines) else ";"
    best, best_score = None, None
    for delimiter in _DELIMITERS:
        records = _sample_records(text, delimiter)
        position = _header_index(records, known)
        if position is None:
            continue
        width = len(records[position][1])
        body = records[position + 1:position + 21]
        agreeing = sum(1 for _line, cells in body if len(cells) == width)
        score = (agreeing, width, delimiter == ";")
        if best_score is None or score > best_score:
            best, best_score = delimiter, score
    if best is not None:
        return best
    # no recognisable header: the separator that splits most lines into the same number of fields
    tally = {}
    for delimiter in _DELIMITERS:
        widths = [len(cells) for _line, cells in _sample_records(text, delimiter) if len(cells) > 1]
        tally[delimiter] = (max((widths.count(w) for w in set(widths)), default=0), delimiter == ";")
    best = max(tally, key=tally.get)
    return best if tally[best][0] else ";"


def _check_size(data: bytes) -> None:
    if not isinstance(data, bytes | bytearray):
        raise ImportFileError("Die Datei konnte nicht gelesen werden.")
    if not data.strip():
        raise ImportFileError("Die Datei ist leer.")
    if len(data) > MAX_BYTES:
        raise ImportFileError(f"Die Datei ist zu groß (über {MAX_BYTES // (1024 * 1024)} MB).")


def _split_header(records: list[TableRow], header_row: int | None, *, kind: str,
                  known: tuple[frozenset[str], ...] = ()) -> tuple[int, bool]:
    """Position of the header among the non-empty rows, and whether it was recognised (not
    simply the first row). ``header_row`` is the clerk's choice, as a line number of the file."""
    if not records:
        raise ImportFileError("Die Datei enthält keine Zeilen." if kind == "CSV"
                              else "Das erste Tabellenblatt der Datei ist leer.")
    if header_row is not None:
        for position, row in enumerate(records):
            if row.line == header_row:
                return position, True
        word = "Zeile" if kind == "CSV" else "Zeile des Tabellenblatts"
        raise ImportFileError(f"Die gewählte Kopfzeile ({word} {header_row}) ist leer oder gibt es nicht. "
                              f"Bitte eine Zeile zwischen {records[0].line} und {records[-1].line} wählen.")
    position = _header_index([(r.line, r.cells) for r in records], known)
    return (0, False) if position is None else (position, True)


def _table(records: list[TableRow], header_row: int | None, *, kind: str, encoding: str = "",
           formula_totals: frozenset[int] = frozenset(), delimiter: str = "",
           known: tuple[frozenset[str], ...] = ()) -> Table:
    position, found = _split_header(records, header_row, kind=kind, known=known)
    header = records[position]
    return Table(tuple(_text(v) for v in header.cells), tuple(records[position + 1:]), kind, encoding,
                 header.line, tuple(records[:position]), found, formula_totals, delimiter)


def read_csv(data: bytes, *, header_row: int | None = None, known: tuple[frozenset[str], ...] = ()) -> Table:
    _check_size(data)
    text, encoding = decode_text(bytes(data))
    if "\x00" in text:
        raise ImportFileError(
            f"Die Datei enthält Nullbytes (Zeile {text.count(chr(10), 0, text.index(chr(0))) + 1}); "
            "sie ist keine Textdatei oder beschädigt.")
    delimiter = _delimiter(text, header_row, known)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    records: list[TableRow] = []
    last_line = 0
    try:
        for record in reader:
            start = last_line + 1
            last_line = reader.line_num
            if len(record) > MAX_COLUMNS:
                raise ImportFileError(f"Zeile {start} hat mehr als {MAX_COLUMNS} Spalten.")
            if not any(cell.strip() for cell in record):
                continue
            if any(len(cell) > MAX_CELL for cell in record):
                raise ImportFileError(f"Zeile {start} enthält ein zu langes Feld (über {MAX_CELL} Zeichen).")
            records.append(TableRow(start, tuple(record)))
            if len(records) > MAX_ROWS:
                raise ImportFileError(f"Die Datei hat mehr als {MAX_ROWS} Zeilen; bitte aufteilen.")
    except csv.Error as err:
        raise ImportFileError(f"Die CSV-Datei ist in Zeile {reader.line_num} nicht lesbar ({err}).") from None
    return _table(records, header_row, kind="CSV", encoding=encoding, delimiter=delimiter, known=known)


def _check_zip(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = 0
            for info in archive.infolist():
                name = info.filename
                if name.startswith(("/", "\\")) or ".." in name.replace("\\", "/").split("/") or ":" in name:
                    raise ImportFileError("Die XLSX-Datei enthält ungültige Pfade und wird nicht geöffnet.")
                total += info.file_size
                if info.compress_size and info.file_size / info.compress_size > MAX_ZIP_RATIO \
                        and info.file_size > 1024 * 1024:
                    raise ImportFileError("Die XLSX-Datei ist auffällig stark gepackt und wird nicht geöffnet.")
                # openpyxl holds every shared string in memory before the first row is read; the
                # size stated in the archive is a true bound (zipfile stops reading there)
                if name.lower().endswith("sharedstrings.xml") and info.file_size > MAX_SHARED_STRINGS:
                    raise ImportFileError(
                        f"Die XLSX-Datei enthält zu viel Text (Textliste über "
                        f"{MAX_SHARED_STRINGS // (1024 * 1024)} MB) und wird nicht geöffnet. Bitte den Export "
                        "auf den Zeitraum des Bescheids beschränken oder als CSV speichern.")
            if total > MAX_UNZIPPED:
                raise ImportFileError("Die XLSX-Datei ist entpackt zu groß.")
    except ImportFileError:
        raise
    except Exception:  # noqa: BLE001 - zipfile raises many kinds on damaged data
        raise ImportFileError("Die Datei ist keine gültige XLSX-Datei (beschädigt oder ein anderes Format).") from None


_TOTAL_FORMULA = re.compile(r"^\s*=?\s*(?:_xlfn\.)?(SUM|SUMME|SUBTOTAL|TEILERGEBNIS|AGGREGATE)\s*\(", re.I)


_FORMULA = re.compile(rb"<(?:\w+:)?f(?:\s[^>]*)?>([^<]*)</(?:\w+:)?f>")
_CELL_REF = re.compile(rb"\sr=\"[A-Z]{1,3}([0-9]{1,7})\"")


def _formula_rows(book, sheet) -> frozenset[int]:
    """Rows of the sheet with a sum formula (``=SUM(C2:C40)``): the values come from the cached
    results, so the formulas themselves are looked up in the sheet's XML. A plain scan of the
    bytes, not a second XML parse: most exports hold no formula at all, and a 20,000-row sheet
    parsed again would double the time of the preview."""
    path = getattr(sheet, "_worksheet_path", None)
    archive = getattr(book, "_archive", None)
    if not path or archive is None:
        return frozenset()
    with archive.open(path) as source:
        data = source.read(MAX_UNZIPPED + 1)
    if b"<f" not in data and b":f" not in data:
        return frozenset()
    rows: set[int] = set()
    for match in _FORMULA.finditer(data):
        formula = match.group(1).decode("utf-8", "replace")
        if not _TOTAL_FORMULA.match(formula):
            continue
        cell_start = max(data.rfind(b"<c ", 0, match.start()), data.rfind(b":c ", 0, match.start()))
        ref = _CELL_REF.search(data, cell_start, match.start()) if cell_start >= 0 else None
        if ref is not None:
            rows.add(int(ref.group(1)))
    return frozenset(rows)


def read_xlsx(data: bytes, *, header_row: int | None = None, known: tuple[frozenset[str], ...] = ()) -> Table:
    _check_size(data)
    _check_zip(bytes(data))
    import openpyxl  # only needed here; keeps the CSV path light

    try:
        book = openpyxl.load_workbook(io.BytesIO(bytes(data)), read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            records: list[TableRow] = []
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                values = tuple(values)
                if len(values) > MAX_COLUMNS:
                    if any(_has_value(v) for v in values[MAX_COLUMNS:]):
                        raise ImportFileError(f"Zeile {number} hat mehr als {MAX_COLUMNS} Spalten.")
                    values = values[:MAX_COLUMNS]
                if not any(_has_value(v) for v in values):
                    continue
                records.append(TableRow(number, values))
                if len(records) > MAX_ROWS:
                    raise ImportFileError(f"Die Datei hat mehr als {MAX_ROWS} Zeilen; bitte aufteilen.")
            formulas = _formula_rows(book, sheet)
        finally:
            book.close()
    except ImportFileError:
        raise
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds on damaged or foreign files
        raise ImportFileError(
            "Die XLSX-Datei kann nicht gelesen werden (beschädigt, verschlüsselt oder kein Excel-Format).") from None
    return _table(records, header_row, kind="XLSX", formula_totals=formulas, known=known)


def read_table(data: bytes, *, filename: str = "", header_row: int | None = None,
               profiles: Mapping[str, Mapping] | None = None) -> Table:
    """CSV or XLSX by file name (``.csv``/``.txt``, ``.xlsx``/``.xlsm``), else by content.
    ``header_row``: the line (CSV) or row (XLSX) of the column names; by default the first row
    that names a date and an amount column (or every column a saved profile maps), so title
    lines above the header are passed over."""
    known = tuple(frozenset(_norm(h) for h in dict(p.get("mapping") or {}).values() if str(h).strip())
                  for p in (profiles or {}).values())
    name = (filename or "").lower()
    if name.endswith((".xlsx", ".xlsm")):
        return read_xlsx(data, header_row=header_row, known=known)
    if name.endswith((".csv", ".txt")):
        if bytes(data[:4]) == b"PK\x03\x04":
            raise ImportFileError("Die Datei heißt .csv, ist aber eine Excel-Datei. Bitte als .xlsx importieren.")
        return read_csv(data, header_row=header_row, known=known)
    if name.endswith(".xls"):
        raise ImportFileError("Das alte Excel-Format (.xls) wird nicht gelesen. Bitte als .xlsx oder CSV speichern.")
    if bytes(data[:4]) == b"PK\x03\x04":
        return read_xlsx(data, header_row=header_row, known=known)
    return read_csv(data, header_row=header_row, known=known)


# --- column mapping ---------------------------------------------------------------------------

def _norm(text: str) -> str:
    return " ".join(str(text).replace("\u00a0", " ").split()).casefold()


def suggest_mapping(headers: tuple[str, ...] | list[str],
                    remembered: Mapping[str, str] | None = None) -> dict[str, str]:
    """field → header. The remembered mapping wins where its headers exist in this file; the
    rest is guessed from usual German column names."""
    available = {_norm(h): h for h in headers if str(h).strip()}
    mapping: dict[str, str] = {}
    for key, header in (remembered or {}).items():
        if key in FIELD_BY_KEY and _norm(header) in available:
            mapping[key] = available[_norm(header)]
    used = set(mapping.values())
    for item in FIELDS:
        if item.key in mapping:
            continue
        for alias in item.aliases:
            header = available.get(alias)
            if header is not None and header not in used:
                mapping[item.key] = header
                used.add(header)
                break
    return mapping


def best_profile(headers: tuple[str, ...] | list[str], profiles: Mapping[str, Mapping]) -> str:
    """The name of the saved profile for a file with these column names: every column the
    profile maps must be there, and of those the profile sharing most columns wins (at least
    half of the union); "" when none fits."""
    have = {_norm(h) for h in headers if str(h).strip()}
    best, best_score = "", 0.5
    for name, profile in sorted(profiles.items()):
        mapped = {_norm(h) for h in dict(profile.get("mapping") or {}).values() if str(h).strip()}
        if not mapped or not mapped <= have:
            continue
        known = {_norm(h) for h in profile.get("headers") or () if str(h).strip()} | mapped
        score = len(known & have) / len(known | have)
        if score >= best_score:
            best, best_score = name, score
    return best


def cell_text(value: Cell) -> str:
    """A cell as the preview shows it (dates German, whole numbers without ``.0``)."""
    return _text(value)


def check_mapping(headers: tuple[str, ...], mapping: Mapping[str, str]) -> dict[str, int]:
    """field → column index; raises :class:`ImportFileError` for a missing required field, an
    unknown field or column, or a column name that occurs twice."""
    problems = []
    for key in mapping:
        if key not in FIELD_BY_KEY:
            problems.append(f"unbekanntes Feld „{key}“")
    normalized = [_norm(h) for h in headers]
    index: dict[str, int] = {}
    for key, header in mapping.items():
        if key not in FIELD_BY_KEY or not str(header or "").strip():
            continue
        wanted = _norm(header)
        hits = [i for i, h in enumerate(normalized) if h == wanted]
        if not hits:
            problems.append(f"Spalte „{header}“ ({FIELD_BY_KEY[key].label}) gibt es in der Datei nicht")
        elif len(hits) > 1:
            problems.append(f"Spalte „{header}“ kommt mehrfach vor")
        else:
            index[key] = hits[0]
    def mapped(key: str) -> bool:
        return bool(str(mapping.get(key) or "").strip())

    for item in FIELDS:
        if item.key == "amount" and (mapped("debit") or mapped("credit")):
            continue  # Soll − Haben is the amount
        if item.required and not mapped(item.key):
            problems.append(f"keine Spalte für „{item.label}“ (oder „Soll“/„Haben“) zugeordnet"
                            if item.key == "amount" else f"keine Spalte für „{item.label}“ zugeordnet")
    if problems:
        raise ImportFileError("Die Spaltenzuordnung passt nicht: " + "; ".join(problems) + ".")
    return index


# --- values -----------------------------------------------------------------------------------

# Two-digit years (05.03.24) are years of this century: 24 → 2024. Stated once, here; PaktDesk's
# receipts lie between 2000 and 2100 anyway.
TWO_DIGIT_YEAR_RULE = "zweistellige Jahreszahlen gelten als 20JJ (05.03.24 = 05.03.2024)"
_DE_DATE = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4}|[0-9]{2})(?:[ T]0?0:00(?::00)?)?")
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[ T]00:00(?::00(?:\.0+)?)?)?")
_COMPACT_DATE = re.compile(r"(20[0-9]{2})([01][0-9])([0-3][0-9])")  # SAP's internal 20240305
_SERIAL = re.compile(r"[0-9]{5}(?:[.,]0+)?")
_GROUPED = re.compile(r"[0-9]{1,3}(\.[0-9]{3})+(,[0-9]{1,2})?")
_PLAIN = re.compile(r"[0-9]+(,[0-9]{1,2})?")
_EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0 (with its 1900 leap-year quirk already folded in)
_SERIAL_RANGE = (36_526, 73_415)  # 01.01.2000 … 31.12.2100
MAX_AMOUNT_DIGITS = 13  # digits of a plausible amount in cents


def _has_value(value: Cell) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "WAHR" if value else "FALSCH"
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, str) and value.isascii() and "  " not in value and value.isprintable() \
            and value[:1] != " " and value[-1:] != " ":
        return value  # the common case, already clean (20,000 rows × every column)
    return " ".join(str(value).replace("\u00a0", " ").split())


def _foreign_digits(text: str) -> bool:
    """Digits other than 0–9 (Arabic-Indic ٣, full-width ３, superscripts …): ``int()`` and
    ``\\d`` would read them as numbers; a finance export never writes them."""
    return not text.isascii() and any(not ch.isascii() and (ch.isdigit() or ch.isnumeric()) for ch in text)


def _foreign_digit_error(label: str, raw: str) -> ValidationError:
    return ValidationError(f"{label} „{_short(raw)}“ enthält Ziffern, die keine Ziffern 0–9 sind (z. B. "
                           "arabische oder Vollbreite-Ziffern). Bitte mit den Ziffern 0–9 exportieren.")


def _serial_date(number: float, *, label: str, shown: str) -> date:
    if not _SERIAL_RANGE[0] <= number <= _SERIAL_RANGE[1] or number != int(number):
        raise ValidationError(f"{label} „{_short(shown)}“ ist kein Datum (als Excel-Tageszahl außerhalb "
                              "der Jahre 2000 bis 2100).")
    return _EXCEL_EPOCH + timedelta(days=int(number))


def parse_import_date(value: Cell, *, label: str) -> date:
    """TT.MM.JJJJ (also T.M.JJJJ and TT.MM.JJ, see :data:`TWO_DIGIT_YEAR_RULE`), ISO JJJJ-MM-TT,
    JJJJMMTT, an Excel date cell as it is, an Excel day number (45356 = 05.03.2024)."""
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    elif isinstance(value, bool):
        raise ValidationError(f"{label} „{_text(value)}“ ist kein Datum.")
    elif isinstance(value, int | float | Decimal):
        try:
            day = _serial_date(float(value), label=label, shown=_text(value))
        except (OverflowError, ValueError):
            raise ValidationError(f"{label} „{_short(_text(value))}“ ist kein Datum.") from None
    elif isinstance(value, str):
        raw = value.strip()
        if _foreign_digits(raw):
            raise _foreign_digit_error(label, raw)
        german, iso, compact = _DE_DATE.fullmatch(raw), _ISO_DATE.fullmatch(raw), _COMPACT_DATE.fullmatch(raw)
        try:
            if german:
                year = int(german.group(3))
                day = date(year + 2000 if len(german.group(3)) == 2 else year, int(german.group(2)),
                           int(german.group(1)))
            elif iso:
                day = date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
            elif compact:
                day = date(int(compact.group(1)), int(compact.group(2)), int(compact.group(3)))
            elif _SERIAL.fullmatch(raw):
                day = _serial_date(int(raw[:5]), label=label, shown=raw)
            else:
                raise ValueError
        except ValueError:
            raise ValidationError(f"{label} „{_short(raw)}“ ist kein Datum im Format TT.MM.JJJJ.") from None
    else:
        raise ValidationError(f"{label} „{_short(_text(value))}“ ist kein Datum (Zelle als Datum formatieren "
                              "oder TT.MM.JJJJ schreiben).")
    if not 2000 <= day.year <= 2100:
        raise ValidationError(f"{label} {day:%d.%m.%Y} liegt außerhalb der Jahre 2000 bis 2100.")
    return day


def parse_import_amount(value: Cell) -> int:
    """German amounts: ``1.234,56``, ``-12,50``, ``12,50 €``, ``12,50-`` (trailing minus as some
    finance systems write it), ``EUR``; a numeric Excel cell as it is. Ambiguous or foreign
    notations (``12.50``, ``1,234.56``, ``1.234``) are refused rather than guessed."""
    if isinstance(value, bool) or value is None:
        raise ValidationError("Der Betrag fehlt.")
    if isinstance(value, int):
        if abs(value) > MAX_AMOUNT_CENTS // 100:
            raise ValidationError("Der Betrag ist unplausibel hoch.")
        cents = value * 100
    elif isinstance(value, float | Decimal):
        try:
            number = Decimal(repr(value)) if isinstance(value, float) else value
            if not number.is_finite() or abs(number) > MAX_AMOUNT_CENTS // 100:
                raise ValidationError(f"Der Betrag {_short(_text(value))} ist keine Zahl oder unplausibel hoch.")
            scaled = number * 100
            if scaled != scaled.to_integral_value():
                raise ValidationError(f"Der Betrag {_short(_text(value))} hat mehr als zwei Nachkommastellen.")
            cents = int(scaled)
        except InvalidOperation:
            raise ValidationError("Der Betrag ist keine Zahl.") from None
    elif isinstance(value, str):
        cents = _parse_amount_text(value)
    else:
        raise ValidationError(f"„{_short(_text(value))}“ ist kein Betrag.")
    if abs(cents) > MAX_AMOUNT_CENTS:
        raise ValidationError(f"Der Betrag {format_cents(cents)} ist unplausibel hoch.")
    return cents


def _parse_amount_text(text: str) -> int:
    raw = text.replace("\u00a0", " ").replace("\u202f", " ").strip()
    shown = _short(raw)
    if _foreign_digits(raw):
        raise _foreign_digit_error("Der Betrag", raw)
    raw = raw.replace("€", "").replace("EUR", "").replace("Euro", "").replace(" ", "").replace("'", "")
    negative = False
    if raw.startswith("(") and raw.endswith(")"):
        negative, raw = True, raw[1:-1]
    if raw.startswith(("-", "\u2212")):
        negative, raw = not negative, raw[1:]
    elif raw.endswith(("-", "\u2212")):
        negative, raw = not negative, raw[:-1]
    elif raw.startswith("+"):
        raw = raw[1:]
    if not raw:
        raise ValidationError(f"„{shown}“ ist kein Betrag.")
    if sum(ch.isdigit() for ch in raw) > MAX_AMOUNT_DIGITS:
        # before any int(): a 5,000-digit number would otherwise hit Python's conversion limit
        raise ValidationError(f"Der Betrag „{shown}“ hat zu viele Stellen (höchstens "
                              f"{MAX_AMOUNT_DIGITS - 2} vor dem Komma); bitte das Exportformat prüfen.")
    if "," not in raw and re.fullmatch(r"[0-9]{1,3}(\.[0-9]{3})+", raw):
        raise ValidationError(
            f"Der Betrag „{shown}“ ist mehrdeutig (Tausenderpunkt oder Dezimalpunkt?). "
            "Bitte mit Dezimalkomma angeben, z. B. 1.234,00.")
    if "." in raw and "," not in raw and re.fullmatch(r"[0-9]+\.[0-9]{1,2}", raw):
        raise ValidationError(
            f"Der Betrag „{shown}“ hat einen Dezimalpunkt; in deutschen Dateien steht ein Komma "
            "(z. B. 12,50). Bitte das Exportformat prüfen.")
    if not (_GROUPED.fullmatch(raw) or _PLAIN.fullmatch(raw)):
        raise ValidationError(f"„{shown}“ ist kein gültiger Betrag (Beispiel: 1.234,56).")
    euros, _, cents = raw.replace(".", "").partition(",")
    value = int(euros) * 100 + int((cents + "00")[:2])
    return -value if negative else value


def _parse_year(value: Cell) -> int:
    if isinstance(value, bool):
        raise ValidationError("Das Haushaltsjahr ist keine Jahreszahl.")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        if _foreign_digits(value):
            raise _foreign_digit_error("Das Haushaltsjahr", value.strip())
        if re.fullmatch(r"\s*[0-9]{4}\s*", value):
            value = int(value)
    if not isinstance(value, int) or not 2000 <= value <= 2100:
        raise ValidationError(f"Das Haushaltsjahr „{_short(_text(value))}“ ist keine Jahreszahl zwischen 2000 und 2100.")
    return value


def _parse_number(value: Cell) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        raw = value.strip()
        if _foreign_digits(raw):
            raise _foreign_digit_error("Die laufende Nummer", raw)
        match = re.fullmatch(r"(?:[PpSs]\s*-?\s*)?0*([0-9]{1,9})", raw)
        if not match:
            raise ValidationError(
                f"Die laufende Nummer „{_short(raw)}“ ist keine ganze Zahl. Die Spalte nicht zuordnen, "
                "dann nummeriert PaktDesk selbst.")
        value = int(match.group(1))
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 10**9:
        raise ValidationError(f"Die laufende Nummer „{_short(_text(value))}“ muss eine ganze Zahl über 0 sein.")
    return value


_CREDIT_MARKS = {"h", "haben", "c", "cr", "-"}
_DEBIT_MARKS = {"s", "soll", "d", "dr", "+"}


def _sign(value: Cell) -> int:
    """+1 for Soll, −1 for Haben (a credit on an expense account: Gutschrift, Erstattung)."""
    mark = _norm(_text(value))
    if mark in _DEBIT_MARKS:
        return 1
    if mark in _CREDIT_MARKS:
        return -1
    raise ValidationError(f"Das Soll/Haben-Kennzeichen „{_short(_text(value))}“ ist weder S (Soll) noch H (Haben).")


def _short(text: str, limit: int = 40) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- rows -------------------------------------------------------------------------------------

MAX_REFERENCE = 60
_TOTAL_WORDS = re.compile(
    r"(?:summe|gesamt|gesamtsumme|endsumme|zwischensumme|teilsumme|total|übertrag|uebertrag|saldo|"
    r"kontensumme|summe\b.*|gesamt\b.*|\*+)", re.I)


def parse_rows(table: Table, mapping: Mapping[str, str]) -> list[ImportRow]:
    """Every data row of ``table`` as an :class:`ImportRow`; problems become its ``errors``;
    totals rows, repeated header rows and rows without date and amount are ``skipped``."""
    index = check_mapping(table.headers, mapping)
    width = len(table.headers)
    headers = tuple(_norm(h) for h in table.headers)
    return [_parse_row(row, index, width, table, headers) for row in table.rows]


def _cell(row: TableRow, index: Mapping[str, int], key: str) -> Cell:
    position = index.get(key)
    if position is None or position >= len(row.cells):
        return None
    value = row.cells[position]
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _mapped_cells(row: TableRow, index: Mapping[str, int]) -> dict[str, Cell]:
    """field → the row's non-empty value, for the mapped fields only (read once per row)."""
    cells, width = row.cells, len(row.cells)
    found = {}
    for key, position in index.items():
        if position < width:
            value = cells[position]
            if value is not None and not (isinstance(value, str) and not value.strip()):
                found[key] = value
    return found


def _skip_reason(row: TableRow, index: Mapping[str, int], table: Table, headers: tuple[str, ...],
                 cells: Mapping[str, Cell]) -> str:
    """Why a row is no receipt (empty when it is one): the export's own totals, the header
    repeated on a new page, a line with neither date nor amount (footer, "Seite 2")."""
    first = row.cells[0] if row.cells else None
    if isinstance(first, str) and headers and _norm(first) == headers[0] \
            and tuple(_norm(_text(c)) for c in row.cells[:len(headers)]) == headers:
        return "Kopfzeile wiederholt (Seitenwechsel der Liste)"
    if row.line in table.formula_totals:
        return "Summenzeile (Summenformel)"
    day = cells.get("receipt_date")
    has_date = day is not None
    has_amount = any(cells.get(key) is not None for key in AMOUNT_KEYS)
    if has_amount:
        if has_date:  # only a totals word in the date column makes a dated row a totals row
            marked = _text(day) if isinstance(day, str) and _TOTAL_WORDS.fullmatch(day.strip()) else None
        else:
            amount_positions = {index[k] for k in AMOUNT_KEYS if k in index}
            words = [_text(c) for i, c in enumerate(row.cells) if i not in amount_positions and isinstance(c, str)]
            marked = next((w for w in words if _TOTAL_WORDS.fullmatch(w.strip())), None)
        if marked is not None:
            return f"Summenzeile („{_short(marked, 20)}“)"
        if not has_date and cells.get("payee") is None and cells.get("purpose") is None:
            return "Summenzeile (nur Beträge)"
        return ""
    if not has_date:
        return "keine Belegzeile (weder Datum noch Betrag)"
    return ""


def _parse_row(row: TableRow, index: Mapping[str, int], width: int, table: Table,
               headers: tuple[str, ...]) -> ImportRow:
    errors: list[str] = []
    values: dict[str, Any] = {}

    def column(key: str) -> str:
        return f"Spalte „{_short(table.headers[index[key]], 30)}“"

    def read(key: str, parse, *, required: bool, label: str) -> None:
        value = cells.get(key)
        if value is None:
            if required:
                errors.append(f"{column(key)}: {label} fehlt." if key in index else f"{label} fehlt.")
            return
        try:
            values[key] = parse(value)
        except ValidationError as err:
            errors.append(f"{column(key)}: {err.message}")

    cells = _mapped_cells(row, index)
    skipped = _skip_reason(row, index, table, headers, cells)
    if skipped:
        amount = None
        try:
            amount = _net_amount(row, index)
        except ValidationError:
            pass
        return ImportRow(line=row.line, amount_cents=amount, skipped=skipped,
                         total=skipped.startswith("Summenzeile"))
    extra = [c for c in row.cells[width:] if _has_value(c)]
    if extra:
        errors.append(f"Die Zeile hat mehr Werte als die Kopfzeile Spalten ({len(row.cells)} statt {width}).")

    read("receipt_date", lambda v: parse_import_date(v, label="Das Belegdatum"), required=True, label="Das Belegdatum")
    read("paid_on", lambda v: parse_import_date(v, label="Das Zahldatum"), required=False, label="Das Zahldatum")
    has_net = "debit" in index or "credit" in index
    if cells.get("amount") is not None or not has_net:
        read("amount", parse_import_amount, required=True, label="Der Betrag")
    else:
        before = len(errors)
        for key in ("debit", "credit"):
            read(key, parse_import_amount, required=False, label=FIELD_BY_KEY[key].label)
        if "debit" in values or "credit" in values:
            values["amount"] = values.get("debit", 0) - values.get("credit", 0)  # net = Soll − Haben
        elif len(errors) == before:
            errors.append("Der Betrag fehlt (weder Soll noch Haben).")
    read("sign", _sign, required=False, label="Das Soll/Haben-Kennzeichen")
    if values.get("sign") == -1 and values.get("amount") is not None:
        values["amount"] = -abs(values["amount"])  # an amount already written negative stays negative
    read("budget_year", _parse_year, required=False, label="Das Haushaltsjahr")
    read("number", _parse_number, required=False, label="Die laufende Nummer")
    for key, label, limit in (("payee", "Der Empfänger", 200), ("purpose", "Der Zweck", 500)):
        text = _text(cells.get(key))
        if not text:
            errors.append(f"{column(key)}: {label} fehlt." if key in index else f"{label} fehlt.")
        elif len(text) > limit:
            errors.append(f"{column(key)}: {label} ist zu lang (höchstens {limit} Zeichen).")
        values[key] = text
    values["cost_category"] = _text(cells.get("cost_category"))
    values["person"] = _text(cells.get("person"))
    references = []
    for key in REFERENCE_KEYS:
        text = _text(cells.get(key))
        if len(text) > MAX_REFERENCE:
            errors.append(f"{column(key)}: {FIELD_BY_KEY[key].label} ist zu lang (höchstens {MAX_REFERENCE} Zeichen).")
        elif text:
            references.append((key, text))

    amount = values.get("amount")
    if amount is not None and amount == 0:
        where = "amount" if "amount" in index and cells.get("amount") is not None else \
            next((k for k in ("debit", "credit") if k in index), "amount")
        errors.append(f"{column(where)}: Der Betrag ist 0,00 €." if where in index else "Der Betrag ist 0,00 €.")
    receipt_date, paid_on = values.get("receipt_date"), values.get("paid_on")
    if receipt_date and paid_on and paid_on < receipt_date and (receipt_date - paid_on).days > 366:
        errors.append(f"{column('paid_on')}: Das Zahldatum liegt mehr als ein Jahr vor dem Belegdatum.")
    year = values.get("budget_year")
    if year is None and receipt_date is not None:
        year = receipt_date.year
    return ImportRow(
        line=row.line, receipt_date=receipt_date, paid_on=paid_on, budget_year=year,
        payee=values.get("payee", ""), purpose=values.get("purpose", ""), amount_cents=amount,
        cost_category=values["cost_category"], number=values.get("number"), person=values["person"],
        references=tuple(references), errors=tuple(errors),
    )


def _net_amount(row: TableRow, index: Mapping[str, int]) -> int | None:
    """The amount of a totals row, read as a receipt's amount would be (Soll − Haben, S/H)."""
    amount = _cell(row, index, "amount")
    if amount is not None:
        value = parse_import_amount(amount)
    else:
        debit, credit = _cell(row, index, "debit"), _cell(row, index, "credit")
        if debit is None and credit is None:
            return None
        value = (parse_import_amount(debit) if debit is not None else 0) \
            - (parse_import_amount(credit) if credit is not None else 0)
    mark = _cell(row, index, "sign")
    if mark is not None and _sign(mark) == -1:
        value = -abs(value)
    return value


def check_totals(rows: list[ImportRow]) -> list[str]:
    """The export's own totals rows against the rows read above them: each must equal the sum
    since the previous totals row or since the start (subtotals per page, a grand total)."""
    messages = []
    since_start = since_last = 0
    for row in rows:
        if not row.skipped:
            if row.amount_cents is not None:
                since_start += row.amount_cents
                since_last += row.amount_cents
            continue
        if not row.total:
            continue
        if row.amount_cents is None:
            messages.append(f"Zeile {row.line}: Der Betrag der Summenzeile ist nicht lesbar; die Summe wurde "
                            "nicht verglichen.")
        elif row.amount_cents not in (since_start, since_last):
            messages.append(
                f"Zeile {row.line}: Die Summenzeile der Datei ({format_cents(row.amount_cents)}) stimmt nicht mit "
                f"der Summe der gelesenen Zeilen darüber ({format_cents(since_last)}) überein. Bitte prüfen, ob "
                "im Export Zeilen fehlen.")
        since_last = 0
    return messages


def normalize_key_text(text: str) -> str:
    """Payee and purpose as compared for duplicates: case and spacing do not matter."""
    return _norm(text)
