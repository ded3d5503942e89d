"""One module per section page of the main window (see :mod:`paktdesk.ui.sections`)."""
