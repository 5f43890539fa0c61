"""The PostgreSQL roles that keep the access log append-only for the application.

Three roles (docs/deployment.md, "Database roles"):

- the **owner** owns the schema and runs the migrations; it is never what the application
  connects as, because a table's owner can disable the table's triggers;
- the **application role** (``DATABASE_URL``) may read and write the ordinary tables, but on
  the access log only ``SELECT`` and ``INSERT``;
- the **purge role** (``PURGE_DATABASE_URL``, database alias ``purge``) may only read and
  ``DELETE`` access-log rows; the nightly retention job removes expired entries through it.

The trigger (``core_accesslog_refuse_change``) refuses ``UPDATE`` always, and ``DELETE`` and
``TRUNCATE`` unless the current role is a member of the purge role. PostgreSQL counts a
superuser as a member of every role, and a superuser can switch triggers off anyway
(``session_replication_role``), so the trigger does not pretend to hold one: the application
must never connect as a superuser (``vitaal db-roles --check`` says so when it does).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

PURGE_ALIAS = "purge"
DEFAULT_APP_ROLE = "vitaal_app"
DEFAULT_PURGE_ROLE = "vitaal_purge"
LOG_TABLE = "core_accesslogentry"
_ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def purge_alias() -> str:
    """The database alias the retention job removes access-log rows through: ``purge`` when
    ``PURGE_DATABASE_URL`` configures it, else the default connection (SQLite, development:
    see docs/deployment.md for why that is safe)."""
    return PURGE_ALIAS if PURGE_ALIAS in settings.DATABASES else DEFAULT_DB_ALIAS


def purge_role_name() -> str:
    """The PostgreSQL role the trigger lets remove rows: the purge alias's user, else the
    conventional name."""
    user = settings.DATABASES.get(PURGE_ALIAS, {}).get("USER")
    return str(user or DEFAULT_PURGE_ROLE)


def checked_role(name: str) -> str:
    """A role name safe to put into SQL as an identifier (lower case, digits, underscore)."""
    if not _ROLE_NAME.match(name):
        raise ValueError(
            f"{name!r} is not a usable role name: use lower-case letters, digits and underscores."
        )
    return name


def trigger_function_sql(purge_role: str) -> str:
    """The trigger function, with the purge role's name written into it. Re-created by the
    migration and by ``vitaal db-roles`` (the owner runs both), never by the application."""
    role = checked_role(purge_role)
    # The role name is checked above; PL/pgSQL bodies cannot take bind parameters.
    return f"""
CREATE OR REPLACE FUNCTION core_accesslog_refuse_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP <> 'UPDATE' AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') THEN
        IF pg_has_role(current_user, '{role}', 'MEMBER') THEN
            IF TG_OP = 'TRUNCATE' THEN RETURN NULL; END IF;
            RETURN OLD;
        END IF;
    END IF;
    IF TG_OP <> 'UPDATE' AND (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        -- Without a purge role (a developer's database) only a superuser gets here.
        IF TG_OP = 'TRUNCATE' THEN RETURN NULL; END IF;
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'core_accesslogentry is append-only (% refused for %)', TG_OP, current_user;
END;
$$ LANGUAGE plpgsql;
"""  # noqa: S608


@dataclass(frozen=True)
class RolePlan:
    """Who is who: the names the SQL is written for."""

    database: str
    owner: str
    app: str
    purge: str

    def __post_init__(self) -> None:
        for name in (self.owner, self.app, self.purge):
            checked_role(name)
        if len({self.owner, self.app, self.purge}) != 3:
            raise ValueError("The owner, application and purge roles must be three different roles.")


def _create_role(name: str) -> str:
    # No password here: printed SQL must not carry secrets (set it with \password).
    return (
        f"DO $$ BEGIN CREATE ROLE {name} LOGIN; "
        f"EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;"
    )


def roles_sql(plan: RolePlan) -> list[str]:
    """The statements that create the two roles (if missing) and set every grant. Idempotent:
    run it again after each ``migrate`` (new tables) -- default privileges cover most of it."""
    app, purge, owner = plan.app, plan.purge, plan.owner
    return [
        _create_role(app),
        _create_role(purge),
        f"ALTER ROLE {app} NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS",
        f"ALTER ROLE {purge} NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS",
        # Neither may act as the other, nor as the owner.
        f"REVOKE {purge} FROM {app}",
        f"REVOKE {owner} FROM {app}",
        f"REVOKE {owner} FROM {purge}",
        f'GRANT CONNECT ON DATABASE "{plan.database}" TO {app}, {purge}',
        f"GRANT USAGE ON SCHEMA public TO {app}, {purge}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {app}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {app}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {app}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public "
        f"GRANT USAGE, SELECT ON SEQUENCES TO {app}",
        # The access log: the application adds and reads, the purge role reads and removes.
        f"REVOKE ALL ON {LOG_TABLE} FROM PUBLIC, {app}, {purge}",
        f"GRANT SELECT, INSERT ON {LOG_TABLE} TO {app}",
        f"GRANT SELECT, DELETE ON {LOG_TABLE} TO {purge}",
        trigger_function_sql(purge).strip(),
    ]


def check_sql() -> str:
    """What one role may do with the access log (params: the table name six times, the role),
    for ``vitaal db-roles --check``."""
    return """
SELECT r.rolname,
       r.rolsuper,
       (SELECT tableowner FROM pg_tables WHERE tablename = %s) = r.rolname AS owns_log,
       has_table_privilege(r.rolname, %s, 'UPDATE') AS may_update,
       has_table_privilege(r.rolname, %s, 'DELETE') AS may_delete,
       has_table_privilege(r.rolname, %s, 'TRUNCATE') AS may_truncate,
       has_table_privilege(r.rolname, %s, 'INSERT') AS may_insert
  FROM pg_roles r WHERE r.rolname = %s
"""
