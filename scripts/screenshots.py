"""Render the README's screenshots from a fresh demo database (offscreen), so they stay current.

Usage: python scripts/screenshots.py OUT_DIR
"""

import os
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from hms_desktop.data import clock
from hms_desktop.data.engine import open_database
from hms_desktop.demo import seed_demo
from hms_desktop.services.timetable import lessons_on
from hms_desktop.ui.app import application
from hms_desktop.ui.common.events import DataEvents
from hms_desktop.ui.shell.window import MainWindow


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    app = application()
    # A fixed Monday keeps the pictures the same from run to run; "today" is that Monday.
    monday = date(2026, 11, 23)
    clock.today = lambda: monday
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "demo.sqlite3"
        seed_demo(path, pupils=2000, seed=1, today=monday)
        db = open_database(path)
        window = MainWindow(db, DataEvents(), day=monday)
        window.resize(1366, 768)
        window.show()
        window.today.focus_start()
        app.processEvents()
        table = window.register_view.table
        QTest.keyClick(table, Qt.Key.Key_F8)
        window.register_view.ask_comment = lambda *_a: "Dentist, mum phoned the office at 8:40"
        for row, code in ((2, "AN"), (5, "L"), (9, "AU")):
            table.selectRow(row)
            QTest.keyClicks(table, code)
        table.selectRow(2)
        QTest.keyClick(table, Qt.Key.Key_Return)
        window.register_view.note.setPlainText("Bow hold and open strings; D major scale.")
        window.register_view.save_note()
        table.selectRow(10)
        app.processEvents()
        window.grab().save(str(out / "shell-1366x768.png"))
        window.resize(1024, 600)
        app.processEvents()
        window.grab().save(str(out / "shell-1024x600.png"))
        window.resize(1366, 768)
        window.show_day(monday + timedelta(days=1))
        app.processEvents()
        window.grab().save(str(out / "timetable-tuesday.png"))
        window.show_day(monday)
        clock.today = lambda: monday + timedelta(days=1)  # the next day: Monday's are untaken
        dialog = untaken_dialog(window)
        app.processEvents()
        dialog.grab().save(str(out / "registers-not-taken.png"))
        dialog.close()
        clock.today = lambda: monday
        window.resize(1024, 600)
        window.show_page(3)
        app.processEvents()
        window.grab().save(str(out / "sync-page-1024x600.png"))
        window.close()
        ensemble_screens(app, db, monday, out)
        db.close()
        progress_screens(app, path, monday, out)
        sync_screens(app, Path(tmp), path, monday, out)
    print(f"screenshots written to {out}")


def ensemble_screens(app, db, monday: date, out: Path) -> None:
    """The Ensembles page (roster, a rehearsal register) and seating plans drawn as PDFs."""
    import subprocess

    from hms_desktop.services import ensembles
    from hms_desktop.services.ensembles.printouts import seating_plan_pdf
    from hms_desktop.ui.ensembles.sections import SectionOrderDialog

    led = {e.name: e.ensemble_id for e in ensembles.my_ensembles(db)}
    window = MainWindow(db, DataEvents(), day=monday)
    window.resize(1366, 768)
    window.show()
    window.show_page(2)
    page = window.ensembles
    page.select(led["Hackney Youth Orchestra"])
    page.roster.table.selectRow(2)
    app.processEvents()
    window.grab().save(str(out / "ensembles-roster.png"))
    page.select(led["Hackney Schools String Orchestra"])
    page.day.setDate(monday - timedelta(days=2))
    page.tabs.setCurrentIndex(1)
    table = page.register_view.table
    table.setFocus()
    table.selectRow(0)
    for code in ("P", "P", "L ", "P", "LE", "AN", "P"):
        QTest.keyClicks(table, code)
    app.processEvents()
    window.grab().save(str(out / "ensembles-rehearsal-register.png"))
    page.tabs.setCurrentIndex(0)
    page.select(led["Hackney Schools Wind Band"])  # one the demo tutor helps with
    page.roster.table.setFocus()
    page.roster.table.selectRow(0)
    app.processEvents()
    window.grab().save(str(out / "ensembles-helping.png"))
    roster = page.roster.roster
    dialog = SectionOrderDialog(
        roster.ensemble.name, roster.sections, roster.sections[2].section_id
    )
    dialog.show()
    dialog.move(-1)
    app.processEvents()
    dialog.grab().save(str(out / "section-order.png"))
    dialog.close()
    dialog.deleteLater()
    app.processEvents()
    window.close()
    with tempfile.TemporaryDirectory() as tmp:
        for name, picture in (
            ("Hackney Youth Orchestra", "seating-plan-orchestra"),
            ("Hackney Youth Choir", "seating-plan-choir"),
            ("Hackney Steel Pans", "seating-plan-steel-pans"),
        ):
            pdf = seating_plan_pdf(db, led[name], Path(tmp) / f"{picture}.pdf")
            subprocess.run(
                ["pdftoppm", "-png", "-r", "110", "-singlefile", str(pdf), str(out / picture)],
                check=True,
            )


def untaken_dialog(window: MainWindow):
    from hms_desktop.services.register import untaken_registers
    from hms_desktop.ui.today.untaken_dialog import UntakenDialog

    dialog = UntakenDialog(untaken_registers(window.context.db), window)
    dialog.show()
    return dialog


def sync_screens(app, tmp: Path, laptop: Path, monday: date, out: Path) -> None:
    """Two laptops and the reference central service on loopback: one conflict to settle."""
    import shutil

    import keyring
    from sqlalchemy.orm import Session

    from hms_central.background import BackgroundServer
    from hms_central.seed import seed_central
    from hms_central.store import make_engine
    from hms_desktop.services.register import mark_attendance, open_register
    from hms_desktop.services.sync import enrol_device, sync_now
    from hms_desktop.sync.client import CentralClient
    from hms_desktop.sync.memory_keyring import MemoryKeyring
    from hms_desktop.ui.sync.attention_dialog import AttentionDialog

    keyring.set_keyring(MemoryKeyring())
    engine = make_engine(f"sqlite:///{tmp / 'central.sqlite3'}")
    with Session(engine) as session, session.begin():
        seed_central(session, 2000, 1, monday, "demo")
    engine.dispose()
    server = BackgroundServer(tmp / "central.sqlite3").start()
    try:
        other = tmp / "second.sqlite3"
        shutil.copyfile(laptop, other)
        laptops = [open_database(laptop), open_database(other)]
        client = CentralClient(server.url)
        for db in laptops:
            enrol_device(db, client, "samira.okaforreid@hms.invalid", password="demo")
        first, second = laptops
        group = next(e for e in lessons_on(first, monday) if "whole class" in e.group_name)
        pupil = open_register(first, group.group_id, monday).rows[4].pupil_id
        mark_attendance(second, group.group_id, monday, pupil, "AU")
        for db in laptops:
            sync_now(db, client)
        window = MainWindow(second, DataEvents(), day=monday)
        window.resize(1366, 768)
        window.show()
        window.sync.refresh_status()
        app.processEvents()
        window.grab().save(str(out / "synced.png"))
        dialog = AttentionDialog(second, DataEvents(), window)
        dialog.show()
        app.processEvents()
        dialog.grab().save(str(out / "needs-attention.png"))
        dialog.close()
        window.close()
        for db in laptops:
            db.close()
        client.close()
    finally:
        server.stop()


def progress_screens(app, path: Path, monday: date, out: Path) -> None:
    """The Pupils page (issue 8): a search, a pupil's page with its chart, a group assessment
    part-way through, and a parents' report."""
    import subprocess

    from hms_desktop.services.progress import set_target, write_note
    from hms_desktop.services.progress.report import save_reports
    from hms_desktop.ui.pupils.group_dialog import GroupAssessmentDialog

    db = open_database(path)
    window = MainWindow(db, DataEvents(), day=monday)
    window.resize(1366, 768)
    window.show()
    window.show_page(1)
    page = window.pupils
    QTest.keyClicks(page.search, "ozturk")
    app.processEvents()
    window.grab().save(str(out / "pupils-search.png"))
    page.search.clear()
    rows = [page.model.row_at(r) for r in range(page.model.rowCount())]
    from hms_desktop.services.progress import pupil_page

    candidates = [r.pupil_id for r in rows if r.level and not r.name.isascii()]
    pupil = max(candidates, key=lambda p: len(pupil_page(db, p, monday).assessments))
    write_note(
        db,
        pupil,
        "A confident, musical term: the bow hold is now relaxed and the intonation in first "
        "position much surer. Keep practising little and often.",
    )
    set_target(db, pupil, "Play D major and A major scales from memory", monday)
    page.open_pupil(pupil)
    app.processEvents()
    window.grab().save(str(out / "pupil-page.png"))
    wcet = next(e for e in lessons_on(db, monday) if "whole class" in e.group_name)
    dialog = GroupAssessmentDialog(
        page._ctx, wcet.group_id, wcet.group_name, page._frameworks, page
    )
    dialog.show()
    for row in range(8):
        dialog.model.setData(dialog.model.index(row, 2), str(1 + row % 4))
    dialog.table.setCurrentIndex(dialog.model.index(8, 2))
    app.processEvents()
    dialog.grab().save(str(out / "group-assessment.png"))
    dialog.close()
    pdf = Path(path).with_name("report.pdf")
    save_reports(db, [pupil], monday, pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "70", "-singlefile", str(pdf),
                    str(out / "progress-report")], check=True)  # fmt: skip
    window.close()
    db.close()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
