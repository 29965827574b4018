"""The command line beside the GUI: open the app, seed a demo, report status, export registers."""

import argparse
import json
import logging
import os
import sys
from dataclasses import asdict
from datetime import date
from pathlib import Path

from hms_desktop import APP_NAME, __version__, logs, paths
from hms_desktop.domain.errors import HmsError

log = logging.getLogger(__name__)

PROG = "hms-desktop"


def iso_date(text: str) -> date:
    """An argparse type for dates written 2026-11-23, with a readable complaint otherwise."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2026-11-23") from None


def _positive(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=f"{APP_NAME}: registers and progress for Hackney Music Service "
        "tutors. With no command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    parser.add_argument("--db", type=Path, help="open this database (it must exist)")
    parser.add_argument(
        "--demo", action="store_true", help="open the demo database, creating it on first use"
    )
    parser.add_argument(
        "--selftest",
        action="store_true",
        help="offscreen check that the app opens, marks a register and keeps it",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def pin_option(command: argparse.ArgumentParser) -> None:
        command.add_argument(
            "--pin-stdin",
            action="store_true",
            help="read the profile's PIN from the first line of standard input (or set HMS_PIN)",
        )

    seed = sub.add_parser("seed-demo", help="create a demo database")
    seed.add_argument("--db", type=Path, required=True, dest="db")
    seed.add_argument("--pupils", type=_positive, default=2000)
    seed.add_argument("--seed", type=_positive, default=1)
    seed.add_argument("--today", type=iso_date, help="the demo's 'today' (default: today)")

    status = sub.add_parser("status", help="schema, integrity and counts of a database")
    status.add_argument("--db", type=Path, required=True, dest="db")
    pin_option(status)
    status.add_argument("--json", action="store_true")

    export = sub.add_parser("export-registers", help="write registers to a CSV for the office")
    export.add_argument("--db", type=Path, required=True, dest="db")
    pin_option(export)
    export.add_argument("--out", type=Path, required=True)
    export.add_argument("--from", type=iso_date, dest="date_from")
    export.add_argument("--to", type=iso_date, dest="date_to")
    certs = sub.add_parser("certificates", help="print certificates for a group or pupils")
    certs.add_argument("--db", type=Path, required=True, dest="db")
    pin_option(certs)
    who = certs.add_mutually_exclusive_group(required=True)
    who.add_argument("--group", help="every pupil in this teaching group (id)")
    who.add_argument("--pupil", action="append", help="a pupil's id (repeat for more)")
    certs.add_argument(
        "--template", required=True, choices=["achievement", "exam", "ensemble", "recognition"]
    )
    certs.add_argument("--out", type=Path, required=True)
    certs.add_argument(
        "--date", type=iso_date, help="date printed on the certificates (default: today)"
    )
    certs.add_argument(
        "--skip-missing",
        action="store_true",
        help="print for the pupils who can have one, listing the others",
    )
    enrol = sub.add_parser("enrol", help="sign this laptop in to the music service")
    enrol.add_argument("--db", type=Path, required=True, dest="db")
    pin_option(enrol)
    enrol.add_argument("--server", required=True, help="e.g. https://central.example")
    enrol.add_argument("--email", required=True)
    how = enrol.add_mutually_exclusive_group(required=True)
    how.add_argument("--code", help="one-time code from the office")
    how.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )

    purge = sub.add_parser(
        "purge", help="remove pupils who have left, once central has every change about them"
    )
    purge.add_argument("--db", type=Path, required=True, dest="db")
    purge.add_argument("--today", type=iso_date, help="(default: today)")
    pin_option(purge)

    history = sub.add_parser("audit", help="who changed or viewed what: a pupil's or lesson's")
    history.add_argument("--db", type=Path, required=True, dest="db")
    about = history.add_mutually_exclusive_group(required=True)
    about.add_argument("--pupil", help="a pupil's id")
    about.add_argument("--lesson", nargs=2, metavar=("GROUP", "DATE"), help="group id and date")
    pin_option(history)

    sync = sub.add_parser("sync", help="send changes and fetch the timetable now")
    sync.add_argument("--db", type=Path, required=True, dest="db")
    pin_option(sync)
    return parser


def _pin(args: argparse.Namespace) -> str:
    if getattr(args, "pin_stdin", False):
        return sys.stdin.readline().rstrip("\n")
    if os.environ.get("HMS_PIN"):
        return os.environ["HMS_PIN"]
    raise HmsError(
        "This profile is encrypted: give its PIN on the first line of standard input with "
        "--pin-stdin, or in the HMS_PIN environment variable (never on the command line)."
    )


def open_profile(args: argparse.Namespace, *, create: bool = False, read_only: bool = False):
    """Open --db: an encrypted profile with its PIN; a new one is created encrypted; a plain
    one from an earlier version is used as it is (the app moves it over when it next opens)."""
    from hms_desktop.data.engine import open_database
    from hms_desktop.services.unlock import ProfileState, profile_info, set_up_profile, unlock

    state = profile_info(args.db).state
    if state is ProfileState.PLAIN or (state is ProfileState.NEW and not create):
        return open_database(args.db, create=create, read_only=read_only)
    if state is ProfileState.NEW:
        db, setup = set_up_profile(args.db, _pin(args))
        print(
            "New encrypted profile. Recovery codes for the office (each opens it once if the "
            "PIN is forgotten):\n  " + "\n  ".join(setup.recovery_codes),
            file=sys.stderr,
        )
        return db
    return unlock(args.db, _pin(args), read_only=read_only)


def _enrol(args: argparse.Namespace) -> int:
    from hms_desktop.services.sync import enrol_device
    from hms_desktop.sync.client import CentralClient

    db = open_profile(args, create=True)  # the PIN, if asked for, is the first line of stdin
    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else None
    client = CentralClient(args.server)
    try:
        name = enrol_device(db, client, args.email, password=password, code=args.code)
    finally:
        client.close()
        db.close()
    print(f"Signed in as {name}. Run 'hms-desktop sync --db {args.db}' to fetch your timetable.")
    return 0


def _sync(args: argparse.Namespace) -> int:
    """Always one line on stderr saying why, whatever the exit code (0 all sent, 1 waiting or
    needing attention, 3 offline, 4 sign-in needed, 2 anything else)."""
    from hms_desktop.services.purge import prune_sent_changes
    from hms_desktop.services.sync import server_of, sync_now
    from hms_desktop.sync.client import CentralClient
    from hms_desktop.sync.errors import SignInNeeded

    db = open_profile(args)
    try:
        server = server_of(db)
        if not server:
            raise SignInNeeded("This laptop is not signed in: run 'hms-desktop enrol' first.")
        client = CentralClient(server)
        try:
            report = sync_now(db, client)
        except HmsError:
            raise
        except Exception as err:  # a one-line reason, never a silent exit
            log.exception("sync failed")
            raise HmsError(
                f"sync stopped unexpectedly ({type(err).__name__}); nothing on this laptop "
                "was lost. Details are in the log."
            ) from err
        finally:
            client.close()
        prune_sent_changes(db)
    finally:
        db.close()
    print(
        f"Sent {report.pushed:,} changes, received {report.pulled:,}; {report.waiting:,} "
        f"waiting, {report.needs_attention:,} need attention."
    )
    if report.needs_attention:
        print(
            f"{PROG}: {report.needs_attention} item(s) need your attention in the app "
            "(Needs attention).",
            file=sys.stderr,
        )
        return 1
    if report.waiting:
        print(f"{PROG}: {report.waiting} change(s) still waiting to be sent.", file=sys.stderr)
        return 1
    print(f"{PROG}: everything is sent and up to date.", file=sys.stderr)
    return 0


def _certificates(args: argparse.Namespace) -> int:
    from hms_desktop.services.certificates import (
        group_pupils,
        plan_certificates,
        print_certificates,
    )

    on = args.date or date.today()
    db = open_profile(args)
    try:
        pupils = group_pupils(db, args.group, on) if args.group else args.pupil
        plan = plan_certificates(db, args.template, pupils, on)
        for line in plan.missing:
            print(f"cannot print: {line}", file=sys.stderr)
        if plan.missing and not args.skip_missing:
            print(
                f"{PROG}: {len(plan.missing)} pupil(s) cannot have this certificate (listed "
                "above). Nothing was printed; use --skip-missing to print the rest.",
                file=sys.stderr,
            )
            return 2
        issued = print_certificates(db, plan, args.out, on)
    finally:
        db.close()
    left_out = f"; {len(plan.missing)} pupil(s) left out, listed above" if plan.missing else ""
    print(f"Printed {len(issued)} certificates to {args.out}{left_out}")
    return 0


def _purge(args: argparse.Namespace) -> int:
    from hms_desktop.services.purge import purge_leavers

    db = open_profile(args)
    try:
        report = purge_leavers(db, args.today or date.today())
    finally:
        db.close()
    print(
        f"Removed {report.purged:,} pupils who have left; {report.waiting:,} wait until central "
        "has every change about them."
    )
    return 0


def _audit(args: argparse.Namespace) -> int:
    from hms_desktop.services.audit import lesson_history, pupil_history

    db = open_profile(args, read_only=True)
    try:
        if args.pupil:
            lines = pupil_history(db, args.pupil)
        else:
            lines = lesson_history(db, args.lesson[0], iso_date(args.lesson[1]))
    finally:
        db.close()
    for line in lines:
        changed = ", ".join(f"{k}: {v[0]!r} → {v[1]!r}" for k, v in line.changes.items())
        print(f"{line.at:%Y-%m-%d %H:%M:%S}  {line.who}  {line.action} {line.what}  {changed}")
    return 0


def _seed(args: argparse.Namespace) -> int:
    from hms_desktop.demo import seed_demo

    summary = seed_demo(args.db, pupils=args.pupils, seed=args.seed, today=args.today)
    print(
        f"Demo database created at {summary.path}: {summary.pupils:,} pupils in "
        f"{summary.schools} schools; {summary.tutor} teaches {summary.tutor_groups} groups "
        f"({summary.tutor_pupils} pupils); {summary.marks:,} past marks."
    )
    return 0


def _status(args: argparse.Namespace) -> int:
    from hms_desktop.services.store import store_status

    db = open_profile(args, read_only=True)
    try:
        status = store_status(db)
    finally:
        db.close()
    if args.json:
        print(json.dumps(asdict(status), indent=2))
    else:
        print(f"Database:         {status.path}")
        print(f"Schema:           {status.schema_revision} (this version: {status.schema_head})")
        print(f"SQLite:           {status.sqlite_version}")
        print(f"Integrity check:  {status.integrity}")
        print(f"Pupils:           {status.pupils:,}")
        print(f"Lessons:          {status.lessons:,}")
        print(f"Marks:            {status.marks:,}")
        print(f"Waiting to send:  {status.pending_changes:,}")
    return 0 if status.integrity == "ok" else 1


def _export(args: argparse.Namespace) -> int:
    from hms_desktop.services.export import export_registers

    db = open_profile(args, read_only=True)
    try:
        count = export_registers(db, args.out, args.date_from, args.date_to)
    finally:
        db.close()
    print(f"Wrote {count:,} marks to {args.out}")
    print(
        f"{args.out.name} holds pupils' personal data: it is readable by you only. Send it to "
        "the office by a secure route, then delete it.",
        file=sys.stderr,
    )
    return 0


def _gui(args: argparse.Namespace) -> int:
    if args.db and args.demo:
        raise HmsError("Use either --db or --demo, not both.")
    from hms_desktop.ui.app import run_app  # Qt is loaded only when a window is wanted

    if args.demo:
        path, create_demo = paths.demo_db(), not paths.demo_db().exists()
        if create_demo:
            from hms_desktop.demo import seed_demo

            print(f"Creating the demo database at {path} …", file=sys.stderr)
            seed_demo(path)
        return run_app(path, create=False, demo=True)
    if args.db:
        return run_app(args.db, create=False)
    return run_app(paths.profile_db(), create=True)


def _selftest() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from hms_desktop.ui.selftest import run_selftest

    return run_selftest()


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logs.install_excepthook(logs.setup(paths.log_dir()))
    try:
        if args.selftest:
            return _selftest()
        handler = {
            "seed-demo": _seed,
            "status": _status,
            "export-registers": _export,
            "certificates": _certificates,
            "enrol": _enrol,
            "sync": _sync,
            "purge": _purge,
            "audit": _audit,
        }.get(args.command, _gui)
        return handler(args)
    except HmsError as err:
        print(f"{PROG}: {err}", file=sys.stderr)
        return getattr(err, "exit_code", 2)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
