"""Every synced entity, declared once: its typed field schema and whether laptops push it.

Central validates each pushed op against its entity's schema before it stores anything (so it
stores nothing it could not serve back), and the laptop validates each pulled row the same way
before applying it (a row that fails is set aside with its reason, never stopping the pull).
"""

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)


def _sane_day(value: date) -> date:
    if not EARLIEST <= value <= LATEST:
        raise ValueError(f"a date between {EARLIEST} and {LATEST} is expected")
    return value


def _sane_moment(value: datetime) -> datetime:
    _sane_day(value.date())
    return value


Uuid = Annotated[
    str,
    StringConstraints(
        pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
        max_length=36,
    ),
]
Day = Annotated[date, AfterValidator(_sane_day)]
Moment = Annotated[datetime, AfterValidator(_sane_moment)]
Name = Annotated[str, StringConstraints(max_length=200)]
Comment = Annotated[str, StringConstraints(max_length=2000)]
Note = Annotated[str, StringConstraints(max_length=20_000)]
Code = Annotated[str, StringConstraints(pattern=r"^[A-Z]{1,4}$")]
Count = Annotated[int, Field(ge=0, le=100_000)]
Status = Literal["scheduled", "delivered", "tutor_absent", "school_closed", "turned_away"]


class Fields(BaseModel):
    """The fields of one row as they travel; unknown fields are refused."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Pushed(Fields):
    """Rows a laptop writes carry a tombstone time (a delete waits until central has it)."""

    deleted_at: Moment | None = None


# --- owned by central, pulled by laptops ------------------------------------------------------


class TutorFields(Fields):
    id: Uuid
    name: Name
    email: Annotated[str, StringConstraints(max_length=320)] | None = None


class SchoolFields(Fields):
    id: Uuid
    urn: Annotated[str, StringConstraints(max_length=12)] | None = None
    name: Name
    address: Comment | None = None


class PupilFields(Fields):
    id: Uuid
    given_name: Name
    family_name: Name
    preferred_name: Name | None = None
    family_name_first: bool = False
    school_id: Uuid
    year_group: Annotated[int, Field(ge=-3, le=14)] | None = None
    gender: Annotated[str, StringConstraints(max_length=20)] | None = None
    pupil_premium: bool = False
    free_school_meals: bool = False
    sen_support: bool = False
    ehcp: bool = False
    photo_consent: bool = False
    medical_note: Comment | None = None
    # What an ensemble's leader and helpers must know at rehearsal ("inhaler in bag"), written
    # by the office: it travels even to a tutor who has the pupil only in an ensemble, while
    # the medical note goes only to the pupil's own tutors.
    rehearsal_note: Comment | None = None
    status: Literal["active", "withdrawn"] = "active"
    withdrawn_on: Day | None = None


# What a leader or helper sees of a pupil who is only in their ensemble (need to know): the
# medical/safeguarding note is withheld; the office's rehearsal note is what rehearsals need.
ENSEMBLE_ONLY_PUPIL_FIELDS = (
    "id",
    "given_name",
    "family_name",
    "preferred_name",
    "family_name_first",
    "school_id",
    "year_group",
    "photo_consent",
    "rehearsal_note",
    "status",
)


class InstrumentFields(Fields):
    id: Uuid
    name: Annotated[str, StringConstraints(max_length=100)]
    family: Literal[
        "strings", "woodwind", "brass", "percussion", "keyboard", "guitar", "voice", "other"
    ]


class TeachingGroupFields(Fields):
    id: Uuid
    name: Name
    school_id: Uuid
    tutor_id: Uuid
    kind: Literal["individual", "small_group", "large_group", "whole_class"]
    instrument_id: Uuid | None = None
    weekday: Annotated[int, Field(ge=0, le=6)]
    start_time: time
    length_minutes: Annotated[int, Field(gt=0, le=600)]
    term_start: Day
    term_end: Day


class EnrolmentFields(Fields):
    id: Uuid
    group_id: Uuid
    pupil_id: Uuid
    instrument_id: Uuid | None = None
    start_date: Day
    end_date: Day | None = None


class HolidayFields(Fields):
    id: Uuid
    name: Annotated[str, StringConstraints(max_length=100)]
    first_day: Day
    last_day: Day
    school_id: Uuid | None = None


class AttendanceCodeFields(Fields):
    code: Code
    meaning: Name
    tutor_paid: bool
    billable: bool
    makeup_owed: bool
    clears_makeup: bool = False
    comment_required: bool = False
    tuition: bool = True
    ensemble: bool = False
    sort_order: Count = 0
    active: bool = True


class FrameworkFields(Fields):
    id: Uuid
    name: Annotated[str, StringConstraints(max_length=100)]
    kind: Literal["grades", "medals", "stages"]


class FrameworkLevelFields(Fields):
    id: Uuid
    framework_id: Uuid
    ordinal: Count
    name: Annotated[str, StringConstraints(max_length=100)]


class EnsembleFields(Fields):
    id: Uuid
    name: Name
    kind: Literal["orchestra", "choir", "band", "jazz", "steel_pan", "other"]
    level: Annotated[str, StringConstraints(max_length=100)] | None = None
    leader_id: Uuid | None = None
    venue: Name | None = None
    weekday: Annotated[int, Field(ge=0, le=6)] | None = None
    start_time: time | None = None
    length_minutes: Annotated[int, Field(gt=0, le=600)] | None = None
    season_start: Day | None = None
    season_end: Day | None = None


class EnsembleHelperFields(Fields):
    """A tutor the office asked to help with an ensemble: they see and keep its roster and
    registers as its leader does."""

    id: Uuid
    ensemble_id: Uuid
    tutor_id: Uuid


class CoverFields(Fields):
    """The office's assignment of a cover tutor to a group for some days."""

    id: Uuid
    group_id: Uuid
    tutor_id: Uuid
    first_day: Day
    last_day: Day


# --- written on laptops and pushed -----------------------------------------------------------


class LessonFields(Pushed):
    id: Uuid
    group_id: Uuid
    date: Day
    start_time: time
    delivered_by_id: Uuid | None = None
    status: Status = "scheduled"
    note: Note = ""


class AttendanceMarkFields(Pushed):
    id: Uuid
    lesson_id: Uuid
    pupil_id: Uuid
    code: Code
    comment: Comment = ""
    marked_at: Moment
    marked_by_id: Uuid | None = None


class AssessmentFields(Pushed):
    id: Uuid
    pupil_id: Uuid
    instrument_id: Uuid | None = None
    assessed_on: Day
    level_id: Uuid
    kind: Literal["teacher_assessment", "exam", "medal"]
    result: Literal["pass", "merit", "distinction"] | None = None
    mark: Annotated[int, Field(ge=0, le=1000)] | None = None
    comment: Comment = ""
    assessed_by_id: Uuid | None = None


class ProgressNoteFields(Pushed):
    id: Uuid
    pupil_id: Uuid
    instrument_id: Uuid | None = None
    revises_id: Uuid | None = None
    text: Note
    written_by_id: Uuid | None = None
    written_at: Moment


class TargetFields(Pushed):
    id: Uuid
    pupil_id: Uuid
    instrument_id: Uuid | None = None
    text: Comment
    set_on: Day
    achieved_on: Day | None = None
    set_by_id: Uuid | None = None


class EnsembleMemberFields(Pushed):
    id: Uuid
    ensemble_id: Uuid
    pupil_id: Uuid
    section_id: Uuid | None = None
    instrument_id: Uuid | None = None
    seat: Annotated[int, Field(ge=0, le=1000)] | None = None
    role: Annotated[str, StringConstraints(max_length=50)] | None = None
    joined_on: Day
    left_on: Day | None = None


class RehearsalFields(Pushed):
    id: Uuid
    ensemble_id: Uuid
    date: Day
    start_time: time | None = None
    delivered_by_id: Uuid | None = None
    status: Status = "scheduled"
    note: Note = ""


class RehearsalMarkFields(Pushed):
    id: Uuid
    rehearsal_id: Uuid
    pupil_id: Uuid
    code: Code
    comment: Comment = ""
    marked_at: Moment
    marked_by_id: Uuid | None = None


class EnsembleSectionFields(Pushed):
    """A section of an ensemble ("Violin 1", "Alto"…): the office names them; the ensemble's
    leader or helpers may put them in another order."""

    id: Uuid
    ensemble_id: Uuid
    name: Annotated[str, StringConstraints(max_length=100)]
    ordinal: Count


class PerformanceFields(Pushed):
    id: Uuid
    ensemble_id: Uuid
    title: Name
    performed_on: Day
    venue: Name | None = None


class PerformanceMemberFields(Pushed):
    id: Uuid
    performance_id: Uuid
    pupil_id: Uuid
    instrument_id: Uuid | None = None


class CertificateFields(Pushed):
    id: Uuid
    pupil_id: Uuid
    template: Literal["achievement", "exam", "ensemble", "recognition"]
    wording: Comment
    level_id: Uuid | None = None
    level_text: Name | None = None
    issued_on: Day
    issued_by_id: Uuid | None = None
    serial: Annotated[str, StringConstraints(max_length=40)]
    verification_code: Annotated[str, StringConstraints(max_length=20)]


def _bounded_changes(value: dict[str, Any]) -> dict[str, Any]:
    import json

    if len(json.dumps(value, default=str)) > 64_000:
        raise ValueError("too large for one audit entry")
    return value


class AuditEntryFields(Pushed):
    """One entry of a laptop's audit trail: who changed or viewed what, when, before/after.
    Append-only on central, kept for the office; never pulled back by laptops."""

    id: Uuid
    at: Moment
    tutor_id: Uuid | None = None
    action: Literal["create", "change", "delete", "view", "purge"]
    entity: Annotated[str, StringConstraints(max_length=40)]
    entity_id: Annotated[str, StringConstraints(max_length=40)]
    pupil_id: Uuid | None = None
    lesson_id: Uuid | None = None
    changes: Annotated[dict[str, Any], AfterValidator(_bounded_changes)]


@dataclass(frozen=True)
class Entity:
    name: str
    schema: type[Fields]
    pushed: bool  # laptops write it; otherwise central owns it and laptops only pull it
    key: str = "id"

    def validate(self, fields: dict[str, Any]) -> dict[str, Any]:
        """The fields in their one canonical wire form; raises pydantic's ValidationError."""
        return self.schema.model_validate(fields).model_dump(mode="json")


_DECLARED = (
    Entity("tutor", TutorFields, pushed=False),
    Entity("school", SchoolFields, pushed=False),
    Entity("pupil", PupilFields, pushed=False),
    Entity("instrument", InstrumentFields, pushed=False),
    Entity("teaching_group", TeachingGroupFields, pushed=False),
    Entity("enrolment", EnrolmentFields, pushed=False),
    Entity("holiday", HolidayFields, pushed=False),
    Entity("attendance_code", AttendanceCodeFields, pushed=False, key="code"),
    Entity("framework", FrameworkFields, pushed=False),
    Entity("framework_level", FrameworkLevelFields, pushed=False),
    Entity("ensemble", EnsembleFields, pushed=False),
    Entity("ensemble_helper", EnsembleHelperFields, pushed=False),
    Entity("cover", CoverFields, pushed=False),
    Entity("lesson", LessonFields, pushed=True),
    Entity("attendance_mark", AttendanceMarkFields, pushed=True),
    Entity("assessment", AssessmentFields, pushed=True),
    Entity("progress_note", ProgressNoteFields, pushed=True),
    Entity("target", TargetFields, pushed=True),
    Entity("ensemble_section", EnsembleSectionFields, pushed=True),
    Entity("ensemble_member", EnsembleMemberFields, pushed=True),
    Entity("rehearsal", RehearsalFields, pushed=True),
    Entity("rehearsal_mark", RehearsalMarkFields, pushed=True),
    Entity("performance", PerformanceFields, pushed=True),
    Entity("performance_member", PerformanceMemberFields, pushed=True),
    Entity("certificate", CertificateFields, pushed=True),
    Entity("audit_entry", AuditEntryFields, pushed=True),
)
ENTITIES: dict[str, Entity] = {e.name: e for e in _DECLARED}
PUSHED_ENTITIES = tuple(e.name for e in _DECLARED if e.pushed)
PULLED_ENTITIES = tuple(e.name for e in _DECLARED)


def problem(err: Exception) -> str:
    """A validation failure in a sentence naming the fields, never echoing their values."""
    errors = getattr(err, "errors", None)
    if errors is None:
        return "the row is not valid"
    parts = []
    for e in errors(include_input=False, include_url=False)[:3]:
        where = ".".join(str(p) for p in e["loc"]) or "row"
        message = e["msg"]
        if e["type"] == "string_pattern_mismatch":
            uuid_like = "[0-9a-f]{8}" in str(e.get("ctx", {}).get("pattern", ""))
            message = "not a UUID" if uuid_like else "not in the expected form"
        parts.append(f"{where}: {message}")
    return "; ".join(parts)
