"""initial schema

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "attendance_code",
        sa.Column("code", sa.String(length=4), nullable=False),
        sa.Column("meaning", sa.String(length=200), nullable=False),
        sa.Column("tutor_paid", sa.Boolean(), nullable=False),
        sa.Column("billable", sa.Boolean(), nullable=False),
        sa.Column("makeup_owed", sa.Boolean(), nullable=False),
        sa.Column("clears_makeup", sa.Boolean(), nullable=False),
        sa.Column("comment_required", sa.Boolean(), nullable=False),
        sa.Column("tuition", sa.Boolean(), nullable=False),
        sa.Column("ensemble", sa.Boolean(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_attendance_code")),
    )
    op.create_table(
        "framework",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_framework")),
        sa.UniqueConstraint("name", name=op.f("uq_framework_name")),
    )
    op.create_table(
        "instrument",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("family", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_instrument")),
        sa.UniqueConstraint("name", name=op.f("uq_instrument_name")),
    )
    op.create_table(
        "outbox",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("op_id", sa.String(length=36), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.String(length=36), nullable=False),
        sa.Column("op", sa.String(length=10), nullable=False),
        sa.Column("base_version", sa.Integer(), nullable=True),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("client_ts", sa.DateTime(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("batch_id", sa.String(length=36), nullable=True),
        sa.Column("result_reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_outbox")),
        sa.UniqueConstraint("op_id", name=op.f("uq_outbox_op_id")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_state_seq", ["state", "seq"], unique=False)

    op.create_table(
        "school",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("urn", sa.String(length=12), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("address", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_school")),
    )
    op.create_table(
        "setting",
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_setting")),
    )
    op.create_table(
        "tutor",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tutor")),
    )
    op.create_table(
        "ensemble",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("level", sa.String(length=100), nullable=True),
        sa.Column("leader_id", sa.String(length=36), nullable=True),
        sa.Column("venue", sa.String(length=200), nullable=True),
        sa.Column("weekday", sa.Integer(), nullable=True),
        sa.Column("start_time", sa.Time(), nullable=True),
        sa.Column("length_minutes", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["leader_id"], ["tutor.id"], name=op.f("fk_ensemble_leader_id_tutor")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ensemble")),
    )
    op.create_table(
        "framework_level",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("framework_id", sa.String(length=36), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["framework_id"],
            ["framework.id"],
            name=op.f("fk_framework_level_framework_id_framework"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_framework_level")),
        sa.UniqueConstraint(
            "framework_id", "ordinal", name=op.f("uq_framework_level_framework_id")
        ),
    )
    op.create_table(
        "holiday",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("school_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["school_id"], ["school.id"], name=op.f("fk_holiday_school_id_school")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_holiday")),
    )
    op.create_table(
        "pupil",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("given_name", sa.String(length=200), nullable=False),
        sa.Column("family_name", sa.String(length=200), nullable=False),
        sa.Column("preferred_name", sa.String(length=200), nullable=True),
        sa.Column("family_name_first", sa.Boolean(), nullable=False),
        sa.Column("school_id", sa.String(length=36), nullable=False),
        sa.Column("year_group", sa.Integer(), nullable=True),
        sa.Column("gender", sa.String(length=20), nullable=True),
        sa.Column("pupil_premium", sa.Boolean(), nullable=False),
        sa.Column("free_school_meals", sa.Boolean(), nullable=False),
        sa.Column("sen_support", sa.Boolean(), nullable=False),
        sa.Column("ehcp", sa.Boolean(), nullable=False),
        sa.Column("photo_consent", sa.Boolean(), nullable=False),
        sa.Column("medical_note", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("withdrawn_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["school_id"], ["school.id"], name=op.f("fk_pupil_school_id_school")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pupil")),
    )
    with op.batch_alter_table("pupil", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pupil_school_id"), ["school_id"], unique=False)

    op.create_table(
        "teaching_group",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("school_id", sa.String(length=36), nullable=False),
        sa.Column("tutor_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("instrument_id", sa.String(length=36), nullable=True),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=False),
        sa.Column("length_minutes", sa.Integer(), nullable=False),
        sa.Column("term_start", sa.Date(), nullable=False),
        sa.Column("term_end", sa.Date(), nullable=False),
        sa.CheckConstraint("length_minutes > 0", name=op.f("ck_teaching_group_length")),
        sa.CheckConstraint("weekday BETWEEN 0 AND 6", name=op.f("ck_teaching_group_weekday")),
        sa.ForeignKeyConstraint(
            ["instrument_id"],
            ["instrument.id"],
            name=op.f("fk_teaching_group_instrument_id_instrument"),
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["school.id"], name=op.f("fk_teaching_group_school_id_school")
        ),
        sa.ForeignKeyConstraint(
            ["tutor_id"], ["tutor.id"], name=op.f("fk_teaching_group_tutor_id_tutor")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_teaching_group")),
    )
    with op.batch_alter_table("teaching_group", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_teaching_group_school_id"), ["school_id"], unique=False
        )
        batch_op.create_index(
            "ix_teaching_group_tutor_weekday", ["tutor_id", "weekday"], unique=False
        )

    op.create_table(
        "assessment",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("pupil_id", sa.String(length=36), nullable=False),
        sa.Column("instrument_id", sa.String(length=36), nullable=True),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("level_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("result", sa.String(length=20), nullable=True),
        sa.Column("mark", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("assessed_by_id", sa.String(length=36), nullable=True),
        sa.Column("server_version", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assessed_by_id"], ["tutor.id"], name=op.f("fk_assessment_assessed_by_id_tutor")
        ),
        sa.ForeignKeyConstraint(
            ["instrument_id"],
            ["instrument.id"],
            name=op.f("fk_assessment_instrument_id_instrument"),
        ),
        sa.ForeignKeyConstraint(
            ["level_id"],
            ["framework_level.id"],
            name=op.f("fk_assessment_level_id_framework_level"),
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"], ["pupil.id"], name=op.f("fk_assessment_pupil_id_pupil")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment")),
    )
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assessment_pupil_id"), ["pupil_id"], unique=False)

    op.create_table(
        "certificate",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("pupil_id", sa.String(length=36), nullable=False),
        sa.Column("template", sa.String(length=40), nullable=False),
        sa.Column("wording", sa.Text(), nullable=False),
        sa.Column("level_id", sa.String(length=36), nullable=True),
        sa.Column("level_text", sa.String(length=200), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("issued_by_id", sa.String(length=36), nullable=True),
        sa.Column("serial", sa.String(length=40), nullable=False),
        sa.Column("verification_code", sa.String(length=20), nullable=False),
        sa.Column("server_version", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["issued_by_id"], ["tutor.id"], name=op.f("fk_certificate_issued_by_id_tutor")
        ),
        sa.ForeignKeyConstraint(
            ["level_id"],
            ["framework_level.id"],
            name=op.f("fk_certificate_level_id_framework_level"),
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"], ["pupil.id"], name=op.f("fk_certificate_pupil_id_pupil")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificate")),
        sa.UniqueConstraint("serial", name=op.f("uq_certificate_serial")),
    )
    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_certificate_pupil_id"), ["pupil_id"], unique=False)

    op.create_table(
        "enrolment",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("group_id", sa.String(length=36), nullable=False),
        sa.Column("pupil_id", sa.String(length=36), nullable=False),
        sa.Column("instrument_id", sa.String(length=36), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["group_id"], ["teaching_group.id"], name=op.f("fk_enrolment_group_id_teaching_group")
        ),
        sa.ForeignKeyConstraint(
            ["instrument_id"], ["instrument.id"], name=op.f("fk_enrolment_instrument_id_instrument")
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"], ["pupil.id"], name=op.f("fk_enrolment_pupil_id_pupil")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enrolment")),
    )
    with op.batch_alter_table("enrolment", schema=None) as batch_op:
        batch_op.create_index("ix_enrolment_group_pupil", ["group_id", "pupil_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_enrolment_pupil_id"), ["pupil_id"], unique=False)

    op.create_table(
        "ensemble_section",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("ensemble_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["ensemble_id"], ["ensemble.id"], name=op.f("fk_ensemble_section_ensemble_id_ensemble")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ensemble_section")),
    )
    with op.batch_alter_table("ensemble_section", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ensemble_section_ensemble_id"), ["ensemble_id"], unique=False
        )

    op.create_table(
        "lesson",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("group_id", sa.String(length=36), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=False),
        sa.Column("delivered_by_id", sa.String(length=36), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("server_version", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["delivered_by_id"], ["tutor.id"], name=op.f("fk_lesson_delivered_by_id_tutor")
        ),
        sa.ForeignKeyConstraint(
            ["group_id"], ["teaching_group.id"], name=op.f("fk_lesson_group_id_teaching_group")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lesson")),
        sa.UniqueConstraint("group_id", "date", name=op.f("uq_lesson_group_id")),
    )
    with op.batch_alter_table("lesson", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lesson_date"), ["date"], unique=False)

    op.create_table(
        "performance",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("ensemble_id", sa.String(length=36), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("performed_on", sa.Date(), nullable=False),
        sa.Column("venue", sa.String(length=200), nullable=True),
        sa.Column("server_version", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["ensemble_id"], ["ensemble.id"], name=op.f("fk_performance_ensemble_id_ensemble")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_performance")),
    )
    with op.batch_alter_table("performance", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_performance_ensemble_id"), ["ensemble_id"], unique=False
        )

    op.create_table(
        "progress_note",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("pupil_id", sa.String(length=36), nullable=False),
        sa.Column("instrument_id", sa.String(length=36), nullable=True),
        sa.Column("revises_id", sa.String(length=36), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("written_by_id", sa.String(length=36), nullable=True),
        sa.Column("written_at", sa.DateTime(), nullable=False),
        sa.Column("server_version", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["instrument_id"],
            ["instrument.id"],
            name=op.f("fk_progress_note_instrument_id_instrument"),
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"], ["pupil.id"], name=op.f("fk_progress_note_pupil_id_pupil")
        ),
        sa.ForeignKeyConstraint(
            ["revises_id"],
            ["progress_note.id"],
            name=op.f("fk_progress_note_revises_id_progress_note"),
        ),
        sa.ForeignKeyConstraint(
            ["written_by_id"], ["tutor.id"], name=op.f("fk_progress_note_written_by_id_tutor")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_progress_note")),
    )
    with op.batch_alter_table("progress_note", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_progress_note_pupil_id"), ["pupil_id"], unique=False)

    op.create_table(
        "rehearsal",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("ensemble_id", sa.String(length=36), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=True),
        sa.Column("delivered_by_id", sa.String(length=36), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("server_version", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["delivered_by_id"], ["tutor.id"], name=op.f("fk_rehearsal_delivered_by_id_tutor")
        ),
        sa.ForeignKeyConstraint(
            ["ensemble_id"], ["ensemble.id"], name=op.f("fk_rehearsal_ensemble_id_ensemble")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rehearsal")),
        sa.UniqueConstraint("ensemble_id", "date", name=op.f("uq_rehearsal_ensemble_id")),
    )
    with op.batch_alter_table("rehearsal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rehearsal_date"), ["date"], unique=False)

    op.create_table(
        "target",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("pupil_id", sa.String(length=36), nullable=False),
        sa.Column("instrument_id", sa.String(length=36), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("set_on", sa.Date(), nullable=False),
        sa.Column("achieved_on", sa.Date(), nullable=True),
        sa.Column("set_by_id", sa.String(length=36), nullable=True),
        sa.Column("server_version", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["instrument_id"], ["instrument.id"], name=op.f("fk_target_instrument_id_instrument")
        ),
        sa.ForeignKeyConstraint(["pupil_id"], ["pupil.id"], name=op.f("fk_target_pupil_id_pupil")),
        sa.ForeignKeyConstraint(
            ["set_by_id"], ["tutor.id"], name=op.f("fk_target_set_by_id_tutor")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_target")),
    )
    with op.batch_alter_table("target", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_target_pupil_id"), ["pupil_id"], unique=False)

    op.create_table(
        "attendance_mark",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("lesson_id", sa.String(length=36), nullable=False),
        sa.Column("pupil_id", sa.String(length=36), nullable=False),
        sa.Column("code", sa.String(length=4), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("marked_at", sa.DateTime(), nullable=False),
        sa.Column("marked_by_id", sa.String(length=36), nullable=True),
        sa.Column("server_version", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["code"], ["attendance_code.code"], name=op.f("fk_attendance_mark_code_attendance_code")
        ),
        sa.ForeignKeyConstraint(
            ["lesson_id"], ["lesson.id"], name=op.f("fk_attendance_mark_lesson_id_lesson")
        ),
        sa.ForeignKeyConstraint(
            ["marked_by_id"], ["tutor.id"], name=op.f("fk_attendance_mark_marked_by_id_tutor")
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"], ["pupil.id"], name=op.f("fk_attendance_mark_pupil_id_pupil")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance_mark")),
        sa.UniqueConstraint("lesson_id", "pupil_id", name=op.f("uq_attendance_mark_lesson_id")),
    )
    with op.batch_alter_table("attendance_mark", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attendance_mark_pupil_id"), ["pupil_id"], unique=False)

    op.create_table(
        "ensemble_member",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("ensemble_id", sa.String(length=36), nullable=False),
        sa.Column("pupil_id", sa.String(length=36), nullable=False),
        sa.Column("section_id", sa.String(length=36), nullable=True),
        sa.Column("instrument_id", sa.String(length=36), nullable=True),
        sa.Column("seat", sa.Integer(), nullable=True),
        sa.Column("role", sa.String(length=50), nullable=True),
        sa.Column("joined_on", sa.Date(), nullable=False),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.Column("server_version", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["ensemble_id"], ["ensemble.id"], name=op.f("fk_ensemble_member_ensemble_id_ensemble")
        ),
        sa.ForeignKeyConstraint(
            ["instrument_id"],
            ["instrument.id"],
            name=op.f("fk_ensemble_member_instrument_id_instrument"),
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"], ["pupil.id"], name=op.f("fk_ensemble_member_pupil_id_pupil")
        ),
        sa.ForeignKeyConstraint(
            ["section_id"],
            ["ensemble_section.id"],
            name=op.f("fk_ensemble_member_section_id_ensemble_section"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ensemble_member")),
    )
    with op.batch_alter_table("ensemble_member", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ensemble_member_ensemble_id"), ["ensemble_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_ensemble_member_pupil_id"), ["pupil_id"], unique=False)

    op.create_table(
        "rehearsal_mark",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("rehearsal_id", sa.String(length=36), nullable=False),
        sa.Column("pupil_id", sa.String(length=36), nullable=False),
        sa.Column("code", sa.String(length=4), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("marked_at", sa.DateTime(), nullable=False),
        sa.Column("marked_by_id", sa.String(length=36), nullable=True),
        sa.Column("server_version", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["code"], ["attendance_code.code"], name=op.f("fk_rehearsal_mark_code_attendance_code")
        ),
        sa.ForeignKeyConstraint(
            ["marked_by_id"], ["tutor.id"], name=op.f("fk_rehearsal_mark_marked_by_id_tutor")
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"], ["pupil.id"], name=op.f("fk_rehearsal_mark_pupil_id_pupil")
        ),
        sa.ForeignKeyConstraint(
            ["rehearsal_id"],
            ["rehearsal.id"],
            name=op.f("fk_rehearsal_mark_rehearsal_id_rehearsal"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rehearsal_mark")),
        sa.UniqueConstraint(
            "rehearsal_id", "pupil_id", name=op.f("uq_rehearsal_mark_rehearsal_id")
        ),
    )
    with op.batch_alter_table("rehearsal_mark", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rehearsal_mark_pupil_id"), ["pupil_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("rehearsal_mark", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rehearsal_mark_pupil_id"))

    op.drop_table("rehearsal_mark")
    with op.batch_alter_table("ensemble_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ensemble_member_pupil_id"))
        batch_op.drop_index(batch_op.f("ix_ensemble_member_ensemble_id"))

    op.drop_table("ensemble_member")
    with op.batch_alter_table("attendance_mark", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attendance_mark_pupil_id"))

    op.drop_table("attendance_mark")
    with op.batch_alter_table("target", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_target_pupil_id"))

    op.drop_table("target")
    with op.batch_alter_table("rehearsal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rehearsal_date"))

    op.drop_table("rehearsal")
    with op.batch_alter_table("progress_note", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_progress_note_pupil_id"))

    op.drop_table("progress_note")
    with op.batch_alter_table("performance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_performance_ensemble_id"))

    op.drop_table("performance")
    with op.batch_alter_table("lesson", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lesson_date"))

    op.drop_table("lesson")
    with op.batch_alter_table("ensemble_section", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ensemble_section_ensemble_id"))

    op.drop_table("ensemble_section")
    with op.batch_alter_table("enrolment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_enrolment_pupil_id"))
        batch_op.drop_index("ix_enrolment_group_pupil")

    op.drop_table("enrolment")
    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_certificate_pupil_id"))

    op.drop_table("certificate")
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_pupil_id"))

    op.drop_table("assessment")
    with op.batch_alter_table("teaching_group", schema=None) as batch_op:
        batch_op.drop_index("ix_teaching_group_tutor_weekday")
        batch_op.drop_index(batch_op.f("ix_teaching_group_school_id"))

    op.drop_table("teaching_group")
    with op.batch_alter_table("pupil", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pupil_school_id"))

    op.drop_table("pupil")
    op.drop_table("holiday")
    op.drop_table("framework_level")
    op.drop_table("ensemble")
    op.drop_table("tutor")
    op.drop_table("setting")
    op.drop_table("school")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_state_seq")

    op.drop_table("outbox")
    op.drop_table("instrument")
    op.drop_table("framework")
    op.drop_table("attendance_code")
