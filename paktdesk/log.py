"""Logging to a rotating file in the log directory. No personal data is logged: use case names
and record ids only."""

from __future__ import annotations

import logging
import logging.handlers

from .paths import log_dir


def setup_logging(level: int = logging.INFO) -> logging.Logger:
    logger = logging.getLogger("paktdesk")
    if any(isinstance(h, logging.handlers.RotatingFileHandler) for h in logger.handlers):
        return logger
    logger.setLevel(level)
    try:
        folder = log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            folder / "paktdesk.log", maxBytes=1_000_000, backupCount=5, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
    except OSError:
        logger.addHandler(logging.NullHandler())
    return logger
