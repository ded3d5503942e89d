"""Run by test_gui_screen_fit.py in its own X server (Xvfb with a window manager): open PaktDesk on
a demo file as a clerk's laptop does, visit every page, open the dialogs, photograph the screen
each time and write what was measured to a JSON file.

    python screen_fit_child.py DEMO_FILE OUT_FOLDER [TASKBAR_HEIGHT]
"""

from __future__ import annotations

import json
import subprocess
import sys
import traceback
from pathlib import Path

from PySide6.QtCore import QEventLoop, QPoint, QTimer
from PySide6.QtWidgets import QApplication

from paktdesk.app import create_application, create_main_window
from paktdesk.ui.sections import SECTIONS
from paktdesk.workspace import Workspace


def settle(ms: int = 350) -> None:
    """Let the window manager frame and place a window (there is no signal for that)."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def rect(r) -> list[int]:
    return [r.x(), r.y(), r.width(), r.height()]


def dialogs(ctx, window):
    """(name, factory) of the dialogs a clerk opens from the pages, on the demo's data."""
    from paktdesk.ui.dialogs.decision_dialog import DecisionDialog
    from paktdesk.ui.dialogs.employment import EmploymentDialog, InterruptionDialog
    from paktdesk.ui.dialogs.pass_through_dialogs import AgreementDialog
    from paktdesk.ui.dialogs.payment_dialog import PaymentDialog, RepaymentDialog
    from paktdesk.ui.dialogs.person import EndPersonDialog, PersonDialog, ProviderDialog
    from paktdesk.ui.dialogs.person_file import PersonFileDialog
    from paktdesk.ui.dialogs.proof_submission_dialog import ProofSubmissionDialog
    from paktdesk.ui.dialogs.qualification import QualificationDialog, RequalificationDialog
    from paktdesk.ui.dialogs.receipt_entry import ReceiptEntryDialog
    from paktdesk.ui.dialogs.receipt_import_dialog import ReceiptImportDialog
    from paktdesk.ui.dialogs.shift_deadlines import ShiftDeadlinesDialog
    from paktdesk.ui.dialogs.third_party_dialog import ThirdPartyDialog
    from paktdesk.ui.dialogs.trash import TrashDialog
    from paktdesk.ui.first_start import FirstStartDialog
    from paktdesk.ui.handbook import HandbookWindow

    ws = ctx.workspace
    person = ws.persons()[0]
    decision = ws.decisions()[-1].id
    return [
        ("Person anlegen", lambda: PersonDialog(ctx, parent=window)),
        ("Person bearbeiten", lambda: PersonDialog(ctx, person, parent=window)),
        ("Person ausscheiden", lambda: EndPersonDialog(ctx, person, parent=window)),
        ("Akte", lambda: PersonFileDialog(ctx, person.id, parent=window)),
        ("Stellenanteil", lambda: EmploymentDialog(ctx, person, parent=window)),
        ("Unterbrechung", lambda: InterruptionDialog(ctx, person, parent=window)),
        ("Qualifikation", lambda: QualificationDialog(ctx, person, parent=window)),
        ("Nachqualifizierung", lambda: RequalificationDialog(ctx, person, parent=window)),
        ("Träger anlegen", lambda: ProviderDialog(ctx, parent=window)),
        ("Papierkorb", lambda: TrashDialog(ctx, window)),
        ("Bescheid neu", lambda: DecisionDialog(ctx, mode="new", parent=window)),
        ("Bescheid öffnen", lambda: DecisionDialog(ctx, decision_id=decision, mode="edit", parent=window)),
        ("Nachweis eingereicht", lambda: ProofSubmissionDialog(ctx, decision_id=decision, parent=window)),
        ("Zahlung", lambda: PaymentDialog(ctx, parent=window)),
        ("Rückzahlung", lambda: RepaymentDialog(ctx, parent=window)),
        ("Belege erfassen", lambda: ReceiptEntryDialog(ctx, parent=window)),
        ("Belege importieren", lambda: ReceiptImportDialog(ctx, parent=window)),
        ("Vereinbarung", lambda: AgreementDialog(ctx, parent=window)),
        ("Drittmittel", lambda: ThirdPartyDialog(ctx, parent=window)),
        ("Fristen verschieben", lambda: ShiftDeadlinesDialog(ctx, window)),
        ("Erster Start", lambda: FirstStartDialog("Neu.paktdesk", window)),
        ("Handbuch", lambda: HandbookWindow(window)),
    ]


def taskbar(height: int):
    """A bar along the bottom that reserves its height (a strut), as the Windows taskbar does: the
    window manager then leaves it out of the screen's usable room."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLabel

    screen = QApplication.primaryScreen().geometry()
    bar = QLabel("Taskleiste")
    bar.setWindowFlags(Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowDoesNotAcceptFocus)
    bar.setStyleSheet("background: #202a36; color: white;")
    bar.setGeometry(0, screen.height() - height, screen.width(), height)
    bar.show()
    settle(300)
    window_id = str(int(bar.winId()))
    strut = f"0, 0, 0, {height}, 0, 0, 0, 0, 0, 0, 0, {screen.width() - 1}"
    subprocess.run(["xprop", "-id", window_id, "-f", "_NET_WM_STRUT_PARTIAL", "32c", "-set",
                    "_NET_WM_STRUT_PARTIAL", strut], check=True)
    subprocess.run(["xprop", "-id", window_id, "-f", "_NET_WM_STRUT", "32c", "-set", "_NET_WM_STRUT",
                    f"0, 0, 0, {height}"], check=True)
    for _ in range(20):
        settle(100)
        if QApplication.primaryScreen().availableGeometry().height() == screen.height() - height:
            break
    return bar


def main(demo: str, out: str, taskbar_height: str = "0") -> int:
    folder = Path(out)
    app = create_application()
    bar = taskbar(int(taskbar_height)) if int(taskbar_height) else None  # noqa: F841 - kept on screen
    window = create_main_window(Workspace.open(Path(demo)))
    window.show()
    settle(800)
    screen = window.screen()
    report: dict = {"screen": rect(screen.geometry()), "available": rect(screen.availableGeometry()),
                    "pages": [], "dialogs": [], "errors": []}

    def measure(kind: str, name: str, widget) -> None:
        bar = window.statusBar()
        shot = folder / f"{len(report[kind]):02}-{name.replace(' ', '_').replace('/', '-')}.png"
        screen.grabWindow(0).save(str(shot))
        report[kind].append({
            "name": name, "frame": rect(widget.frameGeometry()), "minimum": [widget.minimumSizeHint().width(),
                                                                          widget.minimumSizeHint().height()],
            "status_bar": [bar.mapToGlobal(QPoint(0, 0)).x(), bar.mapToGlobal(QPoint(0, 0)).y(),
                           bar.width(), bar.height()],
            "status_bar_visible": bar.isVisible(), "shot": shot.name})

    for section in SECTIONS:
        widget = window.show_section(section.key)
        for index, tab in enumerate(section.tabs):
            widget.setCurrentIndex(index)
            settle(250)
            measure("pages", f"{section.title} - {tab.title}", window)
    window.show_section("overview")
    for name, factory in dialogs(window.ctx, window):
        try:
            dialog = factory()
            dialog.show()
            settle()
            measure("dialogs", name, dialog)
            dialog.close()
            settle(100)
        except Exception:  # noqa: BLE001 - report and go on with the next dialog
            report["errors"].append(f"{name}: {traceback.format_exc()}")
    (folder / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    window.close()
    app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
