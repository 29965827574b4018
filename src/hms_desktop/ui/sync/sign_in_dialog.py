"""Signing the laptop in to the music service: server, email, and a password or the office's
one-time code. The refresh token goes to the OS keychain; the password is never stored."""

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from hms_desktop.data.engine import Database
from hms_desktop.domain.errors import HmsError
from hms_desktop.services.sync import enrol_device, server_of
from hms_desktop.sync.client import CentralClient
from hms_desktop.sync.credentials import NoKeychain


class SignInDialog(QDialog):
    def __init__(
        self,
        db: Database,
        parent: QWidget | None = None,
        client_factory: Callable[[str], CentralClient] = CentralClient,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sign in to Hackney Music Service")
        self.setMinimumWidth(480)
        self._db = db
        self._client_factory = client_factory
        self.tutor_name = ""
        self.this_run_only = False
        # Asks whether to keep the sign-in in memory for this run; replaced only in tests.
        self.ask_this_run_only: Callable[[str], bool] = self._ask_this_run_only
        self.server = QLineEdit(server_of(db) or "https://")
        self.email = QLineEdit()
        self.email.setPlaceholderText("you@hackney-music.example")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.code = QLineEdit()
        self.code.setPlaceholderText("or the one-time code from the office")
        self.message = QLabel(
            "Signing in lets HMS Tutor send your registers and fetch your "
            "timetable whenever this laptop is online."
        )
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Server", self.server)
        form.addRow("Email", self.email)
        form.addRow("Password", self.password)
        form.addRow("Code", self.code)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Sign in")
        self.buttons.accepted.connect(self.sign_in)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

    def sign_in(self) -> bool:
        try:
            client = self._client_factory(self.server.text().strip())
        except HmsError as err:
            self._say(str(err))
            return False
        try:
            try:
                self.tutor_name = enrol_device(
                    self._db,
                    client,
                    self.email.text(),
                    password=self.password.text() or None,
                    code=self.code.text().strip() or None,
                    this_run_only=self.this_run_only,
                )
            except NoKeychain as err:
                if not self.ask_this_run_only(str(err)):
                    raise
                self.this_run_only = True
                self.tutor_name = enrol_device(
                    self._db,
                    client,
                    self.email.text(),
                    password=self.password.text() or None,
                    code=self.code.text().strip() or None,
                    this_run_only=True,
                )
        except HmsError as err:
            self._say(str(err))
            return False
        finally:
            client.close()
            self.password.clear()
        self.accept()
        return True

    def _ask_this_run_only(self, text: str) -> bool:
        answer = QMessageBox.question(
            self,
            "Keep the sign-in for this run only?",
            f"{text}\n\nSign in for this run only?",
        )
        return answer == QMessageBox.StandardButton.Yes

    def _say(self, text: str) -> None:
        self.message.setText(f"<span style='color:#a40000'>{text}</span>")
