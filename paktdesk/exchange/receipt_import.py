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
from datetime import date, datetime
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
                ("belegdatum", "datum", "buchungsdatum", "rechnungsdatum", "anordnungsdatum", "beleg-datum")),
    ImportField("amount", "Betrag", True,
                ("betrag", "betrag eur", "betrag (eur)", "betrag in eur", "betrag €", "betrag (€)",
                 "summe", "ausgabe", "bruttobetrag", "brutto", "euro")),
    ImportField("payee", "Empfänger", True,
                ("empfänger", "empfaenger", "zahlungsempfänger", "zahlungsempfaenger", "kreditor",
                 "lieferant", "name", "empfängername")),
    ImportField("purpose", "Zweck", True,
                ("verwendungszweck", "zweck", "buchungstext", "text", "beschreibung", "bezeichnung")),
    ImportField("paid_on", "Zahldatum", False,
                ("zahldatum", "bezahlt am", "zahlungsdatum", "valuta", "wertstellung", "bezahlt")),
    ImportField("budget_year", "Haushaltsjahr", False,
                ("haushaltsjahr", "hh-jahr", "hhj", "hh jahr", "jahr")),
    ImportField("cost_category", "Kostenart", False,
                ("kostenart", "kategorie", "ausgabeart", "sachkonto")),
    ImportField("number", "Belegnummer", False,
                ("belegnummer", "beleg-nr.", "beleg-nr", "belegnr", "belegnr.", "beleg nr", "nr.", "nr")),
    ImportField("person", "Person", False,
                ("person", "integrationsmanager", "integrationsmanagerin", "integrationsmanager:in",
                 "mitarbeiter", "mitarbeiterin", "mitarbeiter:in")),
)
FIELD_BY_KEY = {f.key: f for f in FIELDS}

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


@dataclass(frozen=True, slots=True)
class ImportRow:
    """One row read from the file; values are ``None`` where missing or unreadable."""

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
    errors: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors


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

    @property
    def status(self) -> str:
        if self.errors:
            return "Fehler"
        if self.duplicate:
            return "Dublette"
        return "ok"

    def messages(self) -> list[str]:
        found = [f"Zeile {self.line}: {text}" for text in self.errors]
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

    @property
    def error_rows(self) -> tuple[PreviewRow, ...]:
        return tuple(r for r in self.rows if r.errors)

    @property
    def duplicate_rows(self) -> tuple[PreviewRow, ...]:
        return tuple(r for r in self.rows if r.duplicate and not r.errors)

    @property
    def rows_to_import(self) -> tuple[PreviewRow, ...]:
        return tuple(r for r in self.rows if not r.errors and not (r.duplicate and self.skip_duplicates))

    @property
    def total_cents(self) -> int:
        return sum(r.receipt.amount_cents for r in self.rows_to_import)

    @property
    def can_import(self) -> bool:
        return not self.file_errors and not self.error_rows and bool(self.rows_to_import)

    def summary(self) -> str:
        parts = [f"{len(self.rows)} Zeilen gelesen", f"{len(self.rows_to_import)} zu übernehmen "
                 f"({format_cents(self.total_cents)})"]
        if self.error_rows:
            parts.append(f"{len(self.error_rows)} mit Fehlern")
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


def _delimiter(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            counts = {d: line.count(d) for d in (";", "\t", ",")}
            best = max(counts, key=lambda d: (counts[d], d == ";"))
            return best if counts[best] else ";"
    return ";"


def _check_size(data: bytes) -> None:
    if not isinstance(data, bytes | bytearray):
        raise ImportFileError("Die Datei konnte nicht gelesen werden.")
    if not data.strip():
        raise ImportFileError("Die Datei ist leer.")
    if len(data) > MAX_BYTES:
        raise ImportFileError(f"Die Datei ist zu groß (über {MAX_BYTES // (1024 * 1024)} MB).")


def read_csv(data: bytes) -> Table:
    _check_size(data)
    text, encoding = decode_text(bytes(data))
    if "\x00" in text:
        raise ImportFileError(
            f"Die Datei enthält Nullbytes (Zeile {text.count(chr(10), 0, text.index(chr(0))) + 1}); "
            "sie ist keine Textdatei oder beschädigt.")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=False)
    headers: tuple[str, ...] | None = None
    header_line = 1
    rows: list[TableRow] = []
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
            if headers is None:
                headers, header_line = tuple(cell.strip() for cell in record), start
                continue
            rows.append(TableRow(start, tuple(record)))
            if len(rows) > MAX_ROWS:
                raise ImportFileError(f"Die Datei hat mehr als {MAX_ROWS} Zeilen; bitte aufteilen.")
    except csv.Error as err:
        raise ImportFileError(f"Die CSV-Datei ist in Zeile {reader.line_num} nicht lesbar ({err}).") from None
    if headers is None:
        raise ImportFileError("Die Datei enthält keine Zeilen.")
    return Table(headers, tuple(rows), "CSV", encoding, header_line)


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
            if total > MAX_UNZIPPED:
                raise ImportFileError("Die XLSX-Datei ist entpackt zu groß.")
    except ImportFileError:
        raise
    except Exception:  # noqa: BLE001 - zipfile raises many kinds on damaged data
        raise ImportFileError("Die Datei ist keine gültige XLSX-Datei (beschädigt oder ein anderes Format).") from None


def read_xlsx(data: bytes) -> Table:
    _check_size(data)
    _check_zip(bytes(data))
    import openpyxl  # only needed here; keeps the CSV path light

    try:
        book = openpyxl.load_workbook(io.BytesIO(bytes(data)), read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            headers: tuple[str, ...] | None = None
            header_line = 1
            rows: list[TableRow] = []
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                values = tuple(values)
                if len(values) > MAX_COLUMNS:
                    if any(_has_value(v) for v in values[MAX_COLUMNS:]):
                        raise ImportFileError(f"Zeile {number} hat mehr als {MAX_COLUMNS} Spalten.")
                    values = values[:MAX_COLUMNS]
                if not any(_has_value(v) for v in values):
                    continue
                if headers is None:
                    headers, header_line = tuple(_text(v) for v in values), number
                    continue
                rows.append(TableRow(number, values))
                if len(rows) > MAX_ROWS:
                    raise ImportFileError(f"Die Datei hat mehr als {MAX_ROWS} Zeilen; bitte aufteilen.")
        finally:
            book.close()
    except ImportFileError:
        raise
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds on damaged or foreign files
        raise ImportFileError(
            "Die XLSX-Datei kann nicht gelesen werden (beschädigt, verschlüsselt oder kein Excel-Format).") from None
    if headers is None:
        raise ImportFileError("Das erste Tabellenblatt der Datei ist leer.")
    return Table(headers, tuple(rows), "XLSX", "", header_line)


def read_table(data: bytes, *, filename: str = "") -> Table:
    """CSV or XLSX by file name (``.csv``/``.txt``, ``.xlsx``/``.xlsm``), else by content."""
    name = (filename or "").lower()
    if name.endswith((".xlsx", ".xlsm")):
        return read_xlsx(data)
    if name.endswith((".csv", ".txt")):
        if bytes(data[:4]) == b"PK\x03\x04":
            raise ImportFileError("Die Datei heißt .csv, ist aber eine Excel-Datei. Bitte als .xlsx importieren.")
        return read_csv(data)
    if name.endswith(".xls"):
        raise ImportFileError("Das alte Excel-Format (.xls) wird nicht gelesen. Bitte als .xlsx oder CSV speichern.")
    if bytes(data[:4]) == b"PK\x03\x04":
        return read_xlsx(data)
    return read_csv(data)


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
    for item in FIELDS:
        if item.required and not str(mapping.get(item.key) or "").strip():
            problems.append(f"keine Spalte für „{item.label}“ zugeordnet")
    if problems:
        raise ImportFileError("Die Spaltenzuordnung passt nicht: " + "; ".join(problems) + ".")
    return index


# --- values -----------------------------------------------------------------------------------

_DE_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00)?)?$")
_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+(,\d{1,2})?$")
_PLAIN = re.compile(r"^\d+(,\d{1,2})?$")


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
    return " ".join(str(value).replace("\u00a0", " ").split())


def parse_import_date(value: Cell, *, label: str) -> date:
    """TT.MM.JJJJ (also T.M.JJJJ) or ISO JJJJ-MM-TT; an Excel date cell as it is."""
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    elif isinstance(value, str):
        raw = value.strip()
        match = _DE_DATE.match(raw)
        iso = _ISO_DATE.match(raw)
        try:
            if match:
                day = date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
            elif iso:
                day = date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
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
        cents = value * 100
    elif isinstance(value, float | Decimal):
        try:
            number = Decimal(repr(value)) if isinstance(value, float) else value
            scaled = number * 100
            if not scaled.is_finite() or scaled != scaled.to_integral_value():
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
    if "," not in raw and re.fullmatch(r"\d{1,3}(\.\d{3})+", raw):
        raise ValidationError(
            f"Der Betrag „{shown}“ ist mehrdeutig (Tausenderpunkt oder Dezimalpunkt?). "
            "Bitte mit Dezimalkomma angeben, z. B. 1.234,00.")
    if "." in raw and "," not in raw and re.fullmatch(r"\d+\.\d{1,2}", raw):
        raise ValidationError(
            f"Der Betrag „{shown}“ hat einen Dezimalpunkt; in deutschen Dateien steht ein Komma "
            "(z. B. 12,50). Bitte das Exportformat prüfen.")
    if not (_GROUPED.match(raw) or _PLAIN.match(raw)):
        raise ValidationError(f"„{shown}“ ist kein gültiger Betrag (Beispiel: 1.234,56).")
    euros, _, cents = raw.replace(".", "").partition(",")
    value = int(euros) * 100 + int((cents + "00")[:2])
    return -value if negative else value


def _parse_year(value: Cell) -> int:
    if isinstance(value, bool):
        raise ValidationError("Das Haushaltsjahr ist keine Jahreszahl.")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*\d{4}\s*", value):
        value = int(value)
    if not isinstance(value, int) or not 2000 <= value <= 2100:
        raise ValidationError(f"Das Haushaltsjahr „{_short(_text(value))}“ ist keine Jahreszahl zwischen 2000 und 2100.")
    return value


def _parse_number(value: Cell) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        raw = value.strip()
        match = re.fullmatch(r"(?:[PpSs]\s*-?\s*)?0*(\d{1,9})", raw)
        if not match:
            raise ValidationError(
                f"Die Belegnummer „{_short(raw)}“ ist keine ganze Zahl. Die Spalte nicht zuordnen, "
                "dann nummeriert PaktDesk selbst.")
        value = int(match.group(1))
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 10**9:
        raise ValidationError(f"Die Belegnummer „{_short(_text(value))}“ muss eine ganze Zahl über 0 sein.")
    return value


def _short(text: str, limit: int = 40) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- rows -------------------------------------------------------------------------------------

def parse_rows(table: Table, mapping: Mapping[str, str]) -> list[ImportRow]:
    """Every data row of ``table`` as an :class:`ImportRow`; problems become its ``errors``."""
    index = check_mapping(table.headers, mapping)
    width = len(table.headers)
    return [_parse_row(row, index, width) for row in table.rows]


def _cell(row: TableRow, index: Mapping[str, int], key: str) -> Cell:
    position = index.get(key)
    if position is None or position >= len(row.cells):
        return None
    value = row.cells[position]
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _parse_row(row: TableRow, index: Mapping[str, int], width: int) -> ImportRow:
    errors: list[str] = []
    values: dict[str, Any] = {}
    extra = [c for c in row.cells[width:] if _has_value(c)]
    if extra:
        errors.append(f"Die Zeile hat mehr Werte als die Kopfzeile Spalten ({len(row.cells)} statt {width}).")

    def read(key: str, parse, *, required: bool, label: str) -> None:
        value = _cell(row, index, key)
        if value is None:
            if required:
                errors.append(f"{label} fehlt.")
            return
        try:
            values[key] = parse(value)
        except ValidationError as err:
            errors.append(err.message)

    read("receipt_date", lambda v: parse_import_date(v, label="Das Belegdatum"), required=True, label="Das Belegdatum")
    read("paid_on", lambda v: parse_import_date(v, label="Das Zahldatum"), required=False, label="Das Zahldatum")
    read("amount", parse_import_amount, required=True, label="Der Betrag")
    read("budget_year", _parse_year, required=False, label="Das Haushaltsjahr")
    read("number", _parse_number, required=False, label="Die Belegnummer")
    for key, label, limit in (("payee", "Der Empfänger", 200), ("purpose", "Der Zweck", 500)):
        text = _text(_cell(row, index, key))
        if not text:
            errors.append(f"{label} fehlt.")
        elif len(text) > limit:
            errors.append(f"{label} ist zu lang (höchstens {limit} Zeichen).")
        values[key] = text
    values["cost_category"] = _text(_cell(row, index, "cost_category"))
    values["person"] = _text(_cell(row, index, "person"))

    amount = values.get("amount")
    if amount is not None and amount == 0:
        errors.append("Der Betrag ist 0,00 €.")
    elif amount is not None and amount < 0:
        errors.append(f"Negative Beträge ({format_cents(amount)}) werden nicht importiert: Gutschriften "
                      "bitte als Storno des ursprünglichen Belegs erfassen.")
    receipt_date, paid_on = values.get("receipt_date"), values.get("paid_on")
    if receipt_date and paid_on and paid_on < receipt_date and (receipt_date - paid_on).days > 366:
        errors.append("Das Zahldatum liegt mehr als ein Jahr vor dem Belegdatum.")
    year = values.get("budget_year")
    if year is None and receipt_date is not None:
        year = receipt_date.year
    return ImportRow(
        line=row.line, receipt_date=receipt_date, paid_on=paid_on, budget_year=year,
        payee=values.get("payee", ""), purpose=values.get("purpose", ""), amount_cents=amount,
        cost_category=values["cost_category"], number=values.get("number"), person=values["person"],
        errors=tuple(errors),
    )


def normalize_key_text(text: str) -> str:
    """Payee and purpose as compared for duplicates: case and spacing do not matter."""
    return _norm(text)
