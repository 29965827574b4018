"""The register under a tutor's real hands: its own keys never change or wipe a mark already
taken, every write can be undone, and the keyboard reaches everything (issue 7, findings 1–5)."""

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from hms_desktop.data import clock
from hms_desktop.data.models import AttendanceMark, OutboxEntry
from hms_desktop.domain.errors import FutureLesson
from hms_desktop.domain.types import LessonStatus
from hms_desktop.services.register import (
    change_lesson_status,
    clear_mark,
    mark_attendance,
    open_register,
)
from hms_desktop.ui.common.events import DataEvents
from hms_desktop.ui.shell.window import MainWindow
from hms_desktop.ui.today.timetable_model import REGISTER

from .conftest import MONDAY, whole_class


class Tutor:
    """Answers the questions the register asks, and remembers them."""

    def __init__(self) -> None:
        self.comments: list[str | None] = []
        self.confirms: list[bool] = []
        self.asked: list[str] = []

    def comment(self, title: str, label: str, text: str = "") -> str | None:
        self.asked.append(label)
        return self.comments.pop(0) if self.comments else None

    def confirm(self, title: str, text: str) -> bool:
        self.asked.append(text)
        return self.confirms.pop(0) if self.confirms else False


@pytest.fixture
def tutor() -> Tutor:
    return Tutor()


@pytest.fixture
def window(qtbot, db, tutor):
    win = MainWindow(db, DataEvents(), day=MONDAY)
    qtbot.addWidget(win)
    win.show()
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    win.register_view.ask_comment = tutor.comment
    win.register_view.confirm = tutor.confirm
    win.today.focus_start()
    return win


def saved(db, view):
    return {r.pupil_id: (r.code, r.comment) for r in open_register(db, *view.backend.key).rows}


def pupil_at(view, row: int) -> str:
    return view.model.row_at(row).pupil_id


# --- finding 1: a comment, then a code -------------------------------------------------------


def test_after_a_comment_the_next_code_goes_to_the_next_pupil(qtbot, window, db, tutor):
    view, table = window.register_view, window.register_view.table
    table.selectRow(4)
    qtbot.keyClicks(table, "L")  # pupil 4 late; the selection moves to pupil 5
    qtbot.keyClick(table, Qt.Key.Key_Up)
    tutor.comments = ["Bus was late"]
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert table.currentIndex().row() == 5  # moved on exactly as after a code
    qtbot.keyClicks(table, "P")  # "for the next pupil"
    marks = saved(db, view)
    assert marks[pupil_at(view, 4)] == ("L", "Bus was late")
    assert marks[pupil_at(view, 5)] == ("P", "")


def test_a_new_code_on_a_commented_mark_keeps_the_comment(qtbot, window, db, tutor):
    view, table = window.register_view, window.register_view.table
    table.selectRow(2)
    tutor.comments = ["Phoned in at 8:50"]
    qtbot.keyClicks(table, "AN")
    table.selectRow(2)
    qtbot.keyClick(table, Qt.Key.Key_Return)  # no: the comment is already there
    table.selectRow(2)
    qtbot.keyClicks(table, "AU")
    assert saved(db, view)[pupil_at(view, 2)] == ("AU", "Phoned in at 8:50")
    assert "comment kept" in view.message.text()


# --- finding 2: whole-lesson status on a finished register -----------------------------------


def test_school_closed_on_a_taken_register_asks_first_and_says_how_many(qtbot, window, db, tutor):
    view, table = window.register_view, window.register_view.table
    qtbot.keyClick(table, Qt.Key.Key_F8)
    before = saved(db, view)
    tutor.confirms = [False]
    qtbot.mouseClick(view.status_buttons[LessonStatus.SCHOOL_CLOSED], Qt.MouseButton.LeftButton)
    assert "replaces 30 marks" in tutor.asked[-1]
    assert saved(db, view) == before  # "No" changed nothing
    tutor.confirms = [True]
    qtbot.mouseClick(view.status_buttons[LessonStatus.SCHOOL_CLOSED], Qt.MouseButton.LeftButton)
    assert {code for code, _ in saved(db, view).values()} == {"SN"}


def test_all_present_after_school_closed_asks_and_then_really_marks_present(
    qtbot, window, db, tutor
):
    view, table = window.register_view, window.register_view.table
    qtbot.mouseClick(view.status_buttons[LessonStatus.SCHOOL_CLOSED], Qt.MouseButton.LeftButton)
    tutor.confirms = [False]
    qtbot.keyClick(table, Qt.Key.Key_F8)
    assert {code for code, _ in saved(db, view).values()} == {"SN"}
    assert "School closed" in view.lesson_status.text()
    assert window.timetable_model.index(1, REGISTER).data() != "✓ Complete"
    tutor.confirms = [True]
    qtbot.keyClick(table, Qt.Key.Key_F8)
    assert {code for code, _ in saved(db, view).values()} == {"P"}
    assert open_register(db, *view.backend.key).status == "delivered"


# --- finding 3: undo, clearing a mark, lessons in the future ---------------------------------


def test_a_mark_is_undone_and_redone_with_the_keyboard(qtbot, window, db):
    view, table = window.register_view, window.register_view.table
    first = pupil_at(view, 0)
    qtbot.keyClicks(table, "L")
    assert saved(db, view)[first] == ("L", "")
    qtbot.keyClick(table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert saved(db, view)[first] == (None, "")
    assert view.model.row_at(0).code is None
    qtbot.keyClick(
        table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert saved(db, view)[first] == ("L", "")


def test_a_comment_is_undone_and_redone(qtbot, window, db, tutor):
    view, table = window.register_view, window.register_view.table
    qtbot.keyClicks(table, "L")
    table.selectRow(0)
    tutor.comments = ["Music left at home"]
    qtbot.keyClick(table, Qt.Key.Key_Return)
    first = pupil_at(view, 0)
    assert saved(db, view)[first] == ("L", "Music left at home")
    window.undo_action.trigger()
    assert saved(db, view)[first] == ("L", "")
    window.redo_action.trigger()
    assert saved(db, view)[first] == ("L", "Music left at home")


def test_a_whole_lesson_status_is_undone_back_to_every_mark(qtbot, window, db, tutor):
    view, table = window.register_view, window.register_view.table
    qtbot.keyClick(table, Qt.Key.Key_F8)
    table.selectRow(3)
    tutor.comments = ["Dentist"]
    qtbot.keyClicks(table, "AN")
    qtbot.keyClick(table, Qt.Key.Key_Return)
    taken = saved(db, view)
    tutor.confirms = [True]
    qtbot.mouseClick(view.status_buttons[LessonStatus.TUTOR_ABSENT], Qt.MouseButton.LeftButton)
    assert {code for code, _ in saved(db, view).values()} == {"TA"}
    qtbot.keyClick(table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert saved(db, view) == taken
    assert open_register(db, *view.backend.key).status == "delivered"
    window.redo_action.trigger()
    assert {code for code, _ in saved(db, view).values()} == {"TA"}


def test_delete_clears_a_mark_as_a_change_that_syncs(qtbot, window, db):
    view, table = window.register_view, window.register_view.table
    qtbot.keyClicks(table, "P")
    qtbot.keyClicks(table, "P")
    table.selectRow(0)
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    table.selectRow(1)
    qtbot.keyClick(table, Qt.Key.Key_Backspace)
    marks = saved(db, view)
    assert marks[pupil_at(view, 0)] == (None, "") and marks[pupil_at(view, 1)] == (None, "")
    with db.reading() as s:
        mark = s.get(AttendanceMark, view.model.row_at(0) and _mark_id(view, 0))
        assert mark is not None and mark.deleted_at is not None  # a tombstone, not a delete
        last = (
            s.query(OutboxEntry)
            .filter(OutboxEntry.entity_id == mark.id)
            .order_by(OutboxEntry.seq.desc())
            .first()
        )
        assert last.op == "upsert" and last.fields["deleted_at"] is not None
    window.undo_action.trigger()
    assert saved(db, view)[pupil_at(view, 1)] == ("P", "")


def _mark_id(view, row: int) -> str:
    from hms_desktop.domain.ids import mark_id

    return mark_id(view.register.lesson_id, pupil_at(view, row))


def test_a_lesson_in_the_future_refuses_marks_but_takes_a_cancellation(
    qtbot, window, db, tutor, monkeypatch
):
    monkeypatch.setattr(clock, "today", lambda: MONDAY - timedelta(days=7))
    view, table = window.register_view, window.register_view.table
    view.reload()
    assert "has not happened yet" in view.message.text()
    qtbot.keyClicks(table, "P")
    assert set(saved(db, view).values()) == {(None, "")}
    assert "has not happened yet" in view.message.text()
    qtbot.keyClick(table, Qt.Key.Key_F8)
    assert set(saved(db, view).values()) == {(None, "")}
    assert open_register(db, *view.backend.key).status == "scheduled"
    qtbot.mouseClick(view.status_buttons[LessonStatus.SCHOOL_CLOSED], Qt.MouseButton.LeftButton)
    assert {code for code, _ in saved(db, view).values()} == {"SN"}


def test_the_services_refuse_a_future_mark(db, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: MONDAY - timedelta(days=1))
    lesson = whole_class(db)
    pupil = open_register(db, lesson.group_id, MONDAY).rows[0].pupil_id
    with pytest.raises(FutureLesson):
        mark_attendance(db, lesson.group_id, MONDAY, pupil, "P")
    with pytest.raises(FutureLesson):
        change_lesson_status(db, lesson.group_id, MONDAY, LessonStatus.TURNED_AWAY, "x")
    assert clear_mark(db, lesson.group_id, MONDAY, pupil).before.code is None


# --- finding 4: two-letter codes -------------------------------------------------------------


def test_a_two_letter_code_waits_for_its_second_letter(qtbot, window, db):
    view, table = window.register_view, window.register_view.table
    qtbot.keyClicks(table, "A")
    assert "Typed A" in view.message.text()
    qtbot.wait(1600)  # longer than the old time-out
    qtbot.keyClicks(table, "N")
    assert saved(db, view)[pupil_at(view, 0)] == ("AN", "")


def test_escape_cancels_a_half_typed_code(qtbot, window, db):
    view, table = window.register_view, window.register_view.table
    qtbot.keyClicks(table, "A")
    qtbot.keyClick(table, Qt.Key.Key_Escape)
    assert view.typed == ""
    qtbot.keyClicks(table, "P")
    assert saved(db, view)[pupil_at(view, 0)] == ("P", "")


# --- finding 5: focus and keyboard reach -----------------------------------------------------


def test_at_start_typing_a_code_marks_the_first_unmarked_pupil(qtbot, window, db):
    view = window.register_view
    assert view.table.hasFocus()
    qtbot.keyClicks(window.focusWidget(), "P")
    assert saved(db, view)[pupil_at(view, 0)] == ("P", "")


def test_down_in_the_lesson_list_stays_in_the_lesson_list(qtbot, window, db):
    first = window.register_view.register.group_id
    window.timetable.setFocus()
    qtbot.keyClick(window.timetable, Qt.Key.Key_Down)
    qtbot.keyClick(window.timetable, Qt.Key.Key_Down)
    assert window.timetable.hasFocus()
    assert window.register_view.register.group_id != first
    qtbot.keyClicks(window.focusWidget(), "P")
    assert all(r.code is None for r in open_register(db, first, MONDAY).rows)
    qtbot.keyClick(window.timetable, Qt.Key.Key_Return)  # Enter goes into the register
    assert window.register_view.table.hasFocus()


def test_f6_and_tab_reach_the_lesson_list_the_register_and_the_note(qtbot, window):
    view = window.register_view
    assert view.table.hasFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_F6)
    assert view.note.hasFocus()
    qtbot.keyClick(view.note, Qt.Key.Key_F6)
    assert window.timetable.hasFocus()
    qtbot.keyClick(window.timetable, Qt.Key.Key_F6, Qt.KeyboardModifier.ShiftModifier)
    assert view.note.hasFocus()
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Tab)
    assert not view.table.hasFocus()  # Tab leaves the register


def test_every_register_button_takes_focus_and_has_a_mnemonic(window):
    buttons = window.register_view.findChildren(QPushButton)
    assert len(buttons) >= 5
    for button in buttons:
        assert button.focusPolicy() != Qt.FocusPolicy.NoFocus, button.text()
        assert "&" in button.text(), button.text()


def test_alt_mnemonic_sets_tutor_absent(qtbot, window, db, tutor):
    view = window.register_view
    qtbot.keyClick(view.table, Qt.Key.Key_U, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: {code for code, _ in saved(db, view).values()} == {"TA"})


def test_the_menu_key_names_the_selected_pupil(qtbot, window):
    view = window.register_view
    shown = []
    view.show_menu = lambda menu, _at: shown.append([a.text() for a in menu.actions()])
    view.table.selectRow(6)
    qtbot.keyClick(view.table, Qt.Key.Key_Menu)
    assert f"Certificate for {view.model.row_at(6).name}…" in shown[-1]
    view.table.selectRow(2)
    qtbot.keyClick(view.table, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)
    assert f"Certificate for {view.model.row_at(2).name}…" in shown[-1]


# --- found by trying it as a tutor under Xvfb ------------------------------------------------


def test_enter_straight_after_a_code_comments_on_the_pupil_just_marked(qtbot, window, db, tutor):
    view, table = window.register_view, window.register_view.table
    table.selectRow(1)
    qtbot.keyClicks(table, "AN")
    assert table.currentIndex().row() == 2  # the selection moved on…
    tutor.comments = ["Dentist"]
    qtbot.keyClick(table, Qt.Key.Key_Return)  # …but the comment is for the pupil just marked
    marks = saved(db, view)
    assert marks[pupil_at(view, 1)] == ("AN", "Dentist")
    assert marks[pupil_at(view, 2)] == (None, "")
    assert view.model.row_at(1).name in tutor.asked[-1]
    assert table.currentIndex().row() == 2


def test_undo_shows_the_pupil_it_changed_and_says_what(qtbot, window, db):
    view, table = window.register_view, window.register_view.table
    table.selectRow(20)
    qtbot.keyClicks(table, "L")
    table.selectRow(0)
    qtbot.keyClick(table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert table.currentIndex().row() == 20
    assert view.message.text() == f"Undone: Mark L for {view.model.row_at(20).name}"


def test_undo_of_another_lessons_mark_says_which_register(qtbot, window, db):
    view, table = window.register_view, window.register_view.table
    first = view.register.group_name
    qtbot.keyClicks(table, "L")
    window.timetable.setFocus()
    qtbot.keyClick(window.timetable, Qt.Key.Key_Down)
    assert view.register.group_name != first
    window.undo_action.trigger()
    assert f"in the register of {first}" in view.message.text()


def test_the_header_follows_the_marks(qtbot, window):
    view, table = window.register_view, window.register_view.table
    assert view.lesson_status.text().startswith("Not yet taken")
    qtbot.keyClicks(table, "P")
    assert view.lesson_status.text().startswith("Delivered")
    table.selectRow(0)
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert view.lesson_status.text().startswith("Not yet taken")


def test_what_to_know_about_a_pupil_is_one_key_away(qtbot, window):
    view = window.register_view
    shown, cared = [], []
    view.show_menu = lambda menu, _at: shown.append(menu.actions())
    view.show_care = lambda title, text: cared.append(text)
    row = next(i for i in range(view.model.rowCount()) if view.model.row_at(i).needs_care)
    view.table.selectRow(row)
    qtbot.keyClick(view.table, Qt.Key.Key_Menu)
    care = next(a for a in shown[-1] if a.text().startswith("What to know about"))
    care.trigger()
    assert cared == [view.model.row_at(row).care_detail]


def test_a_half_typed_code_is_dropped_when_the_tutor_moves_on(qtbot, window, db):
    view, table = window.register_view, window.register_view.table
    qtbot.keyClicks(table, "A")
    qtbot.keyClick(table, Qt.Key.Key_Down)
    qtbot.keyClicks(table, "N")  # not "AN" on the next pupil
    assert saved(db, view)[pupil_at(view, 1)] == (None, "")
    assert view.typed == ""


def test_after_choosing_another_pupil_enter_comments_on_that_pupil(qtbot, window, db, tutor):
    view, table = window.register_view, window.register_view.table
    qtbot.keyClick(table, Qt.Key.Key_F8)
    table.selectRow(9)
    qtbot.keyClicks(table, "AU")
    table.selectRow(2)  # a click on another pupil
    tutor.comments = ["Dentist"]
    qtbot.keyClick(table, Qt.Key.Key_Return)
    marks = saved(db, view)
    assert marks[pupil_at(view, 2)] == ("P", "Dentist")
    assert marks[pupil_at(view, 9)] == ("AU", "")
