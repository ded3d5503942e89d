"""Use cases of the register: the owner's profile, providers, integration managers with their
employment shares, pay interruptions, qualifications and requalifications."""

from __future__ import annotations

from ..core import checks
from ..core import entities as e
from ..core.employment import check_interruption_fits, uncovered_day
from ..core.errors import ValidationError
from ..core.periods import format_date
from ..core.requalification import RequalRule, check_deadline_choice
from ..db import people as people_db
from ..db import profile as profile_db
from ..db import repo
from ..db.audit import now_utc
from .base import Change, WorkspaceBase


class RegisterUseCases(WorkspaceBase):
    # profile
    def profile(self) -> e.Profile | None:
        return profile_db.load_profile(self.store)

    def save_profile(self, profile: e.Profile) -> Change:
        clean, warnings = checks.check_profile(profile)
        with self._action("Stammdaten gespeichert") as act:
            old, new = profile_db.save_profile(self.store, clean)
            act.audit("profile", 1, old, new)
        return self._done(Change("Stammdaten gespeichert", "profile", (1,), tuple(warnings)))

    def set_up(self, profile: e.Profile) -> Change:
        """A new Datenbestand: the owner's profile, and the owner itself as its first Träger
        ("Eigene Verwaltung"), in one transaction. Most Gemeinden employ their integration
        managers themselves, so the first person can be entered at once."""
        clean, warnings = checks.check_profile(profile)
        if self.providers(include_deleted=True):
            raise ValidationError("Der Datenbestand ist schon eingerichtet.")
        place = " ".join(part for part in (clean.postcode, clean.city) if part)
        own = checks.check_provider(e.Provider(
            None, clean.name, e.ProviderKind.OWN, ags=clean.ags,
            address=", ".join(part for part in (clean.street, place) if part), contact=clean.contact_name))
        with self._action("Datenbestand eingerichtet") as act:
            old, new = profile_db.save_profile(self.store, clean)
            act.audit("profile", 1, old, new)
            provider_id = self._insert(act, own)
        return self._done(Change("Datenbestand eingerichtet", "profile", (1, provider_id), tuple(warnings)))

    # providers
    def providers(self, *, include_deleted: bool = False) -> list[e.Provider]:
        where = "" if include_deleted else "deleted_at IS NULL"
        return repo.find(self.store, e.Provider, where, order_by="name")

    def provider(self, provider_id: int) -> e.Provider:
        return repo.get(self.store, e.Provider, provider_id)

    def save_provider(self, provider: e.Provider) -> Change:
        clean = checks.check_provider(provider)
        action = "Träger angelegt" if clean.id is None else "Träger geändert"
        with self._action(action) as act:
            if clean.id is None:
                new_id = self._insert(act, clean)
            else:
                self._update(act, clean)
                new_id = clean.id
        return self._done(Change(action, "providers", (new_id,)))

    # persons
    def persons(self, *, include_deleted: bool = False) -> list[e.Person]:
        where = "" if include_deleted else "deleted_at IS NULL"
        return repo.find(self.store, e.Person, where, order_by="last_name, first_name")

    def person(self, person_id: int) -> e.Person:
        return repo.get(self.store, e.Person, person_id)

    def save_person(self, person: e.Person) -> Change:
        clean = checks.check_person(person)
        repo.get(self.store, e.Provider, clean.provider_id)  # exists
        action = "Person angelegt" if clean.id is None else "Person geändert"
        with self._action(action) as act:
            if clean.id is None:
                new_id = self._insert(act, clean)
            else:
                self._update(act, clean)
                new_id = clean.id
        return self._done(Change(action, "persons", (new_id,)))

    def delete_person(self, person_id: int) -> Change:
        """Soft delete into the Papierkorb; a person with money booked can only be ended."""
        booked = repo.count(self.store, e.Receipt, "person_id = ?", [person_id]) + repo.count(
            self.store, e.Position, "person_id = ?", [person_id])
        if booked:
            raise ValidationError(
                "Für diese Person sind Stellen oder Belege gebucht. Sie kann nicht gelöscht, "
                "nur als ausgeschieden markiert werden.")
        with self._action("Person in den Papierkorb gelegt") as act:
            old, new = repo.set_columns(self.store, e.Person, person_id, {"deleted_at": now_utc()})
            act.audit("persons", person_id, {"deleted_at": old["deleted_at"]}, {"deleted_at": new["deleted_at"]})
        return self._done(Change("Person in den Papierkorb gelegt", "persons", (person_id,)))

    def restore_person(self, person_id: int) -> Change:
        with self._action("Person wiederhergestellt") as act:
            old, _ = repo.set_columns(self.store, e.Person, person_id, {"deleted_at": None})
            act.audit("persons", person_id, {"deleted_at": old["deleted_at"]}, {"deleted_at": None})
        return self._done(Change("Person wiederhergestellt", "persons", (person_id,)))

    # employment shares, interruptions
    def employments(self, person_id: int) -> list[e.Employment]:
        return repo.find(self.store, e.Employment, "person_id = ?", [person_id], order_by="first_day")

    def _active_person(self, person_id: int) -> e.Person:
        person = repo.get(self.store, e.Person, person_id)
        if person.deleted_at:
            raise ValidationError(f"{person.full_name} liegt im Papierkorb. Bitte zuerst wiederherstellen.")
        return person

    def save_employment(self, item: e.Employment) -> Change:
        person = self._active_person(item.person_id)
        provider = repo.get(self.store, e.Provider, item.provider_id)
        if provider.deleted_at and item.id is None:
            raise ValidationError(f"Der Träger „{provider.name}“ liegt im Papierkorb.", field="provider")
        rules = self.rule_set_for_day(item.first_day)
        minimum = rules.min_vza_milli if rules else 250
        others = self.employments(item.person_id)
        clean = checks.check_employment(item, others, min_vza_milli=minimum)
        if person.ended_on and (clean.first_day > person.ended_on
                                or clean.last_day is None or clean.last_day > person.ended_on):
            raise ValidationError(
                f"{person.full_name} ist am {format_date(person.ended_on)} ausgeschieden; der "
                "Stellenanteil muss bis dahin enden.", field="last_day")
        remaining = [o for o in others if o.id != clean.id] + [clean]
        self._check_interruptions_covered(remaining, self.interruptions(item.person_id))
        action = "Stellenanteil erfasst" if clean.id is None else "Stellenanteil geändert"
        with self._action(action) as act:
            if clean.id is None:
                new_id = self._insert(act, clean)
            else:
                self._update(act, clean)
                new_id = clean.id
        return self._done(Change(action, "employments", (new_id,)))

    def delete_employment(self, employment_id: int) -> Change:
        """Remove a share entered by mistake (history of real changes: end it instead)."""
        item = repo.get(self.store, e.Employment, employment_id)
        remaining = [o for o in self.employments(item.person_id) if o.id != employment_id]
        self._check_interruptions_covered(remaining, self.interruptions(item.person_id))
        with self._action("Stellenanteil gelöscht") as act:
            row = people_db.delete_row(self.store, "employments", employment_id)
            act.audit("employments", employment_id, row, None)
        return self._done(Change("Stellenanteil gelöscht", "employments", (employment_id,)))

    @staticmethod
    def _check_interruptions_covered(shares: list[e.Employment], interruptions: list[e.Interruption]) -> None:
        for interruption in interruptions:
            gap = uncovered_day(interruption.first_day, interruption.last_day, shares)
            if gap is not None:
                raise ValidationError(
                    f"Die Unterbrechung {interruption.period.format()} ({interruption.reason}) läge "
                    f"dann außerhalb der Beschäftigung (am {format_date(gap)} kein Stellenanteil). "
                    "Bitte zuerst die Unterbrechung anpassen.", field="last_day")

    def interruptions(self, person_id: int) -> list[e.Interruption]:
        return repo.find(self.store, e.Interruption, "person_id = ?", [person_id], order_by="first_day")

    def add_interruption(self, item: e.Interruption) -> Change:
        """Pay interrupted (Elternzeit, lange Krankheit): inside the employment, no overlaps.
        The funded periods and every deadline depending on them move accordingly."""
        clean = checks.check_interruption(item)
        self._active_person(clean.person_id)
        check_interruption_fits(clean, self.employments(clean.person_id), self.interruptions(clean.person_id))
        action = "Unterbrechung erfasst" if clean.id is None else "Unterbrechung geändert"
        with self._action(action) as act:
            if clean.id is None:
                new_id = self._insert(act, clean)
            else:
                self._update(act, clean)
                new_id = clean.id
        return self._done(Change(action, "interruptions", (new_id,)))

    save_interruption = add_interruption

    def delete_interruption(self, interruption_id: int) -> Change:
        with self._action("Unterbrechung gelöscht") as act:
            row = people_db.delete_row(self.store, "interruptions", interruption_id)
            act.audit("interruptions", interruption_id, row, None)
        return self._done(Change("Unterbrechung gelöscht", "interruptions", (interruption_id,)))

    # qualification
    def qualifications(self, person_id: int) -> list[e.Qualification]:
        return repo.find(self.store, e.Qualification, "person_id = ?", [person_id])

    def current_category(self, person_id: int) -> e.Category | None:
        found = self.qualifications(person_id)
        return found[-1].category if found else None

    def add_qualification(self, item: e.Qualification) -> Change:
        if item.checked_on and not item.checked_by.strip():
            raise ValidationError("Bitte angeben, wer den Nachweis geprüft hat.", field="checked_by")
        with self._action("Qualifikation erfasst") as act:
            new_id = self._insert(act, item)
        return self._done(Change("Qualifikation erfasst", "qualifications", (new_id,)))

    def requalifications(self, person_id: int) -> list[e.Requalification]:
        return repo.find(self.store, e.Requalification, "person_id = ?", [person_id])

    def add_requalification(self, item: e.Requalification) -> Change:
        """A new requalification record (start, renewal, progress or completion): the newest
        record is the current one, the older ones stay as history."""
        clean = checks.check_requalification(item)
        self._active_person(clean.person_id)
        rule = RequalRule.of(self.rule_set_for_day(clean.started_on),
                             categories=profile_db.get_setting(self.store, "requal_categories", ["c"]))
        check_deadline_choice(clean, rule)
        with self._action("Nachqualifizierung erfasst") as act:
            new_id = self._insert(act, clean)
        return self._done(Change("Nachqualifizierung erfasst", "requalifications", (new_id,)))

    def person_summary(self, person_id: int) -> dict:
        person = self.person(person_id)
        return {
            "person": person,
            "provider": self.provider(person.provider_id),
            "employments": self.employments(person_id),
            "interruptions": self.interruptions(person_id),
            "qualifications": self.qualifications(person_id),
            "requalifications": self.requalifications(person_id),
        }
