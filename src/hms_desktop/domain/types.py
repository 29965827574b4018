"""Kinds and states of the music service's things, as stored and as shown."""

from enum import StrEnum


class GroupKind(StrEnum):
    INDIVIDUAL = "individual"
    SMALL_GROUP = "small_group"
    LARGE_GROUP = "large_group"
    WHOLE_CLASS = "whole_class"

    @property
    def label(self) -> str:
        return {
            "individual": "Individual",
            "small_group": "Small group",
            "large_group": "Large group",
            "whole_class": "Whole class (WCET)",
        }[self.value]


class LessonStatus(StrEnum):
    SCHEDULED = "scheduled"
    DELIVERED = "delivered"
    TUTOR_ABSENT = "tutor_absent"
    SCHOOL_CLOSED = "school_closed"
    TURNED_AWAY = "turned_away"

    @property
    def label(self) -> str:
        return {
            "scheduled": "Not yet taken",
            "delivered": "Delivered",
            "tutor_absent": "Tutor absent",
            "school_closed": "School closed (with notice)",
            "turned_away": "Turned away (no notice)",
        }[self.value]


# What a whole-lesson status does to every pupil's mark. ``None``: delivered lessons keep the
# marks already made and mark only the pupils not yet marked as present.
STATUS_CODE: dict[LessonStatus, str] = {
    LessonStatus.DELIVERED: "P",
    LessonStatus.TUTOR_ABSENT: "TA",
    LessonStatus.SCHOOL_CLOSED: "SN",
    LessonStatus.TURNED_AWAY: "SX",
}


class PupilStatus(StrEnum):
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"


class InstrumentFamily(StrEnum):
    STRINGS = "strings"
    WOODWIND = "woodwind"
    BRASS = "brass"
    PERCUSSION = "percussion"
    KEYBOARD = "keyboard"
    GUITAR = "guitar"
    VOICE = "voice"
    OTHER = "other"


class AssessmentKind(StrEnum):
    TEACHER = "teacher_assessment"
    EXAM = "exam"
    MEDAL = "medal"


class AssessmentResult(StrEnum):
    PASS = "pass"
    MERIT = "merit"
    DISTINCTION = "distinction"


class EnsembleKind(StrEnum):
    ORCHESTRA = "orchestra"
    CHOIR = "choir"
    BAND = "band"
    JAZZ = "jazz"
    STEEL_PAN = "steel_pan"
    OTHER = "other"


class OutboxOp(StrEnum):
    UPSERT = "upsert"
    DELETE = "delete"
