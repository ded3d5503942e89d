"""Dialogs of the window program (one module per dialog)."""
