"""Smoke check of a built bundle's window, switched on by ``PAKTDESK_SMOKE=1`` (inert otherwise).

The launcher imports this before it runs PaktDesk normally. It wraps ``QApplication.exec`` so that,
once the app's event loop runs, it waits for the main window to be shown and exposed, checks what a
bundle can get wrong (Qt's German translations found, a font with € and umlauts), prints one line and
ends the program: exit 0 if all is well, 4 if a check failed, 3 if no main window appeared in time.
It relies only on the app calling ``QApplication.exec()``, not on the app's internals.

Environment:
    PAKTDESK_SMOKE=1            switch on
    PAKTDESK_SMOKE_TIMEOUT=60   seconds until the watchdog gives up (exit 3)
    PAKTDESK_SMOKE_GRAB=x.png   save a picture of the main window there
"""

from __future__ import annotations

import os
import sys
import threading
import time

EXIT_OK, EXIT_NO_WINDOW, EXIT_CHECK_FAILED = 0, 3, 4
_started = time.monotonic()


def enabled() -> bool:
    return os.environ.get("PAKTDESK_SMOKE", "") not in ("", "0")


def _say(text: str) -> None:
    print(f"[Bundle-Prüfung] {text}", flush=True)


def _watchdog(seconds: float) -> None:
    def give_up() -> None:
        _say(f"FEHLER: kein Hauptfenster nach {seconds:.0f} s (ein Dialog davor? eine Ausnahme?)")
        os._exit(EXIT_NO_WINDOW)

    timer = threading.Timer(seconds, give_up)
    timer.daemon = True
    timer.start()


def problems_of(app, window) -> list[str]:
    """What is wrong with the shown main window of a bundled app (empty list: nothing)."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtGui import QFontMetrics

    found = []
    cancel = QCoreApplication.translate("QPlatformTheme", "Cancel")
    if cancel != "Abbrechen":
        found.append(f"Qt-Übersetzung nicht geladen (Cancel → {cancel!r}, erwartet 'Abbrechen')")
    metrics = QFontMetrics(window.font())
    missing = [ch for ch in "€äöüß" if not metrics.inFontUcs4(ord(ch))]
    if missing:
        found.append(f"Schrift {window.font().family()!r} ohne Zeichen {''.join(missing)!r}")
    if not window.windowTitle().strip():
        found.append("Hauptfenster ohne Titel")
    return found


def install() -> None:
    """Wrap ``QApplication.exec`` for the check (call before the app creates its QApplication)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    _watchdog(float(os.environ.get("PAKTDESK_SMOKE_TIMEOUT", "60")))
    original_exec = QApplication.exec

    def shown_main_window():
        for widget in QApplication.topLevelWidgets():
            handle = widget.windowHandle()
            if isinstance(widget, QMainWindow) and widget.isVisible() and handle and handle.isExposed():
                return widget
        return None

    def poll() -> None:
        app = QApplication.instance()
        window = shown_main_window()
        if window is None:
            QTimer.singleShot(20, poll)
            return
        seconds = time.monotonic() - _started
        grab = os.environ.get("PAKTDESK_SMOKE_GRAB")
        if grab:
            window.grab().save(grab)
        found = problems_of(app, window)
        for problem in found:
            _say(f"FEHLER: {problem}")
        _say(f"Hauptfenster „{window.windowTitle()}“ angezeigt nach {seconds:.2f} s"
             f" (Python {sys.version.split()[0]}, gebündelt: {getattr(sys, 'frozen', False)})")
        window.close()  # as a clerk ends the program: lock released, backup on close
        app.exit(EXIT_CHECK_FAILED if found else EXIT_OK)

    def exec_with_check(*_args, **_kwargs):
        QTimer.singleShot(0, poll)
        return original_exec()

    QApplication.exec = exec_with_check
