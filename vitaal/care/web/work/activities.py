"""Collective activities: the list (employees: what they can join; the care coordinator
and providers: what they manage), planning one, the detail page employees reach from a
link, enrolment and unenrolment."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vitaal.care import collective
from vitaal.care.models import CollectiveActivity, Enrolment
from vitaal.care.web.work.common import acting_user, add_errors, refusal_messages, require
from vitaal.care.web.work.forms import ActivityForm
from vitaal.core.access import get_actor
from vitaal.core.models import Sector
from vitaal.core.roles import Role


def _visible(request: HttpRequest) -> QuerySet[CollectiveActivity]:
    return collective.with_counts(
        CollectiveActivity.objects.visible_to(request.user).select_related("organisation", "provider")
    )


@require_GET
def activity_list(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request.user)
    person = actor.person if actor.person is not None and actor.person.is_current else None
    can_create = collective.can_create(request.user)
    require(person is not None or can_create)
    activities = list(_visible(request).order_by("starts_at", "pk"))
    mine: set[int] = set()
    if person is not None:
        mine = set(Enrolment.objects.filter(person=person).values_list("activity_id", flat=True))
    managed = [a for a in activities if collective.can_manage(request.user, a)] if can_create else []
    open_to_me = (
        [a for a in activities if collective.enrolling_person(request.user, a) is not None]
        if person is not None
        else []
    )
    return render(
        request,
        "care/work/activity_list.html",
        {"managed": managed, "open_to_me": open_to_me, "mine": mine, "can_create": can_create},
    )


def _creation_sector(request: HttpRequest) -> Sector:
    actor = get_actor(request.user)
    sectors = actor.sectors_for([Role.CARE_COORDINATOR]) | actor.sectors_for([Role.PROVIDER])
    require(collective.can_create(request.user) and bool(sectors))
    return Sector.objects.filter(pk__in=sectors).order_by("pk").first()  # type: ignore[return-value]


@require_http_methods(["GET", "POST"])
def activity_create(request: HttpRequest) -> HttpResponse:
    sector = _creation_sector(request)
    form = ActivityForm(request.POST or None, sector_id=sector.pk)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            activity = collective.activity_create(
                user=acting_user(request),
                sector=sector,
                spec=collective.ActivitySpec(
                    title=data["title"],
                    description=data["description"],
                    location=data["location"],
                    organisation=data["organisation"],
                    intervention=data["intervention"],
                    starts_at=data["starts_at"],
                    enrolment_deadline=data["enrolment_deadline"],
                    capacity=data["capacity"],
                    min_participants=data["min_participants"],
                ),
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The activity has been planned. Share its page with employees."))
            return redirect("care:activity_detail", pk=activity.pk)
    return render(request, "care/work/activity_form.html", {"form": form})


def _activity(request: HttpRequest, pk: int) -> CollectiveActivity:
    activity = _visible(request).filter(pk=pk).first()
    if activity is None:
        raise Http404
    return activity


@require_GET
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    person = collective.enrolling_person(request.user, activity)
    enrolled = person is not None and Enrolment.objects.filter(activity=activity, person=person).exists()
    manages = collective.can_manage(request.user, activity)
    participants = collective.participants(request.user, activity) if manages else []
    enrolled_count = getattr(activity, "enrolled", 0)
    return render(
        request,
        "care/work/activity_detail.html",
        {
            "activity": activity,
            "person": person,
            "enrolled": enrolled,
            "manages": manages,
            "participants": participants,
            "places_left": max(activity.capacity - enrolled_count, 0),
            "enrolled_count": enrolled_count,
        },
    )


@require_POST
def activity_enrol(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    try:
        collective.enrol(user=acting_user(request), activity=activity)
    except ValidationError as exc:
        refusal_messages(request, exc)
    else:
        messages.success(
            request, _("You are enrolled. You will get an e-mail when it is certain to go ahead.")
        )
    return redirect("care:activity_detail", pk=pk)


@require_POST
def activity_unenrol(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    try:
        collective.unenrol(user=acting_user(request), activity=activity)
    except ValidationError as exc:
        refusal_messages(request, exc)
    else:
        messages.success(request, _("You are no longer enrolled."))
    return redirect("care:activity_detail", pk=pk)
