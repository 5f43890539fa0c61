"""Plain-language (B1) explanations of where a request stands, for the employee's
timeline. The status labels themselves live on the model."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from vitaal.care.models import RequestStatus

S = RequestStatus

STATUS_EXPLANATIONS: dict[str, StrOrPromise] = {
    S.SUBMITTED: _("You sent your request."),
    S.AWAITING_APPROVAL: _("Your request is being checked. This usually takes a few working days."),
    S.APPROVED: _("Your request is approved. The care coordinator is looking for a care provider for you."),
    S.ASSIGNED: _("A care provider has been found. They will contact you."),
    S.DECLINED_BY_PROVIDER: _(
        "The care provider could not help you. The care coordinator is looking for another one."
    ),
    S.IN_PROGRESS: _("Your support has started."),
    S.COMPLETED: _("Your support is finished. Please tell us if it helped."),
    S.REJECTED: _("Your request was not approved."),
    S.WITHDRAWN: _("The request was stopped."),
}

NEXT_STEPS: dict[str, StrOrPromise] = {
    S.SUBMITTED: _("You do not have to do anything now."),
    S.AWAITING_APPROVAL: _("You do not have to do anything now. You will get an e-mail when there is news."),
    S.APPROVED: _("You do not have to do anything now. You will get an e-mail when there is news."),
    S.ASSIGNED: _("Wait for the care provider to contact you."),
    S.DECLINED_BY_PROVIDER: _("You do not have to do anything now."),
    S.IN_PROGRESS: _("Go to your appointments with the care provider."),
    S.COMPLETED: _("Fill in the short evaluation."),
    S.REJECTED: _("Questions? Contact the care coordinator."),
    S.WITHDRAWN: _("You can always send a new request."),
}


def explain(status: str) -> StrOrPromise:
    return STATUS_EXPLANATIONS.get(status, "")


def next_step(status: str) -> StrOrPromise:
    return NEXT_STEPS.get(status, "")
