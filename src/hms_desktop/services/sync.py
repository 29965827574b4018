"""Signing a laptop in to the music service, syncing, and what needs the tutor's attention."""

import platform
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from hms_desktop.data.clock import utcnow
from hms_desktop.data.engine import Database
from hms_desktop.data.models import (
    AttendanceMark,
    Ensemble,
    EnsembleSection,
    Lesson,
    OutboxEntry,
    PulledSetAside,
    Pupil,
    TeachingGroup,
    Tutor,
)
from hms_desktop.data.outbox import FROM_SERVER, NEEDS_ATTENTION, WAITING, OutboxState
from hms_desktop.data.sync_store import (
    ENTITY_MODELS,
    counts,
    get,
    pulling,
    put,
    python_value,
    set_aside_rows,
)
from hms_desktop.domain.errors import HmsError, NotFound
from hms_desktop.domain.names import display_name
from hms_desktop.sync.client import CentralClient
from hms_desktop.sync.credentials import check_keychain, save_refresh_token
from hms_desktop.sync.engine import CURSOR, DEVICE, LAST_SYNC, SERVER, SyncEngine, SyncReport
from hms_protocol import EnrolRequest

from .profile import TUTOR_ID, set_setting


@dataclass(frozen=True)
class SyncStatus:
    signed_in: bool
    server: str | None
    last_synced_at: datetime | None
    waiting: int
    needs_attention: int


@dataclass(frozen=True)
class AttentionItem:
    op_id: str  # for a pulled row set aside: "pulled:<entity>:<id>"
    kind: str  # conflict | rejected | set_aside
    title: str  # "Mark for Zeynep Öztürk, Violin group, Mon 23 Nov"
    explanation: str  # in a tutor's words
    yours: str
    theirs: str | None


def enrol_device(
    db: Database,
    client: CentralClient,
    email: str,
    password: str | None = None,
    code: str | None = None,
    this_run_only: bool = False,
) -> str:
    """Sign this laptop in; the refresh token goes to the keychain (or, where there is none and
    the tutor agreed, to memory for this run only). Returns the tutor's name."""
    if not email.strip() or not (password or code):
        raise HmsError("Enter your email and either your password or the office's code.")
    if not this_run_only:
        check_keychain()
    answer = client.enrol(
        EnrolRequest(
            email=email.strip(),
            password=password or None,
            code=code or None,
            device_name=platform.node()[:100] or "laptop",
        )
    )
    save_refresh_token(client.base_url, answer.device_id, answer.refresh_token, this_run_only)
    with db.transaction() as session:
        previous_tutor = get(session, TUTOR_ID)
        if previous_tutor and previous_tutor != answer.tutor_id:
            raise HmsError(
                "This laptop's data belongs to another tutor; it cannot be signed in "
                "as you. Nothing was changed."
            )
        put(session, SERVER, client.base_url)
        put(session, DEVICE, answer.device_id)
        set_setting(session, TUTOR_ID, answer.tutor_id)
        if get(session, CURSOR) is None:
            put(session, CURSOR, "0")
        if session.get(Tutor, answer.tutor_id) is None:
            pulling(session)
            session.add(Tutor(id=answer.tutor_id, name=answer.tutor_name))
    return answer.tutor_name


def server_of(db: Database) -> str | None:
    with db.reading() as session:
        return get(session, SERVER)


def sync_now(db: Database, client: CentralClient, **engine_options) -> SyncReport:
    return SyncEngine(db, client, **engine_options).sync()


def sync_status(db: Database) -> SyncStatus:
    with db.reading() as session:
        states = counts(session, with_trail=False)
        last = get(session, LAST_SYNC)
        server = get(session, SERVER)
        aside = len(set_aside_rows(session))
    return SyncStatus(
        signed_in=bool(server),
        server=server,
        last_synced_at=datetime.fromisoformat(last) if last else None,
        waiting=sum(states.get(s, 0) for s in WAITING),
        needs_attention=sum(states.get(s, 0) for s in NEEDS_ATTENTION) + aside,
    )


def _describe(session, entry: OutboxEntry) -> tuple[str, str, str | None]:
    fields, theirs = entry.fields, entry.result_fields or {}
    if entry.entity == "attendance_mark":
        pupil = session.get(Pupil, fields.get("pupil_id"))
        lesson = session.get(Lesson, fields.get("lesson_id"))
        group = session.get(TeachingGroup, lesson.group_id) if lesson else None
        who = (
            display_name(
                pupil.given_name, pupil.family_name, pupil.preferred_name, pupil.family_name_first
            )
            if pupil
            else "a pupil"
        )
        when = f"{lesson.date:%a %-d %b}" if lesson else ""
        title = f"Mark for {who}, {group.name if group else 'a lesson'}, {when}".strip(", ")
        yours = f"{fields.get('code')} {fields.get('comment') or ''}".strip()
        other = f"{theirs.get('code')} {theirs.get('comment') or ''}".strip() if theirs else None
        return title, yours, other
    if entry.entity == "lesson":
        group = session.get(TeachingGroup, fields.get("group_id"))
        title = f"Lesson {group.name if group else ''} {fields.get('date', '')}".strip()
        return (
            title,
            f"{fields.get('status')}: {fields.get('note') or ''}",
            (f"{theirs.get('status')}: {theirs.get('note') or ''}" if theirs else None),
        )
    if entry.entity == "ensemble_member":
        return _describe_seat(session, fields, theirs)
    if entry.entity == "ensemble_section":
        ensemble = session.get(Ensemble, fields.get("ensemble_id"))
        title = f"Order of sections, {ensemble.name if ensemble else 'an ensemble'}"
        place = f"{fields.get('name')}: place {int(fields.get('ordinal') or 0) + 1}"
        kept = f"place {int(theirs['ordinal']) + 1}" if theirs.get("ordinal") is not None else None
        return title, place, kept
    return entry.entity.replace("_", " ").capitalize(), str(fields)[:200], None


def _describe_seat(session, fields: dict, theirs: dict) -> tuple[str, str, str | None]:
    """A roster move: whose, in which ensemble, and where each side has them sit."""
    pupil = session.get(Pupil, fields.get("pupil_id"))
    ensemble = session.get(Ensemble, fields.get("ensemble_id"))
    who = (
        display_name(
            pupil.given_name, pupil.family_name, pupil.preferred_name, pupil.family_name_first
        )
        if pupil
        else "a member"
    )

    def where(f: dict) -> str:
        section = session.get(EnsembleSection, f.get("section_id") or "")
        seat = f"seat {f['seat']}" if f.get("seat") else "no seat"
        left = f", left {f['left_on']}" if f.get("left_on") else ""
        return f"{section.name if section else 'no section'}, {seat}{left}"

    title = f"Seat for {who}, {ensemble.name if ensemble else 'an ensemble'}"
    return title, where(fields), (where(theirs) if theirs else None)


def needs_attention(db: Database) -> list[AttentionItem]:
    items = []
    with db.reading() as session:
        for entry in session.scalars(
            select(OutboxEntry)
            .where(OutboxEntry.state.in_(NEEDS_ATTENTION))
            .order_by(OutboxEntry.seq)
        ):
            title, yours, theirs = _describe(session, entry)
            if entry.state == OutboxState.CONFLICT:
                explanation = (
                    "Another laptop recorded something different for this, and "
                    "the music service kept theirs. Choose which is right."
                )
            else:
                explanation = (
                    "The music service did not accept this change: "
                    f"{entry.result_reason or 'no reason given'}."
                )
            items.append(AttentionItem(entry.op_id, entry.state, title, explanation, yours, theirs))
        items.extend(_set_aside_item(row) for row in set_aside_rows(session))
    return items


SET_ASIDE_PREFIX = "pulled:"


def _set_aside_item(row: PulledSetAside) -> AttentionItem:
    what = row.entity.replace("_", " ")
    return AttentionItem(
        op_id=f"{SET_ASIDE_PREFIX}{row.entity}:{row.entity_id}",
        kind="set_aside",
        title=f"A {what} from the music service",
        explanation=(
            f"This laptop could not use a {what} the music service sent ({row.reason}); "
            "everything else was brought up to date. Tell the office; dismiss it once they "
            "have fixed it."
        ),
        yours="",
        theirs=None,
    )


def resolve(db: Database, op_id: str, keep: str) -> None:
    """Settle one item: ``theirs`` takes central's version here; ``mine`` sends ours again on
    top of central's version; ``dismiss`` acknowledges a rejected change."""
    with db.transaction() as session:
        if op_id.startswith(SET_ASIDE_PREFIX):
            entity, _, entity_id = op_id.removeprefix(SET_ASIDE_PREFIX).partition(":")
            row = session.get(PulledSetAside, (entity, entity_id))
            if row is None or keep != "dismiss":
                raise NotFound("That item has already been settled.")
            session.delete(row)
            return
        entry = session.scalar(select(OutboxEntry).where(OutboxEntry.op_id == op_id))
        if entry is None or entry.state not in NEEDS_ATTENTION:
            raise NotFound("That item has already been settled.")
        model = ENTITY_MODELS.get(entry.entity)
        row = session.get(model, entry.entity_id) if model is not None else None
        if model is None and keep != "dismiss":  # an audit entry: only ever dismissed
            raise HmsError("This can only be dismissed.")
        if keep == "theirs" and entry.state == OutboxState.CONFLICT and entry.result_fields:
            session.info[FROM_SERVER] = True  # central's version: no outbox entry
            for name, value in entry.result_fields.items():
                column = model.__table__.columns.get(name)  # type: ignore[attr-defined]
                if row is not None and column is not None and name != "id":
                    setattr(row, name, python_value(column, value))
            if row is not None:
                row.server_version = entry.result_version  # type: ignore[attr-defined]
        elif keep == "mine" and entry.state == OutboxState.CONFLICT:
            if row is None:
                raise NotFound("That record is no longer on this laptop.")
            # Sending again on top of central's version makes it a deliberate correction.
            row.server_version = entry.result_version  # type: ignore[attr-defined]
            if isinstance(row, AttendanceMark):
                row.marked_at = utcnow()
        elif keep != "dismiss":
            raise HmsError("Choose 'theirs' or 'mine' for a conflict, 'dismiss' otherwise.")
        entry.state = OutboxState.RESOLVED
