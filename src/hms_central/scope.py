"""Who a tutor is to central: their groups, the ensembles they lead or help with, the pupils
they teach or have in those ensembles, and the cover the office assigned them. Computed once
per request; a pushed batch extends it as it applies (a member added earlier in the batch)."""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from .store import Cover, Row


@dataclass
class Scope:
    """What one tutor may write and see: their groups, ensembles and pupils, and cover."""

    tutor_id: str
    groups: set[str]
    ensembles: set[str]
    enrolled: set[tuple[str, str]]  # (group, pupil) in the tutor's groups and covered groups
    taught: set[str]  # pupils in the tutor's own groups: seen in full
    members: set[tuple[str, str]]  # (ensemble, pupil) in the ensembles the tutor leads/helps
    cover: dict[str, list[tuple[date, date]]] = field(default_factory=dict)

    @property
    def ensemble_pupils(self) -> set[str]:
        return {pupil for _ensemble, pupil in self.members}

    @property
    def covered_pupils(self) -> set[str]:
        return {pupil for group, pupil in self.enrolled if group in self.cover}

    @property
    def visible(self) -> set[str]:
        return self.taught | self.ensemble_pupils | self.covered_pupils

    def covers(self, group: str | None, on: str | None) -> bool:
        if group not in self.cover or not on:
            return False
        day = date.fromisoformat(on)
        return any(first <= day <= last for first, last in self.cover[group])

    def admit(self, membership: Row | None) -> None:
        """A membership applied earlier in this batch counts for the rest of it, as ``of``
        would count it on the next push. A leaver stays counted (their history still takes
        marks); a deleted row is left to the next push, as the pupil may hold another."""
        if (
            membership is not None
            and not membership.deleted
            and membership.scope_id in self.ensembles
        ):
            self.members.add((membership.scope_id, membership.fields["pupil_id"]))

    @classmethod
    def of(cls, session: Session, tutor_id: str) -> "Scope":
        groups = {
            r.id
            for r in session.scalars(
                select(Row).where(Row.entity == "teaching_group", Row.deleted.is_(False))
            )
            if r.fields.get("tutor_id") == tutor_id
        }
        cover: dict[str, list[tuple[date, date]]] = {}
        for c in session.scalars(select(Cover).where(Cover.tutor_id == tutor_id)):
            cover.setdefault(c.group_id, []).append((c.first_day, c.last_day))
        ensembles = {
            r.id
            for r in session.scalars(
                select(Row).where(Row.entity == "ensemble", Row.deleted.is_(False))
            )
            if r.fields.get("leader_id") == tutor_id
        } | helped_ensembles(session, tutor_id)
        enrolled = {
            (r.scope_id, r.fields["pupil_id"])
            for r in session.scalars(
                select(Row).where(
                    Row.entity == "enrolment",
                    Row.deleted.is_(False),
                    Row.scope_id.in_(groups | set(cover)),
                )
            )
        }
        members = {
            (r.scope_id, r.fields["pupil_id"])
            for r in session.scalars(
                select(Row).where(
                    Row.entity == "ensemble_member",
                    Row.deleted.is_(False),
                    Row.scope_id.in_(ensembles),
                )
            )
        }
        taught = {pupil for group, pupil in enrolled if group in groups}
        return cls(tutor_id, groups, ensembles, enrolled, taught, members, cover)


def helped_ensembles(session: Session, tutor_id: str) -> set[str]:
    """The ensembles the office asked this tutor to help with: theirs as if they led them."""
    return {
        r.fields["ensemble_id"]
        for r in session.scalars(
            select(Row).where(Row.entity == "ensemble_helper", Row.deleted.is_(False))
        )
        if r.fields.get("tutor_id") == tutor_id
    }
