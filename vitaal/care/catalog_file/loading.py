"""Checking a parsed catalog file against the models and applying it in one
transaction (steps 2 and 3 of ``vitaal.care.catalog_file``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from vitaal.care import services
from vitaal.care.models import (
    Expertise,
    Intervention,
    Package,
    PackageItem,
    Provider,
    ProviderTariff,
    Province,
    Region,
)
from vitaal.care.models.catalog import FINANCING_FIELDS
from vitaal.care.models.package import PackageStatus, Verdict
from vitaal.care.models.providers import NOT_OFFERED, PROVINCE_NAMES
from vitaal.care.services import ProviderSpec
from vitaal.core.models import Sector

from .parsing import CatalogFileError, CatalogPlan, ItemPlan, LoadSummary, catalog_parse

# --- Checking against the models --------------------------------------------------------


def _messages(where: str, exc: ValidationError) -> list[str]:
    if not hasattr(exc, "error_dict"):
        return [f"{where}: {m}" for m in exc.messages]
    out: list[str] = []
    for name, errs in exc.message_dict.items():
        prefix = where if name == "__all__" else f"{where}.{name}"
        out.extend(f"{prefix}: {m}" for m in errs)
    return out


def _validate(where: str, obj: models.Model, errors: list[str], **kwargs: Any) -> None:
    try:
        obj.full_clean(**kwargs)
    except ValidationError as exc:
        errors.extend(_messages(where, exc))


def _check_providers(sector: Sector, plan: CatalogPlan, known: set[str], errors: list[str]) -> None:
    expertise = {x["code"] for x in plan.expertise} | set(Expertise.objects.values_list("code", flat=True))
    for spec, tariffs in plan.providers:
        where = f"providers ({spec.code})"
        provider = Provider.objects.filter(sector=sector, code=spec.code).first() or Provider(sector=sector)
        for name in services.PROVIDER_SIMPLE_FIELDS:
            setattr(provider, name, getattr(spec, name))
        _validate(where, provider, errors)
        for name, wanted, allowed in (
            ("regions", spec.regions, set(Province.values)),
            ("expertise", spec.expertise, expertise),
            ("interventions", spec.interventions, known),
        ):
            missing = sorted(wanted - allowed)
            if missing:
                errors.append(
                    f"{where}.{name}: " + _("unknown code(s): %(codes)s") % {"codes": ", ".join(missing)}
                )
        if provider.pk is not None:
            dropped = provider.tariffs.exclude(intervention__code__in=spec.interventions)
            if dropped.exists():
                errors.append(
                    f"{where}.interventions: " + _("has tariffs for interventions left out of its offer")
                )
        for t in tariffs:
            if t.intervention not in spec.interventions:
                errors.append(f"{where}.tariffs ({t.intervention}): {NOT_OFFERED}")
            row = ProviderTariff(tariff=t.tariff, valid_from=t.valid_from)
            _validate(
                f"{where}.tariffs ({t.intervention})", row, errors, exclude=["provider", "intervention"]
            )


def _item_differs(item: PackageItem | None, plan: ItemPlan) -> bool:
    if item is None:
        return True
    wanted = (plan.verdict, plan.rationale_nl, plan.rationale_en, plan.alternative_nl, plan.alternative_en)
    have = (item.verdict, item.rationale_nl, item.rationale_en, item.alternative_nl, item.alternative_en)
    return wanted != have or set(item.financing_sources) != set(plan.financing)


def _check_packages(sector: Sector, plan: CatalogPlan, known: set[str], errors: list[str]) -> None:
    for p in plan.packages:
        where = f"packages ({p.year})"
        _validate(
            where,
            Package(sector=sector, year=p.year),
            errors,
            validate_unique=False,
            validate_constraints=False,
        )
        existing = Package.objects.filter(sector=sector, year=p.year).first()
        current = (
            {i.intervention.code: i for i in existing.items.select_related("intervention")}
            if existing
            else {}
        )
        for item in p.items:
            place = f"{where}.items ({item.intervention})"
            if item.intervention not in known:
                errors.append(f"{place}: " + _("unknown intervention"))
            probe = PackageItem(
                verdict=item.verdict or Verdict.IN,
                rationale_nl=item.rationale_nl,
                rationale_en=item.rationale_en,
                alternative_nl=item.alternative_nl,
                alternative_en=item.alternative_en,
            )
            try:
                services.set_choices(probe, FINANCING_FIELDS, item.financing, "financing")
            except ValidationError as exc:
                errors.extend(_messages(place, exc))
            _validate(place, probe, errors, exclude=["package", "intervention"], validate_constraints=False)
            if existing and existing.is_published and _item_differs(current.get(item.intervention), item):
                errors.append(f"{place}: " + _("the package is published; its items can no longer change"))


def catalog_check(*, sector: Sector, plan: CatalogPlan) -> list[str]:
    """Validate every entry as the models would; the list of problems (empty if none)."""
    errors: list[str] = []
    for x in plan.expertise:
        tag = Expertise.objects.filter(code=x["code"]).first() or Expertise()
        tag.code, tag.name_nl, tag.name_en = x["code"], x["name_nl"], x["name_en"]
        _validate(f"expertise ({x['code']})", tag, errors)
    for spec in plan.interventions:
        where = f"interventions ({spec.code})"
        obj = Intervention.objects.filter(sector=sector, code=spec.code).first() or Intervention(
            sector=sector
        )
        try:
            spec.apply_to(obj)
        except ValidationError as exc:
            errors.extend(_messages(where, exc))
            continue
        _validate(where, obj, errors)
    known = {s.code for s in plan.interventions} | set(
        Intervention.objects.filter(sector=sector).values_list("code", flat=True)
    )
    _check_providers(sector, plan, known, errors)
    _check_packages(sector, plan, known, errors)
    return errors


# --- Applying ---------------------------------------------------------------------------


def _snapshot(obj: models.Model) -> dict[str, Any]:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def _apply_interventions(sector: Sector, plan: CatalogPlan, summary: LoadSummary) -> dict[str, Intervention]:
    counts = summary.count("interventions")
    for spec in plan.interventions:
        existing = Intervention.objects.filter(sector=sector, code=spec.code).first()
        if existing is None:
            services.intervention_create(sector=sector, spec=spec)
            counts.created += 1
            continue
        before = _snapshot(existing)
        spec.apply_to(existing)
        if _snapshot(existing) == before:
            counts.unchanged += 1
        else:
            services.intervention_update(intervention=existing, spec=spec)
            counts.updated += 1
    return {i.code: i for i in Intervention.objects.filter(sector=sector)}


def _provider_state(provider: Provider) -> tuple[Any, ...]:
    return (
        {name: getattr(provider, name) for name in services.PROVIDER_SIMPLE_FIELDS},
        set(provider.regions.values_list("code", flat=True)),
        set(provider.expertise.values_list("code", flat=True)),
        set(provider.interventions.values_list("code", flat=True)),
    )


def _spec_state(spec: ProviderSpec) -> tuple[Any, ...]:
    simple = {name: getattr(spec, name) for name in services.PROVIDER_SIMPLE_FIELDS}
    return simple, set(spec.regions), set(spec.expertise), set(spec.interventions)


def _apply_providers(
    sector: Sector, plan: CatalogPlan, interventions: dict[str, Intervention], summary: LoadSummary
) -> None:
    counts, tariff_counts = summary.count("providers"), summary.count("provider tariffs")
    for spec, tariffs in plan.providers:
        provider = Provider.objects.filter(sector=sector, code=spec.code).first()
        if provider is None:
            provider = services.provider_create(sector=sector, spec=spec)
            counts.created += 1
        elif _provider_state(provider) == _spec_state(spec):
            counts.unchanged += 1
        else:
            provider = services.provider_update(provider=provider, spec=spec)
            counts.updated += 1
        for t in tariffs:
            intervention = interventions[t.intervention]
            row = ProviderTariff.objects.filter(
                provider=provider, intervention=intervention, valid_from=t.valid_from
            ).first()
            if row is not None and row.tariff == t.tariff:
                tariff_counts.unchanged += 1
                continue
            services.provider_tariff_set(
                provider=provider, intervention=intervention, tariff=t.tariff, valid_from=t.valid_from
            )
            if row is None:
                tariff_counts.created += 1
            else:
                tariff_counts.updated += 1


def _apply_packages(
    sector: Sector, plan: CatalogPlan, interventions: dict[str, Intervention], summary: LoadSummary
) -> None:
    counts, item_counts = summary.count("packages"), summary.count("package items")
    for p in plan.packages:
        package = Package.objects.filter(sector=sector, year=p.year).first()
        if package is None:
            package = services.package_create(sector=sector, year=p.year)
            counts.created += 1
        else:
            counts.unchanged += 1
        current = {i.intervention.code: i for i in package.items.select_related("intervention")}
        for item in p.items:
            existing = current.get(item.intervention)
            if not _item_differs(existing, item):
                item_counts.unchanged += 1
                continue
            services.package_item_set(
                package=package,
                intervention=interventions[item.intervention],
                verdict=item.verdict,
                rationale_nl=item.rationale_nl,
                rationale_en=item.rationale_en,
                alternative_nl=item.alternative_nl,
                alternative_en=item.alternative_en,
                financing=item.financing,
            )
            if existing is None:
                item_counts.created += 1
            else:
                item_counts.updated += 1
        if p.status == PackageStatus.PUBLISHED and not package.is_published:
            services.package_publish(package=package)
            if counts.unchanged:
                counts.unchanged -= 1
                counts.updated += 1


def _ensure_regions() -> None:
    for code, (name_nl, name_en) in PROVINCE_NAMES.items():
        Region.objects.get_or_create(code=code, defaults={"name_nl": name_nl, "name_en": name_en})


def catalog_load(*, sector: Sector, data: Any) -> LoadSummary:
    """Validate the whole file, then write it in one transaction. Raises CatalogFileError
    (and changes nothing) when anything is wrong."""
    plan = catalog_parse(data)
    errors = catalog_check(sector=sector, plan=plan)
    if errors:
        raise CatalogFileError(errors)
    summary = LoadSummary()
    try:
        with transaction.atomic():
            _ensure_regions()
            counts = summary.count("expertise")
            for x in plan.expertise:
                obj, created = Expertise.objects.get_or_create(code=x["code"], defaults=x)
                if created:
                    counts.created += 1
                elif (obj.name_nl, obj.name_en) != (x["name_nl"], x["name_en"]):
                    obj.name_nl, obj.name_en = x["name_nl"], x["name_en"]
                    obj.full_clean()
                    obj.save()
                    counts.updated += 1
                else:
                    counts.unchanged += 1
            interventions = _apply_interventions(sector, plan, summary)
            _apply_providers(sector, plan, interventions, summary)
            _apply_packages(sector, plan, interventions, summary)
    except ValidationError as exc:
        raise CatalogFileError(_messages(_("while applying"), exc)) from exc
    return summary
