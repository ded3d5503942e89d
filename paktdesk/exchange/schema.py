"""The published JSON Schema of the exchange file, and its findings in German.

jsonschema reports in English; a clerk gets one German line per problem that names the field
(``tables.receipts[3].amount_cents``) and what is wrong with it."""

from __future__ import annotations

import functools
import itertools
import json
from collections.abc import Iterable
from typing import Any

from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError as SchemaError
from jsonschema.exceptions import best_match

from ..paths import resource_path
from . import FORMAT_VERSION
from .fast_schema import compile_schema, ecma_pattern

SCHEMA_FILE = "paktdesk-exchange.schema.json"

_TYPES = {"object": "ein Objekt", "array": "eine Liste", "string": "ein Text", "integer": "eine ganze Zahl",
          "number": "eine Zahl", "boolean": "true oder false", "null": "null"}


@functools.cache
def schema() -> dict[str, Any]:
    return json.loads(resource_path(SCHEMA_FILE).read_text(encoding="utf-8"))


def _ecma_pattern(validator, pattern, instance, schema):
    """jsonschema's ``pattern`` with the end of text as ECMA-262 (and the schema's other
    readers, e.g. a Kreis's DuckDB or JavaScript) mean it, see :func:`ecma_pattern`."""
    if isinstance(instance, str) and ecma_pattern(pattern).search(instance) is None:
        yield SchemaError(f"{instance!r} does not match {pattern!r}")


_Validator = validators.extend(Draft202012Validator, {"pattern": _ecma_pattern})


@functools.cache
def validator() -> Draft202012Validator:
    return _Validator(schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)


@functools.cache
def fast_check():
    """The schema compiled to a quick yes/no check (None if it cannot be compiled faithfully)."""
    return compile_schema(schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def _where(path: Iterable[Any]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return f"Feld {text}" if text else "Dokument"


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "ein Objekt"
    if isinstance(value, list):
        return "eine Liste"
    text = json.dumps(value, ensure_ascii=False)
    text = "".join(ch if ch.isprintable() else "�" for ch in text)
    return text if len(text) <= 40 else text[:37] + "…"


def _type_name(expected: Any) -> str:
    names = expected if isinstance(expected, list) else [expected]
    return " oder ".join(_TYPES.get(n, str(n)) for n in names)


def describe(error: SchemaError) -> str:
    """One German line for one schema finding."""
    if error.validator == "anyOf" and error.context:
        return describe(best_match(error.context))
    where = _where(error.absolute_path)
    kind, expected, value = error.validator, error.validator_value, error.instance
    if kind == "type":
        return f"{where}: erwartet {_type_name(expected)}, gefunden {_show(value)}."
    if kind == "required":
        missing = [name for name in expected if isinstance(value, dict) and name not in value]
        return f"{where}: Angabe „{missing[0] if missing else '?'}“ fehlt."
    if kind in ("additionalProperties", "unevaluatedProperties"):
        known = set(error.schema.get("properties", {}))
        extra = [name for name in value if name not in known] if isinstance(value, dict) else []
        shown = _show(extra[0]) if extra else "?"
        return f"{where}: unbekannte Angabe {shown} (in Version {FORMAT_VERSION} nicht vorgesehen)."
    if kind == "enum":
        allowed = ", ".join(_show(v) for v in expected)
        return f"{where}: {_show(value)} ist nicht zulässig (erlaubt: {allowed})."
    if kind == "const":
        return f"{where}: erwartet {_show(expected)}, gefunden {_show(value)}."
    if kind == "pattern":
        return f"{where}: {_show(value)} hat nicht die vorgeschriebene Form."
    if kind == "format":
        return f"{where}: {_show(value)} ist kein gültiges Datum."
    if kind in ("minimum", "exclusiveMinimum"):
        return f"{where}: {_show(value)} ist zu klein (mindestens {expected})."
    if kind in ("maximum", "exclusiveMaximum"):
        return f"{where}: {_show(value)} ist zu groß (höchstens {expected})."
    if kind == "minLength":
        return f"{where}: darf nicht leer sein."
    if kind == "maxLength":
        return f"{where}: ist zu lang (höchstens {expected} Zeichen)."
    if kind == "maxItems":
        return f"{where}: zu viele Einträge (höchstens {expected})."
    if kind == "minItems":
        return f"{where}: zu wenige Einträge (mindestens {expected})."
    return f"{where}: entspricht nicht dem Schema ({kind})."


def findings(document: Any, *, limit: int = 5) -> list[str]:
    """German descriptions of up to ``limit`` schema violations (empty: valid).

    A valid document is recognised by the compiled check; jsonschema itself only runs to find
    and describe what is wrong (and stays the authority if the compiled check has doubts)."""
    check = fast_check()
    if check is not None and check(document):
        return []
    errors = itertools.islice(validator().iter_errors(document), limit)
    return [describe(error) for error in errors]
