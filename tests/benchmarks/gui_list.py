"""One run of the receipts-list measure in a fresh process (started by run_all.py).

``python gui_list.py ours FILE TEXT``: open FILE in PaktDesk's main window (offscreen unless
QT_QPA_PLATFORM is set), wait until the Übersicht is painted and the full check that runs once in
the background after opening has finished, then time

- *open*: the clerk clicks "Förderung" and then the tab "Belege", until the receipts table has
  been painted with its first rows (the section's pages are built on first use);
- *filter*: one keystroke in the filter field (TEXT) until the filtered table is painted. The
  list waits for a pause in typing (200 ms) before it asks the database; that deliberate delay
  is not counted: the measure fires the filter at once after the keystroke;

and report the peak resident memory of the process (the file open, the receipts list shown).

``python gui_list.py floor FILE TEXT``: a raw sqlite3 query of the same page (the SQL the list
issues for its first 200 rows, without and with the filter) on a fresh connection; for the report
also the time of the list's count query.

Prints one line ``RESULT {json}``."""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
sys.path.insert(0, str(HERE))

from measures import peak_mb  # noqa: E402

TIMEOUT_S = 120


def page_sql(listing, search: str, *, limit: int = 200) -> tuple[str, list]:
    """The SQL of the listing's first page in its default order, as ``Listing.page`` builds it."""
    where, params = listing._where(search, through_lookups=bool(listing.lookups))
    select = ", ".join(c.expr for c in listing.columns)
    order = listing.default_sort or "1"
    sql = (f"SELECT {listing.id_expr}, {select} FROM {listing.source}{where} "
           f"ORDER BY {order} ASC, {listing.id_expr} ASC LIMIT ? OFFSET ?")
    return sql, [*params, limit, 0]


def floor(path: Path, text: str) -> dict:
    from paktdesk.db.connection import Store
    from paktdesk.db.listings import LISTINGS

    listing = LISTINGS["receipts"]
    conn = sqlite3.connect(path)
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # schema read, as an open file has
    result = {}
    for key, search in (("open", ""), ("filter", text)):
        sql, params = page_sql(listing, search)
        begin = time.perf_counter()
        rows = conn.execute(sql, params).fetchall()
        result[key] = time.perf_counter() - begin
        result[f"{key}_rows"] = len(rows)
        begin = time.perf_counter()  # for the report: the count the list runs besides the page
        result[f"{key}_count_rows"] = listing.count(Store(path, conn), search=search)
        result[f"{key}_count"] = time.perf_counter() - begin
    conn.close()
    return result


def ours(path: Path, text: str) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEvent, QObject, Qt
    from PySide6.QtTest import QTest

    from paktdesk.app import create_application
    from paktdesk.ui.main_window import MainWindow
    from paktdesk.workspace import Workspace

    class PaintProbe(QObject):
        painted = False

        def eventFilter(self, watched, event):  # noqa: N802 - Qt override
            if event.type() == QEvent.Type.Paint:
                self.painted = True
            return False

    app = create_application()
    probe = PaintProbe()

    def wait_for_paint() -> None:
        deadline = time.perf_counter() + TIMEOUT_S
        while not probe.painted:
            app.processEvents()
            if time.perf_counter() > deadline:
                raise TimeoutError("nothing was painted")

    window = MainWindow(Workspace.open(path))
    window.show()
    overview = window.section_widget("overview").currentWidget()
    overview.title_label.installEventFilter(probe)
    wait_for_paint()
    app.processEvents()
    result = {}
    # the full check runs once in the background after opening (a few seconds on a Kreis file);
    # the list is measured after it, not competing with it
    guard = getattr(window, "guard", None)
    begin = time.perf_counter()
    while guard is not None and guard.check_job is not None:
        app.processEvents()
        time.sleep(0.01)
        if time.perf_counter() - begin > TIMEOUT_S:
            raise TimeoutError("the background check did not finish")
    result["background_check_s"] = time.perf_counter() - begin
    app.processEvents()

    begin = time.perf_counter()
    section = window.show_section("funding")
    page = section.page("Belege")
    page.table.viewport().installEventFilter(probe)
    probe.painted = False
    section.setCurrentWidget(page)
    wait_for_paint()
    result["open"] = time.perf_counter() - begin
    result["open_rows"] = page.model.rowCount()
    result["open_fetches"] = page.model.fetches
    app.processEvents()

    page.filter_edit.setFocus(Qt.FocusReason.OtherFocusReason)
    app.processEvents()
    probe.painted = False
    begin = time.perf_counter()
    QTest.keyClicks(page.filter_edit, text)
    page.apply_filter()  # what the 200 ms pause timer does
    wait_for_paint()
    result["filter"] = time.perf_counter() - begin
    result["filter_rows"] = page.model.rowCount()
    result["filter_count_text"] = page.count_label.text()
    app.processEvents()
    result["peak_mb"] = peak_mb()
    if os.environ.get("PAKTDESK_BENCH_GRAB"):
        window.grab().save(os.environ["PAKTDESK_BENCH_GRAB"])
    return result


if __name__ == "__main__":
    mode, file, search = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    outcome = ours(file, search) if mode == "ours" else floor(file, search)
    sys.stdout.write("RESULT " + json.dumps(outcome) + "\n")
    sys.stdout.flush()
    os._exit(0)
