"""At start: the PIN prompt before any window with names opens (or a PIN to choose)."""

import os
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QVBoxLayout, QWidget

from hms_desktop import APP_NAME
from hms_desktop.data.engine import Database
from hms_desktop.data.keys import KeyFile, key_file_of
from hms_desktop.services import unlock as svc
from hms_desktop.sync.client import CentralClient

from .pin_prompt import PinPrompt


class UnlockDialog(QDialog):
    """Opens the profile at ``path``; ``database`` is set when it did."""

    def __init__(
        self,
        path: Path,
        *,
        hint: str = "",
        client_factory: Callable[[str], CentralClient] = CentralClient,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(APP_NAME)
        self.path = path
        self.database: Database | None = None
        self.recovery_codes: tuple[str, ...] = ()
        info = svc.profile_info(path)
        server = ""
        if info.state not in (svc.ProfileState.NEW, svc.ProfileState.PLAIN):
            server = KeyFile.load(key_file_of(path)).server or ""
        self.prompt = PinPrompt(
            info.state,
            choose=self._choose,
            enter=self._enter,
            recover=self._recover,
            sign_in=lambda client, email, pw: svc.lift_lock_out_by_sign_in(path, client, email, pw),
            hint=hint,
            server=server,
            client_factory=client_factory,
        )
        if info.state is svc.ProfileState.PLAIN:
            self.prompt.say(
                "Your registers are now kept encrypted. Choose a PIN (6 or more digits, or a "
                "passphrase): HMS Tutor asks for it at start and after 5 idle minutes."
            )
        self.prompt.done.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.prompt)

    def _choose(self, pin: str, confirm: str) -> None:
        self.database, setup = svc.set_up_profile(self.path, pin, confirm)
        self.recovery_codes = setup.recovery_codes

    def _enter(self, pin: str) -> None:
        self.database = svc.unlock(self.path, pin)

    def _recover(self, code: str, pin: str, confirm: str) -> None:
        self.database = svc.unlock_with_recovery_code(self.path, code, pin, confirm)


def ask_to_unlock(path: Path, *, demo: bool = False) -> Database | None:
    """The start-up prompt; returns the open store, or None if the tutor closed it."""
    hint = f"Demo profile: the PIN is {svc.DEMO_PIN}" if demo else ""
    if demo and svc.profile_info(path).state is svc.ProfileState.PLAIN:
        db, _ = svc.set_up_profile(path, svc.DEMO_PIN)  # invented pupils: a documented PIN
        db.close()
    dialog = UnlockDialog(path, hint=hint)
    if os.environ.get("HMS_STARTUP_PROBE"):
        # bench/: the PIN prompt is on screen; report from the process's start, and stop.
        started = float(os.environ["HMS_STARTUP_PROBE"])

        def report() -> None:
            print(f"pin_prompt_s={time.time() - started:.3f}", flush=True)
            dialog.reject()

        QTimer.singleShot(0, report)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    if dialog.recovery_codes and QApplication.platformName() != "offscreen":
        QMessageBox.information(
            None,
            APP_NAME,
            "Give these one-time recovery codes to the music service office (not to keep on "
            "this laptop). Each opens the profile once if the PIN is forgotten:\n\n"
            + "\n".join(dialog.recovery_codes),
        )
    return dialog.database
