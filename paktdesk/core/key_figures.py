"""Key figures (Kennzahlen): the plausibility rules for one year's figures of one integration
manager (or of the applicant as a whole), the form a year starts from, and the check of a figure
definition the clerk adds or renames.

The list of figures is data (``key_figure_defs``); the rules below refer to the default codes and
apply only where those codes are present. Errors block saving, warnings are shown and saved.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .entities import KeyFigureDef
from .errors import ValidationError

MAX_VALUE = 1_000_000  # above this a single year's figure is a typing error, not a count
_MAX_TEXT = f"{MAX_VALUE:,}".replace(",", ".")
_CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+$")


@dataclass(frozen=True, slots=True)
class Breakdown:
    """Parts that together make up a total ("davon"-Werte)."""

    total: str
    parts: tuple[str, ...]
    label: str


@dataclass(frozen=True, slots=True)
class AtMost:
    """``smaller`` must not exceed ``larger``; ``blocking`` decides error or warning."""

    smaller: str
    larger: str
    blocking: bool


BREAKDOWNS = (
    Breakdown("beraten_gesamt", ("beraten_m", "beraten_w", "beraten_d"), "nach Geschlecht"),
    Breakdown("beraten_gesamt", ("alter_u18", "alter_18_26", "alter_27_64", "alter_65"),
              "nach Altersgruppen"),
)
AT_MOST = (
    AtMost("faelle_abgeschlossen", "beraten_gesamt", blocking=True),
    AtMost("faelle_neu", "beraten_gesamt", blocking=False),
    AtMost("plaene_neu", "beraten_gesamt", blocking=False),
)


@dataclass(frozen=True, slots=True)
class Problem:
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class KeyFigureReview:
    errors: tuple[Problem, ...]
    warnings: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True, slots=True)
class KeyFigureRow:
    """One line of the entry form: this year's value (None = not entered) and last year's."""

    definition: KeyFigureDef
    value: int | None
    previous: int | None


def is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_VALUE


def parse_count(text: str, *, label: str = "Die Kennzahl", field: str | None = None) -> int | None:
    """What a clerk types into a key-figure field: ``"1.234"`` → 1234, ``""`` → None."""
    raw = (text or "").strip().replace(" ", "").replace("\u00a0", "")
    if not raw:
        return None
    if _GROUPED.match(raw):
        raw = raw.replace(".", "")
    if not raw.isdigit() or not raw.isascii():
        raise ValidationError(f"{label}: „{text}“ ist keine ganze Zahl ab 0.", field=field)
    value = int(raw)
    if value > MAX_VALUE:
        raise ValidationError(f"{label}: {value} ist unplausibel groß.", field=field)
    return value


def review(values: Mapping[str, object], *, labels: Mapping[str, str] | None = None) -> KeyFigureReview:
    """Check one year's figures of one subject. ``labels`` maps codes to the names shown."""
    labels = labels or {}
    name = lambda code: labels.get(code, code)  # noqa: E731
    errors: list[Problem] = []
    warnings: list[Problem] = []
    for code, value in values.items():
        if not is_count(value):
            errors.append(Problem(code, f"„{name(code)}“: bitte eine ganze Zahl zwischen 0 und "
                                        f"{_MAX_TEXT} eingeben (nicht „{value}“)."))
    counts = {code: value for code, value in values.items() if is_count(value)}
    for rule in BREAKDOWNS:
        given = [code for code in rule.parts if code in counts]
        if rule.total not in counts or not given:
            continue
        total, parts = counts[rule.total], sum(counts[code] for code in given)
        if parts > total:
            errors.append(Problem(given[0], (
                f"Die Aufteilung {rule.label} ergibt {parts}, mehr als „{name(rule.total)}“ ({total}).")))
        elif parts < total and len(given) == len(rule.parts):
            warnings.append(Problem(given[0], (
                f"Die Aufteilung {rule.label} ergibt {parts}, weniger als „{name(rule.total)}“ "
                f"({total}). Fehlende Angaben bitte unter „ohne Angabe“ bzw. der passenden Gruppe erfassen.")))
    for rule in AT_MOST:
        if rule.smaller in counts and rule.larger in counts and counts[rule.smaller] > counts[rule.larger]:
            problem = Problem(rule.smaller, (
                f"„{name(rule.smaller)}“ ({counts[rule.smaller]}) ist größer als "
                f"„{name(rule.larger)}“ ({counts[rule.larger]})."))
            (errors if rule.blocking else warnings).append(problem)
    return KeyFigureReview(tuple(errors), tuple(warnings))


def check(values: Mapping[str, object], *, labels: Mapping[str, str] | None = None) -> list[str]:
    """:func:`review` for saving: raises :class:`ValidationError` with every error (one per line),
    returns the warnings' messages."""
    result = review(values, labels=labels)
    if result.errors:
        raise ValidationError("\n".join(p.message for p in result.errors), field=result.errors[0].code)
    return [p.message for p in result.warnings]


def applicant_problems(applicant: Mapping[str, int], persons: Iterable[Mapping[str, int]], *,
                       labels: Mapping[str, str] | None = None) -> list[Problem]:
    """The applicant's own figures against its integration managers' of the same year(s).

    A person advised by several managers is counted by each of them but only once in the
    applicant's total, so for every figure the applicant's value lies between the largest
    manager's value and the sum of all of theirs. Figures no manager recorded are not compared
    (the applicant may record what the managers do not)."""
    labels = labels or {}
    persons = list(persons)
    problems = []
    for code, total in applicant.items():
        given = [values[code] for values in persons if code in values]
        if not given or not is_count(total):
            continue
        name = labels.get(code, code)
        largest, summed = max(given), sum(given)
        if total < largest:
            problems.append(Problem(code, (
                f"„{name}“ des Antragstellers insgesamt ({total}) ist kleiner als der Wert einer "
                f"Integrationsmanager:in ({largest}); insgesamt muss mindestens der größte Einzelwert stehen.")))
        elif total > summed:
            problems.append(Problem(code, (
                f"„{name}“ des Antragstellers insgesamt ({total}) ist größer als die Summe der "
                f"Integrationsmanager:innen ({summed}); Personen, die mehrere beraten, zählen insgesamt nur "
                "einmal.")))
    return problems


def form_rows(definitions: Iterable[KeyFigureDef], *, current: Mapping[str, int],
              previous: Mapping[str, int]) -> list[KeyFigureRow]:
    """The entry form of a year, carried forward from last year's list: every active figure, plus
    inactive ones that already hold a value this year, each with last year's value beside it.
    ``definitions`` are all figures (active and inactive) in display order."""
    return [KeyFigureRow(d, current.get(d.code), previous.get(d.code))
            for d in definitions if d.active or d.code in current]


def check_definition(item: KeyFigureDef, *, existing_codes: Iterable[str], new: bool) -> KeyFigureDef:
    """A figure the clerk adds or renames. The code is the stable key and cannot change."""
    code = (item.code or "").strip()
    if not _CODE.match(code):
        raise ValidationError(
            f"Das Kürzel „{item.code}“ ist nicht zulässig: Kleinbuchstaben, Ziffern und _ , "
            "beginnend mit einem Buchstaben, höchstens 40 Zeichen (z. B. sprachkurs_vermittelt).",
            field="code")
    if new and code in set(existing_codes):
        raise ValidationError(f"Eine Kennzahl mit dem Kürzel „{code}“ gibt es schon.", field="code")
    label = (item.label or "").strip()
    if not label:
        raise ValidationError("Bitte die Bezeichnung der Kennzahl angeben.", field="label")
    if len(label) > 200:
        raise ValidationError("Die Bezeichnung ist zu lang (höchstens 200 Zeichen).", field="label")
    group = (item.group or "").strip()
    if len(group) > 100:
        raise ValidationError("Die Gruppe ist zu lang (höchstens 100 Zeichen).", field="group")
    if not isinstance(item.sort_order, int) or isinstance(item.sort_order, bool):
        raise ValidationError("Die Reihenfolge muss eine ganze Zahl sein.", field="sort_order")
    return KeyFigureDef(code, label, group, item.sort_order, bool(item.active))
