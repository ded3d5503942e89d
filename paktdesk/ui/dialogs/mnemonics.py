"""Alt keys for the labels of a form, chosen so that no two in one dialog share a letter, and the
label's plain text (without "&", "*" and ":") as the field's name for screen readers."""

from __future__ import annotations


def plain_label(text: str) -> str:
    """ "&Nachname *:" → "Nachname" (a literal "&&" stays one "&")."""
    text = text.replace("&&", "\0").replace("&", "").replace("\0", "&")
    return text.strip().rstrip(":").rstrip("*").rstrip().rstrip(":").strip()


def mnemonic_of(text: str) -> str | None:
    """The letter after a single "&", lower case, or None."""
    index = 0
    while True:
        index = text.find("&", index)
        if index < 0 or index + 1 >= len(text):
            return None
        if text[index + 1] == "&":
            index += 2
            continue
        return text[index + 1].casefold()


class Mnemonics:
    """The letters already taken in one dialog."""

    def __init__(self, reserved: frozenset[str] = frozenset()):
        self.used: set[str] = set(reserved)

    def take(self, text: str) -> None:
        letter = mnemonic_of(text)
        if letter:
            self.used.add(letter)

    def label(self, text: str) -> str:
        """``text`` with an Alt key: its own if it has one, else the first free letter of a word's
        start, else any free letter; unchanged when all its letters are taken."""
        if mnemonic_of(text):
            self.take(text)
            return text
        starts = [i for i, ch in enumerate(text) if ch.isalpha() and (i == 0 or not text[i - 1].isalpha())]
        others = [i for i, ch in enumerate(text) if ch.isalpha() and i not in starts]
        for index in starts + others:
            letter = text[index].casefold()
            if letter not in self.used and letter.isascii():
                self.used.add(letter)
                return text[:index] + "&" + text[index:]
        return text
