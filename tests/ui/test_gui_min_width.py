"""The window fits a screen 1280 pixels wide (a 1920 × 1080 laptop at 150 % scaling) in every
section: no page may force it wider (the list pages' buttons and filter once needed 1346)."""

from __future__ import annotations

from paktdesk.ui.sections import SECTIONS

SCREEN_WIDTH = 1280


def test_every_section_fits_a_1280_pixel_screen(window, qapp):
    for section in SECTIONS:
        widget = window.show_section(section.key)
        qapp.processEvents()
        for title in widget.pages:
            widget.show_page(title)
        qapp.processEvents()
        assert window.minimumSizeHint().width() <= SCREEN_WIDTH, section.key
    window.resize(SCREEN_WIDTH, 760)
    qapp.processEvents()
    assert window.width() == SCREEN_WIDTH
