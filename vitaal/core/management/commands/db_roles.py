"""``vitaal db-roles``: create the application and purge roles of PostgreSQL and their
grants, so that the application can only add to the access log (vitaal.core.dbroles).

Run it as the schema's owner (or a superuser), after ``migrate``:

    vitaal db-roles --print-sql           # the SQL, for a DBA to read and run
    vitaal db-roles                       # apply it, in one transaction
    vitaal db-roles --check               # report what the roles may do; exit 1 on a problem
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from vitaal.core.dbroles import DEFAULT_APP_ROLE, LOG_TABLE, RolePlan, check_sql, purge_role_name, roles_sql


class Command(BaseCommand):
    help = "Create the PostgreSQL application and purge roles and their grants (access log append-only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--app-role", default=DEFAULT_APP_ROLE, help="the role the application connects as"
        )
        parser.add_argument(
            "--purge-role",
            default=None,
            help="the role of the retention job (default: PURGE_DATABASE_URL's user)",
        )
        parser.add_argument(
            "--owner-role",
            default=None,
            help="the role that owns the tables (default: the access log's owner)",
        )
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="the connection to run as (the owner)"
        )
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--print-sql", action="store_true", help="print the SQL instead of running it")
        mode.add_argument("--check", action="store_true", help="report what the roles may do; change nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        connection = connections[options["database"]]
        if connection.vendor != "postgresql":
            raise CommandError(
                "Database roles exist on PostgreSQL only. On SQLite the application and the "
                "retention job share one file (see docs/deployment.md)."
            )
        purge = options["purge_role"] or purge_role_name()
        if options["check"]:
            problems = self._check(connection, options["app_role"], purge)
            for line in problems:
                self.stderr.write(line)
            if problems:
                raise CommandError(f"{len(problems)} problem(s) with the database roles.")
            self.stdout.write("The application may only add to the access log; the purge role may remove.")
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT tableowner FROM pg_tables WHERE tablename = %s", [LOG_TABLE])
            row = cursor.fetchone()
        if row is None:
            raise CommandError(f"Table {LOG_TABLE} does not exist: run `vitaal migrate` first.")
        try:
            plan = RolePlan(
                database=str(connection.settings_dict["NAME"]),
                owner=options["owner_role"] or row[0],
                app=options["app_role"],
                purge=purge,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        statements = roles_sql(plan)
        if options["print_sql"]:
            self.stdout.write("BEGIN;")
            for statement in statements:
                self.stdout.write(statement.rstrip(";") + ";")
            self.stdout.write("COMMIT;")
            return
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
        self.stdout.write(
            f"Roles ready: {plan.app} (application), {plan.purge} (retention purge), "
            f"tables owned by {plan.owner}."
        )

    def _check(self, connection: Any, app: str, purge: str) -> list[str]:
        problems: list[str] = []
        with connection.cursor() as cursor:
            rows = {}
            for role in (app, purge):
                cursor.execute(check_sql(), [LOG_TABLE] * 5 + [role])
                found = cursor.fetchone()
                if found is None:
                    problems.append(f"Role {role} does not exist: run `vitaal db-roles`.")
                else:
                    rows[role] = found
            cursor.execute(
                "SELECT tgenabled FROM pg_trigger WHERE tgname = 'core_accesslog_append_only'"
                " AND tgrelid = %s::regclass",
                [LOG_TABLE],
            )
            trigger = cursor.fetchone()
            if app in rows and purge in rows:
                cursor.execute("SELECT pg_has_role(%s, %s, 'MEMBER')", [app, purge])
                if cursor.fetchone()[0]:
                    problems.append(f"{app} is a member of {purge}: it could remove log entries.")
        if trigger is None or trigger[0] == "D":
            problems.append("The access log's append-only trigger is missing or disabled.")
        if app in rows:
            _name, superuser, owns, update, delete, truncate, insert = rows[app]
            if superuser:
                problems.append(f"{app} is a superuser: no trigger or grant holds it.")
            if owns:
                problems.append(f"{app} owns {LOG_TABLE}: it could disable the trigger.")
            for may, what in ((update, "UPDATE"), (delete, "DELETE"), (truncate, "TRUNCATE")):
                if may:
                    problems.append(f"{app} may {what} {LOG_TABLE}.")
            if not insert:
                problems.append(f"{app} may not INSERT into {LOG_TABLE}: nothing could be logged.")
        if purge in rows:
            _name, superuser, owns, _update, delete, _truncate, _insert = rows[purge]
            if superuser or owns:
                problems.append(
                    f"{purge} is a superuser or owns {LOG_TABLE}: give the purge job a lesser role."
                )
            if not delete:
                problems.append(f"{purge} cannot remove rows of {LOG_TABLE}: expired entries stay.")
        return problems
