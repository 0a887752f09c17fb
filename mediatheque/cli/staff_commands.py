"""Staff accounts and the audit trail: `staff add|list|set|password`, `audit`."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from typing import Any

from mediatheque.cli.context import CommandContext, Outcome, read_secret
from mediatheque.i18n import _, ngettext
from mediatheque.messages import role_label
from mediatheque.models.vocabulary import StaffRole, words
from mediatheque.permissions import Permission
from mediatheque.staff import create_staff, list_staff, reset_password, update_staff
from mediatheque.staff.audit_log import AuditFilter, read_audit

ROLES = words(StaffRole)


def register(commands: Any) -> None:
    staff = commands.add_parser("staff", help=_("staff accounts (logins and roles)"))
    actions = staff.add_subparsers(dest="staff_command", metavar=_("ACTION"), required=True,
                                   parser_class=type(staff))
    add = actions.add_parser("add", help=_(
        "create a staff account; its password is read from standard input (after the "
        "password of --login, when one is asked)"))
    add.add_argument("--login", dest="new_login", required=True, metavar="LOGIN")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--name", default="", help=_("the person's name, as shown in lists"))
    add.set_defaults(handler=run_staff_add)

    listing = actions.add_parser("list", help=_("list the staff accounts"))
    listing.set_defaults(handler=run_staff_list)

    change = actions.add_parser("set", help=_("change an account's role or disable it"))
    change.add_argument("account", metavar="LOGIN")
    change.add_argument("--role", choices=ROLES)
    state = change.add_mutually_exclusive_group()
    state.add_argument("--disable", dest="active", action="store_false", default=None)
    state.add_argument("--enable", dest="active", action="store_true", default=None)
    change.set_defaults(handler=run_staff_set)

    password = actions.add_parser("password", help=_(
        "set a new password (read from standard input) and unlock the account"))
    password.add_argument("account", metavar="LOGIN")
    password.set_defaults(handler=run_staff_password)

    pg_role = actions.add_parser("pg-role", help=_(
        "PostgreSQL: create or update the database role the desks connect with (rows only, "
        "append-only audit trail); run with the owner's --db, password on standard input"))
    pg_role.add_argument("--role", required=True, metavar="NAME")
    pg_role.set_defaults(handler=run_pg_role)

    audit = commands.add_parser("audit", help=_("the audit trail: who changed what, when"))
    audit.add_argument("--since", type=instant, metavar="INSTANT",
                       help=_("entries recorded at or after this instant (ISO 8601)"))
    audit.add_argument("--until", type=instant, metavar="INSTANT",
                       help=_("entries recorded before this instant"))
    audit.add_argument("--actor", metavar="LOGIN")
    audit.add_argument("--action")
    audit.add_argument("--entity")
    audit.add_argument("--limit", type=int, default=100, metavar="N")
    audit.set_defaults(handler=run_audit)


def instant(text: str) -> datetime:
    """ISO 8601 date or instant; without an offset it is taken as UTC."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError as error:
        raise argparse.ArgumentTypeError(_("not an ISO 8601 instant: {text}").format(
            text=text)) from error
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _staff_json(row: Any) -> dict[str, Any]:
    return {
        "login": row.login, "role": row.role, "name": row.display_name, "active": row.active,
        "locked_until": row.locked_until.isoformat() if row.locked_until else None,
        "last_login_at": row.last_login_at.isoformat() if row.last_login_at else None,
    }


def run_staff_add(args: argparse.Namespace, context: CommandContext) -> Outcome:
    database = context.open().database
    actor = context.actor  # asks for the acting password first, when there is one
    password = read_secret(_("Password of the new account: "))
    with database.write() as session:
        row = create_staff(session, actor, login=args.new_login, role=args.role,
                           password=password, now=context.now, display_name=args.name)
    return Outcome({"login": row.login, "role": row.role}, _(
        "Staff account “{login}” created ({role}).").format(
            login=row.login, role=role_label(row.role)))


def run_staff_list(args: argparse.Namespace, context: CommandContext) -> Outcome:
    database = context.open().database
    actor = context.actor
    with database.read() as session:
        rows = list_staff(session, actor)
    lines = [
        f"{row.login:<20} {role_label(row.role):<16} "
        + ("" if row.active else _("disabled")) for row in rows
    ] or [_("No staff account: everyone using this PC acts as administrator.")]
    return Outcome({"staff": [_staff_json(row) for row in rows]}, "\n".join(lines))


def run_staff_set(args: argparse.Namespace, context: CommandContext) -> Outcome:
    database = context.open().database
    actor = context.actor
    with database.write() as session:
        row = update_staff(session, actor, args.account, now=context.now, role=args.role,
                           active=args.active)
    return Outcome(_staff_json(row), _("Staff account “{login}”: {role}{state}.").format(
        login=row.login, role=role_label(row.role),
        state="" if row.active else ", " + _("disabled")))


def run_staff_password(args: argparse.Namespace, context: CommandContext) -> Outcome:
    database = context.open().database
    actor = context.actor
    password = read_secret(_("New password: "))
    with database.write() as session:
        reset_password(session, actor, args.account, password, now=context.now)
    return Outcome({"login": args.account.strip().casefold()},
                   _("Password changed for “{login}”.").format(login=args.account))


def run_pg_role(args: argparse.Namespace, context: CommandContext) -> Outcome:
    from mediatheque.errors import InvalidValue
    from mediatheque.staff.passwords import check_password_policy
    from mediatheque.staff.pg_roles import create_application_role

    database = context.open().database
    context.actor.require(Permission.SETTINGS)
    if database.dialect != "postgresql":
        raise InvalidValue("db", database.describe())
    password = read_secret(_("Password of the database role: "))
    check_password_policy(password)
    with database.engine.begin() as connection:
        create_application_role(connection, args.role, password)
    return Outcome({"role": args.role}, _(
        "Database role “{role}” ready: the desks may connect with it.").format(role=args.role))


def run_audit(args: argparse.Namespace, context: CommandContext) -> Outcome:
    database = context.open().database
    actor = context.actor
    where = AuditFilter(since=args.since, until=args.until, actor=args.actor,
                        action=args.action, entity=args.entity)
    with database.read() as session:
        page = read_audit(session, actor, where, limit=max(args.limit, 0))
    entries = [
        {
            "at": row.happened_at.isoformat(),
            "recorded_at": row.recorded_at.isoformat(),
            "actor": row.actor,
            "action": row.action,
            "entity": row.entity,
            "entity_id": row.entity_id,
            "details": row.details,
        }
        for row in page.rows
    ]
    lines = [
        f"{row.recorded_at:%Y-%m-%d %H:%M:%S}  {row.actor:<12} {row.action:<18} "
        f"{row.entity}{'/' + row.entity_id if row.entity_id else ''}  "
        + json.dumps(row.details, ensure_ascii=False, default=str)
        for row in page.rows
    ]
    lines.append(ngettext("{n} entry in all", "{n} entries in all", page.total).format(
        n=page.total))
    return Outcome({"entries": entries, "total": page.total}, "\n".join(lines))
