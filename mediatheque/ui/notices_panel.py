"""The Overdue notices panel of the Settings page: the delays of the notice levels,
blocking at the last one, the letterhead and polite text of the letters in each language,
and the SMTP server for e-mails. Stored in the database for every desk."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mediatheque.errors import InvalidValue, MediathequeError
from mediatheque.i18n import LANGUAGE_NAMES, LANGUAGES, _, language
from mediatheque.messages import describe_error
from mediatheque.reports import texts
from mediatheque.reports.notice_settings import (
    SECURITY_MODES,
    NoticeSettings,
    load_notice_settings,
    update_notice_settings,
)
from mediatheque.ui import dialogs
from mediatheque.ui.context import AppContext


def _spin(low: int, high: int) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    return spin


def _text_box(height: int) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setFixedHeight(height)
    return box


class NoticesPanel(QGroupBox):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:  # noqa: PLR0915
        super().__init__(parent)
        self._context = context
        self._stored = NoticeSettings()
        self.levels = _spin(1, 3)
        self.delays = [_spin(1, 365) for _level in range(3)]
        self.block = QCheckBox()
        self.levels_label = QLabel()
        self.levels_label.setBuddy(self.levels)
        self.delay_labels = [QLabel() for _level in range(3)]
        for label, spin in zip(self.delay_labels, self.delays, strict=True):
            label.setBuddy(spin)
        rules = QGridLayout()
        rules.addWidget(self.levels_label, 0, 0)
        rules.addWidget(self.levels, 0, 1)
        for index, (label, spin) in enumerate(zip(self.delay_labels, self.delays,
                                                  strict=True)):
            rules.addWidget(label, 1 + index, 0)
            rules.addWidget(spin, 1 + index, 1)
        rules.addWidget(self.block, 4, 0, 1, 3)
        rules.setColumnStretch(2, 1)

        self.letterhead_label = QLabel()
        self.letterhead = _text_box(54)
        self.letterhead_label.setBuddy(self.letterhead)
        self.signature_label = QLabel()
        self.signature = _text_box(54)
        self.signature_label.setBuddy(self.signature)
        self.texts_label = QLabel()
        self.texts = QTabWidget()
        self.text_boxes: dict[str, QPlainTextEdit] = {}
        for code in LANGUAGES:
            box = QPlainTextEdit()
            box.setMinimumHeight(96)
            self.text_boxes[code] = box
            self.texts.addTab(box, LANGUAGE_NAMES[code])

        self.smtp_title = QLabel()
        self.smtp_title.setWordWrap(True)
        bold = self.smtp_title.font()
        bold.setBold(True)
        self.smtp_title.setFont(bold)
        self.host = QLineEdit()
        self.port = _spin(1, 65535)
        self.security = QComboBox()
        for mode in SECURITY_MODES:
            self.security.addItem("", mode)
        self.user = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.sender = QLineEdit()
        self.timeout = _spin(1, 300)
        self.smtp_form = QFormLayout()
        self.smtp_labels = [QLabel() for _field in range(7)]
        for label, widget in zip(self.smtp_labels, (
                self.host, self.port, self.security, self.user, self.password, self.sender,
                self.timeout), strict=True):
            label.setBuddy(widget)
            self.smtp_form.addRow(label, widget)

        self.save_button = QPushButton()
        self.save_button.setDefault(True)
        self.revert_button = QPushButton()
        self.saved = QLabel()
        buttons = QHBoxLayout()
        buttons.addWidget(self.saved, 1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)

        left = QVBoxLayout()
        left.addLayout(rules)
        left.addWidget(self.letterhead_label)
        left.addWidget(self.letterhead)
        left.addWidget(self.signature_label)
        left.addWidget(self.signature)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self.texts_label)
        right.addWidget(self.texts)
        right.addWidget(self.smtp_title)
        right.addLayout(self.smtp_form)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        layout.addLayout(buttons)

        self.levels.valueChanged.connect(self._levels_changed)
        for widget in (*self.delays, self.levels, self.port, self.timeout):
            widget.valueChanged.connect(self._changed)
        self.block.toggled.connect(self._changed)
        self.security.currentIndexChanged.connect(self._changed)
        for line in (self.host, self.user, self.password, self.sender):
            line.textChanged.connect(self._changed)
        for box in (self.letterhead, self.signature, *self.text_boxes.values()):
            box.textChanged.connect(self._changed)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.load)
        self.retranslate()

    def retranslate(self) -> None:
        # The Settings page shows many panels at once: Alt keys are left to the others.
        self.setTitle(_("Overdue notices"))
        self.levels_label.setText(_("Notice levels:"))
        for index, label in enumerate(self.delay_labels, start=1):
            label.setText(_("Level {n} after (days late):").format(n=index))
        self.block.setText(_("The last level blocks new loans until the documents are "
                             "returned"))
        self.letterhead_label.setText(_("Letterhead (address, telephone, e-mail, hours):"))
        self.signature_label.setText(_("Signature:"))
        self.texts_label.setText(_("Text of the letters and e-mails (empty: the default "
                                   "text of each level):"))
        for code, box in self.text_boxes.items():
            with language(code):
                box.setPlaceholderText(texts.default_text(1))
        self.smtp_title.setText(_(
            "E-mail server (SMTP): leave the server empty to send letters only"))
        for label, text in zip(self.smtp_labels, (
                _("Server:"), _("Port:"), _("Security:"), _("User:"), _("Password:"),
                _("Sender address:"), _("Timeout (seconds):")), strict=True):
            label.setText(text)
        for index, text in enumerate((_("STARTTLS"), _("SSL/TLS"), _("None (local server)"))):
            self.security.setItemText(index, text)
        self.save_button.setText(_("Save"))
        self.revert_button.setText(_("Undo changes"))
        self.saved.clear()

    def load(self) -> None:
        with self._context.database.read() as session:
            self._stored = load_notice_settings(session)
        self.set_settings(self._stored)
        self.saved.clear()
        self._update_buttons()

    def set_settings(self, settings: NoticeSettings) -> None:
        self.levels.setValue(settings.levels)
        for spin, value in zip(self.delays, (settings.delay_1, settings.delay_2,
                                             settings.delay_3), strict=True):
            spin.setValue(value)
        self.block.setChecked(settings.block_at_last_level)
        self.letterhead.setPlainText(settings.letterhead)
        self.signature.setPlainText(settings.signature)
        for code, box in self.text_boxes.items():
            box.setPlainText(settings.text(code))
        self.host.setText(settings.smtp_host)
        self.port.setValue(settings.smtp_port)
        self.security.setCurrentIndex(max(0, self.security.findData(settings.smtp_security)))
        self.user.setText(settings.smtp_user)
        self.password.setText(settings.smtp_password)
        self.sender.setText(settings.smtp_from)
        self.timeout.setValue(settings.smtp_timeout)
        self._levels_changed()

    def settings(self) -> NoticeSettings:
        return replace(
            self._stored,
            levels=self.levels.value(),
            delay_1=self.delays[0].value(), delay_2=self.delays[1].value(),
            delay_3=self.delays[2].value(),
            block_at_last_level=self.block.isChecked(),
            letterhead=self.letterhead.toPlainText(),
            signature=self.signature.toPlainText(),
            text_fr=self.text_boxes["fr"].toPlainText(),
            text_ru=self.text_boxes["ru"].toPlainText(),
            text_kk=self.text_boxes["kk"].toPlainText(),
            text_en=self.text_boxes["en"].toPlainText(),
            smtp_host=self.host.text(), smtp_port=self.port.value(),
            smtp_security=str(self.security.currentData()),
            smtp_user=self.user.text(), smtp_password=self.password.text(),
            smtp_from=self.sender.text(), smtp_timeout=self.timeout.value(),
        )

    def save(self) -> None:
        try:
            with self._context.database.write() as session:
                stored = update_notice_settings(session, self._context.actor,
                                                self.settings(), now=self._context.clock())
        except InvalidValue as error:
            self.saved.setText(describe_error(error))
            return
        except MediathequeError as error:
            dialogs.show_error(self, error)
            return
        self._stored = stored
        self.set_settings(stored)
        self._update_buttons()
        self.saved.setText(_("Saved."))

    def _levels_changed(self) -> None:
        for index, (label, spin) in enumerate(zip(self.delay_labels, self.delays,
                                                  strict=True), start=1):
            label.setEnabled(index <= self.levels.value())
            spin.setEnabled(index <= self.levels.value())

    def _changed(self) -> None:
        self.saved.clear()
        self._update_buttons()

    def _update_buttons(self) -> None:
        changed = self.settings() != self._stored
        self.save_button.setEnabled(changed)
        self.revert_button.setEnabled(changed)
