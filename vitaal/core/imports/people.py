"""Importing employee records from the HR system (CSV, XLSX or the API) and exporting them.

The whole input is validated before anything is written, and then applied in one
transaction (DESIGN rule 5). People are keyed by employee number within the organisation,
so uploading the same file twice changes nothing; in "full" mode the file is the complete
staff list and people missing from it get an end date, never deleted. Every person
created or changed is written to the access log (rule 4).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
from typing import TYPE_CHECKING, Any, cast

from django.db import connections, models, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vitaal.core import audit
from vitaal.core.access import PERSON_FIELD_ORDER, person_fields_for
from vitaal.core.imports.people_validation import (  # noqa: F401 - COLUMN_HELP is part of the API
    _ATTRIBUTE,
    BATCH_SIZE,
    COLUMN_HELP,
    COLUMNS,
    MODES,
    _api_records,
    _Change,
    _file_records,
    _Plan,
    _plan,
)
from vitaal.core.models import ImportJob, Organisation, Person
from vitaal.core.models.audit import AccessAction
from vitaal.core.spreadsheets import UploadRejected, write_xlsx

if TYPE_CHECKING:
    pass

logger = logging.getLogger(__name__)


# --- Applying ---------------------------------------------------------------------------


def _apply_plan(*, plan: _Plan, organisation: Organisation, user: Any) -> None:
    """Write a valid plan. The caller holds the transaction."""
    now = timezone.now()
    created = [Person(organisation=organisation, **values) for values in plan.creates]
    if created:
        Person.objects.bulk_create(created, batch_size=BATCH_SIZE)
        if any(p.pk is None for p in created):
            # Backends that do not return primary keys from a bulk insert.
            ids = dict(Person.objects.filter(organisation=organisation).values_list("employee_number", "pk"))
            for person in created:
                person.pk = ids[person.employee_number]
    # One UPDATE per batch and per set of changed fields, so that a file that only
    # changes hours does not rewrite every name.
    groups: dict[tuple[str, ...], list[_Change]] = {}
    for change in [*plan.updates, *plan.leavers]:
        groups.setdefault(tuple(sorted(change.values)), []).append(change)
    for attrs, changes in groups.items():
        _bulk_update(changes, list(attrs), now)

    def subjects(changes: list[_Change]) -> list[Person]:
        return [Person(pk=c.pk, organisation=organisation, user_id=c.user_id) for c in changes]

    _log(created, "people import: created", user)
    _log(subjects(plan.updates), "people import: changed", user)
    _log(subjects(plan.leavers), "people import: marked as leaver", user)


def _bulk_update(changes: list[_Change], attrs: list[str], now: datetime.datetime) -> None:
    """``UPDATE person SET field = CASE id WHEN .. THEN .. END WHERE id IN (..)`` per batch.

    This is the statement Django's ``bulk_update`` sends, written out by hand: Django
    builds and resolves an expression per object and field, which takes minutes at
    50,000 people. Only quoted column names and %s parameters go into the SQL text.
    """
    connection = connections[router.db_for_write(Person)]
    opts = Person._meta
    quote = connection.ops.quote_name
    pk_column = quote(str(opts.pk.column))
    fields = [cast(models.Field, opts.get_field(attr)) for attr in attrs]
    updated_at = cast(models.Field, opts.get_field("updated_at"))
    max_params = min(connection.features.max_query_params or 30_000, 30_000)
    size = max(1, min(BATCH_SIZE, (max_params - 1) // (2 * len(fields) + 1)))
    for start in range(0, len(changes), size):
        batch = changes[start : start + size]
        assignments: list[str] = []
        params: list[Any] = []
        for f in fields:
            case = "CASE {} {} END".format(pk_column, " ".join(["WHEN %s THEN %s"] * len(batch)))
            if connection.features.requires_casted_case_in_updates:
                case = f"CAST({case} AS {f.cast_db_type(connection)})"
            assignments.append(f"{quote(str(f.column))} = {case}")
            for change in batch:
                params.append(change.pk)
                params.append(f.get_db_prep_save(change.values[f.attname], connection))
        assignments.append(f"{quote(str(updated_at.column))} = %s")
        params.append(updated_at.get_db_prep_save(now, connection))
        params.extend(change.pk for change in batch)
        sql = "UPDATE {} SET {} WHERE {} IN ({})".format(  # noqa: S608 - no values in the text
            quote(opts.db_table), ", ".join(assignments), pk_column, ", ".join(["%s"] * len(batch))
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def _log(people: list[Person], description: str, user: Any) -> None:
    for i in range(0, len(people), BATCH_SIZE):
        audit.log_access_many(
            subjects=people[i : i + BATCH_SIZE],
            action=AccessAction.IMPORT,
            object_type="person",
            description=description,
            user=user,
        )


def _check_mode(mode: str) -> None:
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")


def _real_user(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


def _unexpected_error() -> list[dict[str, Any]]:
    return [
        {
            "row": 0,
            "column": "",
            "message": _("The import failed because of an unexpected error. Nothing was changed."),
        }
    ]


def _validate_file(*, organisation: Organisation, filename: str, content: bytes, mode: str) -> _Plan:
    plan = _Plan()
    try:
        records = _file_records(filename, content, plan)
    except UploadRejected as exc:
        plan.errors = [{"row": exc.row, "column": exc.column, "message": exc.message}]
        return plan
    return _plan(organisation=organisation, records=records, mode=mode, plan=plan, require_keys=False)


def people_import_check(
    *, organisation: Organisation, filename: str, content: bytes, mode: str
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Validate a file without storing anything (the command line's --dry-run):
    (summary, errors)."""
    _check_mode(mode)
    plan = _validate_file(organisation=organisation, filename=filename, content=content, mode=mode)
    return plan.summary(mode), plan.final_errors()


def people_import_create(
    *, organisation: Organisation, user: Any, filename: str, content: bytes, mode: str
) -> ImportJob:
    """Validate an uploaded file whole and keep it as an import job waiting for
    confirmation (VALIDATED) or with its errors (REJECTED). Changes no people."""
    _check_mode(mode)
    plan = _validate_file(organisation=organisation, filename=filename, content=content, mode=mode)
    errors = plan.final_errors()
    return ImportJob.objects.create(
        organisation=organisation,
        kind=ImportJob.Kind.PEOPLE,
        status=ImportJob.Status.REJECTED if errors else ImportJob.Status.VALIDATED,
        filename=filename[:255],
        content=content,
        content_sha256=hashlib.sha256(content).hexdigest(),
        summary=plan.summary(mode),
        errors=errors,
        created_by=_real_user(user),
    )


def people_import_apply(*, job: ImportJob, user: Any) -> ImportJob:
    """Apply a validated import in one transaction, validating it again first because
    the organisation's data may have changed since. On any failure nothing is written
    and the job is marked FAILED with the reasons."""
    applicable = (ImportJob.Status.VALIDATED, ImportJob.Status.QUEUED)
    mode = (job.summary or {}).get("mode", "partial")
    errors: list[dict[str, Any]] = []
    summary: dict[str, Any] = dict(job.summary or {})
    try:
        with transaction.atomic():
            locked = ImportJob.objects.select_for_update().get(pk=job.pk)
            if locked.status not in applicable:
                # Applied or cancelled meanwhile (a double click, another tab).
                job.status = locked.status
                return job
            organisation = Organisation.objects.select_for_update().get(pk=locked.organisation_id)
            plan = _validate_file(
                organisation=organisation,
                filename=locked.filename,
                content=bytes(locked.content),
                mode=mode,
            )
            errors = plan.final_errors()
            summary = plan.summary(mode)
            if not errors:
                _apply_plan(plan=plan, organisation=organisation, user=user)
                locked.status = ImportJob.Status.APPLIED
                locked.applied_at = timezone.now()
                locked.summary = summary
                locked.errors = []
                locked.save(update_fields=["status", "applied_at", "summary", "errors"])
    except Exception:
        logger.exception("People import %s failed", job.pk)
        errors = _unexpected_error()
    if errors:
        job.status = ImportJob.Status.FAILED
        job.errors = errors
        job.summary = summary
        job.save(update_fields=["status", "errors", "summary"])
        return job
    job.status = ImportJob.Status.APPLIED
    job.applied_at = locked.applied_at
    job.summary = summary
    job.errors = []
    return job


def people_import_queue(*, job: ImportJob, user: Any) -> ImportJob:
    """Hand a large validated import to the task worker; the page shows its progress."""
    from vitaal.core.tasks import apply_people_import

    with transaction.atomic():
        updated = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.VALIDATED).update(
            status=ImportJob.Status.QUEUED
        )
        if updated:
            user_id = getattr(user, "pk", None)
            transaction.on_commit(lambda: apply_people_import.enqueue(job.pk, user_id))
    job.refresh_from_db(fields=["status"])
    return job


def people_import_cancel(*, job: ImportJob, user: Any) -> ImportJob:
    """Drop a validated import; nothing was or will be changed."""
    job.status = ImportJob.Status.CANCELLED
    job.save(update_fields=["status"])
    return job


def people_records_import(
    *, organisation: Organisation, user: Any, records: list[dict[str, Any]], mode: str
) -> dict[str, Any]:
    """The API's import: the same validation over JSON records (row = position, from 1),
    applied atomically when all are valid. The request is kept as an import job."""
    _check_mode(mode)
    content = json.dumps(records, ensure_ascii=False, default=str).encode()
    plan = _Plan()
    try:
        with transaction.atomic():
            organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
            rows = _api_records(records, plan)
            _plan(organisation=organisation, records=rows, mode=mode, plan=plan, require_keys=True)
            errors = plan.final_errors()
            if not errors:
                _apply_plan(plan=plan, organisation=organisation, user=user)
    except Exception:
        logger.exception("People import through the API failed")
        errors = _unexpected_error()
        plan = _Plan(errors=errors, rows=len(records))
    summary = plan.summary(mode)
    ImportJob.objects.create(
        organisation=organisation,
        kind=ImportJob.Kind.PEOPLE,
        status=ImportJob.Status.REJECTED if errors else ImportJob.Status.APPLIED,
        filename="api",
        content=content,
        content_sha256=hashlib.sha256(content).hexdigest(),
        summary=summary,
        errors=errors,
        created_by=_real_user(user),
        applied_at=None if errors else timezone.now(),
    )
    return {
        "status": "rejected" if errors else "applied",
        "created": summary["created"],
        "updated": summary["updated"],
        "unchanged": summary["unchanged"],
        "leavers": summary["leavers"],
        "errors": errors,
    }


# --- Export -----------------------------------------------------------------------------


def _export_value(person: Person, column: str) -> Any:
    if column == "unit":
        return person.unit.code if person.unit_id and person.unit else ""
    if column == "function_group":
        return person.function_group.code if person.function_group_id and person.function_group else ""
    if column == "gender":
        return "" if person.gender == "u" else person.gender
    return getattr(person, column)


def people_export_xlsx(*, people: list[Person], user: Any) -> bytes:
    """The people as a workbook in the import's own format, so that it can be edited and
    uploaded again. Only fields the user may see are filled in (DESIGN rule 1)."""
    allowed = [(person, set(person_fields_for(user, person))) for person in people]
    visible: set[str] = set().union(*(fields for _p, fields in allowed)) if allowed else set()
    headers = [f for f in PERSON_FIELD_ORDER if f in visible and f in _ATTRIBUTE]
    rows = (
        [_export_value(person, c) if c in fields else None for c in headers] for person, fields in allowed
    )
    return write_xlsx(headers=headers, rows=rows, sheet_title=_("People"))
