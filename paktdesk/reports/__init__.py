"""Printed forms (reportlab): plain input objects from :mod:`.model` in, PDF out.

No Qt and no database here; the workspace gathers the inputs (``Workspace.*_data``). A GUI
gathers on its own thread (milliseconds) and renders on a worker with :func:`write_pdf`, which
touches no database and may be cancelled by raising from ``progress``.

reportlab is imported only when something is rendered (``write_pdf``, the ``render_*`` functions),
so opening the program does not pay for it."""

from __future__ import annotations

_LAZY = {"write_pdf", "write_atomically", "render_funding_statement", "render_interim",
         "render_payment_request", "render_proof_of_use",
         "render_pdf", "render_audit_trail", "render_qualification_overview"}


def __getattr__(name: str):
    if name in _LAZY:
        from . import render

        return getattr(render, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = sorted(_LAZY)
