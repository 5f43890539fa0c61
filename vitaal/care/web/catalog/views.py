"""Catalog, package and provider pages for staff.

What a user reaches is what ``visible_to`` gives them (the scope functions of
``vitaal.care.access``): outside it, 404; inside it without the ``care.*`` permission an
action needs, 403. Catalog, package and provider records are not personal data, so reading
them is not written to the access log."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vitaal.care import services
from vitaal.care.access import sector_ids_of
from vitaal.care.models import (
    AccessRoute,
    ChainStage,
    DeliveryForm,
    Intervention,
    Package,
    PackageItem,
    Provider,
    ProviderTariff,
    QualityMarkStatus,
    Verdict,
)
from vitaal.care.models.catalog import FINANCING_FIELDS, flags_of
from vitaal.care.services import ProviderSpec
from vitaal.care.web.catalog.forms import (
    CatalogFilterForm,
    OwnProviderForm,
    PackageItemForm,
    ProviderFilterForm,
    TariffForm,
    add_service_errors,
)
from vitaal.core.access import get_actor, get_scoped_object_or_404, require_perm
from vitaal.core.models import Organisation


def _in_a_sector(request: HttpRequest) -> None:
    if not sector_ids_of(request.user):
        raise PermissionDenied


def _querystring(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _current_verdicts(user: Any) -> tuple[Package | None, dict[int, PackageItem]]:
    """The newest package the user sees, and its items by intervention."""
    package = Package.objects.visible_to(user).order_by("-year").first()
    if package is None:
        return None, {}
    items = {item.intervention_id: item for item in PackageItem.objects.filter(package=package)}
    return package, items


# --- Catalog ----------------------------------------------------------------------------


@require_GET
def catalog_list(request: HttpRequest) -> HttpResponse:
    _in_a_sector(request)
    form = CatalogFilterForm(request.GET or None)
    interventions: QuerySet[Intervention] = Intervention.objects.visible_to(request.user).order_by(
        "theme", "name_nl", "pk"
    )
    if form.is_bound:
        form.is_valid()  # the filters that fit are applied; the others show their error
        interventions = form.filter(interventions)
    page = Paginator(interventions, 50).get_page(request.GET.get("page"))
    package, items = _current_verdicts(request.user)
    rows = [(i, items.get(i.pk)) for i in page.object_list]
    return render(
        request,
        "care/catalog/catalog_list.html",
        {"form": form, "page": page, "rows": rows, "package": package, "querystring": _querystring(request)},
    )


@require_GET
def intervention_detail(request: HttpRequest, pk: int) -> HttpResponse:
    intervention = Intervention.objects.visible_to(request.user).filter(pk=pk).first()
    if intervention is None:
        raise Http404
    verdicts = list(
        PackageItem.objects.filter(
            package__in=Package.objects.visible_to(request.user), intervention=intervention
        )
        .select_related("package")
        .order_by("-package__year")
    )
    providers = list(
        Provider.objects.visible_to(request.user).filter(interventions=intervention).order_by("name")
    )
    return render(
        request,
        "care/catalog/intervention_detail.html",
        {
            "intervention": intervention,
            "stages": [ChainStage(v).label for v in intervention.stages],
            "forms": [DeliveryForm(v).label for v in intervention.forms],
            "routes": [AccessRoute(v).label for v in intervention.routes],
            "verdicts": verdicts,
            "providers": providers,
            "can_change": request.user.has_perm("care.change_intervention", intervention),
        },
    )


# --- Package ----------------------------------------------------------------------------


@require_GET
def package_list(request: HttpRequest) -> HttpResponse:
    _in_a_sector(request)
    packages = (
        Package.objects.visible_to(request.user)
        .select_related("sector")
        .annotate(
            n_in=Count("items", filter=Q(items__verdict=Verdict.IN)),
            n_discuss=Count("items", filter=Q(items__verdict=Verdict.DISCUSS)),
            n_out=Count("items", filter=Q(items__verdict=Verdict.OUT)),
        )
        .order_by("-year", "pk")
    )
    return render(request, "care/catalog/package_list.html", {"packages": packages})


def _package(request: HttpRequest, pk: int) -> Package:
    package = Package.objects.visible_to(request.user).select_related("sector").filter(pk=pk).first()
    if package is None:
        raise Http404
    return package


@require_GET
def package_detail(request: HttpRequest, pk: int) -> HttpResponse:
    package = _package(request, pk)
    items = list(
        package.items.select_related("intervention").order_by("intervention__theme", "intervention__name_nl")
    )
    groups = [(value, label, [i for i in items if i.verdict == value]) for value, label in Verdict.choices]
    can_edit = request.user.has_perm("care.change_package", package) and not package.is_published
    missing: list[Intervention] = []
    if can_edit:
        missing = list(
            Intervention.objects.filter(sector=package.sector, is_active=True)
            .exclude(pk__in=[i.intervention_id for i in items])
            .order_by("name_nl")
        )
    return render(
        request,
        "care/catalog/package_detail.html",
        {"package": package, "groups": groups, "can_edit": can_edit, "missing": missing},
    )


@require_http_methods(["GET", "POST"])
def package_item_edit(request: HttpRequest, pk: int, intervention: int) -> HttpResponse:
    """Set one intervention's verdict and rationale in a draft package (sector admin)."""
    package = _package(request, pk)
    require_perm(request.user, "care.change_package", package)
    entry = Intervention.objects.filter(sector=package.sector, pk=intervention).first()
    if entry is None:
        raise Http404
    if package.is_published:
        messages.error(request, _("This package has been published and can no longer be changed."))
        return redirect("care:package_detail", pk=package.pk)
    item = PackageItem.objects.filter(package=package, intervention=entry).first()
    initial: dict[str, Any] = {}
    if item is not None:
        initial = {
            "verdict": item.verdict,
            "rationale_nl": item.rationale_nl,
            "rationale_en": item.rationale_en,
            "alternative_nl": item.alternative_nl,
            "alternative_en": item.alternative_en,
            "financing": flags_of(item, FINANCING_FIELDS),
        }
    form = PackageItemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.package_item_set(package=package, intervention=entry, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The verdict has been saved."))
            return redirect("care:package_detail", pk=package.pk)
    return render(
        request,
        "care/catalog/package_item_form.html",
        {"package": package, "intervention": entry, "item": item, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def package_publish(request: HttpRequest, pk: int) -> HttpResponse:
    package = _package(request, pk)
    require_perm(request.user, "care.change_package", package)
    try:
        services.package_publish(package=package)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The package has been published."))
    return redirect("care:package_detail", pk=package.pk)


# --- Providers --------------------------------------------------------------------------


@require_GET
def provider_list(request: HttpRequest) -> HttpResponse:
    _in_a_sector(request)
    form = ProviderFilterForm(request.GET or None)
    providers: QuerySet[Provider] = (
        Provider.objects.visible_to(request.user)
        .select_related("added_by_organisation")
        .prefetch_related("regions", "expertise")
        .order_by("name", "pk")
    )
    if form.is_valid():
        providers = form.filter(providers)
    page = Paginator(providers, 50).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [(p, QualityMarkStatus(p.quality_mark_status_on(today)).label) for p in page.object_list]
    actor = get_actor(request.user)
    own_orgs = Organisation.objects.filter(pk__in=actor.orgs_for(["org_admin"])).order_by("name")
    return render(
        request,
        "care/catalog/provider_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "own_orgs": own_orgs,
            "querystring": _querystring(request),
        },
    )


def _provider(request: HttpRequest, pk: int) -> Provider:
    provider = (
        Provider.objects.visible_to(request.user)
        .select_related("added_by_organisation")
        .prefetch_related("regions", "expertise", "interventions")
        .filter(pk=pk)
        .first()
    )
    if provider is None:
        raise Http404
    return provider


def _provider_page(
    request: HttpRequest, provider: Provider, tariff_form: TariffForm | None, status: int = 200
) -> HttpResponse:
    can_change = request.user.has_perm("care.change_provider", provider)
    if can_change and tariff_form is None:
        tariff_form = TariffForm(provider=provider)
    tariffs = list(
        ProviderTariff.objects.filter(provider=provider)
        .select_related("intervention")
        .order_by("intervention__name_nl", "-valid_from")
    )
    return render(
        request,
        "care/catalog/provider_detail.html",
        {
            "provider": provider,
            "quality_mark_status": QualityMarkStatus(provider.quality_mark_status).label,
            "tariffs": tariffs,
            "can_change": can_change,
            "tariff_form": tariff_form if can_change else None,
        },
        status=status,
    )


@require_GET
def provider_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _provider_page(request, _provider(request, pk), None)


@require_POST
def provider_tariff_add(request: HttpRequest, pk: int) -> HttpResponse:
    provider = _provider(request, pk)
    require_perm(request.user, "care.change_provider", provider)
    form = TariffForm(request.POST, provider=provider)
    if form.is_valid():
        try:
            services.provider_tariff_set(provider=provider, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The tariff has been saved."))
            return redirect("care:provider_detail", pk=provider.pk)
    return _provider_page(request, provider, form, status=400)


def _unique_code(organisation: Organisation, name: str) -> str:
    base = slugify(f"{organisation.slug}-{name}")[:50] or organisation.slug
    code, n = base, 1
    taken = set(
        Provider.objects.filter(sector_id=organisation.sector_id, code__startswith=base).values_list(
            "code", flat=True
        )
    )
    while code in taken:
        n += 1
        code = f"{base}-{n}"
    return code


@require_http_methods(["GET", "POST"])
def own_provider_create(request: HttpRequest, org: str) -> HttpResponse:
    """The organisation's admin adds a provider from its own network or region; only this
    organisation (and the sector's staff) will see it."""
    organisation = get_scoped_object_or_404(
        request.user, Organisation.objects.select_related("sector"), "care.add_own_provider", slug=org
    )
    interventions = Intervention.objects.filter(sector_id=organisation.sector_id, is_active=True).order_by(
        "name_nl"
    )
    form = OwnProviderForm(request.POST or None, interventions=interventions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        spec = ProviderSpec(
            code=_unique_code(organisation, data["name"]),
            name=data["name"],
            city=data["city"],
            email=data["email"],
            website=data["website"],
            description_nl=data["description_nl"],
            description_en=data["description_en"],
            regions=frozenset(r.code for r in data["regions"]),
            expertise=frozenset(e.code for e in data["expertise"]),
            interventions=frozenset(i.code for i in data["interventions"]),
            quality_mark=data["quality_mark"],
            quality_mark_obtained_on=data["quality_mark_obtained_on"],
            quality_mark_valid_until=data["quality_mark_valid_until"],
        )
        try:
            provider = services.provider_create(
                sector=organisation.sector, spec=spec, added_by_organisation=organisation
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The provider has been added. Now add its tariffs."))
            return redirect("care:provider_detail", pk=provider.pk)
    return render(
        request,
        "care/catalog/provider_form.html",
        {"organisation": organisation, "form": form},
        status=400 if request.method == "POST" else 200,
    )


__all__ = [
    "catalog_list",
    "intervention_detail",
    "own_provider_create",
    "package_detail",
    "package_item_edit",
    "package_list",
    "package_publish",
    "provider_detail",
    "provider_list",
    "provider_tariff_add",
]
