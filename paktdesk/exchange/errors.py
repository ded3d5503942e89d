"""The errors of reading and writing exchange files. Every message is German and says what is
wrong with which file; none of them leaves anything half written or half imported."""

from __future__ import annotations

from ..core.errors import PaktDeskError


class ExchangeError(PaktDeskError):
    """Base of every problem with an exchange file."""


class NotAnExchangeFileError(ExchangeError):
    """Not JSON, not UTF-8, not our format."""


class NewerFormatError(ExchangeError):
    """Written in a format version this PaktDesk does not know yet."""


class SchemaViolationError(ExchangeError):
    """Valid JSON that breaks the published schema (missing field, wrong type, …)."""


class ChecksumError(ExchangeError):
    """The SHA-256 in the file does not match its content: changed after it was written."""


class ControlTotalsError(ExchangeError):
    """Row counts or sums of cents do not match the control totals stated in the file."""


class InconsistentContentError(ExchangeError):
    """References to missing records, duplicate keys and the like."""


class FileTooLargeError(ExchangeError):
    pass


class ExportRefusedError(ExchangeError):
    """The export was not written (checks failed, nothing to export, bad target)."""


class ImportConflictError(ExchangeError):
    """The file is fine but does not fit this Datenbestand (wrong Kreis, older than the stored one)."""
