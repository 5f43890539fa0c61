"""Referrals by a manager (own team), HR advisor or company doctor.

The referrer's page lists what they referred and nothing after it: no answer, no status,
no outcome (DESIGN rule 1). It reads through ``selectors.referrals_made_by``, which does
not even fetch the answer."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.middleware import HtmxDetails

from vitaal.care import workflow
from vitaal.care.selectors import referrals_made_by
from vitaal.care.web.work.common import acting_user, add_errors, organisation_in_scope, require
from vitaal.care.web.work.forms import ReferralForm, referrer_roles_in
from vitaal.core.audit import AccessAction, log_access_many
from vitaal.core.models import Person
from vitaal.core.roles import Role


@require_GET
def referral_list(request: HttpRequest, org: str) -> HttpResponse:
    organisation = organisation_in_scope(request, org)
    require(bool(referrer_roles_in(request.user, organisation)))
    in_org = set(Person.objects.filter(organisation=organisation).values_list("pk", flat=True))
    labels = dict(Role.choices)
    referrals = [
        (r, labels.get(r.referrer_role, r.referrer_role))
        for r in referrals_made_by(request.user)
        if r.person_id in in_org
    ]
    # Each person on the list is a read of their data by the referrer, logged like every
    # other list of people (one bulk insert).
    shown = Person.objects.filter(pk__in={r.person_id for r, _label in referrals}).only(
        "pk", "organisation_id", "user_id"
    )
    log_access_many(
        subjects=shown,
        action=AccessAction.VIEW,
        object_type="referral",
        description="referrals made list",
        user=request.user,
    )
    return render(
        request, "care/work/referral_list.html", {"organisation": organisation, "referrals": referrals}
    )


@require_http_methods(["GET", "POST"])
def referral_create(request: HttpRequest, org: str) -> HttpResponse:
    organisation = organisation_in_scope(request, org)
    require(bool(referrer_roles_in(request.user, organisation)))
    form = ReferralForm(
        request.POST or None,
        user=acting_user(request),
        organisation=organisation,
        search=request.GET.get("q", ""),
        initial={"person": request.GET.get("person")},
    )
    context = {"organisation": organisation, "form": form}
    htmx = HtmxDetails(request)
    if request.method == "GET" and htmx and not htmx.history_restore_request:
        # The search field asks for the list of matches only (HTMX); without JavaScript the
        # same ?q= search reloads the whole page.
        return render(request, "care/work/referral_people.html", {**context, "oob": True})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            workflow.referral_create(
                referrer=acting_user(request),
                person=data["person"],
                intervention=data["intervention"],
                referrer_role=data["referrer_role"],
                note=data["note"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Your referral has been sent. The employee decides whether to accept it; "
                    "what they decide stays with them."
                ),
            )
            return redirect("care:referral_list", org=organisation.slug)
    return render(request, "care/work/referral_form.html", context)
