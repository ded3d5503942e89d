"""Writing the exchange document as JSON: checked against the published schema (and its own
control totals and checksum) before a single byte is written, then written atomically."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .atomic import write_atomically
from .errors import ExchangeError, ExportRefusedError
from .json_import import verify


def serialize(document: Mapping[str, Any]) -> bytes:
    """Compact UTF-8 JSON (non-ASCII characters as they are, no floats)."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


def check_before_writing(document: Mapping[str, Any]) -> None:
    """The same checks an importer runs; a document that fails them is never written."""
    try:
        verify(document, name="Export")
    except ExchangeError as err:
        raise ExportRefusedError(
            f"Die Austauschdatei wurde nicht geschrieben, weil sie die eigene Prüfung nicht besteht:\n{err}"
        ) from err


def write_json(document: Mapping[str, Any], path: Path) -> int:
    """Validate, then write ``document`` to ``path`` atomically. Returns the number of bytes."""
    check_before_writing(document)
    data = serialize(document)
    write_atomically(Path(path), lambda handle: handle.write(data))
    return len(data)
