"""Use cases of the forms' own data: grantors' addresses and the explanation of deviations
from the financing plan per decision (printed on the numeric proof)."""

from __future__ import annotations

import dataclasses

from ..core import entities as e
from ..core.errors import NotFoundError, ValidationError
from ..core.forms import grantor_for
from ..db import forms as forms_db
from .base import Change, WorkspaceBase

EXPLANATION_MAX = 4000  # a short section of the numeric proof, not a second Sachbericht


class FormsUseCases(WorkspaceBase):
    def grantors(self) -> list[e.Grantor]:
        return forms_db.grantors(self.store)

    def grantor_for_text(self, text: str) -> e.Grantor | None:
        """The grantor record a decision's grantor text selects (None: print the text only)."""
        return grantor_for(text, forms_db.grantors(self.store))

    def save_grantor(self, grantor: e.Grantor) -> Change:
        clean = _check_grantor(grantor)
        others = [g for g in forms_db.grantors(self.store) if g.id != clean.id]
        if any(" ".join(g.name.split()).casefold() == " ".join(clean.name.split()).casefold() for g in others):
            raise ValidationError(f"Es gibt schon einen Zuwendungsgeber „{clean.name}“.", field="name")
        action = "Zuwendungsgeber angelegt" if clean.id is None else "Zuwendungsgeber geändert"
        with self._action(action) as act:
            new_id, old, new = forms_db.save_grantor(self.store, clean)
            act.audit("grantors", new_id, old, new)
        return self._done(Change(action, "grantors", (new_id,)))

    def delete_grantor(self, grantor_id: int) -> Change:
        with self._action("Zuwendungsgeber gelöscht") as act:
            old = forms_db.delete_grantor(self.store, grantor_id)
            if old is None:
                raise NotFoundError("Dieser Zuwendungsgeber ist nicht (mehr) vorhanden.")
            act.audit("grantors", grantor_id, old, None)
        return self._done(Change("Zuwendungsgeber gelöscht", "grantors", (grantor_id,)))

    def decision_explanation(self, decision_id: int) -> str:
        return forms_db.explanation(self.store, decision_id)

    def save_decision_explanation(self, decision_id: int, text: str) -> Change:
        """"Abweichungen vom Finanzierungsplan / Erläuterungen" of a decision, as the clerk wrote it."""
        text = text.replace("\r\n", "\n").strip()
        if len(text) > EXPLANATION_MAX:
            raise ValidationError(f"Die Erläuterung ist zu lang ({len(text)} Zeichen, höchstens "
                                  f"{EXPLANATION_MAX}); Ausführliches gehört in den Sachbericht.", field="explanation")
        rows = self.store.query("SELECT id FROM decisions WHERE id = ? AND deleted_at IS NULL", [decision_id])
        if not list(rows):
            raise NotFoundError("Dieser Bescheid ist nicht (mehr) vorhanden.")
        with self._action("Erläuterung zum Finanzierungsplan gespeichert") as act:
            old, new = forms_db.save_explanation(self.store, decision_id, text)
            act.audit("decision_explanations", decision_id, {"text": old}, {"text": new})
        return self._done(Change("Erläuterung gespeichert", "decision_explanations", (decision_id,)))


def _check_grantor(g: e.Grantor) -> e.Grantor:
    name = " ".join(g.name.split())
    if not name:
        raise ValidationError("Bitte den Namen des Zuwendungsgebers angeben.", field="name")
    postcode = g.postcode.strip()
    if postcode and not (postcode.isdigit() and len(postcode) == 5):
        raise ValidationError(f"Die Postleitzahl „{postcode}“ muss 5 Ziffern haben.", field="postcode")
    email = g.email.strip()
    if email and "@" not in email:
        raise ValidationError(f"„{email}“ ist keine E-Mail-Adresse.", field="email")
    return dataclasses.replace(g, name=name, department=g.department.strip(), street=g.street.strip(),
                               postcode=postcode, city=g.city.strip(), email=email)
