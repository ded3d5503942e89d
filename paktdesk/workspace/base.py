"""The workspace: one open Datenbestand and the use cases a clerk performs on it.

Every use case is one transaction (``BEGIN IMMEDIATE`` … ``COMMIT``) with at least one audit
entry, and returns what changed. Views subscribe with :meth:`Workspace.subscribe` and refresh
after each change."""

from __future__ import annotations

import contextlib
import getpass
import logging
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import crash
from ..core.errors import PaktDeskError
from ..db import audit, chain, repo
from ..db.audit import now_utc
from ..db.connection import Store
from ..db.datafile import open_datafile

log = logging.getLogger("paktdesk.workspace")


@dataclass(frozen=True, slots=True)
class Change:
    """What a use case changed: shown in the status bar, used by views to refresh."""

    action: str
    entity: str
    ids: tuple[int, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(slots=True)
class _Action:
    store: Store
    user: str
    action: str
    entries: list[dict[str, Any]] = field(default_factory=list)
    anchor_purpose: str = ""  # set: the chain's head after this action's entries is handed out
    anchor: str = ""

    def audit(self, entity: str, entity_id: int | None, old: Any = None, new: Any = None) -> None:
        self.entries.append(dict(entity=entity, entity_id=entity_id, old=old, new=new))


def current_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment (service accounts)
        return "unbekannt"


class WorkspaceBase:
    def __init__(self, store: Store, *, user: str | None = None):
        self.store = store
        self.user = user or current_user()
        self._listeners: list[Callable[[Change], None]] = []
        crash.scrub_values_from(weakref.WeakMethod(self.personal_values))

    def personal_values(self) -> set[str]:
        """The open file's own names, IBANs, e-mails, addresses: what a crash report must not hold."""
        from ..db.privacy import personal_values

        return set() if self.store.closed else personal_values(self.store)

    @classmethod
    def open(cls, path: Path, *, create: bool = False, read_only: bool = False, check: str = "now"):
        """Open a Datenbestand; ``check="later"``: see :func:`~paktdesk.db.datafile.open_datafile`."""
        return cls(open_datafile(Path(path), create=create, read_only=read_only, check=check))

    def confirm_checked(self) -> None:
        """The full check of this file passed (run on another connection, e.g. in the
        background): the quick check that ``check="later"`` left to the first write is not needed."""
        self.store.confirm_checked()

    def damage_found(self) -> str:
        """For a file opened with ``check="later"`` whose reading failed: SQLite's quick check
        now, as the German reason the file is damaged ("" when the file is sound, i.e. the
        failure had another cause)."""
        try:
            verdict = self.store.quick_check()
        except Exception as err:  # noqa: BLE001 - a file that cannot even be checked is damaged
            return f"„{self.path.name}“ ist beschädigt ({type(err).__name__})."
        return "" if verdict == "ok" else f"„{self.path.name}“ ist beschädigt (SQLite-Prüfung fehlgeschlagen)."

    @property
    def path(self) -> Path:
        return self.store.path

    @property
    def read_only(self) -> bool:
        return self.store.read_only

    def close(self) -> None:
        self.store.close()

    @property
    def is_closed(self) -> bool:
        """True once the file was closed (another file opened, program ending): late results of
        background work must not reach it."""
        return self.store.closed

    def subscribe(self, listener: Callable[[Change], None]) -> None:
        self._listeners.append(listener)

    def _notify(self, change: Change) -> None:
        for listener in list(self._listeners):
            listener(change)

    @contextlib.contextmanager
    def _action(self, action: str) -> Iterator[_Action]:
        """One user action: one transaction, its audit entries written inside it."""
        act = _Action(self.store, self.user, action)
        with self.store.transaction():
            yield act
            if not act.entries:
                raise PaktDeskError(f"Interner Fehler: „{action}“ hat nichts protokolliert.")
            for entry in act.entries:
                audit.record(self.store, user=self.user, action=action, **entry)
            if act.anchor_purpose and chain.present(self.store):
                act.anchor = chain.store_anchor(self.store, purpose=act.anchor_purpose, now=now_utc())
        log.info("%s (%d Einträge)", action, len(act.entries))

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Many use cases as one transaction (demo data, imports): all or nothing."""
        with self.store.transaction():
            yield

    def _done(self, change: Change) -> Change:
        self._notify(change)
        return change

    # generic helpers for use cases
    def _insert(self, act: _Action, obj: Any) -> int:
        new_id, row = repo.insert(self.store, obj, now=now_utc())
        act.audit(repo.table_of(obj), new_id, None, row)
        return new_id

    def _update(self, act: _Action, obj: Any) -> None:
        old, new = repo.update(self.store, obj)
        changed_old = {k: v for k, v in old.items() if new.get(k) != v}
        changed_new = {k: new[k] for k in changed_old}
        act.audit(repo.table_of(obj), obj.id, changed_old, changed_new)
