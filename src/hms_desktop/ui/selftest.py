"""``hms-desktop --selftest``: open the real window offscreen on a temporary demo, take a
register with the keyboard, and check that every mark was kept. Used by CI on the bundle."""

import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from hms_desktop.demo import seed_demo
from hms_desktop.services.register import open_register
from hms_desktop.services.store import changes_waiting
from hms_desktop.services.unlock import DEMO_PIN, set_up_profile, unlock

from .app import application
from .common.events import DataEvents
from .shell.window import MainWindow


def run_selftest() -> int:
    app = application()
    monday = date.today() - timedelta(days=date.today().weekday())
    with tempfile.TemporaryDirectory(prefix="hms-selftest-") as tmp:
        path = Path(tmp) / "selftest.sqlite3"
        seed_demo(path, pupils=300, seed=7, today=monday)
        db, _ = set_up_profile(path, DEMO_PIN)  # argon2, AES-GCM and SQLCipher in the bundle
        window = MainWindow(db, DataEvents(), day=monday)
        window.show()
        app.processEvents()
        view = window.register_view
        register = view.register
        if register is None or not register.rows:
            return _fail("no register opened for the first lesson of the day")
        table = view.table
        table.setFocus()
        QTest.keyClick(table, Qt.Key.Key_F8)  # all present
        table.selectRow(1)
        QTest.keyClicks(table, "AN")  # second pupil: absent, notified
        app.processEvents()
        window.close()
        group_id, pupils = register.group_id, len(register.rows)
        second = register.rows[1].pupil_id
        db.close()

        reopened = unlock(path, DEMO_PIN)
        try:
            kept = open_register(reopened, group_id, monday)
            waiting = changes_waiting(reopened)
        finally:
            reopened.close()
        codes = {r.pupil_id: r.code for r in kept.rows}
        if codes.get(second) != "AN":
            return _fail(f"expected AN for the second pupil, found {codes.get(second)}")
        if sum(1 for c in codes.values() if c == "P") != pupils - 1:
            return _fail("not every other pupil was kept as present")
        if waiting < pupils:
            return _fail(f"only {waiting} changes waiting to be sent for {pupils} marks")
        if path.read_bytes()[:16] == b"SQLite format 3\x00":
            return _fail("the profile was left unencrypted")
        printed = _certificates(Path(tmp))
        if printed is not None:
            return _fail(printed)
    print(
        f"selftest ok: {pupils} pupils marked and kept, {waiting} changes waiting to be sent; "
        "certificates printed in four scripts"
    )
    return 0


def _certificates(folder: Path) -> str | None:
    """Bundled fonts, shaping and PDFium work: names in four scripts print and read back."""
    from hms_desktop.certificates.content import CertificateContent, Template
    from hms_desktop.certificates.preview import page_count, preview_png
    from hms_desktop.certificates.render import render_batch

    names = ["Adébáyọ̀ Ọlátúnjí", "নুসরাত রহমান", "مريم الحسن", "חיה פרידמן"]
    items = [
        CertificateContent(
            name,
            Template.RECOGNITION,
            "for effort",
            date.today(),
            "Selftest",
            f"HMS-SELF-{n}",
            "SELFTS",
        )
        for n, name in enumerate(names)
    ]
    pdf = render_batch(items, folder / "selftest-certificates.pdf")
    if page_count(pdf) != len(names):
        return "the certificate PDF does not have one page per pupil"
    if not preview_png(items[2], 300).startswith(b"\x89PNG"):
        return "the certificate preview did not render"
    return None


def _fail(reason: str) -> int:
    print(f"selftest FAILED: {reason}", file=sys.stderr)
    return 1
