"""Text straight into a page's content stream, for pages drawn without platypus (the Belegliste).

reportlab's ``drawString`` runs every string through the TrueType font's subset mapping in
Python, one character at a time, and wraps each string in its own text object. For a list of
10,000 receipts (90,000 cells) that costs more than all the rest of the document. Here the
mapping reportlab made for a character is remembered once per document, so a string whose
characters are all known is encoded by ``str.translate`` (in C), and printable ASCII, which
reportlab maps to itself, needs no mapping at all. Anything new or outside the first 256-glyph
subset goes through reportlab's own ``splitString`` (which assigns the codes), so the embedded
subsets and their ToUnicode maps stay exactly reportlab's.

The caller emits the operators (``BT … ET``) itself; :meth:`TextEncoder.show` returns the
``Tf``/``Tj`` part for one string, already escaped for a PDF string literal, and
:meth:`TextEncoder.literal` the bare literal for the common case (cached per string).
:meth:`TextEncoder.escapes` gives single characters (umlauts, "ß", "é", "€" …) as the octal
escapes of their subset-0 codes, for text whose operators were set before the document was
drawn: the content stays printable ASCII, whatever encoding reportlab writes it in."""

from __future__ import annotations

from collections.abc import Iterable

from reportlab.lib.rl_accel import escapePDF
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from .fonts import register_fonts


class TextEncoder:
    """Encodes strings in one registered TrueType font for one PDF document."""

    def __init__(self, canv: Canvas, font_name: str):
        register_fonts()
        self.font_name = font_name
        self.doc = canv._doc
        self._font = pdfmetrics.getFont(font_name)
        self._escape = escapePDF
        self._codes: dict[int, int] = {}  # character → code in subset 0
        self._known: set[str] = set()
        self._names: dict[int, str] = {}  # subset → resource name, e.g. /F3+0
        self.literals: dict[str, str] = {}  # text → escaped literal in subset 0
        self._octal: dict[str, str | None] = {}  # character → "\\ooo" in subset 0, None: elsewhere
        self._width = self._font.stringWidth
        self.subset_name(0)  # creates the font's subsets for this document
        assignments = self._font.state[self.doc].assignments
        self.ascii_is_identity = all(assignments.get(code) == code for code in range(32, 127))

    def width(self, text: str, size: float) -> float:
        """The advance width of ``text`` in points (reportlab's C-accelerated measure)."""
        return self._width(text, size)

    def subset_name(self, subset: int) -> str:
        name = self._names.get(subset)
        if name is None:
            name = self._names[subset] = self._font.getSubsetInternalName(subset, self.doc)
        return name

    def literal(self, text: str) -> str | None:
        """``(…)``: ``text`` as an escaped PDF string in subset 0, or None when a character is
        new to this document or lies in another subset (then use :meth:`show`)."""
        if self.ascii_is_identity and text.isascii() and text.isprintable():
            return f"({self._escape(text)})"  # reportlab maps printable ASCII to itself
        found = self.literals.get(text)
        if found is None and self._known.issuperset(text):
            found = self.literals[text] = f"({self._escape(text.translate(self._codes).encode('latin-1'))})"
        return found

    def show(self, text: str, size: float, current: list) -> str:
        """PDF operators that show ``text`` at the current text position.

        ``current`` holds ``[font name, subset]`` selected by the last ``Tf`` in this text
        object (``["", -1]`` after ``BT``); a ``Tf`` is only emitted when that changes."""
        found = self.literal(text)
        if found is not None:
            if current[0] == self.font_name and current[1] == 0:
                return f"{found} Tj"
            current[0], current[1] = self.font_name, 0
            return f"{self.subset_name(0)} {size} Tf {found} Tj"
        parts = []
        for subset, chunk in self._font.splitString(text, self.doc):
            if current[0] != self.font_name or current[1] != subset:
                parts.append(f"{self.subset_name(subset)} {size} Tf")
                current[0], current[1] = self.font_name, subset
            parts.append(f"({self._escape(chunk)}) Tj")
        self._learn(text)
        return " ".join(parts)

    def escapes(self, chars: Iterable[str]) -> dict[str, str | None]:
        """Each character of ``chars`` (and all asked for before) → its code in subset 0 as an
        octal escape for a PDF string literal, e.g. ``"\\201"``; None when it lies in another
        subset or the font has no glyph for it (draw such text with :meth:`show`). Characters
        new to this document get their codes from reportlab, in sorted order."""
        known = self._octal
        new = "".join(sorted(char for char in set(chars) if char not in known))
        if new:
            self._font.splitString(new, self.doc)  # assigns the codes, adds them to the subsets
            self._learn(new)
            for char in new:
                code = self._codes.get(ord(char)) if char in self._known else None
                known[char] = None if code is None else f"\\{code:03o}"
        return known

    def _learn(self, text: str) -> None:
        """Remember the codes reportlab assigned to the characters of ``text`` (subset 0 only)."""
        assignments = self._font.state[self.doc].assignments
        for char in set(text):
            code = ord(char)
            number = assignments.get(32 if code == 0xA0 else code)
            if number is not None and number < 256:
                self._codes[code] = number
                self._known.add(char)


class ShapeWidths:
    """Widths of strings in one font and size, remembered by their shape: when all digits of
    the font are equally wide (DejaVu Sans: tabular figures), "887,63 €" and "123,45 €" have
    the same width, so a list of 10,000 amounts, dates and numbers needs a handful of
    measurements. Costs a fifth of a measurement per look-up."""

    _DIGITS = bytes.maketrans(b"123456789", b"000000000")

    def __init__(self, font_name: str, size: float):
        register_fonts()
        measure = pdfmetrics.getFont(font_name).stringWidth
        self._measure = measure
        self.size = size
        self._alike = len({measure(digit, size) for digit in "0123456789"}) == 1
        self._known: dict[bytes, float] = {}

    def __call__(self, text: str) -> float:
        if not self._alike:
            return self._measure(text, self.size)
        shape = text.encode("utf-8", "surrogatepass").translate(self._DIGITS)
        width = self._known.get(shape)
        if width is None:
            width = self._known[shape] = self._measure(text, self.size)
        return width


def encoder_for(cache: dict, canv: Canvas, font_name: str) -> TextEncoder:
    """The encoder of ``font_name`` for the document ``canv`` draws into, kept in ``cache``
    (a new document starts with new encoders)."""
    encoder = cache.get(font_name)
    if encoder is None or encoder.doc is not canv._doc:
        encoder = cache[font_name] = TextEncoder(canv, font_name)
    return encoder


__all__ = ["ShapeWidths", "TextEncoder", "encoder_for"]
