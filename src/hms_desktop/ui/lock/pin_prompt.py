"""The PIN prompt: choose a PIN on first start, enter it to unlock, or recover with an office
code or a sign-in to central. One widget, used in the start-up dialog and on the lock cover."""

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from hms_desktop.domain.errors import HmsError
from hms_desktop.services.unlock import ProfileState
from hms_desktop.sync.client import CentralClient

CHOOSE, ENTER, RECOVER, SIGN_IN = range(4)


def _secret_field(placeholder: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setPlaceholderText(placeholder)
    return field


class PinPrompt(QWidget):
    """Asks; the ``actions`` do the work (they raise HmsError with a tutor's message)."""

    done = Signal()

    def __init__(
        self,
        state: ProfileState,
        *,
        choose: Callable[[str, str], None],
        enter: Callable[[str], None],
        recover: Callable[[str, str, str], None],
        sign_in: Callable[[CentralClient, str, str], None],
        hint: str = "",
        server: str = "",
        client_factory: Callable[[str], CentralClient] = CentralClient,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._choose, self._enter, self._recover, self._sign_in = choose, enter, recover, sign_in
        self._client_factory = client_factory
        self.title = QLabel()
        self.title.setObjectName("registerTitle")
        self.hint = QLabel(hint)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.pages = QStackedWidget()

        self.new_pin, self.new_confirm = _secret_field("6 or more digits"), _secret_field("again")
        self.pin = _secret_field("PIN")
        self.code = QLineEdit()
        self.code.setPlaceholderText("XXXXX-XXXXX-XXXXX-XXXXX")
        self.code_pin, self.code_confirm = _secret_field("new PIN"), _secret_field("again")
        self.server, self.email = QLineEdit(server or "https://"), QLineEdit()
        self.password = _secret_field("password")

        self._page(CHOOSE, [("PIN", self.new_pin), ("Again", self.new_confirm)], "Save PIN")
        self._page(ENTER, [("PIN", self.pin)], "Unlock", ("Forgotten PIN?", RECOVER))
        self._page(
            RECOVER,
            [("Office code", self.code), ("New PIN", self.code_pin), ("Again", self.code_confirm)],
            "Open with code",
            ("Sign in to the music service instead", SIGN_IN),
        )
        self._page(
            SIGN_IN,
            [("Server", self.server), ("Email", self.email), ("Password", self.password)],
            "Sign in",
            ("Back", ENTER),
        )
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        for widget in (self.title, self.hint, self.message, self.pages):
            layout.addWidget(widget, alignment=Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        self.show_state(state)

    def _page(self, index, rows, action_text, link=None) -> None:
        page = QWidget()
        form = QFormLayout(page)
        for label, field in rows:
            form.addRow(label, field)
            field.returnPressed.connect(lambda i=index: self._act(i))
        button = QPushButton(action_text)
        button.clicked.connect(lambda _=False, i=index: self._act(i))
        form.addRow(button)
        if link:
            other = QPushButton(link[0])
            other.setFlat(True)
            other.clicked.connect(lambda _=False, to=link[1]: self.go(to))
            form.addRow(other)
        assert self.pages.count() == index
        self.pages.addWidget(page)

    def show_state(self, state: ProfileState) -> None:
        self.message.clear()
        if state in (ProfileState.NEW, ProfileState.PLAIN):
            self.go(CHOOSE)
        elif state is ProfileState.LOCKED_OUT:
            self.go(RECOVER)
            self.say(
                "This profile is locked after 10 wrong tries. Enter a recovery code from the "
                "office, or sign in to the music service. Every unsent mark is kept."
            )
        else:
            self.go(ENTER)

    def go(self, page: int) -> None:
        self.pages.setCurrentIndex(page)
        self.title.setText(
            {
                CHOOSE: "Choose a PIN for HMS Tutor",
                ENTER: "Unlock HMS Tutor",
                RECOVER: "Open with a code from the office",
                SIGN_IN: "Sign in to lift the lock",
            }[page]
        )
        first = {
            CHOOSE: self.new_pin,
            ENTER: self.pin,
            RECOVER: self.code,
            SIGN_IN: self.email,
        }[page]
        first.setFocus()

    def say(self, text: str) -> None:
        self.message.setText(text)

    def clear_secrets(self) -> None:
        for field in (self.new_pin, self.new_confirm, self.pin, self.code_pin, self.code_confirm):
            field.clear()
        self.password.clear()
        self.code.clear()

    def _act(self, page: int) -> None:
        try:
            if page == CHOOSE:
                self._choose(self.new_pin.text(), self.new_confirm.text())
            elif page == ENTER:
                self._enter(self.pin.text())
            elif page == RECOVER:
                self._recover(self.code.text(), self.code_pin.text(), self.code_confirm.text())
            else:
                client = self._client_factory(self.server.text().strip())
                try:
                    self._sign_in(client, self.email.text(), self.password.text())
                finally:
                    client.close()
                self.clear_secrets()
                self.go(ENTER)
                self.say("Signed in: the lock is lifted. Enter your PIN.")
                return
        except HmsError as err:
            self.pin.clear()
            self.password.clear()
            self.say(str(err))
            return
        self.clear_secrets()
        self.done.emit()
