"""Writing the exchange document as JSON: checked against the published schema (and its own
control totals and checksum) before a single byte is written, then written atomically.

The document is encoded once (:func:`.document.encode`): its checksum is computed from the
same canonical text the file is made of, so the check compares the stated SHA-256 with the
bytes that are written instead of encoding the document a second and third time."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .atomic import write_atomically
from .document import MEMBERS, SealedDocument, encode
from .errors import ExchangeError, ExportRefusedError
from .json_import import verify


def serialize(document: Mapping[str, Any]) -> bytes:
    """Compact UTF-8 JSON (non-ASCII characters as they are, no floats)."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


def check_before_writing(document: Mapping[str, Any], *, content_sha256: str | None = None,
                         checked_members: frozenset[str] = frozenset()) -> None:
    """The same checks an importer runs; a document that fails them is never written.
    ``content_sha256``: the checksum of the canonical bytes about to be written;
    ``checked_members``: the checksums of contained Gemeinde documents that were verified
    against their content when they were gathered (see verify); any other member is verified
    here."""
    members = document.get(MEMBERS) or [] if isinstance(document, Mapping) else []
    known = [m.get("sha256") if isinstance(m, Mapping) and m.get("sha256") in checked_members else None
             for m in members] if checked_members else None
    try:
        verify(document, name="Export", content_sha256=content_sha256, member_sha256s=known)
    except ExchangeError as err:
        raise ExportRefusedError(
            f"Die Austauschdatei wurde nicht geschrieben, weil sie die eigene Prüfung nicht besteht:\n{err}"
        ) from err


def write_json(document: Mapping[str, Any], path: Path) -> int:
    """Validate, then write ``document`` to ``path`` atomically. Returns the number of bytes."""
    sha = file_bytes = None
    if isinstance(document, Mapping):  # (anything else is refused by the checks below)
        try:
            sha, file_bytes = encode(document)
        except (ValueError, TypeError):  # a value JSON cannot hold: the checks below name it
            pass
    check_before_writing(document, content_sha256=sha)
    if file_bytes is None:  # (the checks found nothing, yet the document cannot be encoded)
        raise ExportRefusedError("Die Austauschdatei wurde nicht geschrieben: sie enthält Werte, die JSON nicht "
                                 "darstellen kann.")
    return _write(file_bytes, Path(path))


def write_sealed(sealed: SealedDocument, path: Path, *, checked_members: frozenset[str] = frozenset()) -> int:
    """:func:`write_json` for a document sealed together with its file's bytes
    (:func:`.document.seal`): checked, then exactly those bytes are written.
    ``checked_members``: see :func:`check_before_writing`."""
    check_before_writing(sealed.document, content_sha256=sealed.document["sha256"], checked_members=checked_members)
    return _write(sealed.file_bytes, Path(path))


def _write(file_bytes: list[bytes], path: Path) -> int:
    write_atomically(path, lambda handle: handle.writelines(file_bytes))
    return sum(map(len, file_bytes))
