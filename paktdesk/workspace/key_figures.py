"""Use cases of the yearly key figures (Kennzahlen): entry with plausibility checks, the form a
year starts from (carried forward from last year's list), and the editable list of figures."""

from __future__ import annotations

import dataclasses

from ..core import entities as e
from ..core import key_figures as rules
from ..core.errors import ValidationError
from ..db import key_figures as kf_db
from ..db import repo
from .base import Change, WorkspaceBase


def _check_year(year: int) -> int:
    if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100:
        raise ValidationError(f"Das Jahr „{year}“ ist nicht plausibel (2000 bis 2100).", field="year")
    return year


class KeyFigureUseCases(WorkspaceBase):
    def key_figures(self, year: int, person_id: int | None = None) -> dict[str, int]:
        """One year's figures of one integration manager (None: the applicant as a whole)."""
        return {k.code: k.value for k in kf_db.values(self.store, year, person_id)}

    def key_figure_years(self) -> list[int]:
        return kf_db.years(self.store)

    def key_figure_subjects(self, year: int) -> list[int | None]:
        """Whose figures to enter for ``year``: the applicant (None) and the persons carried
        forward from last year or employed in ``year``."""
        return kf_db.subjects(self.store, _check_year(year))

    def key_figure_form(self, year: int, person_id: int | None = None) -> list[rules.KeyFigureRow]:
        """The entry form: last year's list of figures with last year's values beside this year's."""
        _check_year(year)
        return rules.form_rows(self.key_figure_defs(active_only=False),
                               current=self.key_figures(year, person_id),
                               previous=self.key_figures(year - 1, person_id))

    def review_key_figures(self, year: int, person_id: int | None,
                           values: dict[str, int | None]) -> rules.KeyFigureReview:
        """What saving ``values`` would report, without saving (for live hints in the form)."""
        merged = {**self.key_figures(year, person_id), **values}
        merged = {code: value for code, value in merged.items() if value is not None}
        return rules.review(merged, labels=self._labels())

    def save_key_figures(self, year: int, person_id: int | None, values: dict[str, int | None]) -> Change:
        """Save figures (a value of None removes that figure). Errors block; plausibility
        warnings come back in ``Change.warnings``."""
        return self.save_key_figure_sheet(year, {person_id: values})

    def save_key_figure_sheet(self, year: int, sheet: dict[int | None, dict[str, int | None]]) -> Change:
        """Save the figures of several subjects (None: the applicant) in one transaction; every
        subject is checked first, and one error anywhere saves nothing. Warnings are returned in
        ``Change.warnings``, each prefixed with the subject's name when there are several."""
        _check_year(year)
        labels = self._labels()
        planned = []
        warnings: list[str] = []
        for person_id, values in sheet.items():
            for code in values:
                if code not in labels:
                    raise ValidationError(f"Unbekannte Kennzahl „{code}“.", field=code)
            name = "Antragsteller gesamt"
            if person_id is not None:
                name = repo.get(self.store, e.Person, person_id).full_name
            existing = {k.code: k for k in kf_db.values(self.store, year, person_id)}
            merged = {**{c: k.value for c, k in existing.items()}, **values}
            try:
                found = rules.check({c: v for c, v in merged.items() if v is not None}, labels=labels)
            except ValidationError as err:
                if len(sheet) == 1:
                    raise
                raise ValidationError("\n".join(f"{name}: {line}" for line in err.message.splitlines()),
                                      field=err.field) from err
            warnings.extend(f"{name}: {w}" if len(sheet) > 1 else w for w in found)
            planned.append((person_id, values, existing))
        warnings.extend(self._applicant_warnings(year, sheet, labels))
        with self._action("Kennzahlen gespeichert") as act:
            for person_id, values, existing in planned:
                self._write_key_figures(act, year, person_id, values, existing)
            if not act.entries:
                act.audit("key_figures", None, None, {"year": year, "person_id": None if len(sheet) != 1 else
                                                      next(iter(sheet)), "unverändert": True})
        return self._done(Change("Kennzahlen gespeichert", "key_figures", warnings=tuple(warnings)))

    def _applicant_warnings(self, year: int, sheet: dict[int | None, dict[str, int | None]],
                            labels: dict[str, str]) -> list[str]:
        """The applicant's totals of ``year`` against its managers', as they will be after saving."""
        subjects = set(kf_db.subjects(self.store, year)) | set(sheet)
        after = {}
        for subject in subjects:
            merged = {**self.key_figures(year, subject), **sheet.get(subject, {})}
            after[subject] = {code: value for code, value in merged.items() if value is not None}
        persons = [values for subject, values in after.items() if subject is not None]
        return [p.message for p in rules.applicant_problems(after.get(None, {}), persons, labels=labels)]

    def _write_key_figures(self, act, year: int, person_id: int | None, values: dict[str, int | None],
                           existing: dict[str, e.KeyFigure]) -> None:
        for code, value in sorted(values.items()):
            old = existing.get(code)
            if value is None:
                if old is not None:
                    kf_db.delete_value(self.store, old.id)
                    act.audit("key_figures", old.id, dataclasses.asdict(old), None)
            elif old is None:
                self._insert(act, e.KeyFigure(None, year, person_id, code, value))
            elif old.value != value:
                self._update(act, dataclasses.replace(old, value=value))

    def save_key_figure_def(self, item: e.KeyFigureDef) -> Change:
        """Add a figure to the list, or rename / regroup / reorder an existing one (by its code)."""
        current = kf_db.get_def(self.store, (item.code or "").strip())
        clean = rules.check_definition(item, existing_codes=kf_db.all_codes(self.store), new=current is None)
        action = "Kennzahl angelegt" if current is None else "Kennzahl geändert"
        with self._action(action) as act:
            if current is None:
                act.audit("key_figure_defs", None, None, kf_db.insert_def(self.store, clean))
            else:
                old, new = kf_db.update_def(self.store, clean)
                act.audit("key_figure_defs", None, old, new)
        return self._done(Change(action, "key_figure_defs"))

    def set_key_figure_def_active(self, code: str, active: bool) -> Change:
        """Deactivate a figure (it leaves the form; values already entered stay) or reactivate it."""
        current = kf_db.get_def(self.store, code)
        if current is None:
            raise ValidationError(f"Die Kennzahl „{code}“ gibt es nicht.", field="code")
        action = "Kennzahl aktiviert" if active else "Kennzahl deaktiviert"
        with self._action(action) as act:
            old, new = kf_db.update_def(self.store, dataclasses.replace(current, active=bool(active)))
            act.audit("key_figure_defs", None, old, new)
        return self._done(Change(action, "key_figure_defs"))

    def _labels(self) -> dict[str, str]:
        return {d.code: d.label for d in self.key_figure_defs(active_only=False)}
