"""The screens, driven like a tutor drives them: keyboard first, real widgets, real database."""

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog

from hms_desktop.data.engine import open_database
from hms_desktop.domain.types import LessonStatus
from hms_desktop.services.register import open_register
from hms_desktop.services.store import changes_waiting
from hms_desktop.services.timetable import find_groups, lessons_on
from hms_desktop.ui.common.events import DataEvents
from hms_desktop.ui.register.model import CODE, PUPIL
from hms_desktop.ui.shell.window import MainWindow
from hms_desktop.ui.today.find_group import FindGroupDialog
from hms_desktop.ui.today.timetable_model import REGISTER

from .conftest import MONDAY


@pytest.fixture
def window(qtbot, db):
    win = MainWindow(db, DataEvents(), day=MONDAY)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def answer_next_dialog(text: str | None) -> None:
    """Type into the comment box the app is about to show, as a tutor would (None: cancel)."""

    def respond() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QInputDialog):
            QTimer.singleShot(20, respond)
            return
        if text is None:
            dialog.reject()
        else:
            dialog.setTextValue(text)
            dialog.accept()

    QTimer.singleShot(0, respond)


def test_the_day_opens_on_the_first_lesson_grouped_by_school(window):
    model = window.timetable_model
    headers = model.header_rows()
    assert headers[0] == 0
    entries = [model.entry(r) for r in range(model.rowCount()) if model.entry(r)]
    assert [e.start_time for e in entries[:3]] == sorted(e.start_time for e in entries[:3])
    assert window.register_view.register.group_id == entries[0].group_id
    assert "whole class" in window.register_view.title.text()


def test_whole_class_register_of_30_by_keyboard_alone(qtbot, window, db):
    view = window.register_view
    table = view.table
    register = view.register
    assert len(register.rows) == 30
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_F8)  # all present
    assert view.model.marked_count() == 30
    table.selectRow(0)
    qtbot.keyClick(table, Qt.Key.Key_Down)
    qtbot.keyClick(table, Qt.Key.Key_Down)
    qtbot.keyClicks(table, "an")  # third pupil: absent, notified
    assert table.currentIndex().row() == 3  # moved on to the next pupil
    qtbot.keyClicks(table, "L")  # fourth: late
    qtbot.keyClick(table, Qt.Key.Key_End)
    qtbot.keyClicks(table, "AU")  # last: absent without notice
    saved = open_register(db, register.group_id, MONDAY)
    codes = [r.code for r in saved.rows]
    assert codes[2] == "AN" and codes[3] == "L" and codes[29] == "AU"
    assert codes.count("P") == 27
    assert view.model.index(2, CODE).data() == "AN"
    assert "30 of 30 marked" in view.lesson_status.text()
    complete = window.timetable_model.index(1, REGISTER).data()
    assert complete == "✓ Complete"
    assert changes_waiting(db) == 34  # 30 marks, the lesson, three corrections
    assert "1 register not yet sent" in window.pending_label.text()


def test_a_letter_that_is_no_code_is_explained_and_changes_nothing(qtbot, window, db):
    view = window.register_view
    view.table.setFocus()
    view.table.selectRow(0)
    qtbot.keyClicks(view.table, "Q")
    assert "'Q' is not an attendance code" in view.message.text()
    qtbot.keyClicks(view.table, "AX")
    assert "'AX' is not an attendance code" in view.message.text()
    assert changes_waiting(db) == 0


def test_a_code_that_needs_a_comment_asks_for_one(qtbot, window, db):
    view = window.register_view
    view.table.setFocus()
    view.table.selectRow(0)
    pupil = view.register.rows[0].pupil_id
    answer_next_dialog(None)  # the tutor cancels: no mark
    qtbot.keyClicks(view.table, "SE")
    assert "needs a comment, so the mark was not saved" in view.message.text()
    assert open_register(db, view.register.group_id, MONDAY).row(pupil).code is None
    view.table.selectRow(0)
    answer_next_dialog("Year 4 trip to the Museum of the Home")
    qtbot.keyClicks(view.table, "SE")
    row = open_register(db, view.register.group_id, MONDAY).row(pupil)
    assert (row.code, row.comment) == ("SE", "Year 4 trip to the Museum of the Home")


def test_enter_adds_a_comment_to_a_mark(qtbot, window, db):
    view = window.register_view
    view.table.setFocus()
    view.table.selectRow(4)
    qtbot.keyClicks(view.table, "L")
    view.table.selectRow(4)
    answer_next_dialog("Bus was late")
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    row = open_register(db, view.register.group_id, MONDAY).rows[4]
    assert (row.code, row.comment) == ("L", "Bus was late")


def test_tutor_absent_marks_everyone_ta(qtbot, window, db):
    view = window.register_view
    qtbot.mouseClick(view.status_buttons[LessonStatus.TUTOR_ABSENT], Qt.MouseButton.LeftButton)
    saved = open_register(db, view.register.group_id, MONDAY)
    assert {r.code for r in saved.rows} == {"TA"}
    assert saved.status == "tutor_absent"
    assert window.timetable_model.index(1, REGISTER).data() == "Tutor absent"


def test_the_lesson_note_survives_closing_the_window_at_once(qtbot, window, db, demo_path):
    view = window.register_view
    group_id = view.register.group_id
    view.note.setFocus()
    qtbot.keyClicks(view.note, "Bow hold; D major scale")
    window.close()  # before the note's save timer fires
    db.close()
    reopened = open_database(demo_path)
    assert open_register(reopened, group_id, MONDAY).note == "Bow hold; D major scale"
    reopened.close()


def test_moving_between_days_and_an_empty_day(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert window.day == MONDAY + timedelta(days=1)
    assert window.today.left.currentWidget() is window.timetable
    window.show_day(MONDAY - timedelta(days=1))  # Sunday
    assert window.today.left.currentWidget() is window.today.empty_day
    assert "No lessons on Sunday 22 November" in window.today.empty_day.text()


def test_finding_a_group_to_cover_and_taking_its_register(qtbot, window, db):
    other = next(g for g in find_groups(db, "") if g.tutor_name != "Samira Okafor-Reid")
    dialog = FindGroupDialog(db, other.school_name.split()[0], window)
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() >= 1
    dialog.query.setText(other.group_name)
    found = [dialog.model.row_at(r) for r in range(dialog.model.rowCount())]
    assert other.group_id in {g.group_id for g in found}
    window.today.open_register(other.group_id, MONDAY)
    view = window.register_view
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_F8)
    entries = lessons_on(db, MONDAY)
    cover = [e for e in entries if e.group_id == other.group_id]
    assert cover and cover[0].is_cover and cover[0].register_complete
    assert "cover for" in view.subtitle.text()


def test_every_table_model_passes_the_model_tester(qtmodeltester, window, db):
    qtmodeltester.check(window.timetable_model)
    qtmodeltester.check(window.register_view.model)
    dialog = FindGroupDialog(db, "Violin")
    qtmodeltester.check(dialog.model)
    dialog.deleteLater()
    assert window.register_view.model.index(0, PUPIL).data()


def test_an_unexpected_error_is_told_in_words_and_logged_without_names(window, tmp_path):
    import logging
    import sys

    from hms_desktop import logs
    from hms_desktop.ui.app import UNEXPECTED, report_unexpected_errors

    name = window.register_view.register.rows[0].name
    log_path = logs.setup(tmp_path)
    previous = sys.excepthook
    report_unexpected_errors(window)
    try:
        try:
            raise ValueError(f"UNIQUE constraint failed: pupil {name}")
        except ValueError as err:
            sys.excepthook(type(err), err, err.__traceback__)
    finally:
        sys.excepthook = previous
        for handler in list(logs.log.handlers):
            handler.close()
            logs.log.removeHandler(handler)
    assert window.statusBar().currentMessage() == UNEXPECTED
    logged = log_path.read_text(encoding="utf-8")
    assert "ValueError (message withheld)" in logged
    assert name not in logged
    assert logging.getLogger("hms_desktop").handlers == []
