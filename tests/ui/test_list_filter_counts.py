"""Lists on large data: a new filter counts only the matching rows (the total stays known until
the data changes; counting a Kreis's 200,000 receipts again cost 50 ms per keystroke), and the
column widths come from the first rows only."""

from __future__ import annotations

from datetime import date

from paktdesk.core import entities as e
from paktdesk.ui.context import UiContext
from paktdesk.ui.pages.money_pages import ReceiptsPage


def _counts(statements: list[str]) -> list[str]:
    return [s for s in statements if "count(*)" in s]


def test_filtering_counts_the_matches_only_and_a_change_counts_again(qtbot, demo_ws):
    ctx = UiContext(demo_ws)
    page = ReceiptsPage(ctx)
    qtbot.addWidget(page)
    total = demo_ws.counts()["receipts"]
    assert page.model.total_count == total
    statements: list[str] = []
    demo_ws.store.conn.set_trace_callback(statements.append)

    page.filter_edit.setText("Entgelt")
    page.apply_filter()
    assert len(_counts(statements)) == 1 and "LIKE" in _counts(statements)[0]
    assert 0 < page.model.rowCount() < total
    assert page.model.total_count == total
    assert page.count_label.text().endswith(f"insgesamt {total} Belege")

    statements.clear()
    page.filter_edit.clear()
    page.apply_filter()
    assert _counts(statements) == []
    assert page.model.rowCount() == total

    decision = demo_ws.decisions()[-1].id
    demo_ws.add_receipt(e.Receipt(None, decision, e.ListKind.MATERIAL, 0, date(2024, 5, 2), None, 2024,
                                  "Stadtwerke", "Raummiete Mai", "S_RAUM", 50_000))
    assert page.model.total_count == total + 1
    assert page.model.rowCount() == total + 1
    demo_ws.store.conn.set_trace_callback(None)


def test_column_widths_come_from_the_first_rows_only(qtbot, demo_ws):
    from paktdesk.ui.list_page import FIT_ROWS
    from paktdesk.ui.table_model import ListingModel

    page = ReceiptsPage(UiContext(demo_ws))
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    qtbot.waitExposed(page)
    assert page.table.horizontalHeader().resizeContentsPrecision() == FIT_ROWS < ListingModel.PAGE_SIZE
    assert page.model.fetches == 1  # one page read, however long the list
    shown = [n for n in range(page.model.columnCount()) if not page.table.isColumnHidden(n)]
    assert all(page.table.columnWidth(n) > 0 for n in shown)
