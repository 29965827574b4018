"""The Sync page: who this laptop is signed in as, what waits to be sent, what needs the
tutor's attention; sign in, sign out, sync now."""

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hms_desktop.domain.errors import HmsError
from hms_desktop.services.account import account, sign_out

from ..common.context import PageContext
from ..common.events import ChangeKind
from .attention_dialog import AttentionDialog
from .controller import SyncController
from .sign_in_dialog import SignInDialog


class SyncPage(QWidget):
    account_changed = Signal()

    def __init__(self, context: PageContext, controller: SyncController) -> None:
        super().__init__()
        self._ctx = context
        self.sync = controller
        self.heading = QLabel("Sync with the music service")
        self.heading.setObjectName("pageTitle")
        self.who = QLabel()
        self.who.setWordWrap(True)
        self.state = QLabel()
        self.state.setObjectName("syncState")
        self.state.setWordWrap(True)
        self.explain = QLabel(
            "Every mark is saved on this laptop the moment you make it. Whenever the laptop is "
            "online HMS Tutor sends your work to the music service and brings back your "
            "timetable and pupil lists — every five minutes, and soon after each change."
        )
        self.explain.setWordWrap(True)
        self.sign_in_button = QPushButton("Sign &in…")
        self.sign_out_button = QPushButton("Sign &out")
        self.sync_button = QPushButton("Sync &now  (Ctrl+R)")
        self.attention_button = QPushButton("Needs &attention…")
        self.sign_in_button.clicked.connect(self.sign_in)
        self.sign_out_button.clicked.connect(self.sign_out)
        self.sync_button.clicked.connect(self.sync_now)
        self.attention_button.clicked.connect(self.show_attention)
        buttons = QHBoxLayout()
        for b in (self.sync_button, self.attention_button, self.sign_in_button):
            buttons.addWidget(b)
        buttons.addWidget(self.sign_out_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setAlignment(Qt.AlignmentFlag.AlignTop)
        for w in (self.heading, self.who, self.state):
            layout.addWidget(w)
        layout.addLayout(buttons)
        layout.addSpacing(12)
        layout.addWidget(self.explain)
        controller.status_changed.connect(self._status)
        context.events.data_changed.connect(self._changed)
        self.refresh()

    def _changed(self, kind: str, _ids: list) -> None:
        if kind in (ChangeKind.SYNC, ChangeKind.ACCOUNT):
            self.refresh()

    def _status(self, text: str) -> None:
        self.state.setText(text)
        self.attention_button.setEnabled("attention" in text)

    def refresh(self) -> None:
        try:
            me = account(self._ctx.db)
        except HmsError as err:
            self.who.setText(str(err))
            return
        if me.signed_in:
            run_only = (
                "  The sign-in is kept in memory for this run only (this computer has no "
                "keychain): you will sign in again after restarting."
                if me.this_run_only
                else ""
            )
            self.who.setText(
                f"Signed in as <b>{me.tutor_name or 'you'}</b> at {me.server}.{run_only}"
            )
        else:
            self.who.setText("Not signed in: your work is kept on this laptop until you sign in.")
        self.sign_in_button.setVisible(not me.signed_in)
        self.sign_out_button.setVisible(me.signed_in)
        self.sync_button.setEnabled(me.signed_in)

    def sync_now(self) -> None:
        if self.sync.sync_now() is None and not self.sync.running:
            self.sign_in()

    def sign_in(self) -> bool:
        dialog = SignInDialog(self._ctx.db, self, self._ctx.client_factory)
        self.sign_in_dialog = dialog  # tests answer it
        if not dialog.exec():
            return False
        self._ctx.say(f"Signed in as {dialog.tutor_name}.")
        self._ctx.events.changed(ChangeKind.ACCOUNT)
        self.sync.sync_now()
        return True

    def sign_out(self, confirm: bool = True) -> int | None:
        if self.sync.running:
            self._ctx.say("A sync is running: sign out when it has finished.")
            return None
        if confirm:
            answer = QMessageBox.question(
                self,
                "Sign out",
                "Sign this laptop out of the music service? Changes not yet sent stay on "
                "this laptop and are sent after you sign in again.",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return None
        try:
            waiting = sign_out(self._ctx.db)
        except HmsError as err:
            self._ctx.say(str(err))
            return None
        kept = (
            f" {waiting} change{'s' if waiting != 1 else ''} wait on this laptop."
            if waiting
            else ""
        )
        self._ctx.say(f"Signed out.{kept}")
        self._ctx.events.changed(ChangeKind.ACCOUNT)
        self.sync.refresh_status()
        return waiting

    def show_attention(self) -> None:
        AttentionDialog(self._ctx.db, self._ctx.events, self).exec()
        self.sync.refresh_status()
