"""Demo data of the work-related care arrangement: a year of use in the demo organisations.

The catalog, the providers and the 2025-2026 package come from ``data/care_catalog.json``
(loaded before the demo builders run). This builder:

1. publishes that package and, when the calendar has moved on, carries it over into a
   published package for the current year (requests are checked against it) and a draft
   for next year for the sector admin to work on;
2. adds an own-network provider to the first demo organisations and links the demo
   provider account to a contracted provider;
3. simulates a year of requests, referrals, delivery sessions (with costs in the ledger)
   and evaluations, in bulk for speed;
4. walks the demo employee of every organisation through the real workflow services: one
   completed request with an evaluation, one open referral from their manager, and a few
   health checks of their own.

Documented assumptions (Bartels 2020, ch. 3 and the survey of annex I):
- uptake: 3-8% of an organisation's employees use the package in a year (drawn per
  organisation); about 40% of employees who took steps for their health used employer
  support, so these users stand for roughly 8-20% of staff who took steps at all;
- themes: mental support is used most, then physical (weights 50/30/12/8% for mental,
  physical, lifestyle, other);
- routes: about two thirds of requests are direct, the rest follow a referral by the
  manager, the HR advisor or the company doctor (as the intervention's route allows);
- outcomes: about 7% withdrawn, about a third of approval-bound requests rejected, some
  referrals declined or still open; about 70% of completed requests are evaluated, mostly
  positively (grades around 7.5).
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone

from vitaal.care import finance, services, workflow
from vitaal.care.models import (
    Intervention,
    Package,
    PackageItem,
    Provider,
    ProviderMember,
    Referral,
    TariffUnit,
    Verdict,
)
from vitaal.care.models.catalog import FINANCING_FIELDS, flags_of
from vitaal.care.models.package import PackageStatus, package_year
from vitaal.care.models.requests import RequestStatus
from vitaal.core.demo import demo_email
from vitaal.core.hooks import DemoContext
from vitaal.core.models import Organisation, Person, User
from vitaal.core.roles import Role

from .demo_bulk import Plan, Written, write_year

S = RequestStatus
CENT = Decimal("0.01")

UPTAKE_RANGE = (0.03, 0.08)
THEME_WEIGHTS = {"mental": 0.50, "physical": 0.30, "lifestyle": 0.12, "other": 0.08}
SHARE_DIRECT = 0.65
SHARE_WITHDRAWN = 0.07
SHARE_REJECTED_WHEN_APPROVAL = 0.33
SHARE_EVALUATED = 0.70
DEMO_PROVIDER_CODE = "balans-werk"
OWN_NETWORK = [
    ("Praktijk De Linde", "Groningen", "GR", ["mental-coaching", "company-social-work"], Decimal("89")),
    ("Fysiopunt Haven", "Rotterdam", "ZH", ["physiotherapy", "physical-load-training"], Decimal("36")),
]


def build(context: DemoContext) -> None:
    """Add a year of care use to the demo sector (see the module docstring)."""
    sector = context.sector
    rng = context.rng_for("care")
    today = timezone.localdate()
    package = _packages(sector, today)
    if package is None:
        context.lines.append("care: no care package in the catalog, no care demo data")
        return
    _own_network(context)
    coordinator = User.objects.filter(email=demo_email(Role.CARE_COORDINATOR)).first()
    provider_user = User.objects.filter(email=demo_email(Role.PROVIDER)).first()
    if provider_user is not None:
        for provider in Provider.objects.filter(sector=sector, code=DEMO_PROVIDER_CODE):
            if not ProviderMember.objects.filter(provider=provider, user=provider_user).exists():
                services.provider_member_add(provider=provider, user=provider_user)

    if context.history:
        from .demo_history import build_history

        build_history(context, package, coordinator, provider_user or coordinator)
        _stories(context, package, coordinator, provider_user, today)
        return
    offer = _offer(package)
    plans: list[Plan] = []
    extra_referrals: list[Referral] = []
    headcount = 0
    for org, _units in context.organisations:
        people = list(
            Person.objects.filter(organisation=org, employment_end__isnull=True, user__isnull=True).order_by(
                "pk"
            )
        )
        headcount += len(people)
        referrers = _referrers(org)
        org_plans = _simulate(org, people, offer, referrers, rng, today)
        plans.extend(org_plans)
        extra_referrals.extend(_loose_referrals(people, offer, referrers, rng, today))
    written = write_year(plans, extra_referrals, coordinator, provider_user or coordinator)
    stories = _stories(context, package, coordinator, provider_user, today)
    _summarise(context, plans, written, headcount, extra_referrals, stories)


def _stories(
    context: DemoContext, package: Package, coordinator: User | None, provider_user: User | None, today: date
) -> int:
    stories = 0
    if coordinator is not None and provider_user is not None:
        for org, _units in context.organisations:
            stories += _demo_employee_story(org, package, coordinator, provider_user, today)
    if context.history:
        context.lines.append(
            f"care demo employees with their own request, referral and health checks: {stories}"
        )
    return stories


# --- Packages and providers -------------------------------------------------------------


def _packages(sector: Any, today: date) -> Package | None:
    """Publish the loaded package; make sure one is published for this calendar year (the
    workflow checks requests against it) and that next year's is in draft."""
    loaded = list(Package.objects.filter(sector=sector).order_by("year"))
    if not loaded:
        return None
    for package in loaded:
        if (
            package.status == PackageStatus.DRAFT
            and package.year <= package_year(today)
            and package.items.exists()
        ):
            services.package_publish(package=package)
    base = Package.objects.filter(sector=sector, status=PackageStatus.PUBLISHED).order_by("-year").first()
    if base is None:
        return None
    year = package_year(today)
    current = Package.objects.filter(sector=sector, year=year).first()
    if current is None:
        current = _carry_over(base, year)
        current = services.package_publish(package=current)
    if not Package.objects.filter(sector=sector, year=year + 1).exists():
        _carry_over(current, year + 1)
    return current


def _carry_over(source: Package, year: int) -> Package:
    package = services.package_create(sector=source.sector, year=year)
    note_nl = f"Overgenomen uit het pakket {source.period_label}: "
    note_en = f"Carried over from the package {source.period_label}: "
    for item in source.items.select_related("intervention").order_by("pk"):
        services.package_item_set(
            package=package,
            intervention=item.intervention,
            verdict=item.verdict,
            rationale_nl=note_nl + item.rationale_nl,
            rationale_en=note_en + item.rationale_en,
            alternative_nl=item.alternative_nl,
            alternative_en=item.alternative_en,
            financing=flags_of(item, FINANCING_FIELDS),
        )
    return package


def _own_network(context: DemoContext) -> None:
    """The reason institutions left the old package: they want their own providers."""
    for (org, _units), (name, city, region, codes, tariff) in zip(
        context.organisations, OWN_NETWORK, strict=False
    ):
        code = f"{org.slug}-eigen-netwerk"
        if Provider.objects.filter(sector=context.sector, code=code).exists():
            continue
        provider = services.provider_create(
            sector=context.sector,
            added_by_organisation=org,
            spec=services.ProviderSpec(
                code=code,
                name=f"{name} ({org.name})",
                city=city,
                regions=frozenset({region}),
                interventions=frozenset(codes),
                description_nl="Een aanbieder uit het eigen netwerk van de hogeschool.",
                description_en="A provider from the university's own network.",
                source="Fictional own-network provider for the demo.",
            ),
        )
        valid_from = timezone.localdate().replace(month=1, day=1)
        for intervention in provider.interventions.all():
            services.provider_tariff_set(
                provider=provider, intervention=intervention, tariff=tariff, valid_from=valid_from
            )


@dataclass
class Offer:
    """What can be requested: interventions in the package with a provider, per theme."""

    by_theme: dict[str, list[Intervention]]
    providers: dict[int, list[Provider]]
    tariffs: dict[tuple[int, int], Decimal]


def _offer(package: Package) -> Offer:
    items = PackageItem.objects.filter(package=package, verdict__in=[Verdict.IN, Verdict.DISCUSS])
    interventions = [
        i.intervention for i in items.select_related("intervention").order_by("intervention__code")
    ]
    shared = Provider.objects.filter(
        sector=package.sector, is_active=True, added_by_organisation__isnull=True
    ).prefetch_related("interventions", "tariffs")
    providers: dict[int, list[Provider]] = {}
    tariffs: dict[tuple[int, int], Decimal] = {}
    for provider in shared.order_by("code"):
        for intervention in provider.interventions.all():
            providers.setdefault(intervention.pk, []).append(provider)
        for tariff in sorted(provider.tariffs.all(), key=lambda t: t.valid_from):
            tariffs[(provider.pk, tariff.intervention_id)] = tariff.tariff
    by_theme: dict[str, list[Intervention]] = {}
    for intervention in interventions:
        if intervention.individual and intervention.pk in providers:
            by_theme.setdefault(intervention.theme, []).append(intervention)
    return Offer(by_theme=by_theme, providers=providers, tariffs=tariffs)


def _referrers(org: Organisation) -> dict[str, User]:
    found: dict[str, User] = {}
    for role in (Role.MANAGER, Role.HR, Role.COMPANY_DOCTOR):
        user = User.objects.filter(email=demo_email(role, org.slug)).first()
        if user is not None:
            found[str(role)] = user
    return found


# --- Simulation -------------------------------------------------------------------------


def _at(day: date, rng: random.Random) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(rng.randint(8, 16), rng.choice([0, 15, 30, 45]))))


def _pick_theme(rng: random.Random, offer: Offer) -> str | None:
    themes = [t for t in THEME_WEIGHTS if offer.by_theme.get(t)]
    if not themes:
        return None
    return rng.choices(themes, weights=[THEME_WEIGHTS[t] for t in themes])[0]


def _route(
    intervention: Intervention, referrers: dict[str, User], rng: random.Random
) -> tuple[str, tuple[User, str] | None] | None:
    options = [r for r in intervention.routes if r != "direct" and r in referrers]
    if intervention.route_direct and (rng.random() < SHARE_DIRECT or not options):
        return "direct", None
    if not options:
        return None
    role = rng.choice(options)
    return "referral", (referrers[role], role)


def _simulate(
    org: Organisation,
    people: list[Person],
    offer: Offer,
    referrers: dict[str, User],
    rng: random.Random,
    today: date,
) -> list[Plan]:
    rate = rng.uniform(*UPTAKE_RANGE)
    users = rng.sample(people, min(len(people), round(len(people) * rate)))
    plans = []
    for person in users:
        theme = _pick_theme(rng, offer)
        if theme is None:
            break
        intervention = rng.choice(offer.by_theme[theme])
        route = _route(intervention, referrers, rng)
        if route is None:
            continue
        created_day = today - timedelta(days=rng.randint(3, 360))
        plan = Plan(
            person=person,
            intervention=intervention,
            provider=rng.choice(offer.providers[intervention.pk]),
            created=_at(created_day, rng),
            route=route[0],
            referrer=route[1],
        )
        _play(plan, offer, rng, today)
        plans.append(plan)
    return plans


def _step(plan: Plan, when: datetime, to: str, reason: str = "") -> None:
    plan.events.append((when, to, reason))
    plan.status = to


def _session_costs(plan: Plan, offer: Offer, rng: random.Random) -> list[Decimal]:
    intervention = plan.intervention
    assert plan.provider is not None
    tariff = offer.tariffs.get((plan.provider.pk, intervention.pk), Decimal(intervention.tariff))
    ceiling = Decimal(intervention.ceiling) if intervention.ceiling is not None else None
    limit = intervention.max_sessions or 6
    if intervention.tariff_unit == TariffUnit.SESSION:
        count = rng.randint(max(1, limit // 2), limit)
        costs = [tariff] * count
    else:
        count = rng.randint(1, min(limit, 4))
        share = (tariff / count).quantize(CENT, rounding=ROUND_HALF_UP)
        costs = [share] * (count - 1) + [tariff - share * (count - 1)]
    if ceiling is not None:
        capped, spent = [], Decimal("0")
        for cost in costs:
            cost = min(cost, ceiling - spent)
            if cost <= 0:
                break
            capped.append(cost)
            spent += cost
        costs = capped
    return costs or [Decimal("0")]


def _play(plan: Plan, offer: Offer, rng: random.Random, today: date) -> None:
    """Walk one request through the workflow's states, in time, up to today."""
    now = timezone.now()
    t = plan.created
    _step(plan, t, S.SUBMITTED)
    if plan.intervention.approval_required:
        _step(plan, t, S.AWAITING_APPROVAL)
        t += timedelta(days=rng.randint(1, 4))
        if t > now:
            return
        if rng.random() < SHARE_REJECTED_WHEN_APPROVAL:
            plan.reason = "Past niet bij de situatie; andere ondersteuning besproken."
            _step(plan, t, S.REJECTED, plan.reason)
            plan.provider = None
            return
    _step(plan, t, S.APPROVED)
    if rng.random() < SHARE_WITHDRAWN:
        plan.reason = rng.choice(["Klachten zijn verminderd.", "Toch via de huisarts geregeld.", ""])
        _step(plan, t + timedelta(days=1), S.WITHDRAWN, plan.reason)
        plan.provider = None
        return
    t += timedelta(days=rng.randint(1, 3))
    if t > now:
        plan.provider = None
        return
    _step(plan, t, S.ASSIGNED)
    t += timedelta(days=rng.randint(1, 4))
    if t > now:
        return
    costs = _session_costs(plan, offer, rng)
    plan.planned = len(costs)
    _step(plan, t, S.IN_PROGRESS)
    day = t.date() + timedelta(days=rng.randint(3, 10))
    for cost in costs:
        if day > today:
            return
        plan.sessions.append((day, cost))
        day += timedelta(days=rng.randint(7, 14))
    done = plan.sessions[-1][0] + timedelta(days=rng.randint(1, 7))
    if done > today:
        return
    _step(plan, _at(done, rng), S.COMPLETED)
    if rng.random() < SHARE_EVALUATED:
        helped = rng.choices(["yes", "partly", "no"], weights=[60, 28, 12])[0]
        base = {"yes": 8, "partly": 6.5, "no": 4.5}[helped]
        plan.evaluation = (helped, max(1, min(10, round(rng.gauss(base, 1.0)))))
        plan.evaluated_at = min(plan.events[-1][0] + timedelta(days=2), now)


def _loose_referrals(
    people: list[Person], offer: Offer, referrers: dict[str, User], rng: random.Random, today: date
) -> list[Referral]:
    """Referrals that did not (yet) become a request: declined, or still open."""
    out = []
    candidates = [i for items in offer.by_theme.values() for i in items]
    for _n in range(max(1, len(people) // 150)):
        intervention = rng.choice(candidates)
        options = [r for r in intervention.routes if r != "direct" and r in referrers]
        if not options or not people:
            continue
        role = rng.choice(options)
        created = _at(today - timedelta(days=rng.randint(1, 300)), rng)
        declined = created.date() < today - timedelta(days=30) or rng.random() < 0.5
        out.append(
            Referral(
                person=rng.choice(people),
                intervention=intervention,
                referred_by=referrers[role],
                referrer_role=role,
                created_at=created,
                answer="declined" if declined else "open",
                answered_at=created + timedelta(days=2) if declined else None,
            )
        )
    return out


# --- The demo employee's own story ------------------------------------------------------


def _demo_employee_story(
    org: Organisation, package: Package, coordinator: User, provider_user: User, today: date
) -> int:
    """One completed request with an evaluation and one open referral, through the real
    workflow services, and a few health checks of their own."""
    employee_user = User.objects.filter(email=demo_email(Role.EMPLOYEE, org.slug)).first()
    manager = User.objects.filter(email=demo_email(Role.MANAGER, org.slug)).first()
    person = Person.objects.filter(user=employee_user).first() if employee_user else None
    provider = Provider.objects.filter(sector=package.sector, code=DEMO_PROVIDER_CODE).first()
    coaching = Intervention.objects.filter(sector=package.sector, code="mental-coaching").first()
    check_up = Intervention.objects.filter(sector=package.sector, code="basic-health-check").first()
    if not (employee_user and person and provider and coaching):
        return 0
    request = workflow.care_request_submit(
        user=employee_user,
        person=person,
        intervention=coaching,
        description="Ik slaap slecht door de drukte op het werk en wil daar met iemand over praten.",
    )
    request = workflow.care_request_assign(user=coordinator, request=request, provider=provider)
    request = workflow.care_request_provider_accept(user=provider_user, request=request, sessions_planned=3)
    finance.ledger_commit_for_request(request=request)
    for weeks_ago in (7, 5, 3):
        session = workflow.delivery_session_register(
            user=provider_user,
            request=request,
            date=today - timedelta(weeks=weeks_ago),
            duration_minutes=60,
            cost=Decimal("95.00"),
        )
        finance.ledger_actual_for_session(session=session)
    request = workflow.care_request_complete(user=provider_user, request=request)
    workflow.evaluation_submit(
        user=employee_user,
        request=request,
        helped="yes",
        grade=8,
        comment="Fijne gesprekken; ik weet nu beter wanneer ik grenzen moet stellen.",
    )
    if manager is not None and check_up is not None and person.unit_id is not None:
        workflow.referral_create(
            referrer=manager,
            person=person,
            intervention=check_up,
            referrer_role=Role.MANAGER,
            note="Na ons gesprek: misschien is een gezondheidscheck een goed begin.",
        )
    for months_ago, who5, ability in (
        (10, [2, 2, 1, 2, 2], 6),
        (5, [3, 2, 3, 3, 2], 7),
        (1, [4, 3, 4, 3, 4], 8),
    ):
        services.health_check_record(
            person=person, who5=who5, work_ability=ability, taken_on=today - timedelta(days=30 * months_ago)
        )
    return 1


def _summarise(
    context: DemoContext,
    plans: list[Plan],
    written: Written,
    headcount: int,
    extra_referrals: list[Referral],
    stories: int,
) -> None:
    users = len({p.person.pk for p in plans})
    share = 100 * users / headcount if headcount else 0
    themes = Counter(p.intervention.theme for p in plans)
    statuses = Counter(p.status for p in plans)
    context.lines += [
        f"care requests: {written.requests} in a year ({users} employees, {share:.1f}% of staff)",
        "care requests by theme: " + ", ".join(f"{t} {n}" for t, n in themes.most_common()),
        "care requests by status: " + ", ".join(f"{s} {n}" for s, n in sorted(statuses.items())),
        f"care referrals: {written.referrals} ({len(extra_referrals)} declined or still open)",
        f"care delivery sessions: {written.sessions} (EUR {written.cost:.2f})",
        f"care evaluations: {written.evaluations}",
        f"care demo employees with their own request, referral and health checks: {stories}",
    ]
