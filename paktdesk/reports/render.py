"""Rendering entry point: a report input object in, a PDF file out (atomically)."""

from __future__ import annotations

from pathlib import Path

from .funding_statement import render_funding_statement
from .interim import render_interim
from .model import FundingStatement, InterimProof, PaymentRequest, Progress, ProofOfUse, RenderResult
from .output import write_atomically
from .payment_request import render_payment_request
from .proof_of_use import render_proof_of_use

_RENDERERS = {
    ProofOfUse: render_proof_of_use,
    InterimProof: render_interim,
    FundingStatement: render_funding_statement,
    PaymentRequest: render_payment_request,
}


def write_pdf(document: ProofOfUse | InterimProof | FundingStatement | PaymentRequest, path: Path, *,
              progress: Progress | None = None) -> RenderResult:
    """Render ``document`` and write it to ``path`` atomically (the old file stays until the new
    one is complete)."""
    render = _RENDERERS[type(document)]
    return write_atomically(Path(path), lambda stream: render(document, stream, progress=progress))
