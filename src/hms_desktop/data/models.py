"""Every table of the local store (DESIGN §2), designed once so later features keep the shape.

Ids are UUID strings made on the device. Times are stored as naive UTC. Rows the tutor writes are
``Syncable``: every change to one adds an outbox entry in the same transaction (see outbox.py).
Rows owned by central (schools, pupils, timetable) are only ever written by the pull.
"""

from datetime import date, datetime, time

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    Time,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from hms_desktop.domain.search import search_key

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Id = String(36)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Syncable:
    """A row the tutor writes on the laptop and sync pushes to central."""

    __sync_entity__: str
    # The version central last acknowledged for this row; None until it has seen it.
    server_version: Mapped[int | None] = mapped_column(Integer, default=None)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    # Deletes are tombstones until central has acknowledged them.
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)


# --- owned by central ------------------------------------------------------------------------


class Tutor(Base):
    __tablename__ = "tutor"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))


class School(Base):
    __tablename__ = "school"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    urn: Mapped[str | None] = mapped_column(String(12))
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(Text)


class Pupil(Base):
    __tablename__ = "pupil"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    given_name: Mapped[str] = mapped_column(String(200))
    family_name: Mapped[str] = mapped_column(String(200))
    preferred_name: Mapped[str | None] = mapped_column(String(200))
    # Vietnamese, Hungarian and others write the family name first; show names as the family does.
    family_name_first: Mapped[bool] = mapped_column(Boolean, default=False)
    school_id: Mapped[str] = mapped_column(ForeignKey("school.id"), index=True)
    year_group: Mapped[int | None] = mapped_column(Integer)
    gender: Mapped[str | None] = mapped_column(String(20))
    pupil_premium: Mapped[bool] = mapped_column(Boolean, default=False)
    free_school_meals: Mapped[bool] = mapped_column(Boolean, default=False)
    sen_support: Mapped[bool] = mapped_column(Boolean, default=False)
    ehcp: Mapped[bool] = mapped_column(Boolean, default=False)
    photo_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    medical_note: Mapped[str | None] = mapped_column(Text)
    # The office's note for ensemble leaders and helpers (all they receive of a pupil's health).
    rehearsal_note: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="active")
    withdrawn_on: Mapped[date | None] = mapped_column(Date)
    # What search matches (domain/search.py): filled on every insert, pulled or seeded, and
    # kept current when a pulled change renames the pupil.
    search_key: Mapped[str] = mapped_column(
        Text, default=lambda ctx: _pupil_key(ctx.get_current_parameters()), index=True
    )


def _pupil_key(values) -> str:
    return search_key(
        values.get("given_name"), values.get("family_name"), values.get("preferred_name")
    )


@event.listens_for(Pupil, "before_update")
def _rekey_pupil(_mapper, _connection, pupil: Pupil) -> None:
    pupil.search_key = search_key(pupil.given_name, pupil.family_name, pupil.preferred_name)


class Instrument(Base):
    __tablename__ = "instrument"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    family: Mapped[str] = mapped_column(String(20))


class TeachingGroup(Base):
    __tablename__ = "teaching_group"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday"),
        CheckConstraint("length_minutes > 0", name="length"),
        Index("ix_teaching_group_tutor_weekday", "tutor_id", "weekday"),
    )
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    school_id: Mapped[str] = mapped_column(ForeignKey("school.id"), index=True)
    tutor_id: Mapped[str] = mapped_column(ForeignKey("tutor.id"))
    kind: Mapped[str] = mapped_column(String(20))
    instrument_id: Mapped[str | None] = mapped_column(ForeignKey("instrument.id"))
    weekday: Mapped[int] = mapped_column(Integer)  # Monday = 0
    start_time: Mapped[time] = mapped_column(Time)
    length_minutes: Mapped[int] = mapped_column(Integer)
    term_start: Mapped[date] = mapped_column(Date)
    term_end: Mapped[date] = mapped_column(Date)


class Enrolment(Base):
    __tablename__ = "enrolment"
    __table_args__ = (Index("ix_enrolment_group_pupil", "group_id", "pupil_id"),)
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    group_id: Mapped[str] = mapped_column(ForeignKey("teaching_group.id"))
    pupil_id: Mapped[str] = mapped_column(ForeignKey("pupil.id"), index=True)
    instrument_id: Mapped[str | None] = mapped_column(ForeignKey("instrument.id"))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)


class AttendanceCode(Base):
    __tablename__ = "attendance_code"
    code: Mapped[str] = mapped_column(String(4), primary_key=True)
    meaning: Mapped[str] = mapped_column(String(200))
    tutor_paid: Mapped[bool] = mapped_column(Boolean)
    billable: Mapped[bool] = mapped_column(Boolean)
    makeup_owed: Mapped[bool] = mapped_column(Boolean)
    clears_makeup: Mapped[bool] = mapped_column(Boolean, default=False)
    comment_required: Mapped[bool] = mapped_column(Boolean, default=False)
    tuition: Mapped[bool] = mapped_column(Boolean, default=True)
    ensemble: Mapped[bool] = mapped_column(Boolean, default=False)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Holiday(Base):
    """A school holiday or closure: no lessons are timetabled on these days."""

    __tablename__ = "holiday"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    school_id: Mapped[str | None] = mapped_column(ForeignKey("school.id"))  # None: borough-wide


class Framework(Base):
    __tablename__ = "framework"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # grades, medals, stages


class FrameworkLevel(Base):
    __tablename__ = "framework_level"
    __table_args__ = (UniqueConstraint("framework_id", "ordinal"),)
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    framework_id: Mapped[str] = mapped_column(ForeignKey("framework.id"))
    ordinal: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))


class Ensemble(Base):
    __tablename__ = "ensemble"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    level: Mapped[str | None] = mapped_column(String(100))
    leader_id: Mapped[str | None] = mapped_column(ForeignKey("tutor.id"))
    venue: Mapped[str | None] = mapped_column(String(200))
    weekday: Mapped[int | None] = mapped_column(Integer)
    start_time: Mapped[time | None] = mapped_column(Time)
    length_minutes: Mapped[int | None] = mapped_column(Integer)
    # The season (school year) its rehearsals fall in; None: not set by the office.
    season_start: Mapped[date | None] = mapped_column(Date)
    season_end: Mapped[date | None] = mapped_column(Date)


class EnsembleHelper(Base):
    """A tutor the office asked to help with an ensemble (besides its leader)."""

    __tablename__ = "ensemble_helper"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    ensemble_id: Mapped[str] = mapped_column(ForeignKey("ensemble.id"), index=True)
    tutor_id: Mapped[str] = mapped_column(ForeignKey("tutor.id"), index=True)


# --- written by the tutor, pushed to central -------------------------------------------------


class Lesson(Syncable, Base):
    __tablename__ = "lesson"
    __sync_entity__ = "lesson"
    __table_args__ = (UniqueConstraint("group_id", "date"),)
    id: Mapped[str] = mapped_column(Id, primary_key=True)  # uuid5(group|date)
    group_id: Mapped[str] = mapped_column(ForeignKey("teaching_group.id"))
    date: Mapped[date] = mapped_column(Date, index=True)
    start_time: Mapped[time] = mapped_column(Time)
    delivered_by_id: Mapped[str | None] = mapped_column(ForeignKey("tutor.id"))
    status: Mapped[str] = mapped_column(String(20), default="scheduled")
    note: Mapped[str] = mapped_column(Text, default="")


class AttendanceMark(Syncable, Base):
    __tablename__ = "attendance_mark"
    __sync_entity__ = "attendance_mark"
    __table_args__ = (UniqueConstraint("lesson_id", "pupil_id"),)
    id: Mapped[str] = mapped_column(Id, primary_key=True)  # uuid5(lesson|pupil)
    lesson_id: Mapped[str] = mapped_column(ForeignKey("lesson.id"))
    pupil_id: Mapped[str] = mapped_column(ForeignKey("pupil.id"), index=True)
    code: Mapped[str] = mapped_column(ForeignKey("attendance_code.code"))
    comment: Mapped[str] = mapped_column(Text, default="")
    marked_at: Mapped[datetime] = mapped_column(DateTime)
    marked_by_id: Mapped[str | None] = mapped_column(ForeignKey("tutor.id"))


class Assessment(Syncable, Base):
    """Append-only: a correction is a new assessment, never an edit."""

    __tablename__ = "assessment"
    __sync_entity__ = "assessment"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    pupil_id: Mapped[str] = mapped_column(ForeignKey("pupil.id"), index=True)
    instrument_id: Mapped[str | None] = mapped_column(ForeignKey("instrument.id"))
    assessed_on: Mapped[date] = mapped_column(Date)
    level_id: Mapped[str] = mapped_column(ForeignKey("framework_level.id"))
    kind: Mapped[str] = mapped_column(String(20))
    result: Mapped[str | None] = mapped_column(String(20))
    mark: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    assessed_by_id: Mapped[str | None] = mapped_column(ForeignKey("tutor.id"))


class ProgressNote(Syncable, Base):
    """Append-only revisions: an edit is a new row pointing at the one it revises."""

    __tablename__ = "progress_note"
    __sync_entity__ = "progress_note"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    pupil_id: Mapped[str] = mapped_column(ForeignKey("pupil.id"), index=True)
    instrument_id: Mapped[str | None] = mapped_column(ForeignKey("instrument.id"))
    revises_id: Mapped[str | None] = mapped_column(ForeignKey("progress_note.id"))
    text: Mapped[str] = mapped_column(Text)
    written_by_id: Mapped[str | None] = mapped_column(ForeignKey("tutor.id"))
    written_at: Mapped[datetime] = mapped_column(DateTime)


class Target(Syncable, Base):
    __tablename__ = "target"
    __sync_entity__ = "target"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    pupil_id: Mapped[str] = mapped_column(ForeignKey("pupil.id"), index=True)
    instrument_id: Mapped[str | None] = mapped_column(ForeignKey("instrument.id"))
    text: Mapped[str] = mapped_column(Text)
    set_on: Mapped[date] = mapped_column(Date)
    achieved_on: Mapped[date | None] = mapped_column(Date)
    set_by_id: Mapped[str | None] = mapped_column(ForeignKey("tutor.id"))


class EnsembleSection(Syncable, Base):
    """Named by the office; the order (``ordinal``) is the leader's or a helper's to change."""

    __tablename__ = "ensemble_section"
    __sync_entity__ = "ensemble_section"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    ensemble_id: Mapped[str] = mapped_column(ForeignKey("ensemble.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    ordinal: Mapped[int] = mapped_column(Integer)


class EnsembleMember(Syncable, Base):
    __tablename__ = "ensemble_member"
    __sync_entity__ = "ensemble_member"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    ensemble_id: Mapped[str] = mapped_column(ForeignKey("ensemble.id"), index=True)
    pupil_id: Mapped[str] = mapped_column(ForeignKey("pupil.id"), index=True)
    section_id: Mapped[str | None] = mapped_column(ForeignKey("ensemble_section.id"))
    instrument_id: Mapped[str | None] = mapped_column(ForeignKey("instrument.id"))
    seat: Mapped[int | None] = mapped_column(Integer)
    role: Mapped[str | None] = mapped_column(String(50))  # leader, principal, …
    joined_on: Mapped[date] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)


class Rehearsal(Syncable, Base):
    __tablename__ = "rehearsal"
    __sync_entity__ = "rehearsal"
    __table_args__ = (UniqueConstraint("ensemble_id", "date"),)
    id: Mapped[str] = mapped_column(Id, primary_key=True)  # uuid5(ensemble|date)
    ensemble_id: Mapped[str] = mapped_column(ForeignKey("ensemble.id"))
    date: Mapped[date] = mapped_column(Date, index=True)
    start_time: Mapped[time | None] = mapped_column(Time)
    delivered_by_id: Mapped[str | None] = mapped_column(ForeignKey("tutor.id"))
    status: Mapped[str] = mapped_column(String(20), default="scheduled")
    note: Mapped[str] = mapped_column(Text, default="")


class RehearsalMark(Syncable, Base):
    __tablename__ = "rehearsal_mark"
    __sync_entity__ = "rehearsal_mark"
    __table_args__ = (UniqueConstraint("rehearsal_id", "pupil_id"),)
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    rehearsal_id: Mapped[str] = mapped_column(ForeignKey("rehearsal.id"))
    pupil_id: Mapped[str] = mapped_column(ForeignKey("pupil.id"), index=True)
    code: Mapped[str] = mapped_column(ForeignKey("attendance_code.code"))
    comment: Mapped[str] = mapped_column(Text, default="")
    marked_at: Mapped[datetime] = mapped_column(DateTime)
    marked_by_id: Mapped[str | None] = mapped_column(ForeignKey("tutor.id"))


class Performance(Syncable, Base):
    __tablename__ = "performance"
    __sync_entity__ = "performance"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    ensemble_id: Mapped[str] = mapped_column(ForeignKey("ensemble.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    performed_on: Mapped[date] = mapped_column(Date)
    venue: Mapped[str | None] = mapped_column(String(200))


class PerformanceMember(Syncable, Base):
    """A pupil who performed at a performance; taken back (a tombstone) if they did not."""

    __tablename__ = "performance_member"
    __sync_entity__ = "performance_member"
    __table_args__ = (UniqueConstraint("performance_id", "pupil_id"),)
    id: Mapped[str] = mapped_column(Id, primary_key=True)  # uuid5(performance|pupil)
    performance_id: Mapped[str] = mapped_column(ForeignKey("performance.id"), index=True)
    pupil_id: Mapped[str] = mapped_column(ForeignKey("pupil.id"), index=True)
    instrument_id: Mapped[str | None] = mapped_column(ForeignKey("instrument.id"))


class Certificate(Syncable, Base):
    """A certificate issued is a record, so a reprint is the same certificate."""

    __tablename__ = "certificate"
    __sync_entity__ = "certificate"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    pupil_id: Mapped[str] = mapped_column(ForeignKey("pupil.id"), index=True)
    template: Mapped[str] = mapped_column(String(40))
    wording: Mapped[str] = mapped_column(Text)
    level_id: Mapped[str | None] = mapped_column(ForeignKey("framework_level.id"))
    level_text: Mapped[str | None] = mapped_column(String(200))
    issued_on: Mapped[date] = mapped_column(Date)
    issued_by_id: Mapped[str | None] = mapped_column(ForeignKey("tutor.id"))
    serial: Mapped[str] = mapped_column(String(40), unique=True)
    verification_code: Mapped[str] = mapped_column(String(20))


# --- the device's own bookkeeping ------------------------------------------------------------


class OutboxEntry(Base):
    """One change waiting to be pushed. Frozen once batched: a later edit is a new entry."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_state_seq", "state", "seq"),)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    op_id: Mapped[str] = mapped_column(Id, unique=True)
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(Id)
    op: Mapped[str] = mapped_column(String(10))  # upsert | delete
    base_version: Mapped[int | None] = mapped_column(Integer)
    fields: Mapped[dict] = mapped_column(JSON)
    client_ts: Mapped[datetime] = mapped_column(DateTime)
    # pending → batched → applied | duplicate | conflict | rejected
    state: Mapped[str] = mapped_column(String(12), default="pending")
    batch_id: Mapped[str | None] = mapped_column(Id)
    result_reason: Mapped[str | None] = mapped_column(Text)
    # On a conflict: the version and fields central kept, for the tutor to compare.
    result_version: Mapped[int | None] = mapped_column(Integer)
    result_fields: Mapped[dict | None] = mapped_column(JSON)


class AuditEntry(Base):
    """Who changed or viewed what, and when: appended in the change's own transaction and
    never pruned with the outbox (the outbox is for sending; this is the record)."""

    __tablename__ = "audit_entry"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    # The entry's id on the wire: each entry is also queued for central (append-only there).
    uid: Mapped[str | None] = mapped_column(String(36), unique=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    tutor_id: Mapped[str | None] = mapped_column(Id)
    action: Mapped[str] = mapped_column(String(10))  # create | change | delete | view | purge
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(Id)
    pupil_id: Mapped[str | None] = mapped_column(Id, index=True)
    lesson_id: Mapped[str | None] = mapped_column(Id, index=True)
    changes: Mapped[dict] = mapped_column(JSON)  # {field: [before, after]}


class Setting(Base):
    """Per-profile settings and sync bookkeeping (who this laptop's tutor is, cursors…)."""

    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


SYNCABLE_MODELS: tuple[type[Base], ...] = (
    Lesson,
    AttendanceMark,
    Assessment,
    ProgressNote,
    Target,
    EnsembleMember,
    Rehearsal,
    RehearsalMark,
    Performance,
    PerformanceMember,
    Certificate,
)


class PulledSetAside(Base):
    """A row pulled from central that this laptop could not apply, kept with the reason so the
    tutor sees it under Needs attention; the rest of the pull went on without it."""

    __tablename__ = "pulled_set_aside"
    entity: Mapped[str] = mapped_column(String(40), primary_key=True)
    entity_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    fields: Mapped[dict] = mapped_column(JSON)
    set_aside_at: Mapped[datetime] = mapped_column(DateTime)
