"""One section of the main window: its pages as tabs (no tab bar when there is only one)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QTabWidget, QWidget

from .sections import Section

if TYPE_CHECKING:
    from .context import UiContext


class _RoomyTabs(QProxyStyle):
    """Tabs a few pixels taller: Fusion draws inactive tabs lower and cut off the dots of a
    capital umlaut ("Änderungsprotokoll" read "Anderungsprotokoll")."""

    def sizeFromContents(self, kind, option, size, widget=None):  # noqa: N802 - Qt override
        result = super().sizeFromContents(kind, option, size, widget)
        if kind == QStyle.ContentsType.CT_TabBarTab:
            result.setHeight(result.height() + 6)
        return result


_tab_style: _RoomyTabs | None = None


def _roomy_tab_style() -> _RoomyTabs:
    global _tab_style
    if _tab_style is None:
        _tab_style = _RoomyTabs(QApplication.style().name())
        _tab_style.setParent(QApplication.instance())  # lives as long as the application
    return _tab_style


class SectionWidget(QTabWidget):
    """Builds the section's pages from :data:`paktdesk.ui.sections.SECTIONS`."""

    def __init__(self, ctx: UiContext, section: Section, parent: QWidget | None = None):
        super().__init__(parent)
        self.section = section
        self.setDocumentMode(True)
        self.setTabBarAutoHide(True)
        self.tabBar().setStyle(_roomy_tab_style())
        self.pages: dict[str, QWidget] = {}
        for tab in section.tabs:
            page = tab.build(ctx, self)
            self.pages[tab.title] = page
            self.addTab(page, tab.title)

    def page(self, title: str) -> QWidget:
        return self.pages[title]

    def show_page(self, title: str) -> QWidget:
        page = self.pages[title]
        self.setCurrentWidget(page)
        return page

    def focus_filter(self) -> bool:
        """Strg+F: focus the current page's filter field, if it has one."""
        page = self.currentWidget()
        if hasattr(page, "focus_filter"):
            page.focus_filter()
            return True
        return False
