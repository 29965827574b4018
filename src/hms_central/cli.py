"""``hms-central``: run the reference central service and look after its accounts."""

import argparse
import csv
import getpass
import sys
import uuid
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from .auth import add_code
from .store import (
    Account,
    Device,
    Row,
    hash_password,
    make_engine,
    new_epoch,
    now,
    put_row,
)

DEFAULT_DB = "sqlite:///hms-central.sqlite3"


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2026-11-23") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hms-central", description="The HMS reference central service."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve = sub.add_parser("serve", help="run the HTTP service")
    serve.add_argument("--db", default=DEFAULT_DB, help="SQLAlchemy URL (default: %(default)s)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    seed = sub.add_parser("seed-demo", help="the central side of the demo world")
    seed.add_argument("--db", default=DEFAULT_DB)
    seed.add_argument("--pupils", type=int, default=2000)
    seed.add_argument("--seed", type=int, default=1)
    seed.add_argument("--today", type=iso_date)
    seed.add_argument(
        "--password",
        default="hms-demo",
        help="password for every demo tutor (default: %(default)s)",
    )
    add = sub.add_parser("add-tutor", help="create a tutor account")
    add.add_argument("--db", default=DEFAULT_DB)
    add.add_argument("--name", required=True)
    add.add_argument("--email", required=True)
    add.add_argument("--password-stdin", action="store_true")
    code = sub.add_parser("enrol-code", help="a one-time code to enrol a tutor's laptop")
    code.add_argument("email")
    code.add_argument("--db", default=DEFAULT_DB)
    revoke = sub.add_parser("revoke-device", help="sign a lost laptop out")
    revoke.add_argument("device_id")
    revoke.add_argument("--db", default=DEFAULT_DB)
    export = sub.add_parser("export-registers", help="every mark received, as CSV")
    export.add_argument("--db", default=DEFAULT_DB)
    export.add_argument("--out", type=Path, required=True)
    cover = sub.add_parser("assign-cover", help="a cover tutor takes a group for some days")
    cover.add_argument("--db", default=DEFAULT_DB)
    cover.add_argument("--group", required=True, help="the teaching group's id")
    cover.add_argument("--tutor", required=True, help="the covering tutor's id")
    cover.add_argument("--from", dest="first", type=iso_date, required=True)
    cover.add_argument("--to", dest="last", type=iso_date, required=True)
    member = sub.add_parser("add-member", help="add a pupil to an ensemble (office only)")
    member.add_argument("--db", default=DEFAULT_DB)
    member.add_argument("--ensemble", required=True)
    member.add_argument("--pupil", required=True)
    member.add_argument("--section")
    member.add_argument("--joined", type=iso_date)
    for name, what in (
        ("add-helper", "ask a tutor to help with an ensemble"),
        ("remove-helper", "the tutor no longer helps with the ensemble"),
    ):
        helper = sub.add_parser(name, help=what)
        helper.add_argument("--db", default=DEFAULT_DB)
        helper.add_argument("--ensemble", required=True)
        helper.add_argument("--tutor", required=True)
    restored = sub.add_parser("restored", help="after restoring a backup: laptops re-pull all")
    restored.add_argument("--db", default=DEFAULT_DB)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "serve":
        import uvicorn

        from .app import create_app

        uvicorn.run(create_app(args.db), host=args.host, port=args.port, log_level="warning")
        return 0
    engine = make_engine(args.db)
    with Session(engine) as session, session.begin():
        return COMMANDS[args.command](session, args)


def _seed(session: Session, args: argparse.Namespace) -> int:
    from .seed import seed_central

    if session.scalar(select(Row).limit(1)) is not None:
        print("hms-central: this database already has data; nothing was changed.", file=sys.stderr)
        return 2
    summary = seed_central(
        session, args.pupils, args.seed, args.today or date.today(), args.password
    )
    print(
        f"Seeded {summary['pupils']:,} pupils and {summary['tutors']} tutors. Demo tutor: "
        f"{summary['tutor_email']} (password: {args.password})"
    )
    return 0


def _add_tutor(session: Session, args: argparse.Namespace) -> int:
    email = args.email.strip().lower()
    if session.scalar(select(Account).where(Account.email == email)):
        print(f"hms-central: {email} already has an account.", file=sys.stderr)
        return 2
    password = (
        sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass("Password: ")
    )
    tutor_id = str(uuid.uuid4())
    put_row(
        session,
        "tutor",
        tutor_id,
        {"id": tutor_id, "name": args.name, "email": None},
        "public",
        None,
    )
    session.add(Account(tutor_id=tutor_id, email=email, password_hash=hash_password(password)))
    print(tutor_id)
    return 0


def _enrol_code(session: Session, args: argparse.Namespace) -> int:
    account = session.scalar(select(Account).where(Account.email == args.email.strip().lower()))
    if account is None:
        print(f"hms-central: no tutor has the email {args.email}.", file=sys.stderr)
        return 2
    print(add_code(session, account.tutor_id))
    return 0


def _revoke(session: Session, args: argparse.Namespace) -> int:
    device = session.get(Device, args.device_id)
    if device is None:
        print(f"hms-central: no device {args.device_id}.", file=sys.stderr)
        return 2
    device.revoked_at = now()
    print(f"Device {device.id} ({device.name}) is signed out.")
    return 0


def _export(session: Session, args: argparse.Namespace) -> int:
    rows = session.scalars(
        select(Row).where(Row.entity == "attendance_mark", Row.deleted.is_(False))
    ).all()
    with args.out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(
            ["mark_id", "lesson_id", "pupil_id", "code", "comment", "marked_at", "version"]
        )
        for r in rows:
            f = r.fields
            writer.writerow(
                [
                    r.id,
                    f.get("lesson_id"),
                    f.get("pupil_id"),
                    f.get("code"),
                    f.get("comment"),
                    f.get("marked_at"),
                    r.version,
                ]
            )
    print(f"Wrote {len(rows):,} marks to {args.out}")
    return 0


def _assign_cover(session: Session, args: argparse.Namespace) -> int:
    from .office import OfficeRefused, assign_cover

    try:
        cover_id = assign_cover(session, args.group, args.tutor, args.first, args.last)
    except OfficeRefused as refused:
        print(f"hms-central: {refused}; nothing was changed.", file=sys.stderr)
        return 2
    print(f"Cover {cover_id}: {args.tutor} takes {args.group} from {args.first} to {args.last}.")
    return 0


def _office(action) -> int:
    """Run one office action; print its id, or why it was refused (exit 2, nothing changed)."""
    from pydantic import ValidationError

    from hms_protocol.entities import problem

    from .office import OfficeRefused

    try:
        made = action()
    except (OfficeRefused, ValidationError) as refused:
        why = problem(refused) if isinstance(refused, ValidationError) else str(refused)
        print(f"hms-central: {why}; nothing was changed.", file=sys.stderr)
        return 2
    print(made)
    return 0


def _add_member(session: Session, args: argparse.Namespace) -> int:
    from .office import MemberRequest, add_member

    return _office(
        lambda: add_member(
            session,
            MemberRequest(
                ensemble_id=args.ensemble,
                pupil_id=args.pupil,
                section_id=args.section,
                joined_on=args.joined or date.today(),
            ),
        )
    )


def _helper(session: Session, args: argparse.Namespace) -> int:
    from .office import HelperRequest, add_helper, remove_helper

    action = add_helper if args.command == "add-helper" else remove_helper
    return _office(
        lambda: action(session, HelperRequest(ensemble_id=args.ensemble, tutor_id=args.tutor))
    )


def _restored(session: Session, _args: argparse.Namespace) -> int:
    print(f"New epoch {new_epoch(session)}: every laptop will pull everything again.")
    return 0


COMMANDS = {
    "seed-demo": _seed,
    "add-tutor": _add_tutor,
    "enrol-code": _enrol_code,
    "revoke-device": _revoke,
    "export-registers": _export,
    "assign-cover": _assign_cover,
    "add-member": _add_member,
    "add-helper": _helper,
    "remove-helper": _helper,
    "restored": _restored,
}


if __name__ == "__main__":
    sys.exit(main())
