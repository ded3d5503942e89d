"""Printed forms (reportlab): plain input objects from :mod:`.model` in, PDF out.

No Qt and no database here; the workspace gathers the inputs and writes the files."""

from .funding_statement import render_funding_statement
from .interim import render_interim
from .output import write_atomically
from .payment_request import render_payment_request
from .proof_of_use import render_proof_of_use

__all__ = ["render_funding_statement", "render_interim", "render_payment_request", "render_proof_of_use",
           "write_atomically"]
