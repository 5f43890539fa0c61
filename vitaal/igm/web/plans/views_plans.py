"""Pages of the plans of approach: list, create (optionally from a meter session), detail,
the parts (lines, improvement points, SMART goals, actions), submit, sign-off, reopen,
the pragmatic track, and the published summary for employees."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_GET, require_http_methods

from vitaal.core.access import get_actor, require_perm
from vitaal.core.models import Organisation, Unit
from vitaal.igm import services
from vitaal.igm.models import Action, Goal, ImprovementPoint, Plan, PlanLine, PragmaticInitiative
from vitaal.igm.selectors import published_plan_summaries
from vitaal.igm.services.plans import (
    action_remove,
    goal_remove,
    improvement_point_remove,
    plan_create_from_session,
    plan_line_remove,
    plan_progress,
)

from . import forms
from .common import (
    active_cycle,
    current_user,
    error_message,
    errors_to_form,
    form_data,
    require_active_cycle,
    scoped_organisation,
    scoped_plan,
)

GET_POST = require_http_methods(["GET", "POST"])


def _plan_url(plan: Plan) -> str:
    return reverse("igm:plan_detail", args=[plan.cycle.organisation.slug, plan.pk])


def _form_page(
    request: HttpRequest, form: Any, *, title: str, back: str, submit: str, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "igm/plans/form.html",
        {"form": form, "title": title, "back": back, "submit": submit, **extra},
    )


@require_GET
def plan_list(request: HttpRequest, org: str) -> HttpResponse:
    organisation = scoped_organisation(request, org, "igm.view_cycle")
    cycle = active_cycle(organisation)
    plans: list[Plan] = []
    initiatives: list[PragmaticInitiative] = []
    if cycle is not None:
        plans = list(
            Plan.objects.visible_to(request.user)
            .filter(cycle=cycle)
            .select_related("unit")
            .order_by("unit__path", "pk")
        )
        initiatives = list(cycle.pragmatic_initiatives.select_related("unit", "line")[:50])
    progress = plan_progress(plans, timezone.localdate())
    return render(
        request,
        "igm/plans/plan_list.html",
        {
            "organisation": organisation,
            "cycle": cycle,
            "rows": [(p, progress[p.pk]) for p in plans],
            "initiatives": initiatives,
            "can_add": cycle is not None and request.user.has_perm("igm.add_plan", cycle),
        },
    )


@GET_POST
def plan_create(request: HttpRequest, org: str) -> HttpResponse:
    organisation = scoped_organisation(request, org, "igm.view_cycle")
    cycle = require_active_cycle(organisation)
    require_perm(request.user, "igm.add_plan", cycle)
    form = forms.PlanCreateForm(form_data(request), cycle=cycle)
    if request.method == "POST" and form.is_valid():
        unit, session = form.cleaned_data["unit"], form.cleaned_data["session"]
        try:
            if session is not None:
                plan = plan_create_from_session(cycle=cycle, session=session, unit=unit)
            else:
                plan = services.plan_create(cycle=cycle, unit=unit)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The plan of approach has been created."))
            return redirect(_plan_url(plan))
    return _form_page(
        request,
        form,
        title=_("New plan of approach"),
        back=reverse("igm:plan_list", args=[organisation.slug]),
        submit=_("Create plan"),
    )


def _plan_tree(plan: Plan) -> list[PlanLine]:
    actions = Prefetch("actions", queryset=Action.objects.select_related("owner").order_by("due_date", "pk"))
    goals = Prefetch("goals", queryset=Goal.objects.select_related("owner").prefetch_related(actions))
    points = Prefetch("points", queryset=ImprovementPoint.objects.prefetch_related(goals))
    return list(plan.lines.select_related("line").prefetch_related(points).order_by("priority", "pk"))


@require_GET
def plan_detail(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    plan = scoped_plan(request, org, pk, "igm.view_plan")
    user = request.user
    return render(
        request,
        "igm/plans/plan_detail.html",
        {
            "plan": plan,
            "organisation": plan.cycle.organisation,
            "lines": _plan_tree(plan),
            "progress": plan_progress([plan], timezone.localdate())[plan.pk],
            "can_change": user.has_perm("igm.change_plan", plan) and plan.cycle.is_active,
            "can_sign_off": user.has_perm("igm.signoff_plan", plan) and plan.status == "submitted",
            "can_reopen": user.has_perm("igm.reopen_plan", plan),
        },
    )


@GET_POST
def plan_edit(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    plan = scoped_plan(request, org, pk, "igm.change_plan")
    initial = {
        "summary_nl": plan.summary_nl,
        "summary_en": plan.summary_en,
        "exceed_defaults": plan.exceed_defaults,
    }
    form = forms.PlanEditForm(form_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update(plan=plan, **form.cleaned_data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The plan has been saved."))
            return redirect(_plan_url(plan))
    return _form_page(request, form, title=_("Summary and limits"), back=_plan_url(plan), submit=_("Save"))


@GET_POST
def plan_line_add(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    plan = scoped_plan(request, org, pk, "igm.change_plan")
    form = forms.PlanLineForm(form_data(request), plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_line_add(plan=plan, line=form.cleaned_data["line"])
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The development line has been added."))
            return redirect(_plan_url(plan))
    return _form_page(
        request, form, title=_("Prioritise a development line"), back=_plan_url(plan), submit=_("Add")
    )


@GET_POST
def improvement_point_add(request: HttpRequest, org: str, pk: int, line: int) -> HttpResponse:
    plan = scoped_plan(request, org, pk, "igm.change_plan")
    plan_line = get_object_or_404(PlanLine.objects.select_related("line"), pk=line, plan=plan)
    form = forms.ImprovementPointForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.improvement_point_add(plan_line=plan_line, **form.cleaned_data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The improvement point has been added."))
            return redirect(_plan_url(plan))
    return _form_page(
        request,
        form,
        title=_("Improvement point for %(line)s") % {"line": plan_line.line.name},
        back=_plan_url(plan),
        submit=_("Add"),
    )


@GET_POST
def goal_edit(request: HttpRequest, org: str, pk: int, point: int, goal: int | None = None) -> HttpResponse:
    plan = scoped_plan(request, org, pk, "igm.change_plan")
    improvement_point = get_object_or_404(ImprovementPoint, pk=point, plan_line__plan=plan)
    instance = get_object_or_404(Goal, pk=goal, improvement_point=improvement_point) if goal else None
    return _part_form(
        request,
        plan,
        forms.GoalForm,
        instance,
        lambda data: services.goal_set(improvement_point=improvement_point, goal=instance, **data),
        done=_("The goal has been saved."),
        title=_("SMART goal for %(point)s") % {"point": improvement_point.title},
        submit=_("Save goal"),
    )


@GET_POST
def action_edit(
    request: HttpRequest, org: str, pk: int, goal: int, action: int | None = None
) -> HttpResponse:
    plan = scoped_plan(request, org, pk, "igm.change_plan")
    goal_obj = get_object_or_404(Goal, pk=goal, improvement_point__plan_line__plan=plan)
    instance = get_object_or_404(Action, pk=action, goal=goal_obj) if action else None
    return _part_form(
        request,
        plan,
        forms.ActionForm,
        instance,
        lambda data: services.action_set(goal=goal_obj, action=instance, **data),
        done=_("The action has been saved."),
        title=_("Action for: %(goal)s") % {"goal": goal_obj},
        submit=_("Save action"),
    )


def _part_form(
    request: HttpRequest,
    plan: Any,
    form_class: Any,
    instance: Any,
    save: Callable[[dict[str, Any]], object],
    *,
    done: str,
    title: str,
    submit: str,
) -> HttpResponse:
    """Add or change one part of a plan (a goal, an action) through its form and service."""
    initial: dict[str, Any] = {}
    if instance is not None:
        initial = {name: getattr(instance, name) for name in form_class.base_fields}
    form = form_class(form_data(request), initial=initial, organisation=plan.cycle.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, done)
            return redirect(_plan_url(plan))
    return _form_page(request, form, title=title, back=_plan_url(plan), submit=submit)


def _confirm(
    request: HttpRequest, plan: Plan, *, title: str, text: str, submit: str, danger: bool = False
) -> HttpResponse:
    return render(
        request,
        "igm/plans/confirm.html",
        {
            "title": title,
            "text": text,
            "submit": submit,
            "back": _plan_url(plan),
            "danger": danger,
            "plan": plan,
        },
    )


# The removable parts of a plan: (model, lookup to the plan, remover, question, done message)
REMOVABLE: dict[str, tuple[Any, str, Any, Any, Any]] = {
    "line": (
        PlanLine,
        "plan",
        lambda obj: plan_line_remove(plan_line=obj),
        gettext_lazy("Remove the development line '%(name)s' from the plan?"),
        gettext_lazy("The development line has been removed."),
    ),
    "point": (
        ImprovementPoint,
        "plan_line__plan",
        lambda obj: improvement_point_remove(point=obj),
        gettext_lazy("Remove the improvement point '%(name)s'?"),
        gettext_lazy("The improvement point has been removed."),
    ),
    "goal": (
        Goal,
        "improvement_point__plan_line__plan",
        lambda obj: goal_remove(goal=obj),
        gettext_lazy("Remove the goal '%(name)s'?"),
        gettext_lazy("The goal has been removed."),
    ),
    "action": (
        Action,
        "goal__improvement_point__plan_line__plan",
        lambda obj: action_remove(action=obj),
        gettext_lazy("Remove the action '%(name)s'?"),
        gettext_lazy("The action has been removed."),
    ),
}


@GET_POST
def plan_part_remove(request: HttpRequest, org: str, pk: int, part: str, part_pk: int) -> HttpResponse:
    """Ask, then remove a line, improvement point, goal or action. A part still used by
    goals or actions is refused with a message and nothing changes."""
    plan = scoped_plan(request, org, pk, "igm.change_plan")
    if part not in REMOVABLE:
        raise Http404
    model, to_plan, remover, question, done = REMOVABLE[part]
    obj = get_object_or_404(model, pk=part_pk, **{to_plan: plan})
    if request.method == "POST":
        try:
            remover(obj)
        except ValidationError as exc:
            error_message(request, exc)
        else:
            messages.success(request, str(done))
        return redirect(_plan_url(plan))
    return _confirm(
        request, plan, title=_("Remove"), text=str(question) % {"name": obj}, submit=_("Remove"), danger=True
    )


@GET_POST
def plan_submit(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    return _plan_step(
        request,
        scoped_plan(request, org, pk, "igm.change_plan"),
        lambda plan: services.plan_submit(plan=plan),
        done=_("The plan has been submitted to management for sign-off."),
        title=_("Submit the plan"),
        text=_("Management will be asked to sign off the plan. You can keep changing it until then."),
        submit=_("Submit for sign-off"),
    )


@GET_POST
def plan_sign_off(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    return _plan_step(
        request,
        scoped_plan(request, org, pk, "igm.signoff_plan"),
        lambda plan: services.plan_sign_off(plan=plan, by=current_user(request)),
        done=_("You signed off the plan. Employees can now read its summary."),
        title=_("Sign off the plan"),
        text=_("After sign-off the plan is read only, and employees of the unit can read its summary."),
        submit=_("Sign off"),
    )


@GET_POST
def plan_reopen(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    return _plan_step(
        request,
        scoped_plan(request, org, pk, "igm.reopen_plan"),
        lambda plan: services.plan_reopen(plan=plan, by=current_user(request)),
        done=_("The plan is open for changes again and needs a new sign-off."),
        title=_("Reopen the plan"),
        text=_("The plan goes back to draft; management has to sign it off again."),
        submit=_("Reopen"),
    )


def _plan_step(
    request: HttpRequest,
    plan: Any,
    step: Callable[[Any], object],
    *,
    done: str,
    title: str,
    text: str,
    submit: str,
) -> HttpResponse:
    """A change of the plan's status: a confirmation page on GET, the step on POST."""
    if request.method == "POST":
        try:
            step(plan)
        except ValidationError as exc:
            error_message(request, exc)
        else:
            messages.success(request, done)
        return redirect(_plan_url(plan))
    return _confirm(request, plan, title=title, text=text, submit=submit)


@GET_POST
def initiative_add(request: HttpRequest, org: str) -> HttpResponse:
    organisation = scoped_organisation(request, org, "igm.view_cycle")
    cycle = require_active_cycle(organisation)
    require_perm(request.user, "igm.add_plan", cycle)
    form = forms.InitiativeForm(form_data(request), cycle=cycle)
    if request.method == "POST" and form.is_valid():
        try:
            services.pragmatic_initiative_record(
                cycle=cycle, recorded_by=current_user(request), **form.cleaned_data
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The initiative has been recorded."))
            return redirect("igm:plan_list", organisation.slug)
    return _form_page(
        request,
        form,
        title=_("Record a pragmatic initiative"),
        back=reverse("igm:plan_list", args=[organisation.slug]),
        submit=pgettext("verb", "Record"),
        intro=_("An opportunity taken outside the plan, such as a quick improvement on the shop floor."),
    )


@require_GET
def our_plan(request: HttpRequest, org: str) -> HttpResponse:
    """The published summaries of the signed-off plans for the employee's own unit (and the
    units above it, and the central plan). Nothing else of a plan is shown."""
    organisation = get_object_or_404(Organisation, slug=org)
    actor = get_actor(request.user)
    if not actor.touches_organisation(organisation):
        raise Http404
    person = actor.person
    if person is None or not person.is_current or person.organisation_id != organisation.pk:
        raise PermissionDenied
    rows = list(published_plan_summaries(request.user))
    units = {u.pk: u for u in Unit.objects.filter(pk__in=[r["unit_id"] for r in rows if r["unit_id"]])}
    english = (request.LANGUAGE_CODE or "nl").startswith("en")
    summaries = [
        {
            "unit": units.get(r["unit_id"]),
            "signed_off_at": r["signed_off_at"],
            "text": (r["summary_en"] if english else r["summary_nl"]) or r["summary_nl"] or r["summary_en"],
        }
        for r in rows
    ]
    return render(
        request, "igm/plans/our_plan.html", {"organisation": person.organisation, "summaries": summaries}
    )
