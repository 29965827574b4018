"""The Pupils page as a tutor uses it: type a name, Enter opens the pupil; a whole class assessed
by keyboard alone, each row saved as it is complete and undoable; the chart and the parents'
report drawn, rendered to PNG and kept for the README."""

import subprocess

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication

from hms_desktop.services.certificates import plan_certificates
from hms_desktop.services.progress import (
    pupil_page,
    record_assessment,
    set_target,
    write_note,
)
from hms_desktop.ui.common.events import DataEvents
from hms_desktop.ui.pupils.dialogs import AssessmentDialog
from hms_desktop.ui.pupils.group_dialog import GroupAssessmentDialog
from hms_desktop.ui.pupils.group_model import LEVEL, MARK, RESULT
from hms_desktop.ui.pupils.report_dialog import ReportDialog
from hms_desktop.ui.shell.window import MainWindow
from hms_protocol.reference import framework_id, framework_level_id

from .conftest import MONDAY, whole_class
from .test_shell import when_modal


@pytest.fixture
def window(qtbot, db):
    win = MainWindow(db, DataEvents(), day=MONDAY)
    qtbot.addWidget(win)
    win.show()
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    return win


def type_keys(qtbot, text: str) -> None:
    """Type as a tutor would: each key to whatever has the focus."""
    for ch in text:
        qtbot.keyClicks(QApplication.focusWidget(), ch)


def press(qtbot, key) -> None:
    qtbot.keyClick(QApplication.focusWidget(), key)
    QApplication.processEvents()  # an editor commits on Enter through a queued call


def test_typing_a_name_finds_the_pupil_and_enter_opens_their_page(qtbot, window, db):
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    page = window.pupils
    assert page.search.hasFocus()
    assert page.model.rowCount() > 100 and "pupils" in page.count.text()
    type_keys(qtbot, "ozer")  # Özer, without the accent or capital
    names = [page.model.row_at(r).name for r in range(page.model.rowCount())]
    assert names and all("Özer" in n for n in names)
    press(qtbot, Qt.Key.Key_Down)
    chosen = page.model.row_at(page.table.currentIndex().row())
    press(qtbot, Qt.Key.Key_Return)
    assert page.stack.currentWidget() is page.pupil
    assert page.pupil.heading.text() == chosen.name
    assert "This term" in page.pupil.attendance.text()
    press(qtbot, Qt.Key.Key_Escape)
    assert page.stack.currentWidget() is page.list_page
    assert page.table.hasFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    assert page.search.hasFocus()  # Alt+S: back to typing a name
    page.search.setText("zzzz")
    assert "No pupil of yours" in page.count.text()


def test_the_list_sorts_in_its_own_model(qtbot, window):
    page = window.pupils
    page.table.sortByColumn(7, Qt.SortOrder.DescendingOrder)  # attendance, best first
    rates = [page.model.row_at(r).attendance_rate or 0 for r in range(page.model.rowCount())]
    assert rates == sorted(rates, reverse=True)


def test_a_whole_class_assessed_by_keyboard_alone_and_undone(qtbot, window, db):
    group = whole_class(db)
    before = plan_certificates(db, "achievement", find_ids(db, group.group_id), MONDAY)
    assert before.missing  # some pupils have no level yet: the finding
    page = window.pupils
    dialog = open_group_dialog(qtbot, page, db)
    assert dialog.model.rowCount() == 30
    for row in range(30):
        assert dialog.table.currentIndex().row() == row
        assert dialog.table.currentIndex().column() == LEVEL
        type_keys(qtbot, str(1 + row % 4))  # Stage 1…4
        press(qtbot, Qt.Key.Key_Return)
    assert "30 of 30 pupils saved" in dialog.count.text()
    after = plan_certificates(db, "achievement", find_ids(db, group.group_id), MONDAY)
    assert not after.missing and len(after.ready) == 30
    last = dialog.model.entry(29)
    assert (
        after.ready[[p.pupil_id for p in after.ready].index(last.pupil.pupil_id)].level_text
        == "Stage 2"
    )
    # Ctrl+Z takes back the last row; Ctrl+Shift+Z (redo) puts it back.
    qtbot.keyClick(dialog, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert dialog.model.entry(29).saved_id is None and "29 of 30" in dialog.count.text()
    shown = pupil_page(db, last.pupil.pupil_id, MONDAY).assessments
    assert last.saved_id not in {a.assessment_id for a in shown}  # gone from the pupil's page
    window.undo_stack.redo()
    assert dialog.model.entry(29).saved_id == last.saved_id and "30 of 30" in dialog.count.text()
    shown = pupil_page(db, last.pupil.pupil_id, MONDAY).assessments
    assert shown[0].assessment_id == last.saved_id and shown[0].level == "Stage 2"


def open_group_dialog(qtbot, page, db) -> GroupAssessmentDialog:
    group = whole_class(db)
    dialog = GroupAssessmentDialog(
        page._ctx, group.group_id, group.group_name, page._frameworks, page
    )
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def find_ids(db, group_id: str) -> list[str]:
    from hms_desktop.services.progress import group_pupils

    return [p.pupil_id for p in group_pupils(db, group_id, MONDAY)]


def test_exam_results_are_entered_the_same_way_and_a_bad_level_saves_nothing(qtbot, window, db):
    page = window.pupils
    dialog = open_group_dialog(qtbot, page, db)
    dialog.framework.setCurrentIndex(dialog.framework.findText("ABRSM"))
    dialog.kind.setCurrentIndex(dialog.kind.findData("exam"))
    dialog.table.setFocus()
    dialog.table.setCurrentIndex(dialog.model.index(0, LEVEL))
    type_keys(qtbot, "12")  # no Grade 12
    press(qtbot, Qt.Key.Key_Return)
    assert "is not a level of ABRSM" in dialog.problem.text()
    assert dialog.model.entry(0).level_id is None
    dialog.table.setCurrentIndex(dialog.model.index(0, LEVEL))
    type_keys(qtbot, "2")
    press(qtbot, Qt.Key.Key_Return)
    assert dialog.table.currentIndex().column() == RESULT
    assert dialog.model.entry(0).saved_id is None  # an exam needs its result first
    type_keys(qtbot, "m")
    press(qtbot, Qt.Key.Key_Return)
    assert dialog.table.currentIndex().column() == MARK
    saved = dialog.model.entry(0).saved_id
    assert saved is not None
    type_keys(qtbot, "127")
    press(qtbot, Qt.Key.Key_Return)
    entry = dialog.model.entry(0)
    assert entry.saved_id != saved  # the mark corrected the row: a new assessment replaced it
    assert (dialog.table.currentIndex().row(), dialog.table.currentIndex().column()) == (1, LEVEL)
    exams = [
        a for a in pupil_page(db, entry.pupil.pupil_id, MONDAY).assessments if a.kind == "exam"
    ]
    assert [(a.level, a.result, a.mark) for a in exams] == [("Grade 2", "merit", 127)]


def test_every_progress_table_passes_the_model_tester(qtmodeltester, qtbot, window, db):
    page = window.pupils
    qtmodeltester.check(page.model)
    pupil = page.model.row_at(0).pupil_id
    record_assessment(db, pupil, framework_id("ABRSM"), framework_level_id("ABRSM", "Grade 1"),
                      "exam", MONDAY, result="pass", mark=104)  # fmt: skip
    set_target(db, pupil, "Learn the scales", MONDAY)
    page.open_pupil(pupil)
    qtmodeltester.check(page.pupil.assessments_model)
    qtmodeltester.check(page.pupil.targets_model)
    group = whole_class(db)
    dialog = GroupAssessmentDialog(
        page._ctx, group.group_id, group.group_name, page._frameworks, page
    )
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)


def test_the_pupil_page_chart_and_report_are_drawn_for_a_parent(qtbot, window, db, tmp_path):
    page = window.pupils
    rows = [page.model.row_at(r) for r in range(page.model.rowCount())]
    row = next(r for r in rows if r.level and not r.name.isascii())
    pupil = row.pupil_id
    write_note(
        db,
        pupil,
        "A confident, musical term: the bow hold is now relaxed and the intonation in first "
        "position much surer. Keep practising little and often.",
    )
    set_target(db, pupil, "Play D major and A major scales from memory", MONDAY)
    window.show_page(1)
    page.open_pupil(pupil)
    view = page.pupil
    assert view.chart.describe() != "No levels recorded yet."
    window.resize(1366, 768)
    qtbot.wait(50)
    assert window.grab().save(str(tmp_path / "pupil-page.png"))
    assert view.chart.grab().save(str(tmp_path / "chart.png"))
    dialog = ReportDialog(page._ctx, None, [pupil], page)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.finished_batch, timeout=30_000) as done:
        dialog.save_to(tmp_path / "report.pdf")
    assert done.args[0].endswith("report.pdf")
    pdf = PdfReader(tmp_path / "report.pdf")
    assert len(pdf.pages) == 1
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "report.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert row.name in text and "Progress over time" in text and "Attendance" in text
    assert "bow hold is now relaxed" in text and "Working on: Play D major" in text
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", str(tmp_path / "report.pdf"),
                    str(tmp_path / "progress-report")], check=True)  # fmt: skip


def test_a_group_report_batch_can_be_cancelled_and_leaves_no_file(qtbot, window, db, tmp_path):
    page = window.pupils
    group = whole_class(db)
    dialog = ReportDialog(page._ctx, group.group_id, None, page)
    qtbot.addWidget(dialog)
    assert len(dialog.pupil_ids) == 30
    out = tmp_path / "reports"
    out.mkdir()
    with qtbot.waitSignal(dialog.finished_batch, timeout=30_000) as done:
        job = dialog.save_to(out / "cancelled.pdf")
        job.cancel()
    assert done.args[0] == "" and "cancelled" in dialog.status.text()
    assert list(out.iterdir()) == []
    with qtbot.waitSignal(dialog.finished_batch, timeout=60_000) as done:
        dialog.save_to(out / "group.pdf")
    assert len(PdfReader(out / "group.pdf").pages) == 30


def test_an_assessment_recorded_from_the_pupil_page_is_explained_then_saved_then_undone(
    qtbot, window, db
):
    page = window.pupils
    pupil = page.model.row_at(0).pupil_id
    window.show_page(1)
    page.open_pupil(pupil)
    before = len(page.pupil.page.assessments)
    seen: list[str] = []

    def fill(dialog: AssessmentDialog) -> None:
        dialog.kind.setCurrentIndex(dialog.kind.findData("exam"))
        dialog.framework.setCurrentIndex(dialog.framework.findText("ABRSM"))
        dialog.level.setCurrentIndex(dialog.level.findText("Grade 1"))
        dialog.mark.setValue(118)  # no result chosen: an exam needs one
        if not seen:
            qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
            when_modal(AssessmentDialog, fill)  # the same dialog, open again
            return
        dialog.result.setCurrentIndex(dialog.result.findData("pass"))
        qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    def first(dialog: AssessmentDialog) -> None:
        fill(dialog)

    def watch() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, AssessmentDialog) and dialog.problem.isVisible():
            seen.append(dialog.problem.text())
        else:
            QTimer.singleShot(20, watch)

    when_modal(AssessmentDialog, first)
    QTimer.singleShot(0, watch)
    qtbot.mouseClick(page.pupil.record_button, Qt.MouseButton.LeftButton)
    assert seen and "needs its result" in seen[0] and "Nothing was saved" in seen[0]
    lines = page.pupil.page.assessments
    assert len(lines) == before + 1
    assert (lines[0].level, lines[0].result, lines[0].mark) == ("Grade 1", "pass", 118)
    window.undo_stack.undo()
    assert len(page.pupil.page.assessments) == before
    window.undo_stack.redo()
    assert len(page.pupil.page.assessments) == before + 1


def test_the_register_menu_opens_the_group_assessment_for_the_lesson(qtbot, window, db):
    titles: list[str] = []

    def look(dialog: GroupAssessmentDialog) -> None:
        titles.append(dialog.windowTitle())
        dialog.reject()

    when_modal(GroupAssessmentDialog, look)
    action = next(a for a in window.findChildren(QAction) if a.text() == "&Group assessment…")
    action.trigger()
    assert titles == [f"Group assessment — {whole_class(db).group_name}"]
