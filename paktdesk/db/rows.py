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


def from_row(cls: type[T], row: dict[str, Any] | Any, **extra: Any) -> T:
    """Build ``cls`` from a row mapping; columns the class does not know are ignored."""
    row = dict(row)
    kwargs: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.name in extra:
            kwargs[f.name] = extra[f.name]
            continue
        if f.name not in row:
            continue
        value = row[f.name]
        hint = _base_type(_hints(cls)[f.name])
        if value is not None:
            if hint is date:
                value = date.fromisoformat(value)
            elif hint is bool:
                value = bool(value)
            elif isinstance(hint, type) and issubclass(hint, Enum):
                value = hint(value)
        kwargs[f.name] = value
    return cls(**kwargs)
