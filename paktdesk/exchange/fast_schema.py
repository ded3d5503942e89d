"""A compiled yes/no check of the exchange schema, for the common case of a valid file.

jsonschema walks every keyword of every record through generic machinery: about 100 µs per
receipt, 20 s for a Kreis's 200,000 receipts. This module turns the schema once into Python
functions that give the same verdict as ``Draft202012Validator`` with its format checker for the
keywords the published schema uses (type, enum, const, pattern, format, minimum, maximum,
minLength, maxLength, minItems, maxItems, items, required, properties, additionalProperties,
local ``$ref``). A table of flat records is checked column by column (types, smallest and
largest value or length, each distinct text once), about 1 µs per record.

It only answers "valid or not", and only "valid" is trusted: whenever it says "not valid", or
meets a value it does not handle itself (a bool where a number is expected, a Decimal, …), the
caller asks jsonschema, which stays the authority for the findings and their German
descriptions. A schema with any other keyword is not compiled at all (:func:`compile_schema`
returns None)."""

from __future__ import annotations

import functools
import numbers
import operator
import re
from collections.abc import Callable
from functools import partial
from typing import Any

Check = Callable[[Any], bool]

_ANNOTATIONS = frozenset({"$schema", "$id", "$comment", "$defs", "definitions", "title", "description",
                          "examples", "default", "deprecated", "readOnly", "writeOnly"})
_SUPPORTED = _ANNOTATIONS | {"type", "enum", "const", "pattern", "format", "minimum", "maximum", "minLength",
                             "maxLength", "minItems", "maxItems", "items", "required", "properties",
                             "additionalProperties", "$ref"}
_SCALAR_KEYWORDS = frozenset({"type", "enum", "const", "pattern", "format", "minimum", "maximum", "minLength",
                              "maxLength"})
_TYPES = frozenset({"object", "array", "string", "integer", "number", "boolean", "null"})
_NONE_TYPE = type(None)
_not_none = partial(operator.is_not, None)


class Unsupported(Exception):
    """The schema uses something this compiler does not reproduce exactly."""


def compile_schema(schema: Any, *, format_checker: Any) -> Check | None:
    """A function ``document → bool`` that is True only for documents jsonschema finds valid,
    or None if the schema cannot be compiled faithfully. ``format_checker`` is the checker
    jsonschema is given."""
    try:
        return _Compiler(schema, format_checker).compile(schema)
    except Unsupported:
        return None


def _all(checks: list[Check]) -> Check:
    """One check that passes when every one of ``checks`` passes (short-circuit, in order)."""
    if not checks:
        return lambda v: True
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda v: first(v) and second(v)
    chosen = tuple(checks)

    def every(v: Any) -> bool:
        for check in chosen:
            if not check(v):
                return False
        return True

    return every


@functools.cache
def ecma_pattern(pattern: str) -> re.Pattern[str]:
    r"""A JSON Schema ``pattern`` compiled with ECMA-262's meaning of ``$``: the end of the text.
    Python's ``$`` also matches before a final line break, so ``^[0-9]{8}$`` would let
    ``"08125097\n"`` through; every unescaped ``$`` outside a character class becomes ``\Z``."""
    out, escaped, in_class = [], False, False
    for ch in pattern:
        if escaped:
            out.append(ch)
            escaped = False
        elif ch == "\\":
            out.append(ch)
            escaped = True
        elif ch == "[" and not in_class:
            in_class = True
            out.append(ch)
        elif ch == "]" and in_class:
            in_class = False
            out.append(ch)
        elif ch == "$" and not in_class:
            out.append(r"\Z")
        else:
            out.append(ch)
    return re.compile("".join(out))


def _format_check(format_checker: Any, name: str) -> Check:
    """``format_checker.conforms(v, name)`` without its per-call bookkeeping: the same function
    and the same exceptions that mean "does not conform"."""
    if name not in format_checker.checkers:
        return lambda v: True
    func, raises = format_checker.checkers[name]

    def conforms(v: Any) -> bool:
        try:
            return bool(func(v))
        except raises:
            return False

    return conforms


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Number) and not isinstance(value, bool)


def _type_check(names: tuple[str, ...]) -> Check:
    """jsonschema's type checker of Draft 2020-12 (an integral float counts as an integer)."""
    tests = {
        "object": lambda v: isinstance(v, dict),
        "array": lambda v: isinstance(v, list),
        "string": lambda v: isinstance(v, str),
        "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool))
        or (isinstance(v, float) and v.is_integer()),
        "number": _is_number,
        "boolean": lambda v: isinstance(v, bool),
        "null": lambda v: v is None,
    }
    chosen = tuple(tests[name] for name in names)
    return lambda v: any(test(v) for test in chosen)


class _Scalar:
    """A schema of type keywords and value keywords only (no objects or arrays inside), checked
    for the exact types str, int and None without the generic machinery."""

    def __init__(self, compiler: _Compiler, schema: dict[str, Any], generic: Check):
        keys = set(schema) - _ANNOTATIONS
        names = set(schema["type"] if isinstance(schema["type"], list) else [schema["type"]])
        self.generic = generic
        enum = compiler.one_of_values(schema["enum"]) if "enum" in schema else None
        const = compiler.one_of_values([schema["const"]]) if "const" in schema else None
        self.none_ok = "null" in names and (enum is None or enum(None)) and (const is None or const(None))
        numeric = bool(names & {"integer", "number"})
        # an exact int: its range; a wrong type; or (with enum/const/format) the generic checks
        self.int_range = numeric and enum is None and const is None and "format" not in keys
        self.int_rejected = not numeric
        self.low = compiler.number(schema.get("minimum", float("-inf")))
        self.high = compiler.number(schema.get("maximum", float("inf")))
        # an exact str: its lengths, then the other string keywords on each distinct text
        self.text_ok = "string" in names
        self.shortest = compiler.count(schema.get("minLength", 0))
        self.longest = compiler.count(schema["maxLength"]) if "maxLength" in schema else float("inf")
        checks: list[Check] = []
        if "pattern" in schema:
            search = ecma_pattern(schema["pattern"]).search
            checks.append(lambda v: search(v) is not None)
        if "format" in schema:
            checks.append(_format_check(compiler.format_checker, schema["format"]))
        checks += [c for c in (enum, const) if c is not None]
        self.text_rules = _all(checks) if checks else None

    @staticmethod
    def fits(schema: dict[str, Any]) -> bool:
        return "type" in schema and set(schema) - _ANNOTATIONS <= _SCALAR_KEYWORDS

    def check(self) -> Check:
        """The per-value check."""
        text_ok, shortest, longest, text_rules = self.text_ok, self.shortest, self.longest, self.text_rules
        int_range, int_rejected, low, high = self.int_range, self.int_rejected, self.low, self.high
        none_ok, generic = self.none_ok, self.generic

        def check(v: Any) -> bool:
            kind = type(v)
            if kind is str:
                if not text_ok or not shortest <= len(v) <= longest:
                    return False
                return text_rules is None or text_rules(v)
            if kind is int:
                if int_range:
                    return low <= v <= high
                return False if int_rejected else generic(v)
            if v is None:
                return none_ok
            return generic(v)

        return check

    def column(self, values: list[Any]) -> bool:
        """True if every value passes (only exact str, int and None are judged here)."""
        kinds = set(map(type, values))
        if not kinds <= {str, int, _NONE_TYPE}:
            return False
        if _NONE_TYPE in kinds and not self.none_ok:
            return False
        mixed = len(kinds) > 1
        if str in kinds:
            if not self.text_ok:
                return False
            texts = [v for v in values if type(v) is str] if mixed else values
            lengths = list(map(len, texts))
            if min(lengths) < self.shortest or max(lengths) > self.longest:
                return False
            if self.text_rules is not None and not all(map(self.text_rules, set(texts))):
                return False
        if int in kinds:
            if not self.int_range:
                return False
            numbers_ = [v for v in values if type(v) is int] if mixed else values
            if min(numbers_) < self.low or max(numbers_) > self.high:
                return False
        return True


class _Records:
    """A closed object of scalar properties, all required: the rows of an exchange table."""

    def __init__(self, names: tuple[str, ...], columns: tuple[_Scalar, ...]):
        self.names = names
        self.columns = columns

    def __call__(self, rows: list[Any]) -> bool:
        if not rows:
            return True
        if set(map(type, rows)) != {dict}:
            return False
        # exactly the names: as many keys as names, and every name present (itemgetter finds it)
        if set(map(len, rows)) != {len(self.names)}:
            return False
        for name, column in zip(self.names, self.columns, strict=True):
            try:
                values = list(map(operator.itemgetter(name), rows))
            except KeyError:
                return False
            if not column.column(values):
                return False
        return True


class _Compiler:
    def __init__(self, root: Any, format_checker: Any):
        self.root = root
        self.format_checker = format_checker
        self.refs: dict[str, list[Check | None]] = {}
        self.scalars: dict[int, _Scalar] = {}  # id(schema) → its scalar check, for columns

    def compile(self, schema: Any) -> Check:
        if schema is True:
            return lambda v: True
        if schema is False:
            return lambda v: False
        if not isinstance(schema, dict) or not set(schema) <= _SUPPORTED:
            raise Unsupported(schema)
        generic = self._generic(schema)
        if _Scalar.fits(schema):
            scalar = _Scalar(self, schema, generic)
            self.scalars[id(schema)] = scalar
            return scalar.check()
        return generic

    # every keyword as its own check, exactly as jsonschema applies it
    def _generic(self, schema: dict[str, Any]) -> Check:
        checks: list[Check] = []
        strict_object = schema.get("type") == "object" and bool(
            {"properties", "additionalProperties", "required"} & set(schema))
        if "type" in schema and not strict_object:  # a strict object check refuses non-dicts itself
            names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            if not names or not set(names) <= _TYPES:
                raise Unsupported(schema["type"])
            checks.append(_type_check(tuple(names)))
        if "enum" in schema:
            checks.append(self.one_of_values(schema["enum"]))
        if "const" in schema:
            checks.append(self.one_of_values([schema["const"]]))
        if "pattern" in schema:
            search = ecma_pattern(schema["pattern"]).search
            checks.append(lambda v: not isinstance(v, str) or search(v) is not None)
        if "format" in schema:
            checks.append(_format_check(self.format_checker, schema["format"]))
        if "minimum" in schema:
            low = self.number(schema["minimum"])
            checks.append(lambda v: not _is_number(v) or not v < low)
        if "maximum" in schema:
            high = self.number(schema["maximum"])
            checks.append(lambda v: not _is_number(v) or not v > high)
        if "minLength" in schema:
            shortest = self.count(schema["minLength"])
            checks.append(lambda v: not isinstance(v, str) or len(v) >= shortest)
        if "maxLength" in schema:
            longest = self.count(schema["maxLength"])
            checks.append(lambda v: not isinstance(v, str) or len(v) <= longest)
        if "minItems" in schema:
            fewest = self.count(schema["minItems"])
            checks.append(lambda v: not isinstance(v, list) or len(v) >= fewest)
        if "maxItems" in schema:
            most = self.count(schema["maxItems"])
            checks.append(lambda v: not isinstance(v, list) or len(v) <= most)
        if "items" in schema:
            checks.append(self._items(schema["items"]))
        if "properties" in schema or "additionalProperties" in schema or "required" in schema:
            checks.append(self._object(schema, strict=strict_object))
        if "$ref" in schema:
            checks.append(self._ref(schema["$ref"]))
        return _all(checks)

    def one_of_values(self, values: list[Any]) -> Check:
        # jsonschema compares strings with ==; other values would need its bool/int rules
        if not isinstance(values, list) or not all(value is None or type(value) is str for value in values):
            raise Unsupported(values)
        texts = frozenset(value for value in values if value is not None)
        none_allowed = None in values
        return lambda v: (v is None and none_allowed) or (isinstance(v, str) and v in texts)

    @staticmethod
    def number(value: Any) -> int | float:
        if type(value) not in (int, float):
            raise Unsupported(value)
        return value

    @staticmethod
    def count(value: Any) -> int:
        if type(value) is not int or value < 0:
            raise Unsupported(value)
        return value

    def _items(self, items: Any) -> Check:
        item = self.compile(items)
        records = self._records(items)
        if records is None:
            return lambda v: not isinstance(v, list) or all(map(item, v))
        # column by column first; only if that has doubts, record by record
        return lambda v: not isinstance(v, list) or records(v) or all(map(item, v))

    def _records(self, items: Any) -> _Records | None:
        """The column check for ``items`` if they are flat records (else None)."""
        schema = items
        while isinstance(schema, dict) and set(schema) - _ANNOTATIONS == {"$ref"}:
            schema = self._resolve(schema["$ref"])
        if not isinstance(schema, dict) or schema.get("type") != "object":
            return None
        if set(schema) - _ANNOTATIONS != {"type", "properties", "required", "additionalProperties"}:
            return None
        properties = schema["properties"]
        if schema["additionalProperties"] is not False or set(schema["required"]) != set(properties):
            return None
        columns = []
        for sub in properties.values():
            self.compile(sub)  # registers the scalar check of ``sub`` if it is one
            if id(sub) not in self.scalars:
                return None
            columns.append(self.scalars[id(sub)])
        return _Records(tuple(properties), tuple(columns))

    def _object(self, schema: dict[str, Any], *, strict: bool) -> Check:
        """properties, additionalProperties and required together (they all apply to dicts only;
        ``strict``: the schema's type is "object", so anything else fails)."""
        properties = schema.get("properties", {})
        required = schema.get("required", [])
        if not isinstance(properties, dict) or not isinstance(required, list) or not all(
                isinstance(name, str) for name in required):
            raise Unsupported(schema)
        needed = frozenset(required)
        compiled = tuple((name, self.compile(sub)) for name, sub in properties.items())
        known = frozenset(properties)
        extra = schema.get("additionalProperties", True)
        if extra is True:
            closed, extra_check = False, None
        elif extra is False:
            closed, extra_check = True, None
        else:
            closed, extra_check = False, self.compile(extra)

        def check(v: Any) -> bool:
            if not isinstance(v, dict):
                return not strict
            if closed and not v.keys() <= known:
                return False
            if not v.keys() >= needed:
                return False
            for name, sub in compiled:
                if name in v and not sub(v[name]):
                    return False
            if extra_check is not None:
                return all(extra_check(value) for key, value in v.items() if key not in known)
            return True

        return check

    def _ref(self, ref: Any) -> Check:
        if not isinstance(ref, str) or not ref.startswith("#"):
            raise Unsupported(ref)
        if ref not in self.refs:
            cell: list[Check | None] = [None]
            self.refs[ref] = cell  # a reference back to itself finds the cell
            cell[0] = self.compile(self._resolve(ref))
        cell = self.refs[ref]
        if cell[0] is not None:
            return cell[0]
        return lambda v: cell[0](v)

    def _resolve(self, ref: Any) -> Any:
        if not isinstance(ref, str) or not ref.startswith("#"):
            raise Unsupported(ref)
        node = self.root
        for raw in ref[1:].split("/")[1:] if ref != "#" else []:
            part = raw.replace("~1", "/").replace("~0", "~")
            if not isinstance(node, dict) or part not in node:
                raise Unsupported(ref)
            node = node[part]
        return node
