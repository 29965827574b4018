"""Registers as a CSV the tutor can email to the office when sync is impossible."""

import csv
import os
import tempfile
from datetime import date
from pathlib import Path

from sqlalchemy import select

from hms_desktop.data.engine import Database
from hms_desktop.data.models import (
    AttendanceCode,
    AttendanceMark,
    Lesson,
    Pupil,
    School,
    TeachingGroup,
    Tutor,
)
from hms_desktop.domain.errors import HmsError
from hms_desktop.domain.names import display_name

COLUMNS = (
    "date",
    "start",
    "school",
    "group",
    "pupil",
    "year",
    "code",
    "meaning",
    "comment",
    "tutor_paid",
    "billable",
    "makeup_owed",
    "delivered_by",
    "lesson_status",
    "lesson_note",
    "marked_at_utc",
    "lesson_id",
    "pupil_id",
)


def _cell(value: object) -> str:
    """Text for a spreadsheet: never let a name or comment run as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def export_registers(
    db: Database, out: Path | str, date_from: date | None = None, date_to: date | None = None
) -> int:
    """Write every mark in the date range to ``out`` (owner-only); returns the rows written."""
    out = Path(out).expanduser()
    if date_from and date_to and date_from > date_to:
        raise HmsError("The 'from' date is after the 'to' date: nothing was exported.")
    if not out.parent.is_dir():
        raise HmsError(f"The folder {out.parent} does not exist: nothing was exported.")
    query = (
        select(
            Lesson,
            TeachingGroup.name,
            School.name,
            AttendanceMark,
            AttendanceCode,
            Pupil,
            Tutor.name,
        )
        .join(TeachingGroup, TeachingGroup.id == Lesson.group_id)
        .join(School, School.id == TeachingGroup.school_id)
        .join(AttendanceMark, AttendanceMark.lesson_id == Lesson.id)
        .join(AttendanceCode, AttendanceCode.code == AttendanceMark.code)
        .join(Pupil, Pupil.id == AttendanceMark.pupil_id)
        .outerjoin(Tutor, Tutor.id == Lesson.delivered_by_id)
        .where(AttendanceMark.deleted_at.is_(None), Lesson.deleted_at.is_(None))
        .order_by(
            Lesson.date,
            Lesson.start_time,
            School.name,
            TeachingGroup.name,
            Pupil.family_name,
            Pupil.given_name,
        )
    )
    if date_from:
        query = query.where(Lesson.date >= date_from)
    if date_to:
        query = query.where(Lesson.date <= date_to)
    try:
        fd, tmp = tempfile.mkstemp(prefix=".registers-", suffix=".csv", dir=out.parent)
    except OSError as err:
        raise HmsError(
            f"Can't write to {out.parent}: {err.strerror}. Nothing was exported."
        ) from err
    count = 0
    try:
        with db.reading() as session, os.fdopen(fd, "w", newline="", encoding="utf-8-sig") as fh:
            writer = csv.writer(fh)
            writer.writerow(COLUMNS)
            for lesson, group, school, mark, code, pupil, tutor in session.execute(query):
                name = display_name(
                    pupil.given_name,
                    pupil.family_name,
                    pupil.preferred_name,
                    pupil.family_name_first,
                )
                writer.writerow(
                    [
                        _cell(v)
                        for v in (
                            lesson.date.isoformat(),
                            lesson.start_time.strftime("%H:%M"),
                            school,
                            group,
                            name,
                            pupil.year_group,
                            code.code,
                            code.meaning,
                            mark.comment,
                            "yes" if code.tutor_paid else "no",
                            "yes" if code.billable else "no",
                            "yes" if code.makeup_owed else "no",
                            tutor,
                            lesson.status,
                            lesson.note,
                            mark.marked_at.isoformat(timespec="seconds"),
                            lesson.id,
                            pupil.id,
                        )
                    ]
                )
                count += 1
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return count
