"""The owner's profile (Stammdaten) as a form, shared by Einstellungen and the first-start dialog.

The form only collects what was typed. Checking is done by the domain (``core.checks``, also run by
``Workspace.save_profile``); its German message is shown beside the field it names, and warnings
(e.g. a Gemeindeschlüssel outside Baden-Württemberg) are shown without blocking."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..core.checks import check_profile
from ..core.entities import FundingRoute, OwnerKind, Profile
from ..core.errors import ValidationError
from ..core.validation import format_iban
from .dialogs.mnemonics import Mnemonics

_ERROR_STYLE = "color: #b3261e;"
_ERROR_FIELD_STYLE = "border: 1px solid #b3261e; border-radius: 2px; padding: 2px;"


class ProfileForm(QWidget):
    """Name, kind, AGS, address, contact, bank account, funding route and Kreis."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.fields: dict[str, QWidget] = {}
        self.error_labels: dict[str, QLabel] = {}

        self.name_edit = self._line("name", "z. B. Gemeinde Lindenbach")
        self.kind_combo = QComboBox(self)
        for kind in OwnerKind:
            self.kind_combo.addItem(str(kind), kind)
        self.fields["kind"] = self.kind_combo
        self.ags_edit = self._line("ags", "8 Ziffern, z. B. 08125097")
        self.ags_edit.setMaxLength(12)
        self.street_edit = self._line("street", "Straße und Hausnummer")
        self.postcode_edit = self._line("postcode", "PLZ")
        self.postcode_edit.setMaxLength(5)
        self.postcode_edit.setFixedWidth(self.fontMetrics().horizontalAdvance("000000") + 24)
        self.city_edit = self._line("city", "Ort")
        self.postcode_edit.setAccessibleName("PLZ")  # one label for two fields: each says which it is
        self.city_edit.setAccessibleName("Ort")
        self.contact_name_edit = self._line("contact_name", "Vor- und Nachname")
        self.contact_phone_edit = self._line("contact_phone", "Telefon")
        self.contact_email_edit = self._line("contact_email", "E-Mail")
        self.iban_edit = self._line("iban", "DE.. .... .... .... .... ..")
        self.iban_edit.setMaxLength(42)
        self.bank_name_edit = self._line("bank_name", "Kreditinstitut")
        self.route_combo = QComboBox(self)
        for route in FundingRoute:
            self.route_combo.addItem(route.label, route)
        self.fields["funding_route"] = self.route_combo
        self.kreis_name_edit = self._line("kreis_name", "z. B. Landkreis Heilbronn")
        self.audit_office_check = QCheckBox("Eigenes Rechnungsprüfungsamt prüft den Verwendungsnachweis", self)
        self.fields["has_audit_office"] = self.audit_office_check
        self.signer_name_edit = self._line("signer_name", "wer unterschreibt, z. B. Dr. Anna Roth")
        self.signer_title_combo = QComboBox(self)
        self.signer_title_combo.setEditable(True)
        self.signer_title_combo.addItems(["", "Bürgermeister:in", "Oberbürgermeister:in", "Landrät:in",
                                          "Kämmerer:in", "Amtsleiter:in", "Beigeordnete:r"])
        self.signer_title_combo.setObjectName("signer_title")
        self.signer_title_combo.lineEdit().setPlaceholderText("Amtsbezeichnung")
        self.fields["signer_title"] = self.signer_title_combo
        self.audit_office_name_edit = self._line("audit_office_name", "z. B. Rechnungsprüfungsamt Lindenbach")
        self.audit_note_edit = self._line("audit_note", "Prüfvermerk, wie er gedruckt wird")
        self.retention_spin = QSpinBox(self)
        self.retention_spin.setRange(1, 30)
        self.retention_spin.setValue(5)
        self.retention_spin.setSuffix(" Jahre nach Vorlage des Nachweises")
        self.fields["retention_years"] = self.retention_spin

        # Alt keys for every label; d, a, h open the main window's menus, r p u a w are the
        # labels' own below
        self._mnemonics = Mnemonics(frozenset("dahrpuw"))
        form = QFormLayout()
        self._form = form
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self._add_row("Name der Körperschaft *", "name", self.name_edit)
        form.addRow(self._mnemonics.label("Art"), self.kind_combo)
        self._add_row("Gemeindeschlüssel (AGS) *", "ags", self.ags_edit)
        self._add_row("Anschrift", "street", self.street_edit)
        place = QHBoxLayout()
        place.setContentsMargins(0, 0, 0, 0)
        place.addWidget(self.postcode_edit)
        place.addWidget(self.city_edit, 1)
        place_box = QWidget(self)
        place_box.setLayout(place)
        self._add_row("PLZ und Ort", "postcode", place_box, also=("city",))
        self._add_row("Ansprechperson", "contact_name", self.contact_name_edit)
        self._add_row("Telefon", "contact_phone", self.contact_phone_edit)
        self._add_row("E-Mail", "contact_email", self.contact_email_edit)
        self._add_row("I&BAN", "iban", self.iban_edit)
        self._add_row("Kreditinstitut", "bank_name", self.bank_name_edit)
        form.addRow(self._mnemonics.label("Förderung"), self.route_combo)
        self._add_row("Landkreis", "kreis_name", self.kreis_name_edit)
        form.addRow("", self.audit_office_check)
        self._add_row("Name des &Rechnungsprüfungsamts", "audit_office_name", self.audit_office_name_edit)
        self._add_row("&Prüfvermerk", "audit_note", self.audit_note_edit)
        self._add_row("&Unterzeichner:in", "signer_name", self.signer_name_edit)
        self._add_row("&Amtsbezeichnung", "signer_title", self.signer_title_combo)
        self._add_row("Belege aufbe&wahren", "retention_years", self.retention_spin)
        self.audit_office_check.toggled.connect(self._audit_changed)
        self._audit_changed(self.audit_office_check.isChecked())

        self.general_error_label = QLabel(self)
        self.general_error_label.setStyleSheet(_ERROR_STYLE)
        self.general_error_label.setWordWrap(True)
        self.general_error_label.hide()
        self.warning_label = QLabel(self)
        self.warning_label.setObjectName("profileWarning")
        self.warning_label.setStyleSheet(
            "#profileWarning { background: #fff4ce; color: #5c4400; border: 1px solid #e6d28a;"
            " border-radius: 4px; padding: 6px 8px; }")
        self.warning_label.setWordWrap(True)
        self.warning_label.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.general_error_label)
        layout.addWidget(self.warning_label)

        self.route_combo.currentIndexChanged.connect(self._route_changed)
        self._route_changed()

    def _audit_changed(self, on: bool) -> None:
        """The audit office's name and Prüfvermerk only matter where there is one."""
        self.audit_office_name_edit.setEnabled(on)
        self.audit_note_edit.setEnabled(on)

    # --- building helpers ------------------------------------------------------------------------
    def _line(self, field: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setPlaceholderText(placeholder)
        edit.setObjectName(field)
        edit.textEdited.connect(lambda _text, name=field: self.clear_error(name))
        self.fields[field] = edit
        return edit

    def _add_row(self, label: str, field: str, widget: QWidget, *, also: tuple[str, ...] = ()) -> None:
        """The field's row, and below it a row for its message (shown only when there is one)."""
        caption = QLabel(label if "&" in label else self._mnemonics.label(label), self)
        caption.setBuddy(widget if widget.focusPolicy() & Qt.FocusPolicy.TabFocus else self.fields[field])
        self._form.addRow(caption, widget)
        message = QLabel(self)
        message.setStyleSheet(_ERROR_STYLE)
        message.setWordWrap(True)
        message.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self._form.addRow("", message)
        self._form.setRowVisible(message, False)
        for name in (field, *also):
            self.error_labels[name] = message

    def _route_changed(self) -> None:
        through_kreis = self.route_combo.currentData() == FundingRoute.KREIS
        self.kreis_name_edit.setEnabled(through_kreis)

    def set_read_only(self, read_only: bool) -> None:
        """Show the values without letting them be changed (a file opened read-only)."""
        for widget in self.fields.values():
            if isinstance(widget, QLineEdit):
                widget.setReadOnly(read_only)
            else:
                widget.setEnabled(not read_only)
        if not read_only:
            self._route_changed()

    # --- values ------------------------------------------------------------------------------------
    def set_profile(self, profile: Profile | None) -> None:
        self.clear_errors()
        self.show_warnings([])
        profile = profile or Profile(name="", kind=OwnerKind.GEMEINDE, ags="")
        self.name_edit.setText(profile.name)
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(OwnerKind(profile.kind))))
        self.ags_edit.setText(profile.ags)
        self.street_edit.setText(profile.street)
        self.postcode_edit.setText(profile.postcode)
        self.city_edit.setText(profile.city)
        self.contact_name_edit.setText(profile.contact_name)
        self.contact_phone_edit.setText(profile.contact_phone)
        self.contact_email_edit.setText(profile.contact_email)
        self.iban_edit.setText(format_iban(profile.iban) if profile.iban else "")
        self.bank_name_edit.setText(profile.bank_name)
        self.route_combo.setCurrentIndex(max(0, self.route_combo.findData(FundingRoute(profile.funding_route))))
        self.kreis_name_edit.setText(profile.kreis_name)
        self.audit_office_check.setChecked(bool(profile.has_audit_office))
        self.audit_office_name_edit.setText(profile.audit_office_name)
        self.audit_note_edit.setText(profile.audit_note)
        self.signer_name_edit.setText(profile.signer_name)
        self.signer_title_combo.setCurrentText(profile.signer_title)
        self.retention_spin.setValue(profile.retention_years)

    def profile(self) -> Profile:
        """What is typed, unchecked."""
        through_kreis = self.route_combo.currentData() == FundingRoute.KREIS
        return Profile(
            name=self.name_edit.text().strip(),
            kind=self.kind_combo.currentData(),
            ags=self.ags_edit.text().strip(),
            street=self.street_edit.text().strip(),
            postcode=self.postcode_edit.text().strip(),
            city=self.city_edit.text().strip(),
            contact_name=self.contact_name_edit.text().strip(),
            contact_phone=self.contact_phone_edit.text().strip(),
            contact_email=self.contact_email_edit.text().strip(),
            iban=self.iban_edit.text().strip(),
            bank_name=self.bank_name_edit.text().strip(),
            funding_route=self.route_combo.currentData(),
            kreis_name=self.kreis_name_edit.text().strip() if through_kreis else "",
            has_audit_office=self.audit_office_check.isChecked(),
            signer_name=self.signer_name_edit.text().strip(),
            signer_title=self.signer_title_combo.currentText().strip(),
            audit_office_name=self.audit_office_name_edit.text().strip() if self.audit_office_check.isChecked() else "",
            audit_note=self.audit_note_edit.text().strip() if self.audit_office_check.isChecked() else "",
            retention_years=self.retention_spin.value(),
        )

    def checked_profile(self) -> tuple[Profile, list[str]] | None:
        """The cleaned profile and its warnings, or None after showing the problem at its field."""
        self.clear_errors()
        try:
            profile, warnings = check_profile(self.profile())
        except ValidationError as err:
            self.show_error(err)
            return None
        self.show_warnings(warnings)
        return profile, warnings

    # --- messages ------------------------------------------------------------------------------------
    def show_error(self, err: ValidationError) -> None:
        label = self.error_labels.get(err.field or "")
        widget = self.fields.get(err.field or "")
        if label is None:
            self.general_error_label.setText(err.message)
            self.general_error_label.show()
            return
        label.setText(err.message)
        self._form.setRowVisible(label, True)
        # Qt sizes a wrapped label by a guessed width; give it the height its text needs at the
        # field's real width so the message sits right under the field.
        width = (widget.width() if widget is not None and widget.width() > 50 else 0) or label.width()
        if width > 50:
            label.setFixedHeight(label.heightForWidth(width))
        if isinstance(widget, QLineEdit):
            widget.setStyleSheet(_ERROR_FIELD_STYLE)
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
            widget.selectAll()

    def error_text(self, field: str) -> str:
        """The message shown at ``field`` ("" when none)."""
        label = self.error_labels.get(field)
        return label.text().strip() if label is not None and self._form.isRowVisible(label) else ""

    def clear_error(self, field: str) -> None:
        """The message goes, its line stays (blank), so the form does not jump while typing."""
        label = self.error_labels.get(field)
        if label is not None and label.text().strip():
            label.setText(" ")  # keeps the height it had
        widget = self.fields.get(field)
        if isinstance(widget, QLineEdit):
            widget.setStyleSheet("")

    def clear_errors(self) -> None:
        for field in list(self.error_labels):
            self.clear_error(field)
        self.general_error_label.hide()

    def show_warnings(self, warnings: list[str] | tuple[str, ...]) -> None:
        self.warning_label.setText("\n".join(f"Hinweis: {text}" for text in warnings))
        self.warning_label.setVisible(bool(warnings))
