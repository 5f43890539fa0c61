"""The retention table: for every class of personal data, how long vitaal keeps it, from
which event, what happens then, and why. Versioned data: change a period here, raise
TABLE_VERSION, and explain the change in docs/retention.md. The nightly job
(vitaal.privacy.enforce) and the erasure workflow (vitaal.privacy.erasure) both read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TABLE_VERSION = "2026.1"


class Action:
    DELETE = "delete"
    ANONYMISE = "anonymise"
    DEIDENTIFY = "deidentify"
    KEEP = "keep"


ACTION_LABELS = {
    Action.DELETE: _("delete"),
    Action.ANONYMISE: _("anonymise"),
    Action.DEIDENTIFY: _("remove the link to the person, keep the amounts"),
    Action.KEEP: _("keep"),
}


@dataclass(frozen=True)
class RetentionClass:
    """One row of the table. ``years``/``days`` is the period after ``start``; a class
    without a period (``keep``) is listed so the table names every kind of data."""

    key: str
    title: Any
    covers: tuple[str, ...]
    start: Any
    action: str
    ground: Any
    years: int = 0
    days: int = 0

    @property
    def period(self) -> Any:
        if self.years:
            return _("%(n)d years") % {"n": self.years}
        if self.days:
            return _("%(n)d days") % {"n": self.days}
        return _("no fixed period")

    @property
    def action_label(self) -> Any:
        return ACTION_LABELS[self.action]

    def cutoff(self, now: datetime | None = None) -> datetime:
        """Rows whose start event lies before this moment are due."""
        now = now or timezone.now()
        if self.years:
            return _years_before(now, self.years)
        return now - timedelta(days=self.days)

    def until(self, start: date | datetime) -> date:
        """The day a row that started at ``start`` is due (shown to the employee)."""
        day = start.date() if isinstance(start, datetime) else start
        if self.years:
            return _years_after(day, self.years)
        return day + timedelta(days=self.days)


def _years_before(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year - years, day=28)


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


TABLE: tuple[RetentionClass, ...] = (
    RetentionClass(
        key="care_records",
        title=_("Care records"),
        covers=(
            "care.CareRequest",
            "care.RequestEvent",
            "care.DeliverySession",
            "care.Evaluation",
            "care.Referral",
            "care.Enrolment",
        ),
        years=5,
        start=_(
            "the request was closed (completed, rejected or withdrawn); a referral was answered; "
            "a collective activity took place"
        ),
        action=Action.DELETE,
        ground=_(
            "A coordination file, not a medical file: the care provider keeps its own file under the "
            "WGBO (20 years). Five years matches the limitation period for claims (art. 3:310 BW), so "
            "decisions can be accounted for. While the financial records still point at a request, "
            "only its skeleton stays: texts, notes and the evaluation are removed."
        ),
    ),
    RetentionClass(
        key="financial",
        title=_("Financial records"),
        covers=("care.LedgerEntry",),
        years=7,
        start=_("the end of the booking year"),
        action=Action.DEIDENTIFY,
        ground=_(
            "Fiscal retention duty (art. 52 AWR, art. 2:10 BW). The amounts per organisation and year "
            "stay; only the link to a request and a session is removed."
        ),
    ),
    RetentionClass(
        key="health_checks",
        title=_("Health checks"),
        covers=("care.HealthCheck",),
        years=2,
        start=_("the day the check was filled in"),
        action=Action.DELETE,
        ground=_(
            "The employee's own tool, for seeing their trend; no legal duty to keep it. Data "
            "minimisation (AVG art. 5(1)(c) and (e))."
        ),
    ),
    RetentionClass(
        key="access_log",
        title=_("Access log"),
        covers=("core.AccessLogEntry",),
        years=5,
        start=_("the moment of access"),
        action=Action.DELETE,
        ground=_(
            "Accountability and security (AVG art. 5(2) and 32); five years, as NEN 7513 advises for "
            "logs of access to health data. Only this job may remove entries."
        ),
    ),
    RetentionClass(
        key="survey_responses",
        title=_("Survey responses"),
        covers=("surveys.SurveyResponse", "surveys.Answer", "surveys.Coding", "surveys.AgreedCoding"),
        years=5,
        start=_("the wave closed"),
        action=Action.DELETE,
        ground=_(
            "Anonymous, but free text can still point at someone. Five years covers re-analysis and "
            "comparison with the next waves; the counts per answer are kept without end."
        ),
    ),
    RetentionClass(
        key="survey_invitations",
        title=_("Survey invitations"),
        covers=("surveys.Invitation",),
        days=90,
        start=_("the wave closed"),
        action=Action.DELETE,
        ground=_("E-mail addresses are only needed to send invitations and reminders."),
    ),
    RetentionClass(
        key="leavers",
        title=_("Leavers"),
        covers=("core.Person", "core.User", "core.Membership", "api.ApiToken"),
        years=2,
        start=_("the end of employment"),
        action=Action.ANONYMISE,
        ground=_(
            "Personnel data is kept about two years after employment (Dutch DPA guidance). Name, "
            "e-mail, employee number, gender, birth year and hours are removed and the login is "
            "closed; organisation, unit, function group and dates stay for the figures of the past."
        ),
    ),
    RetentionClass(
        key="sessions",
        title=_("Login sessions and API tokens"),
        covers=("sessions.Session", "core.UserSession", "api.ApiToken"),
        days=365,
        start=_("a session expired (removed at once); a token expired or was revoked"),
        action=Action.DELETE,
        ground=_("Only needed while they can be used; a year after the end for tracing misuse."),
    ),
    RetentionClass(
        key="import_files",
        title=_("Import files"),
        covers=("core.ImportJob",),
        days=90,
        start=_("the upload"),
        action=Action.DELETE,
        ground=_(
            "The uploaded HR file is only needed to check and apply it; what changed is in the "
            "employee records and the access log."
        ),
    ),
    RetentionClass(
        key="task_results",
        title=_("Background task results"),
        covers=("django_tasks_db.DBTaskResult",),
        days=30,
        start=_("the task finished"),
        action=Action.DELETE,
        ground=_("Only needed to follow up a failed job."),
    ),
    RetentionClass(
        key="erasure_requests",
        title=_("Erasure requests and retention runs"),
        covers=("privacy.ErasureRequest", "privacy.RetentionRun"),
        years=5,
        start=_("the decision on the request; the run"),
        action=Action.DELETE,
        ground=_("Proof that requests were handled and the table enforced (AVG art. 5(2) and 12)."),
    ),
    RetentionClass(
        key="organisation_work",
        title=_("Work for the organisation"),
        covers=("igm.*", "indicators.*"),
        start=_("not applicable"),
        action=Action.KEEP,
        ground=_(
            "Plans, meter sessions, measurements and documents are the organisation's records. The "
            "name of who made them disappears when the login is anonymised."
        ),
    ),
)

BY_KEY: dict[str, RetentionClass] = {c.key: c for c in TABLE}


def retention_class(key: str) -> RetentionClass:
    return BY_KEY[key]
