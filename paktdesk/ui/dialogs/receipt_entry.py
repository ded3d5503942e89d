"""Fast receipt entry by keyboard: Enter moves to the next field and books the receipt in the
last one; the last values are proposed for the next receipt (only the amount is cleared); the
receipt number is proposed per list (P/S) and can be overwritten; Save is disabled while saving,
so a double Enter or double click never books twice. Scans are attached before saving."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QGridLayout,
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

from ...core import entities as e
from ...core.errors import PaktDeskError, ValidationError
from ...core.money import format_cents
from ...core.periods import format_date
from .. import messages
from .dialog_keys import KeyboardDialog
from .field_messages import MESSAGE_STYLE, FieldMessages, focus_field, message_label
from .mnemonics import Mnemonics, plain_label
from .money_fields import DateField, EnterMovesOn, MoneyField, fill_combo, select_data
from .payment_dialog import decision_items, person_items

NO_PERSON = "— keine Person —"


class ReceiptEntryDialog(KeyboardDialog):
    """Book receipts one after another; ``receipt_id`` edits one booked receipt instead."""

    def __init__(self, ctx, *, decision_id: int | None = None, receipt_id: int | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        ws = ctx.workspace
        self.editing = ws.receipt(receipt_id) if receipt_id else None
        self.booked: list[int] = []
        self.attachment_id: int | None = None
        self._saving = False
        self.setWindowTitle("Beleg bearbeiten" if self.editing else "Belege erfassen")
        self.categories = {c.code: c for c in ws.cost_categories()}

        self.decision_combo = QComboBox(self)
        fill_combo(self.decision_combo, decision_items(ws))
        select_data(self.decision_combo, self.editing.decision_id if self.editing else decision_id)
        self.decision_combo.setEnabled(self.editing is None)
        self.date_field = DateField("das Belegdatum", parent=self)
        self.paid_field = DateField("das Zahldatum", optional=True, parent=self)
        self.year_spin = QSpinBox(self)
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setValue(date.today().year)
        self.year_spin.setAccessibleName("Haushaltsjahr")
        self.payee_edit = QLineEdit(self)
        self.payee_edit.setAccessibleName("Empfänger")
        self.purpose_edit = QLineEdit(self)
        self.purpose_edit.setAccessibleName("Zweck")
        self.category_combo = QComboBox(self)
        self.category_combo.setAccessibleName("Kostenart")
        for category in self.categories.values():
            self.category_combo.addItem(f"{category.label} ({category.list_kind.value})", category.code)
        self.amount_field = MoneyField("Betrag", self)
        self.person_combo = QComboBox(self)
        self.person_combo.setAccessibleName("Person")
        self.number_spin = QSpinBox(self)
        self.number_spin.setRange(1, 999_999_999)
        self.number_spin.setAccessibleName("Belegnummer")
        self.number_prefix = QLabel(self)
        self.attach_button = QPushButton("Scan anhängen …", self)
        self.attachment_label = QLabel("kein Scan", self)
        self.save_button = QPushButton("&Buchen (Enter)" if not self.editing else "&Speichern", self)
        self.save_button.setDefault(False)
        self.save_button.setAutoDefault(False)
        self.close_button = QPushButton("Schließen", self)
        self.close_button.setAutoDefault(False)
        self.close_button.setToolTip("Esc")
        self.attach_button.setAutoDefault(False)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("entryStatus")
        self.status_label.setWordWrap(True)

        self.general_label = QLabel(self)
        self.general_label.setWordWrap(True)
        self.general_label.setStyleSheet(MESSAGE_STYLE)
        self.general_label.setAccessibleName("Fehlermeldung")
        self.general_label.hide()
        self.messages = FieldMessages(self, self.general_label)
        self.mnemonics = Mnemonics()
        self.mnemonics.take(self.save_button.text())
        self.mnemonics.take(self.close_button.text())

        form = QGridLayout()
        form.setVerticalSpacing(2)
        number_box = QWidget(self)
        number_row = QHBoxLayout(number_box)
        number_row.setContentsMargins(0, 0, 0, 0)
        number_row.addWidget(self.number_prefix)
        number_row.addWidget(self.number_spin, 1)
        attach_box = QWidget(self)
        attach_row = QHBoxLayout(attach_box)
        attach_row.setContentsMargins(0, 0, 0, 0)
        attach_row.addWidget(self.attach_button)
        attach_row.addWidget(self.attachment_label, 1)
        # (row, column, span, label, widget, the domain's field names); each row has a message row below
        cells = [
            (0, 0, 5, "Bescheid:", self.decision_combo, ("decision",)),
            (1, 0, 1, "Belegdatum:", self.date_field, ("receipt_date", "date")),
            (1, 2, 1, "Bezahlt am:", self.paid_field, ("paid_on",)),
            (1, 4, 1, "Haushaltsjahr:", self.year_spin, ("budget_year",)),
            (2, 0, 5, "Empfänger:", self.payee_edit, ("payee",)),
            (3, 0, 5, "Zweck:", self.purpose_edit, ("purpose",)),
            (4, 0, 3, "Kostenart:", self.category_combo, ("cost_category", "category")),
            (4, 4, 1, "Betrag:", self.amount_field, ("amount",)),
            (5, 0, 3, "Person:", self.person_combo, ("person",)),
            (5, 4, 1, "Beleg-Nr.:", number_box, ("number",)),
            (6, 0, 5, "Anlage:", attach_box, ("attachment",)),
        ]
        for row, column, span, text, widget, names in cells:
            caption = QLabel(self.mnemonics.label(text), self)
            target = self.number_spin if widget is number_box else self.attach_button if widget is attach_box \
                else widget
            caption.setBuddy(target)
            if not target.accessibleName():
                target.setAccessibleName(plain_label(text))
            form.addWidget(caption, 2 * row, column)
            form.addWidget(widget, 2 * row, column + 1, 1, span)
            message = message_label(self)
            form.addWidget(message, 2 * row + 1, column + 1, 1, span)
            self.messages.watch(names[0], target, message, also=names[1:])
        self.attach_button.setText(self.mnemonics.label(self.attach_button.text()))

        self.session_table = QTableWidget(0, 6, self)
        self.session_table.setHorizontalHeaderLabels(["Nr.", "Datum", "Empfänger", "Zweck", "Kostenart", "Betrag"])
        self.session_table.verticalHeader().setVisible(False)
        self.session_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.session_table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.session_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.session_table.horizontalHeader().setStretchLastSection(True)
        self.session_table.setVisible(self.editing is None)

        buttons = QHBoxLayout()
        hint = QLabel("Enter: nächstes Feld · im Feld Beleg-Nr. bucht Enter den Beleg · Esc: schließen", self)
        hint.setObjectName("entryHint")
        hint.setStyleSheet("#entryHint { color: palette(placeholder-text); }")
        buttons.addWidget(hint, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_label)
        layout.addWidget(self.status_label)
        layout.addWidget(self.session_table, 1)
        layout.addLayout(buttons)

        self.fields = [self.date_field, self.paid_field, self.year_spin, self.payee_edit, self.purpose_edit,
                       self.category_combo, self.amount_field, self.person_combo, self.number_spin]
        self.initial_focus = self.date_field  # the decision is chosen before; each receipt starts here
        self.enter = EnterMovesOn(self.fields, self.save, self)
        self.paid_field.editingFinished.connect(self._propose_year)
        self.date_field.editingFinished.connect(self._propose_year)
        self.category_combo.currentIndexChanged.connect(self._propose_number)
        self.decision_combo.currentIndexChanged.connect(self._decision_changed)
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.reject)  # asks first if a receipt was typed but not booked
        self.attach_button.clicked.connect(self.choose_attachment)
        self._decision_changed()
        if self.editing:
            self._show(self.editing)
        self.resize(760, 520 if not self.editing else 320)

    def field_order(self) -> list[QWidget]:
        return [self.decision_combo, *self.fields, self.attach_button]

    def button_order(self) -> list[QWidget]:
        return [self.save_button, self.close_button]

    # --- proposals -----------------------------------------------------------------------------
    def _decision_changed(self) -> None:
        fill_combo(self.person_combo, person_items(self.ctx.workspace, self.decision_combo.currentData(), NO_PERSON))
        self._propose_number()

    def _list_kind(self) -> e.ListKind:
        code = self.category_combo.currentData()
        return self.categories[code].list_kind if code in self.categories else e.ListKind.MATERIAL

    def _propose_number(self) -> None:
        kind = self._list_kind()
        self.number_prefix.setText(f"{kind.value}-")
        if self.editing and kind == self.editing.list_kind:
            self.number_spin.setValue(self.editing.number)
            return
        decision_id = self.decision_combo.currentData()
        if decision_id is not None:
            self.number_spin.setValue(self.ctx.workspace.next_receipt_number(decision_id, kind))

    def _propose_year(self) -> None:
        try:
            day = self.paid_field.value() or self.date_field.value()
        except ValidationError:
            return
        if day and not self.editing:
            self.year_spin.setValue(day.year)

    def _show(self, receipt: e.Receipt) -> None:
        self.date_field.set_value(receipt.receipt_date)
        self.paid_field.set_value(receipt.paid_on)
        self.year_spin.setValue(receipt.budget_year)
        self.payee_edit.setText(receipt.payee)
        self.purpose_edit.setText(receipt.purpose)
        select_data(self.category_combo, receipt.cost_category)
        self.amount_field.set_value(receipt.amount_cents)
        select_data(self.person_combo, receipt.person_id)
        self.number_spin.setValue(receipt.number)
        self.attachment_id = receipt.attachment_id
        self.attachment_label.setText(self.ctx.workspace.attachment(receipt.attachment_id).filename
                                      if receipt.attachment_id else "kein Scan")

    # --- actions -------------------------------------------------------------------------------
    def choose_attachment(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Scan wählen", "",
                                              "Scans (*.pdf *.png *.jpg *.jpeg *.tif *.tiff);;Alle Dateien (*)")
        if not path:
            return
        change = self.ctx.perform(lambda: self.ctx.workspace.add_attachment(Path(path)), parent=self)
        if change is not None:
            self.attachment_id = change.ids[0]
            self.attachment_label.setText(Path(path).name)

    def _read(self) -> e.Receipt:
        decision_id = self.decision_combo.currentData()
        if decision_id is None:
            raise ValidationError("Bitte zuerst einen Bescheid erfassen.", field="decision")
        code = self.category_combo.currentData()
        return e.Receipt(
            id=self.editing.id if self.editing else None, decision_id=decision_id, list_kind=self._list_kind(),
            number=self.number_spin.value(), receipt_date=self.date_field.value(),
            paid_on=self.paid_field.value(), budget_year=self.year_spin.value(), payee=self.payee_edit.text(),
            purpose=self.purpose_edit.text(), cost_category=code, amount_cents=self.amount_field.value(),
            person_id=self.person_combo.currentData(), attachment_id=self.attachment_id)

    def save(self) -> None:
        """Book (or save) the receipt shown. Ignored while a save is running."""
        if self._saving:
            return
        self._saving = True
        self.save_button.setEnabled(False)
        try:
            self._save()
        finally:
            self._saving = False
            self.save_button.setEnabled(True)

    def refuse(self, err: PaktDeskError | str) -> None:
        """A refused save: the message at its field and the cursor there, so the correction typed
        next lands in that field (not in Beleg-Nr., where Enter booked); else below the form and
        the cursor back in the first field of the receipt."""
        widget = self.messages.show_error(err) if isinstance(err, ValidationError) else \
            self.messages.show_error(str(err), None)
        focus_field(widget if widget is not None else self.date_field)

    def _save(self) -> None:
        ws = self.ctx.workspace
        self.messages.clear()
        wrong = self.messages.check_all()
        if wrong:
            focus_field(wrong[0])
            return
        try:
            receipt = self._read()
        except ValidationError as err:
            self.refuse(err)
            return
        book = ws.update_receipt if self.editing else ws.add_receipt
        try:
            change = book(receipt)
        except ValidationError as err:
            if err.field != "duplicate":
                self.refuse(err)
                return
            if not messages.confirm(self, "Mögliche Dublette", str(err)):
                focus_field(self.amount_field)
                return
            try:
                change = book(receipt, allow_duplicate=True)
            except PaktDeskError as again:
                self.refuse(again)
                return
        except PaktDeskError as err:
            self.refuse(err)
            return
        if change.warnings:
            messages.info(self, "Hinweis", "\n\n".join(change.warnings))
        self.ctx.status_message.emit(f"{change.action}.")
        if self.editing:
            self.accept()
            return
        saved = ws.receipt(change.ids[0])
        self.booked.append(saved.id)
        self._add_session_row(saved)
        self.status_label.setText(f"Gebucht: {saved.list_kind.value}-{saved.number:04d} · {saved.payee} · "
                                  f"{format_cents(saved.amount_cents)}")
        # propose the last values; only the amount and the scan are new for the next receipt
        self.amount_field.clear()
        self.attachment_id = None
        self.attachment_label.setText("kein Scan")
        self._propose_number()
        self.mark_clean()  # the proposals for the next receipt are not typed input
        self.date_field.setFocus(Qt.FocusReason.OtherFocusReason)
        self.date_field.selectAll()

    def _add_session_row(self, receipt: e.Receipt) -> None:
        row = self.session_table.rowCount()
        self.session_table.insertRow(row)
        values = [f"{receipt.list_kind.value}-{receipt.number:04d}", format_date(receipt.receipt_date), receipt.payee,
                  receipt.purpose, self.categories[receipt.cost_category].label, format_cents(receipt.amount_cents)]
        for column, text in enumerate(values):
            item = QTableWidgetItem(text)
            if column == 5:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.session_table.setItem(row, column, item)
        self.session_table.scrollToBottom()


