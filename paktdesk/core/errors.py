"""The project's own error types. Every message is German and says what to fix."""

from __future__ import annotations


class PaktDeskError(Exception):
    """Base of every expected problem; ``str(err)`` is shown to the clerk as is."""


class ValidationError(PaktDeskError):
    """Bad input. ``field`` names the input that must be corrected (or None)."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field
        self.message = message


class NotFoundError(PaktDeskError):
    """A record that should exist does not (deleted meanwhile, wrong id)."""


class LockedError(PaktDeskError):
    """A booked record after a submitted proof of use: correct it by a reversal."""


class DataFileError(PaktDeskError):
    """The data file cannot be used: not a PaktDesk file, damaged, newer, unreachable."""


class NotAPaktDeskFileError(DataFileError):
    pass


class NewerFileError(DataFileError):
    pass


class IntegrityError(DataFileError):
    """Checks found damage or changes made outside PaktDesk."""


class OtherGemeindeError(DataFileError):
    """A backup of another Gemeinde would replace this one's data: only after the clerk confirms."""
