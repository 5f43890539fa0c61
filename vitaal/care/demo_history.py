"""Sector-scale care history for ``vitaal demo --years N`` (N > 1), the benchmark build.

Where the everyday demo simulates one year at a believable uptake (3-8% of staff), a
history build models the load the benchmarks need: for each of the N history years (a
window of 365 days ending today, then the one before, ...) about one care request per
active staff member (``REQUESTS_PER_STAFF``), so 50,000 staff give about 50,000 requests a
year. Requests are spread over the academic year (quieter in the summer and around
Christmas, ``MONTH_WEIGHTS``) and go to people employed on that day, leavers included for
the years they still worked. Each request is walked through the workflow's states in time
(``vitaal.care.demo._play``): requests of earlier years are all closed (completed,
rejected or withdrawn); the last weeks leave open work, as much as the simulated pace
implies (a few days of intake in the coordinator's queue, a couple of months of sessions
with the providers).

Besides requests: referrals (accepted, declined, a few still open), delivery sessions with
their costs, evaluations, the ledger bookings (commitment, actual costs, releases), health
checks by ``HEALTH_CHECK_SHARE`` of the staff a year (some twice), a published package for
every academic year in the window, and the care releases that close with the last
complete quarter (what the quarterly job would have made; releases of earlier periods are
made when first asked for, as for any closed period).

Everything is simulated per organisation and history year and written as plain rows in
batches (``vitaal.care.demo_rows``), so memory stays bounded by the largest organisation's
year and no query runs per row.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from vitaal.care.health import health_check_evaluate
from vitaal.care.models import HealthCheck, Package, PackageStatus, Referral
from vitaal.care.models.package import package_year
from vitaal.core.hooks import DemoContext
from vitaal.core.models import Organisation, Person, User

from .demo_bulk import Plan, Written
from .demo_rows import HistoryWriter, Rows

REQUESTS_PER_STAFF = 1.0
# Relative intake per month (academic-year rhythm: quiet in July and August, a dip at Christmas).
MONTH_WEIGHTS = {
    1: 1.0,
    2: 1.0,
    3: 1.1,
    4: 1.0,
    5: 1.0,
    6: 0.9,
    7: 0.4,
    8: 0.5,
    9: 1.1,
    10: 1.1,
    11: 1.1,
    12: 0.8,
}
HEALTH_CHECK_SHARE = 0.30
HEALTH_CHECK_TWICE = 0.20
LOOSE_REFERRALS_PER_STAFF = 1 / 40


@dataclass
class YearWindow:
    start: date
    end: date
    days: list[date] = field(default_factory=list)
    weights: list[float] = field(default_factory=list)

    @classmethod
    def ending(cls, end: date) -> YearWindow:
        start = end - timedelta(days=364)
        days = [start + timedelta(days=n) for n in range(365)]
        cumulative, total = [], 0.0
        for day in days:
            total += MONTH_WEIGHTS[day.month] * (0.3 if day.weekday() >= 5 else 1.0)
            cumulative.append(total)
        return cls(start=start, end=end, days=days, weights=cumulative)

    def draw(self, rng: random.Random) -> date:
        return rng.choices(self.days, cum_weights=self.weights)[0]


def windows(today: date, years: int) -> list[YearWindow]:
    """The history years, oldest first: 365-day windows ending today, a year ago, ..."""
    return [YearWindow.ending(today - timedelta(days=365 * back)) for back in reversed(range(years))]


@dataclass
class Totals:
    requests: Counter[date] = field(default_factory=Counter)  # per window (its first day)
    statuses: Counter[str] = field(default_factory=Counter)
    written: Written = field(default_factory=Written)
    health_checks: int = 0
    packages: int = 0
    reports: int = 0


def build_history(
    context: DemoContext, current: Package, coordinator: User | None, registrar: User | None
) -> None:
    """Write the care history of every organisation, one organisation-year at a time."""
    from .demo import _offer, _referrers

    rng = context.rng_for("care-history")
    today = timezone.localdate()
    spans = windows(today, context.years)
    totals = Totals()
    totals.packages = _history_packages(current, package_year(spans[0].start))
    offers = {
        package.year: _offer(package)
        for package in Package.objects.filter(sector=context.sector, status=PackageStatus.PUBLISHED)
    }
    writer = HistoryWriter()
    checks = Rows(HealthCheck, HEALTH_CHECK_FIELDS)
    for org, _units in context.organisations:
        people = list(
            Person.objects.filter(organisation=org, user__isnull=True)
            .only("pk", "organisation_id", "user_id", "employment_start", "employment_end")
            .order_by("pk")
        )
        referrers = _referrers(org)
        used: set[tuple[int, int, int]] = set()
        for window in spans:
            staff = _employed_during(people, window)
            plans = _year_plans(org, staff, window, offers, referrers, used, rng, today)
            loose = _loose(staff, window, offers, referrers, rng, today)
            written = writer.year(plans, loose, coordinator, registrar)
            _add(totals, written, plans, window)
            totals.health_checks += _health_checks(checks, staff, window, rng)
    writer.finish()
    checks.flush()
    writer.reset_sequences([HealthCheck])
    totals.reports = _store_last_quarter(context, today)
    _summarise(context, totals, spans)


def _history_packages(current: Package, first_year: int) -> int:
    """A published package for every academic year of the window (carried over from the
    earliest one there is, as a sector admin would have done each year)."""
    from vitaal.care import services

    from .demo import _carry_over

    made = 0
    source = current
    for year in range(current.year - 1, first_year - 1, -1):
        existing = Package.objects.filter(sector=current.sector, year=year).first()
        if existing is None:
            existing = services.package_publish(package=_carry_over(source, year))
            made += 1
        elif existing.status == PackageStatus.DRAFT and existing.items.exists():
            existing = services.package_publish(package=existing)
        source = existing
    return made


def _employed_during(people: list[Person], window: YearWindow) -> list[Person]:
    return [
        p
        for p in people
        if (p.employment_start is None or p.employment_start <= window.end)
        and (p.employment_end is None or p.employment_end >= window.start)
    ]


def _employed_on(person: Person, day: date) -> bool:
    return (person.employment_start is None or person.employment_start <= day) and (
        person.employment_end is None or person.employment_end >= day
    )


def _request_day(person: Person, window: YearWindow, rng: random.Random) -> date:
    day = window.draw(rng)
    if _employed_on(person, day):
        return day
    first = max(window.start, person.employment_start or window.start)
    last = min(window.end, person.employment_end or window.end)
    return first + timedelta(days=rng.randint(0, max(0, (last - first).days)))


def _year_plans(
    org: Organisation,
    staff: list[Person],
    window: YearWindow,
    offers: dict[int, Any],
    referrers: dict[str, User],
    used: set[tuple[int, int, int]],
    rng: random.Random,
    today: date,
) -> list[Plan]:
    """One history year of requests of an organisation, each played up to today."""
    from .demo import _at, _pick_theme, _play, _route

    if not staff:
        return []
    middle = window.start + timedelta(days=182)
    count = round(REQUESTS_PER_STAFF * sum(1 for p in staff if _employed_on(p, middle)))
    plans = []
    for _n in range(count):
        person = rng.choice(staff)
        day = _request_day(person, window, rng)
        offer = offers.get(package_year(day)) or offers[max(offers)]
        theme = _pick_theme(rng, offer)
        if theme is None:
            break
        # One request per person, intervention and calendar year, so yearly ceilings hold.
        for _try in range(3):
            intervention = rng.choice(offer.by_theme[theme])
            key = (person.pk, intervention.pk, day.year)
            if key not in used:
                break
        else:
            continue
        route = _route(intervention, referrers, rng)
        if route is None:
            continue
        used.add(key)
        plan = Plan(
            person=person,
            intervention=intervention,
            provider=rng.choice(offer.providers[intervention.pk]),
            created=_at(day, rng),
            route=route[0],
            referrer=route[1],
        )
        _play(plan, offer, rng, today)
        plans.append(plan)
    return plans


def _loose(
    staff: list[Person],
    window: YearWindow,
    offers: dict[int, Any],
    referrers: dict[str, User],
    rng: random.Random,
    today: date,
) -> list[Referral]:
    """Referrals that did not become a request: declined, or (the last weeks) still open."""
    from .demo import _at

    out = []
    for _n in range(round(len(staff) * LOOSE_REFERRALS_PER_STAFF)):
        day = window.draw(rng)
        offer = offers.get(package_year(day)) or offers[max(offers)]
        candidates = [i for items in offer.by_theme.values() for i in items]
        intervention = rng.choice(candidates)
        options = [r for r in intervention.routes if r != "direct" and r in referrers]
        if not options:
            continue
        role = rng.choice(options)
        created = _at(day, rng)
        declined = day < today - timedelta(days=30) or rng.random() < 0.5
        out.append(
            Referral(
                person=rng.choice(staff),
                intervention=intervention,
                referred_by=referrers[role],
                referrer_role=role,
                created_at=created,
                answer="declined" if declined else "open",
                answered_at=created + timedelta(days=rng.randint(1, 10)) if declined else None,
            )
        )
    return out


HEALTH_CHECK_FIELDS = [
    "person",
    "taken_on",
    "who5_1",
    "who5_2",
    "who5_3",
    "who5_4",
    "who5_5",
    "work_ability",
    "who5_raw",
    "who5_percentage",
    "wellbeing_band",
    "work_ability_band",
    "poor_wellbeing",
    "depression_screen",
    "low_item",
    "created_at",
]


def _health_checks(checks: Rows, staff: list[Person], window: YearWindow, rng: random.Random) -> int:
    """WHO-5 and work-ability checks by a share of the staff, scored like the real service
    (``services.health_check_record``)."""
    takers = rng.sample(staff, round(len(staff) * HEALTH_CHECK_SHARE))
    made = 0
    for person in takers:
        level = min(4.6, max(0.6, rng.gauss(3.0, 0.9)))
        ability = rng.gauss(7.3, 1.5)
        for _time in range(2 if rng.random() < HEALTH_CHECK_TWICE else 1):
            day = _request_day(person, window, rng)
            who5 = [min(5, max(0, round(rng.gauss(level, 0.7)))) for _i in range(5)]
            work = min(10, max(0, round(rng.gauss(ability, 0.8))))
            result = health_check_evaluate(who5_answers=who5, work_ability=work)
            checks.add(
                person.pk,
                day,
                *who5,
                work,
                result.who5.raw,
                result.who5.percentage,
                result.who5.band,
                result.work_ability_band,
                result.who5.poor_wellbeing,
                result.who5.depression_screen,
                result.who5.low_item,
                timezone.make_aware(datetime.combine(day, time(20, 0))),
            )
            made += 1
    return made


def _add(totals: Totals, written: Written, plans: list[Plan], window: YearWindow) -> None:
    totals.requests[window.start] += written.requests
    totals.statuses.update(p.status for p in plans)
    totals.written.requests += written.requests
    totals.written.referrals += written.referrals
    totals.written.sessions += written.sessions
    totals.written.evaluations += written.evaluations
    totals.written.cost += written.cost


def _store_last_quarter(context: DemoContext, today: date) -> int:
    """The releases the quarterly job makes for the last complete quarter (the quarter, the
    twelve months to its end and, after a fourth quarter, the year; each with the quarters
    it covers), through the real service, disclosure control included. ``today`` is the
    build's own day, so the releases and their release day follow from the data the build
    wrote, not from when this step happens to run."""
    from vitaal.care.report_tasks import last_complete_quarter, store_reports

    return store_reports(last_complete_quarter(today), [context.sector], today=today)


def _summarise(context: DemoContext, totals: Totals, spans: list[YearWindow]) -> None:
    w = totals.written
    per_year = ", ".join(f"{s.start:%Y-%m-%d}..{s.end:%Y-%m-%d} {totals.requests[s.start]}" for s in spans)
    context.lines += [
        f"care requests: {w.requests} in {len(spans)} years ({per_year})",
        "care requests by status: " + ", ".join(f"{s} {n}" for s, n in sorted(totals.statuses.items())),
        f"care referrals: {w.referrals}",
        f"care delivery sessions: {w.sessions} (EUR {w.cost:.2f})",
        f"care evaluations: {w.evaluations}",
        f"care health checks: {totals.health_checks}",
        f"care packages carried over for history years: {totals.packages}",
        f"care releases made for the last complete quarter: {totals.reports}",
    ]
