"""Rendering entry point: a report input object in, a PDF file out (atomically)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, BinaryIO

from .audit_trail import render_audit_trail
from .funding_statement import render_funding_statement
from .interim import render_interim
from .model import (
    AuditTrail,
    FundingStatement,
    InterimProof,
    PaymentRequest,
    Progress,
    ProofOfUse,
    QualificationOverview,
    RenderResult,
)
from .output import write_atomically
from .payment_request import render_payment_request
from .proof_of_use import render_proof_of_use
from .qualification_overview import render_qualification_overview

_RENDERERS = {
    ProofOfUse: render_proof_of_use,
    InterimProof: render_interim,
    FundingStatement: render_funding_statement,
    PaymentRequest: render_payment_request,
    QualificationOverview: render_qualification_overview,
    AuditTrail: render_audit_trail,
}


def write_pdf(document: Any, path: Path, *,
              progress: Progress | None = None) -> RenderResult:
    """Render ``document`` and write it to ``path`` atomically (the old file stays until the new
    one is complete)."""
    render = _RENDERERS[type(document)]
    return write_atomically(Path(path), lambda stream: render(document, stream, progress=progress))


def render_pdf(document: Any, stream: BinaryIO, *, progress: Progress | None = None) -> RenderResult:
    """Render any printable ``document`` into an open binary stream (e.g. ``io.BytesIO`` for a
    preview that never touches the disk)."""
    return _RENDERERS[type(document)](document, stream, progress=progress)
