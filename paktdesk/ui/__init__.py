"""The window: PySide6 widgets built in code. No SQL and no business rules here; every action
goes through the workspace facade, every visible text is German."""
