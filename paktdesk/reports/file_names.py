"""Default file names for saved forms, safe on Windows: "Verwendungsnachweis 15.2-8712.23-1274.pdf".

Windows forbids ``< > : " / \\ | ? *`` and control characters in names, trims trailing dots and
spaces, and reserves device names such as ``CON`` or ``LPT1``; an Aktenzeichen like
``15.2-8712.23/1274`` therefore becomes ``15.2-8712.23-1274``."""

from __future__ import annotations

import re

_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]+')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
MAX_STEM = 150  # keeps the full path well under Windows' classic 260 characters


def safe_stem(text: str) -> str:
    """``text`` as a file name without extension that every Windows version accepts."""
    stem = _FORBIDDEN.sub("-", text)
    stem = re.sub(r"\s+", " ", stem)
    stem = re.sub(r"-{2,}", "-", stem).strip(" .-")
    stem = stem[:MAX_STEM].rstrip(" .")
    if not stem:
        return "Dokument"
    if stem.split(".")[0].upper() in _RESERVED:
        stem = f"_{stem}"
    return stem


def pdf_name(*parts: str) -> str:
    """The non-empty ``parts`` joined by spaces, made safe, with ``.pdf``."""
    return safe_stem(" ".join(p.strip() for p in parts if p and p.strip())) + ".pdf"
