"""List columns: measured again when the first rows arrive (a list first shown empty kept the widths
of its headings, and "Yilmaz-Öztürk, A…" was cut while empty columns kept the room), and never
narrower than their German heading."""

from __future__ import annotations

import pytest

from paktdesk.core import entities as e
from paktdesk.ui.context import UiContext
from paktdesk.ui.pages.money_pages import DecisionsPage, ReceiptsPage
from paktdesk.ui.pages.register import RegisterPersonsPage, RegisterProvidersPage
from paktdesk.ui.pages.third_party import ThirdPartyPage


def shown(qtbot, page, width: int):
    qtbot.addWidget(page)
    page.resize(width, 500)
    page.show()
    qtbot.waitExposed(page)
    return page


def cut_cells(page) -> list[str]:
    """Texts of visible cells that do not fit their column (drawn with "…")."""
    table = page.table
    cut = []
    for column in range(page.model.columnCount()):
        if table.isColumnHidden(column):
            continue
        for row in range(page.model.rowCount()):
            index = page.model.index(row, column)
            text = index.data() or ""
            needed = table.fontMetrics().horizontalAdvance(str(text)) + 2 * table.style().pixelMetric(
                table.style().PixelMetric.PM_FocusFrameHMargin, None, table) + 2
            if text and needed > table.columnWidth(column):
                cut.append(str(text))
    return cut


def cut_headings(page) -> list[str]:
    header = page.table.horizontalHeader()
    return [page.model.columns[n].label for n in range(page.model.columnCount())
            if not page.table.isColumnHidden(n) and header.sectionSize(n) < header.sectionSizeHint(n)]


def test_a_list_first_shown_empty_fits_its_columns_when_the_first_rows_arrive(qtbot, workspace):
    ctx = UiContext(workspace)
    page = shown(qtbot, RegisterPersonsPage(ctx), 1100)
    assert page.model.rowCount() == 0
    provider = workspace.save_provider(e.Provider(None, "Caritasverband Unterland e. V.", e.ProviderKind.FREE)).ids[0]
    workspace.save_person(e.Person(None, "Ayşe-Gül", "Yilmaz-Öztürk", provider))
    workspace.save_person(e.Person(None, "Jan", "Ott", provider))
    assert page.model.rowCount() == 2
    assert cut_cells(page) == []
    assert cut_headings(page) == []


def test_widths_the_clerk_dragged_stay_when_rows_arrive(qtbot, workspace):
    ctx = UiContext(workspace)
    page = shown(qtbot, RegisterProvidersPage(ctx), 900)
    page.table.horizontalHeader().resizeSection(0, 77)  # as a drag on the header does
    workspace.save_provider(e.Provider(None, "Diakonisches Werk des Evangelischen Kirchenbezirks Lindenbach",
                                       e.ProviderKind.FREE))
    assert page.table.columnWidth(0) == 77


@pytest.mark.parametrize("page_class", [DecisionsPage, ReceiptsPage, ThirdPartyPage])
def test_a_narrow_window_shrinks_names_but_never_a_heading(qtbot, demo_ws, page_class):
    page = shown(qtbot, page_class(UiContext(demo_ws)), 700)  # "Zuwendungsgeber", "Empfänger" were cut
    assert page.model.rowCount() > 0
    assert cut_headings(page) == []
