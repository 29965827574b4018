"""A pupil's attendance figures, read from the registers with the codes' own meanings: the
same marks that decide pay and billing decide what the pupil page says."""

from collections import Counter
from collections.abc import Iterable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from hms_desktop.data.models import AttendanceCode, AttendanceMark, Lesson

from .views import AttendanceFigures, CodeCount

# Which codes mean the pupil was taught (or missed a lesson that went ahead). The codes' flags
# say who is paid and billed and what is owed; they cannot say who was in the room.
ATTENDED = frozenset({"P", "L", "LE", "MU"})
MISSED = frozenset({"AN", "AU", "SE"})  # the lesson went ahead without the pupil


def _marks(session: Session, pupil_ids: list[str], first: date, last: date):
    return session.execute(
        select(AttendanceMark.pupil_id, AttendanceMark.code)
        .join(Lesson, Lesson.id == AttendanceMark.lesson_id)
        .where(
            AttendanceMark.pupil_id.in_(pupil_ids),
            AttendanceMark.deleted_at.is_(None),
            Lesson.date >= first,
            Lesson.date <= last,
        )
    ).all()


def figures(
    session: Session, pupil_id: str, label: str, first: date, last: date
) -> AttendanceFigures:
    codes = {c.code: c for c in session.scalars(select(AttendanceCode))}
    counted = Counter(code for _pupil, code in _marks(session, [pupil_id], first, last))
    ordered = sorted(counted, key=lambda c: (codes[c].sort_order if c in codes else 999, c))
    return AttendanceFigures(
        label=label,
        first_day=first,
        last_day=last,
        attended=sum(n for c, n in counted.items() if c in ATTENDED),
        missed=sum(n for c, n in counted.items() if c in MISSED),
        not_held=sum(n for c, n in counted.items() if c not in ATTENDED | MISSED),
        counts=tuple(
            CodeCount(c, codes[c].meaning if c in codes else c, counted[c]) for c in ordered
        ),
        makeups_owed=sum(n for c, n in counted.items() if c in codes and codes[c].makeup_owed),
        makeups_given=sum(n for c, n in counted.items() if c in codes and codes[c].clears_makeup),
    )


def rates(session: Session, pupil_ids: Iterable[str], first: date, last: date) -> dict[str, float]:
    """Attendance rate per pupil (attended ÷ lessons that went ahead) for a list."""
    ids = list(pupil_ids)
    attended: Counter[str] = Counter()
    counted: Counter[str] = Counter()
    for chunk in range(0, len(ids), 500):
        for pupil_id, code in _marks(session, ids[chunk : chunk + 500], first, last):
            if code in ATTENDED or code in MISSED:
                counted[pupil_id] += 1
                attended[pupil_id] += code in ATTENDED
    return {p: attended[p] / n for p, n in counted.items()}
