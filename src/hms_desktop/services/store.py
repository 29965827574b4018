"""The store as a whole: opening a profile, its health and counts, and what waits to be sent."""

from sqlalchemy import func, select

from hms_desktop.data.engine import Database, integrity_check, sqlite_version
from hms_desktop.data.migrate import current_revision, head_revision
from hms_desktop.data.models import AttendanceMark, Lesson, Pupil, School, TeachingGroup
from hms_desktop.data.outbox import pending_count

from .profile import current_tutor
from .views import StoreStatus


def changes_waiting(db: Database) -> int:
    with db.reading() as session:
        return pending_count(session)


def store_status(db: Database) -> StoreStatus:
    def count(session, model) -> int:
        return session.scalar(select(func.count()).select_from(model)) or 0

    with db.reading() as session:
        tutor = current_tutor(session)
        counts = {
            "schools": count(session, School),
            "pupils": count(session, Pupil),
            "groups": count(session, TeachingGroup),
            "lessons": count(session, Lesson),
            "marks": session.scalar(
                select(func.count())
                .select_from(AttendanceMark)
                .where(AttendanceMark.deleted_at.is_(None))
            )
            or 0,
            "pending_changes": pending_count(session),
        }
        tutor_name = tutor.name if tutor else None
    return StoreStatus(
        path=str(db.path),
        schema_revision=current_revision(db),
        schema_head=head_revision(),
        sqlite_version=".".join(map(str, sqlite_version())),
        integrity=integrity_check(db),
        tutor=tutor_name,
        **counts,
    )
