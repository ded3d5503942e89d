"""Rows ⇄ core dataclasses: dates as ISO text, enums as their values, booleans as 0/1."""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from datetime import date
from enum import Enum
from typing import Any, TypeVar

T = TypeVar("T")


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _base_type(hint: Any) -> Any:
    """``date | None`` → ``date``."""
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        return args[0] if len(args) == 1 else hint
    return hint


def to_value(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def to_row(obj: Any, *, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """A dataclass as a column → value dict (no nested values)."""
    return {
        f.name: to_value(getattr(obj, f.name))
        for f in dataclasses.fields(obj)
        if f.name not in skip and not isinstance(getattr(obj, f.name), dict)
    }


@functools.cache
def _converters(cls: type) -> tuple[tuple[str, Any], ...]:
    """Per field of ``cls``: its name and what turns a stored value into the field's type
    (``date.fromisoformat``, ``bool``, the Enum class) or None. Worked out once per class."""
    plan = []
    for f in dataclasses.fields(cls):
        hint = _base_type(_hints(cls)[f.name])
        if hint is date:
            convert = date.fromisoformat
        elif hint is bool:
            convert = bool
        elif isinstance(hint, type) and issubclass(hint, Enum):
            convert = hint
        else:
            convert = None
        plan.append((f.name, convert))
    return tuple(plan)


def from_row(cls: type[T], row: dict[str, Any] | Any, **extra: Any) -> T:
    """Build ``cls`` from a row mapping; columns the class does not know are ignored."""
    if not isinstance(row, dict):
        row = dict(row)
    kwargs: dict[str, Any] = {}
    for name, convert in _converters(cls):
        if name in extra:
            kwargs[name] = extra[name]
        elif name in row:
            value = row[name]
            kwargs[name] = convert(value) if convert is not None and value is not None else value
    return cls(**kwargs)
