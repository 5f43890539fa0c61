"""URL access table of the care work area (see vitaal/core/testing_access.py).

Requests and activities are health data: outside the roles that may see them they do not
exist (404), so ``denied`` is 404 for those pages."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from vitaal.core.testing import Cast
from vitaal.core.testing_access import HAS_PERSON, Access, org_a

from .work_world import WorkWorld, build_work_world

_WORLD: dict[str, WorkWorld] = {}


def prepare(cast: Cast) -> None:
    _WORLD["w"] = build_work_world(cast)


def _req(name: str) -> Any:
    return lambda c: {"pk": _WORLD["w"].pk(name)}


def _invoice(c: Cast) -> dict[str, Any]:
    return {
        "provider": _WORLD["w"].balans.pk,
        "org": c.a.organisation.slug,
        "period": timezone.localdate().strftime("%Y-%m"),
    }


def _activity(c: Cast) -> dict[str, Any]:
    activity = _WORLD["w"].activity
    assert activity is not None
    return {"pk": activity.pk}


REFERRERS = {"manager", "hr", "company_doctor"}
COORDINATOR = {"care_coordinator"}
PROVIDER = {"provider"}
SEES_ACTIVITY = {"employee", "manager", "care_coordinator", "provider"}


def _post(kwargs: Any, ok: set[str], data: dict[str, Any] | None = None, denied: int = 404) -> Access:
    return Access(kwargs=kwargs, ok=ok, method="post", data=data or {}, success=302, denied=denied)


ACCESS: dict[str, Access] = {
    "care:referral_list": Access(kwargs=org_a, org=True, ok=REFERRERS),
    "care:referral_create": Access(kwargs=org_a, org=True, ok=REFERRERS),
    "care:queue": Access(ok=COORDINATOR),
    "care:doctor_approvals": Access(kwargs=org_a, org=True, ok={"company_doctor"}),
    "care:request_review": Access(kwargs=_req("review"), ok=COORDINATOR, denied=404),
    "care:request_approve": _post(_req("approve"), COORDINATOR),
    "care:request_reject": _post(_req("reject"), COORDINATOR, {"reason": "Past niet in de regeling."}),
    # The table's data cannot name the provider's key, so the coordinator's post is the
    # refused one (400, form shown again); the successful assignment is in test_work_pages.
    "care:request_assign": Access(
        kwargs=_req("assign"), ok=COORDINATOR, method="post", data={"provider": "0"}, success=400, denied=404
    ),
    "care:assignment_list": Access(ok=PROVIDER),
    "care:assignment_detail": Access(kwargs=_req("detail"), ok=PROVIDER, denied=404),
    "care:assignment_accept": _post(_req("accept"), PROVIDER, {"sessions_planned": 1}),
    "care:assignment_decline": _post(_req("decline"), PROVIDER, {"reason": "Geen plek."}),
    "care:session_add": _post(
        _req("detail"),
        PROVIDER,
        {"date": "2000-01-01", "duration_minutes": 50, "cost": "95.00"},
    ),
    "care:assignment_close": _post(_req("close"), PROVIDER, {"outcome": "goal_reached"}),
    # Addressed to the arrangement: the provider sends, the care coordinator desk receives.
    "care:invoice_list": Access(ok=PROVIDER | COORDINATOR),
    "care:invoice_detail": Access(kwargs=_invoice, ok=PROVIDER | COORDINATOR),
    "care:invoice_xlsx": Access(kwargs=_invoice, ok=PROVIDER | COORDINATOR),
    "care:invoice_pdf": Access(kwargs=_invoice, ok=PROVIDER | COORDINATOR),
    "care:activity_list": Access(ok=HAS_PERSON | COORDINATOR | PROVIDER),
    "care:activity_create": Access(ok=COORDINATOR | PROVIDER),
    "care:activity_detail": Access(kwargs=_activity, ok=SEES_ACTIVITY, denied=404),
    "care:activity_enrol": _post(_activity, SEES_ACTIVITY),
    "care:activity_unenrol": _post(_activity, SEES_ACTIVITY),
}
