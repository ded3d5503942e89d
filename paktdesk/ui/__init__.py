"""The window: PySide6 widgets built in code. No SQL and no business rules here; every action
goes through the workspace facade, every visible text is German."""

from . import refcount_guard  # noqa: F401,E402 - before any widget is used (PySide6 6.12 on Python 3.11)
