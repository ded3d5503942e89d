"""The accessibility walk (BITV 2.0 / EN 301 549): every page and every dialog, as a screen reader
and a keyboard-only clerk meet them. No focusable input without a name (asked through Qt's
accessibility interface, which is what a screen reader reads), no button without text or name,
form labels with an Alt key that leads to their field, and Tab walks the fields in the order
they are shown."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAccessible
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialog, QLabel, QWidget

from paktdesk.ui.sections import SECTIONS


def accessible_name(widget: QWidget) -> str:
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name).strip() if interface is not None else ""


def nameless(root: QWidget) -> list[str]:
    """Inputs and buttons a keyboard can reach whose name a screen reader could not tell."""
    found = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root) or not widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            continue
        if widget.focusProxy() is not None:
            continue
        if isinstance(widget, QAbstractButton) and (widget.text().strip() or widget.accessibleName()):
            continue
        if not accessible_name(widget):
            found.append(f"{type(widget).__name__} {widget.objectName()!r} "
                         f"{getattr(widget, 'placeholderText', lambda: '')()!r}")
    return found


def labels_without_way_to_field(dialog: QDialog) -> list[str]:
    """Form labels (with a buddy) that have no Alt key, or whose Alt keys repeat in the dialog."""
    bad, letters = [], {}
    for label in dialog.findChildren(QLabel):
        if label.buddy() is None or not label.isVisibleTo(dialog):
            continue
        text = label.text().replace("&&", "")
        if "&" not in text:
            bad.append(f"no Alt key: {label.text()!r}")
            continue
        letter = text[text.index("&") + 1].casefold()
        if letter in letters:
            bad.append(f"Alt+{letter} twice: {letters[letter]!r} and {label.text()!r}")
        letters[letter] = label.text()
    return bad


def tab_walk(qtbot, dialog: QDialog, start: QWidget, steps: int) -> list[QWidget]:
    start.setFocus(Qt.FocusReason.TabFocusReason)
    seen = [start]
    for _ in range(steps):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        widget = QApplication.focusWidget()
        if widget is seen[0]:
            break
        seen.append(widget)
    return seen


def out_of_visual_order(dialog: QDialog, chain: list[QWidget]) -> list[str]:
    """Pairs where Tab goes up or to the left within a row (the buttons at the bottom may follow)."""
    def place(widget: QWidget) -> tuple[int, int, int]:
        top_left = widget.mapTo(dialog, QPoint(0, 0))
        return top_left.y(), top_left.x(), widget.height()

    bad = []
    for first, second in zip(chain, chain[1:]):
        (y1, x1, h1), (y2, x2, h2) = place(first), place(second)
        same_row = abs((y1 + h1 / 2) - (y2 + h2 / 2)) < max(h1, h2) / 2
        if (same_row and x2 <= x1) or (not same_row and y2 < y1):
            bad.append(f"{accessible_name(first) or type(first).__name__} → "
                       f"{accessible_name(second) or type(second).__name__}")
    return bad


def test_every_page_names_its_inputs_and_buttons(window):
    problems = {}
    for section in SECTIONS:
        widget = window.show_section(section.key)
        for tab in section.tabs:
            page = widget.show_page(tab.title)
            QApplication.processEvents()
            if found := nameless(page):
                problems[tab.title] = found
    assert problems == {}
    assert nameless(window.nav.window()) == []  # the section list, menu and status bar too


def _dialogs(window):
    """Every dialog of the program, built on the demo as the clerk opens it (name, factory)."""
    from paktdesk.ui.dialogs.decision_dialog import DecisionDialog
    from paktdesk.ui.dialogs.employment import EmploymentDialog, InterruptionDialog
    from paktdesk.ui.dialogs.key_figure_def import KeyFigureDefDialog
    from paktdesk.ui.dialogs.pass_through_dialogs import (
        AgreementDialog,
        PassThroughPaymentDialog,
        ProviderProofDialog,
    )
    from paktdesk.ui.dialogs.payment_dialog import PaymentDialog, RepaymentDialog
    from paktdesk.ui.dialogs.person import EndPersonDialog, PersonDialog, ProviderDialog
    from paktdesk.ui.dialogs.proof_submission_dialog import ProofSubmissionDialog
    from paktdesk.ui.dialogs.qualification import QualificationDialog, RequalificationDialog
    from paktdesk.ui.dialogs.receipt_entry import ReceiptEntryDialog
    from paktdesk.ui.dialogs.reversal_dialog import ReversalDialog
    from paktdesk.ui.dialogs.shift_deadlines import ShiftDeadlinesDialog
    from paktdesk.ui.dialogs.third_party_dialog import ThirdPartyDialog

    ctx = window.ctx
    ws = ctx.workspace
    person = ws.persons()[0]
    decision = ws.decisions()[0]
    pass_through = next(p for d in ws.decisions() for p in ws.pass_throughs(d.id))
    receipt = ws.receipts(decision.id)[0]
    factories = {
        "PersonDialog neu": lambda: PersonDialog(ctx, None, window),
        "PersonDialog": lambda: PersonDialog(ctx, person, window),
        "EndPersonDialog": lambda: EndPersonDialog(ctx, person, window),
        "ProviderDialog": lambda: ProviderDialog(ctx, None, window),
        "EmploymentDialog": lambda: EmploymentDialog(ctx, person, None, window),
        "InterruptionDialog": lambda: InterruptionDialog(ctx, person, None, window),
        "QualificationDialog": lambda: QualificationDialog(ctx, person, None, window),
        "RequalificationDialog": lambda: RequalificationDialog(ctx, person, None, window, today=date(2025, 6, 1)),
        "ShiftDeadlinesDialog": lambda: ShiftDeadlinesDialog(ctx, window, today=date(2025, 6, 1)),
        "KeyFigureDefDialog": lambda: KeyFigureDefDialog(ctx, None, groups=["Beratung"], parent=window),
        "PaymentDialog": lambda: PaymentDialog(ctx, decision_id=decision.id, parent=window),
        "RepaymentDialog": lambda: RepaymentDialog(ctx, decision_id=decision.id, parent=window),
        "ReceiptEntryDialog": lambda: ReceiptEntryDialog(ctx, decision_id=decision.id, parent=window),
        "ReceiptEntryDialog bearbeiten": lambda: ReceiptEntryDialog(ctx, receipt_id=receipt.id, parent=window),
        "ReversalDialog": lambda: ReversalDialog(ctx, what="Beleg stornieren.", reverse=lambda *_a: None,
                                                 parent=window),
        "ThirdPartyDialog": lambda: ThirdPartyDialog(ctx, decision_id=decision.id, parent=window),
        "AgreementDialog": lambda: AgreementDialog(ctx, decision_id=decision.id, parent=window),
        "ProofSubmissionDialog": lambda: ProofSubmissionDialog(ctx, decision_id=decision.id, parent=window),
        "DecisionDialog neu": lambda: DecisionDialog(ctx, mode="new", parent=window),
        "DecisionDialog": lambda: DecisionDialog(ctx, decision_id=decision.id, mode="edit", parent=window),
        "DecisionDialog Änderung": lambda: DecisionDialog(ctx, decision_id=decision.id, mode="amend", parent=window),
        "PassThroughPaymentDialog": lambda: PassThroughPaymentDialog(ctx, pass_through_id=pass_through.id,
                                                                     parent=window),
        "ProviderProofDialog": lambda: ProviderProofDialog(ctx, pass_through_id=pass_through.id, parent=window),
    }
    return factories


@pytest.fixture
def opened_dialogs(window, qtbot):
    shown = []
    for name, factory in _dialogs(window).items():
        dialog = factory()
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        shown.append((name, dialog))
    yield shown
    for _name, dialog in shown:
        dialog.done(0)


def test_every_dialog_names_its_inputs_and_labels_lead_to_them(opened_dialogs):
    names = {name: nameless(dialog) for name, dialog in opened_dialogs}
    assert {name: found for name, found in names.items() if found} == {}
    labels = {name: labels_without_way_to_field(dialog) for name, dialog in opened_dialogs}
    assert {name: found for name, found in labels.items() if found} == {}
    assert len(opened_dialogs) == 23


def test_the_other_dialogs_name_their_inputs_too(window, qtbot):
    """Dialogs that are lists and tables more than forms: the person's file, the Papierkorb, the
    receipt import, erasing personal data, a provider's Sachbericht contribution, the first start."""
    from paktdesk.ui.dialogs.erase_person import ErasePersonDialog
    from paktdesk.ui.dialogs.person_file import PersonFileDialog
    from paktdesk.ui.dialogs.receipt_import_dialog import ReceiptImportDialog
    from paktdesk.ui.dialogs.trash import TrashDialog
    from paktdesk.ui.first_start import FirstStartDialog
    from paktdesk.ui.pages.narrative import ContributionDialog

    ctx, ws = window.ctx, window.ctx.workspace
    person, decision = ws.persons()[0], ws.decisions()[0]
    provider = next(p for p in ws.providers() if p.kind.value != "eigen")
    problems = {}
    for dialog in (PersonFileDialog(ctx, person.id, window, today=date(2025, 6, 1)), TrashDialog(ctx, window),
                   ReceiptImportDialog(ctx, decision_id=decision.id, parent=window),
                   ErasePersonDialog(ctx, person.id, window, today=date(2025, 6, 1)),
                   ContributionDialog(ctx, decision.id, provider.id, window), FirstStartDialog("Test.paktdesk")):
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        pages = [dialog]
        tabs = getattr(dialog, "tabs", None)
        for number in range(tabs.count() if tabs is not None and hasattr(tabs, "count") else 0):
            tabs.setCurrentIndex(number)
            pages.append(tabs.widget(number))
        found = sorted({entry for page in pages for entry in nameless(page)})
        if found:
            problems[type(dialog).__name__] = found
        dialog.done(0)
    assert problems == {}


def test_tab_follows_the_visual_order_in_every_dialog(opened_dialogs, qtbot):
    problems = {}
    for name, dialog in opened_dialogs:
        dialog.activateWindow()
        qtbot.waitUntil(lambda d=dialog: QApplication.activeWindow() is d)
        fields = [w for w in dialog.field_order() if w.isEnabled() and w.isVisibleTo(dialog)]
        chain = tab_walk(qtbot, dialog, fields[0], 60)
        assert len(chain) >= min(len(fields), 2), name
        in_fields = [w for w in chain if w in fields]
        assert in_fields == fields[:len(in_fields)], name  # the fields come in the order shown
        if found := out_of_visual_order(dialog, in_fields):
            problems[name] = found
    assert problems == {}
