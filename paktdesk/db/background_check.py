"""The structural part of the full check (:func:`.datafile.structure_check`: schema version,
``PRAGMA integrity_check``, foreign keys, schema text) on a read-only connection and a thread
of its own, while the caller goes on reading.

SQLite's integrity check of a 200 MB Kreis file is a second of pure SQLite work, during which
the sqlite3 module releases the GIL: an export gathers its rows on the other core meanwhile
instead of waiting. Nothing is left out: the caller takes :meth:`BackgroundCheck.result` before
it writes anything and refuses when it reports a problem, exactly as after the check run first.
If a second connection cannot be opened, the check runs on the caller's connection when the
result is asked for."""

from __future__ import annotations

import threading
from collections.abc import Callable

from .connection import Store, connect
from .datafile import structure_check


class BackgroundCheck:
    """``structure_check`` of ``store``'s file, started on creation. While ``stopped()`` is
    true its queries end with an error, like the caller's (an interrupted check reports the
    file as not checked, never as good)."""

    def __init__(self, store: Store, *, stopped: Callable[[], bool] | None = None):
        self._store = store
        self._result: tuple[list[str], bool] | None = None
        self._error: BaseException | None = None
        self._own: Store | None = None
        self._thread: threading.Thread | None = None
        try:
            self._own = connect(store.path, read_only=True)
        except Exception:  # noqa: BLE001 - any reason: the check runs on the caller's connection instead
            return
        if stopped is not None:
            self._own.conn.set_progress_handler(lambda: 1 if stopped() else 0, 10_000)
        self._thread = threading.Thread(target=self._run, args=(self._own,), name="paktdesk-structure-check",
                                        daemon=True)
        self._thread.start()

    def _run(self, store: Store) -> None:
        try:
            self._result = structure_check(store)
        except BaseException as err:  # noqa: BLE001 - handed to the caller in result()
            self._error = err

    @property
    def in_background(self) -> bool:
        return self._thread is not None

    def result(self) -> tuple[list[str], bool]:
        """The problems found and whether the money check can run (see ``structure_check``);
        waits for the thread. Raises what the check raised."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None
            self._own.conn.close()
        elif self._result is None and self._error is None:
            self._run(self._store)
        if self._error is not None:
            raise self._error
        return self._result
