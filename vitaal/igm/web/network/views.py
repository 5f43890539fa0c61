"""Pages of the learning network and the toolbox. Views are thin: access through
``access``, reads through ``selectors``, writes through ``vitaal.igm.services.network``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vitaal.core.models import Organisation, Sector
from vitaal.igm.models import LearningNetwork, Practice
from vitaal.igm.services.network import (
    network_create,
    network_member_add,
    network_member_remove,
    practice_submit,
    practice_withdraw,
)
from vitaal.igm.web.network import access
from vitaal.igm.web.network.forms import (
    LessonFilterForm,
    MemberAddForm,
    NetworkForm,
    PracticeFilterForm,
    PracticeSubmitForm,
)
from vitaal.igm.web.network.selectors import PracticeFilter, lesson_count, network_lessons, search_practices

PAGE_SIZE = 20


def _querystring(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _form_errors(form: object, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            name = field[:-3] if field.endswith(("_nl", "_en")) else field
            target = name if name in form.fields else None  # type: ignore[attr-defined]
            for error in errors:
                form.add_error(target, error)  # type: ignore[attr-defined]
    else:
        for message in exc.messages:
            form.add_error(None, message)  # type: ignore[attr-defined]


@require_GET
def practice_list(request: HttpRequest) -> HttpResponse:
    """Search and filter the toolbox and the practices shared in the user's networks."""
    if not access.may_read_toolbox(request.user):
        raise PermissionDenied
    form = PracticeFilterForm(request.GET or None)
    practice_filter = form.to_filter() if request.GET else PracticeFilter()
    practices = search_practices(request.user, practice_filter)
    page = Paginator(practices, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "igm/network/practice_list.html",
        {"form": form, "page": page, "querystring": _querystring(request), "filtered": bool(request.GET)},
    )


@require_GET
def practice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    practice = access.get_practice_or_404(request.user, pk)
    return render(
        request,
        "igm/network/practice_detail.html",
        {"practice": practice, "may_withdraw": access.may_withdraw_practice(request.user, practice)},
    )


@require_POST
def practice_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    practice = access.get_practice_or_404(request.user, pk, include_withdrawn=True)
    if not access.may_withdraw_practice(request.user, practice):
        raise PermissionDenied
    if practice_withdraw(practice=practice, by=request.user):  # type: ignore[arg-type]
        messages.success(request, _("The practice has been withdrawn from the network."))
    else:
        messages.info(request, _("This practice had already been withdrawn."))
    return redirect("igm:network_detail", pk=practice.network_id)


def _networks_of(request: HttpRequest) -> QuerySet[LearningNetwork]:
    return (
        LearningNetwork.objects.visible_to(request.user)
        .select_related("sector")
        .annotate(
            members=Count("memberships", distinct=True),
            shared=Count("practices", filter=Q(practices__withdrawn_at__isnull=True), distinct=True),
        )
        .order_by("name")
    )


@require_GET
def network_list(request: HttpRequest) -> HttpResponse:
    if not access.may_read_toolbox(request.user):
        raise PermissionDenied
    return render(
        request,
        "igm/network/network_list.html",
        {"networks": list(_networks_of(request)), "may_create": access.may_manage_networks(request.user)},
    )


@require_http_methods(["GET", "POST"])
def network_create_view(request: HttpRequest) -> HttpResponse:
    sectors = Sector.objects.filter(pk__in=access.managed_sector_ids(request.user)).order_by("pk")
    sector = sectors.first()
    if sector is None:
        raise PermissionDenied
    form = NetworkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            network = network_create(
                sector=sector,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                created_by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The network has been created. Add its member organisations."))
            return redirect("igm:network_detail", pk=network.pk)
    return render(request, "igm/network/network_form.html", {"form": form, "sector": sector})


def _member_form(network: LearningNetwork, data: object = None) -> MemberAddForm:
    candidates = (
        Organisation.objects.filter(sector_id=network.sector_id)
        .exclude(pk__in=network.memberships.values("organisation_id"))
        .order_by("name")
    )
    return MemberAddForm(data, organisations=candidates, initial={"joined_on": timezone.localdate()})


def _network_page(
    request: HttpRequest, network: LearningNetwork, member_form: MemberAddForm | None = None
) -> HttpResponse:
    manage = access.may_manage_network(request.user, network)
    members = list(network.memberships.select_related("organisation").order_by("organisation__name"))
    practices = list(
        Practice.objects.filter(network=network, withdrawn_at__isnull=True)
        .select_related("organisation")
        .prefetch_related("lines")
        .order_by("-created_at", "pk")[:PAGE_SIZE]
    )
    read_lessons = access.may_read_lessons(request.user, network)
    return render(
        request,
        "igm/network/network_detail.html",
        {
            "network": network,
            "members": members,
            "practices": practices,
            "may_manage": manage,
            "member_form": member_form or (_member_form(network) if manage else None),
            "may_submit": access.may_submit_practice(request.user, network),
            "may_read_lessons": read_lessons,
            "lesson_count": lesson_count(network) if read_lessons else None,
        },
    )


@require_GET
def network_detail(request: HttpRequest, pk: int) -> HttpResponse:
    network = access.get_network_or_404(request.user, pk)
    return _network_page(request, network)


@require_POST
def network_member_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    network = access.get_network_or_404(request.user, pk, access.may_manage_network)
    form = _member_form(network, request.POST)
    if form.is_valid():
        try:
            membership = network_member_add(
                network=network,
                organisation=form.cleaned_data["organisation"],
                joined_on=form.cleaned_data["joined_on"],
                added_by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(org)s is now a member of the network.") % {"org": membership.organisation.name},
            )
            return redirect("igm:network_detail", pk=network.pk)
    return _network_page(request, network, member_form=form)


@require_POST
def network_member_remove_view(request: HttpRequest, pk: int, org_pk: int) -> HttpResponse:
    network = access.get_network_or_404(request.user, pk, access.may_manage_network)
    organisation = Organisation.objects.filter(pk=org_pk, sector_id=network.sector_id).first()
    if organisation is None:
        messages.error(request, _("This organisation is not a member of the network."))
        return redirect("igm:network_detail", pk=network.pk)
    try:
        network_member_remove(network=network, organisation=organisation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(org)s has left the network.") % {"org": organisation.name})
    return redirect("igm:network_detail", pk=network.pk)


@require_GET
def network_lessons_view(request: HttpRequest, pk: int) -> HttpResponse:
    network = access.get_network_or_404(request.user, pk, access.may_read_lessons)
    form = LessonFilterForm(request.GET or None)
    text, phase = form.values() if request.GET else ("", None)
    lessons = network_lessons(network=network, user=request.user, text=text, phase=phase)
    page = Paginator(lessons, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "igm/network/lesson_list.html",
        {"network": network, "form": form, "page": page, "querystring": _querystring(request)},
    )


@require_http_methods(["GET", "POST"])
def practice_submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    network = access.get_network_or_404(request.user, pk, access.may_submit_practice)
    organisations = Organisation.objects.filter(
        pk__in=access.network_member_orgs(request.user, network, access.NETWORK_SUBMIT_ROLES)
    ).order_by("name")
    form = PracticeSubmitForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            practice = practice_submit(
                network=network,
                organisation=data["organisation"],
                submitted_by=request.user,  # type: ignore[arg-type]
                kind=data["kind"],
                title=data["title"],
                summary=data["summary"],
                body=data["body"],
                lines=data["lines"],
                phases=data["phases"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Thank you: the practice is now shared with the network."))
            return redirect(reverse("igm:practice_detail", kwargs={"pk": practice.pk}))
    return render(request, "igm/network/practice_form.html", {"form": form, "network": network})
