"""Text straight into a page's content stream, for pages drawn without platypus (the Belegliste).

reportlab's ``drawString`` runs every string through the TrueType font's subset mapping in
Python, one character at a time, and wraps each string in its own text object. For a list of
10,000 receipts (90,000 cells) that costs more than all the rest of the document. Here the
mapping reportlab made for a character is remembered once per document, so a string whose
characters are all known is encoded by ``str.translate`` (in C); anything new or outside the
first 256-glyph subset goes through reportlab's own ``splitString`` (which assigns the codes), so
the embedded subsets and their ToUnicode maps stay exactly reportlab's.

The caller emits the operators (``BT … ET``) itself; :meth:`TextEncoder.show` returns the
``Tf``/``Tj`` part for one string, already escaped for a PDF string literal."""

from __future__ import annotations

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
        self._escape = canv._escape
        self._codes: dict[int, int] = {}  # character → code in subset 0
        self._known: set[str] = set()
        self._names: dict[int, str] = {}  # subset → resource name, e.g. /F3+0
        self._width = self._font.stringWidth

    def width(self, text: str, size: float) -> float:
        """The advance width of ``text`` in points (reportlab's C-accelerated measure)."""
        return self._width(text, size)

    def subset_name(self, subset: int) -> str:
        name = self._names.get(subset)
        if name is None:
            name = self._names[subset] = self._font.getSubsetInternalName(subset, self.doc)
        return name

    def show(self, text: str, size: float, current: list[int]) -> str:
        """PDF operators that show ``text`` at the current text position.

        ``current`` is a one-element list holding the subset selected by the last ``Tf`` in
        this text object (-1 at ``BT``); a ``Tf`` is only emitted when the subset changes."""
        if self._known.issuperset(text):
            literal = self._escape(text.translate(self._codes).encode("latin-1"))
            if current[0] == 0:
                return f"({literal}) Tj"
            current[0] = 0
            return f"{self.subset_name(0)} {size} Tf ({literal}) Tj"
        parts = []
        for subset, chunk in self._font.splitString(text, self.doc):
            if subset != current[0]:
                parts.append(f"{self.subset_name(subset)} {size} Tf")
                current[0] = subset
            parts.append(f"({self._escape(chunk)}) Tj")
        self._learn(text)
        return " ".join(parts)

    def _learn(self, text: str) -> None:
        """Remember the codes reportlab assigned to the characters of ``text`` (subset 0 only)."""
        assignments = self._font.state[self.doc].assignments
        for char in set(text):
            code = ord(char)
            number = assignments.get(32 if code == 0xA0 else code)
            if number is not None and number < 256:
                self._codes[code] = number
                self._known.add(char)


def encoder_for(cache: dict, canv: Canvas, font_name: str) -> TextEncoder:
    """The encoder of ``font_name`` for the document ``canv`` draws into, kept in ``cache``
    (a new document starts with new encoders)."""
    encoder = cache.get(font_name)
    if encoder is None or encoder.doc is not canv._doc:
        encoder = cache[font_name] = TextEncoder(canv, font_name)
    return encoder


__all__ = ["TextEncoder", "encoder_for"]
