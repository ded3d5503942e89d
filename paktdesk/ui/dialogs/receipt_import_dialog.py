"""Receipt import from the finance system's CSV or XLSX: choose the file and the decision, check
the header row that was found (title lines above it are shown; another row can be chosen), map
the columns (a saved profile matching the header, else the last mapping, is proposed), look at
the preview with every row übernommen, übersprungen (totals, repeated headers, duplicates) or
fehlerhaft with its reason, then import all rows or none. Nothing is written while any row has
an error."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.errors import PaktDeskError
from ...core.money import format_cents
from ...core.periods import format_date
from ...exchange import receipt_import as ri
from .money_fields import fill_combo, select_data
from .payment_dialog import decision_items
from ...core.os_errors import reason as os_reason
from .dialog_keys import KeyboardDialog

NOT_MAPPED = "(nicht zugeordnet)"
ERROR_BACKGROUND = QColor("#fde7e4")
DUPLICATE_BACKGROUND = QColor("#fff4ce")
SKIPPED_BACKGROUND = QColor("#ececec")
PREVIEW_COLUMNS = ["Zeile", "Status", "Hinweis", "Datum", "Betrag", "Empfänger", "Zweck", "Belegnr.", "Kostenart",
                   "Person"]


class ReceiptImportDialog(KeyboardDialog):
    def __init__(self, ctx, *, decision_id: int | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.preview: ri.ImportPreview | None = None
        self.headers: tuple[str, ...] = ()
        self._loaded_path = ""
        self.change = None
        self.setWindowTitle("Belege importieren")
        ws = ctx.workspace

        self.path_edit = QLineEdit(self)
        self.path_edit.setAccessibleName("Datei")
        self.path_edit.setPlaceholderText("CSV- oder XLSX-Datei aus der Finanzsoftware")
        self.browse_button = QPushButton("Datei wählen …", self)
        self.decision_combo = QComboBox(self)
        fill_combo(self.decision_combo, decision_items(ws))
        select_data(self.decision_combo, decision_id)
        self.default_category_combo = QComboBox(self)
        fill_combo(self.default_category_combo,
                   [("— keine (Spalte Kostenart nötig) —", None), *((c.label, c.code) for c in ws.cost_categories())])
        self.duplicates_box = QCheckBox("Dubletten trotzdem übernehmen", self)
        self.header_spin = QSpinBox(self)
        self.header_spin.setRange(0, 9999)
        self.header_spin.setSpecialValueText("erkannt")
        self.header_spin.setAccessibleName("Kopfzeile (Zeile der Datei)")
        self.header_spin.setToolTip("Zeile der Datei mit den Spaltennamen; „erkannt“: die erste Zeile, die Datum "
                                    "und Betrag nennt")
        self.header_label = QLabel("", self)
        self.header_label.setWordWrap(True)
        self.header_label.setObjectName("importHeader")
        self.profile_combo = QComboBox(self)
        self.profile_combo.setAccessibleName("Spaltenprofil")
        self.profile_name_edit = QLineEdit(self)
        self.profile_name_edit.setPlaceholderText("z. B. SAP Einzelposten")
        self.profile_name_edit.setAccessibleName("Als Profil speichern unter")

        top = QGridLayout()
        top.addWidget(QLabel("Datei:"), 0, 0)
        top.addWidget(self.path_edit, 0, 1)
        top.addWidget(self.browse_button, 0, 2)
        top.addWidget(QLabel("Bescheid:"), 1, 0)
        top.addWidget(self.decision_combo, 1, 1, 1, 2)
        top.addWidget(QLabel("Standard-Kostenart:"), 2, 0)
        top.addWidget(self.default_category_combo, 2, 1, 1, 2)
        top.addWidget(self.duplicates_box, 3, 1, 1, 2)
        top.addWidget(QLabel("Kopfzeile:"), 4, 0)
        header_row = QHBoxLayout()
        header_row.addWidget(self.header_spin)
        header_row.addWidget(self.header_label, 1)
        top.addLayout(header_row, 4, 1, 1, 2)
        top.addWidget(QLabel("Spaltenprofil:"), 5, 0)
        profile_row = QHBoxLayout()
        profile_row.addWidget(self.profile_combo, 1)
        profile_row.addWidget(QLabel("nach dem Import speichern als:"))
        profile_row.addWidget(self.profile_name_edit, 1)
        top.addLayout(profile_row, 5, 1, 1, 2)

        self.mapping_box = QGroupBox("Spaltenzuordnung (wird für den nächsten Import gemerkt)", self)
        mapping_grid = QGridLayout(self.mapping_box)
        self.mapping_combos: dict[str, QComboBox] = {}
        for number, item in enumerate(ri.FIELDS):
            combo = QComboBox(self.mapping_box)
            combo.setAccessibleName(item.label)
            combo.currentIndexChanged.connect(self.update_preview)
            self.mapping_combos[item.key] = combo
            mapping_grid.addWidget(QLabel(item.label + (" *" if item.required else "") + ":"), number // 3,
                                   (number % 3) * 2)
            mapping_grid.addWidget(combo, number // 3, (number % 3) * 2 + 1)

        self.table = QTableWidget(0, len(PREVIEW_COLUMNS), self)
        self.table.setAccessibleName("Vorschau der Zeilen")
        self.table.setHorizontalHeaderLabels(PREVIEW_COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate([50, 100, 310, 80, 95, 140, 140, 95, 120, 110]):
            header.resizeSection(column, width)
        header.setStretchLastSection(True)
        self.summary_label = QLabel("Bitte eine Datei wählen.", self)
        self.summary_label.setWordWrap(True)
        self.summary_label.setObjectName("importSummary")
        self.summary_label.setTextFormat(Qt.TextFormat.RichText)

        self.buttons = QDialogButtonBox(self)
        self.import_button = self.buttons.addButton("Importieren", QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = self.buttons.addButton("Abbrechen", QDialogButtonBox.ButtonRole.RejectRole)
        self.import_button.setEnabled(False)
        for button in (self.import_button, self.close_button):
            button.setAutoDefault(False)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.mapping_box)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary_label)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)

        self.browse_button.clicked.connect(self.choose_file)
        self.path_edit.editingFinished.connect(self._path_edited)
        self.decision_combo.currentIndexChanged.connect(self.update_preview)
        self.default_category_combo.currentIndexChanged.connect(self.update_preview)
        self.duplicates_box.toggled.connect(self.update_preview)
        self.header_spin.valueChanged.connect(lambda _value: self.load_file())
        self.profile_combo.activated.connect(lambda _index: self.load_file(keep_profile=True))
        self.import_button.clicked.connect(self.run_import)
        self.close_button.clicked.connect(self.reject)
        self.resize(1180, 720)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt override
        # Return in the path, header-row or profile field updates the preview; it never books
        # (QDialogButtonBox would make "Importieren" the default button). On a button it presses it.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not isinstance(self.focusWidget(), QPushButton):
            event.accept()
            return
        super().keyPressEvent(event)

    # --- file and mapping ----------------------------------------------------------------------
    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Datei für den Belegimport wählen", "",
                                              "Tabellen (*.csv *.txt *.xlsx);;Alle Dateien (*)")
        if path:
            self.path_edit.setText(path)
            self.load_file()

    def load_file(self, path: str | None = None, *, keep_profile: bool = False) -> None:
        """Read the file's header, propose the mapping (the matching profile, the remembered one,
        or guessed from the column names), show the preview."""
        if path is not None:
            self.path_edit.setText(str(path))
        text = self.path_edit.text().strip()
        if not text:
            return
        try:
            data = Path(text).read_bytes()
            table = ri.read_table(data, filename=Path(text).name, header_row=self.header_row(),
                                  profiles=self.ctx.workspace.import_profiles())
        except OSError as err:
            self._show_problem(f"Die Datei kann nicht gelesen werden ({os_reason(err)}).")
            return
        except PaktDeskError as err:
            self._show_problem(str(err))
            return
        self.headers = table.headers
        self._loaded_path = text
        ws = self.ctx.workspace
        profiles = ws.import_profiles()
        chosen = self.profile_combo.currentData() if keep_profile else None
        if not keep_profile:
            chosen = ri.best_profile(table.headers, profiles) or None
            self.profile_combo.blockSignals(True)
            self.profile_combo.clear()
            self.profile_combo.addItem("— keines (zuletzt verwendete Zuordnung) —", None)
            for name in sorted(profiles):
                self.profile_combo.addItem(name, name)
            select_data(self.profile_combo, chosen)
            self.profile_combo.blockSignals(False)
        remembered = profiles[chosen]["mapping"] if chosen in profiles else ws.import_mapping()
        mapping = ri.suggest_mapping(table.headers, remembered)
        for key, combo in self.mapping_combos.items():
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(NOT_MAPPED, "")
            for header in table.headers:
                if header:
                    combo.addItem(header, header)
            select_data(combo, mapping.get(key, ""))
            combo.blockSignals(False)
        titles = [" ".join(ri.cell_text(c) for c in row.cells if ri.cell_text(c)) for row in table.title_rows]
        found = (f"Spaltennamen in Zeile {table.header_line}" if table.header_found else
                 f"Keine Zeile nennt Datum und Betrag; Zeile {table.header_line} wird als Kopfzeile genommen – "
                 "bitte die richtige Zeile wählen.")
        if titles:
            found += f"; darüber {len(titles)} Titelzeile(n): " + " | ".join(t[:60] for t in titles[:4])
        self.header_label.setText(found)
        self.update_preview()

    def _path_edited(self) -> None:
        # leaving the field (also when the dialog closes) must not read the same file again
        if self.path_edit.text().strip() != self._loaded_path:
            self.load_file()

    def header_row(self) -> int | None:
        return self.header_spin.value() or None

    def mapping(self) -> dict[str, str]:
        return {key: combo.currentData() for key, combo in self.mapping_combos.items() if combo.currentData()}

    def _options(self) -> dict:
        return dict(decision_id=self.decision_combo.currentData(), mapping=self.mapping(),
                    default_category=self.default_category_combo.currentData(),
                    skip_duplicates=not self.duplicates_box.isChecked(), header_row=self.header_row())

    def _show_problem(self, text: str) -> None:
        self.preview = None
        self.table.setRowCount(0)
        self.summary_label.setText(f"<span style='color:#b3261e'>{_escape(text)}</span>")
        self.import_button.setEnabled(False)

    # --- preview -------------------------------------------------------------------------------
    def update_preview(self) -> None:
        path = self.path_edit.text().strip()
        if not path or not self.headers or self.decision_combo.currentData() is None:
            return
        try:
            self.preview = self.ctx.workspace.preview_receipt_import(Path(path), **self._options())
        except PaktDeskError as err:
            self._show_problem(str(err))
            return
        self._fill_table(self.preview)

    def _fill_table(self, preview: ri.ImportPreview) -> None:
        self.table.setRowCount(len(preview.rows))
        for number, row in enumerate(preview.rows):
            r = row.row
            values = [str(row.line), row.status, row.reason, format_date(r.receipt_date),
                      "" if r.amount_cents is None else format_cents(r.amount_cents), r.payee, r.purpose,
                      dict(r.references).get("document_number", ""),
                      row.category_label or r.cost_category, row.person_label or r.person]
            background = (ERROR_BACKGROUND if row.errors else SKIPPED_BACKGROUND if r.skipped
                          else DUPLICATE_BACKGROUND if row.duplicate else None)
            for column, text in enumerate(values):
                item = QTableWidgetItem(text)
                if column in (0, 4):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if column == 2 and text:
                    item.setToolTip(text)
                if background is not None:
                    item.setBackground(QBrush(background))
                self.table.setItem(number, column, item)
        self.table.resizeRowsToContents()
        summary = _escape(preview.summary())
        if preview.error_rows:
            summary += _escape(" Bitte die markierten Zeilen in der Datei korrigieren; importiert wird nur alles "
                               "oder nichts.")
        for warning in preview.warnings:
            summary += f"<br><span style='color:#b3261e'>Achtung: {_escape(warning)}</span>"
        self.summary_label.setText(summary)
        self.import_button.setEnabled(preview.can_import)

    def run_import(self) -> None:
        if self.preview is None or not self.preview.can_import or not self.import_button.isEnabled():
            return
        self.import_button.setEnabled(False)
        try:
            change = self.ctx.perform(lambda: self.ctx.workspace.import_receipts(
                Path(self.path_edit.text().strip()), save_profile=self.profile_name_edit.text().strip() or None,
                **self._options()), parent=self, title="Nicht importiert")
        finally:
            self.import_button.setEnabled(self.preview is not None and self.preview.can_import)
        if change is not None:
            self.change = change
            self.accept()
        else:
            self.update_preview()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


