"""The attack suite: an insider with an employer-side or sector account takes every care
figure the API and the exports show for a generated sector — every organisation, the
sector, the units' care-uptake indicator, for every quarter, year and twelve-month window
— and solves for the hidden cells with integer programming across all of them at once.
Then one care event happens, and everything is taken again and compared.

The attacker works from what is published only: the report JSON of the API, the sector
benchmark as an XLSX download, the indicator values, and what an insider knows anyway
(which units exist and who works in them, that a year's users cover its quarters'). The
truth to compare with comes from the database, never from the release.
"""

from __future__ import annotations

import io
import random
from collections import defaultdict
from collections.abc import Hashable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
from django.urls import reverse

from vitaal.api.models import ApiToken
from vitaal.care import release as care_release_module
from vitaal.care import release_system
from vitaal.care.models import CareRequest, DeliverySession, Evaluation, Intervention
from vitaal.care.web.reports import forms
from vitaal.core.disclosure.linked import Relation, reader_bounds
from vitaal.core.models import Organisation, Person, Unit
from vitaal.core.releases import ReleasePeriod
from vitaal.core.testing import login
from vitaal.indicators.computed import compute_care_uptake
from vitaal.indicators.models import Measurement

pytestmark = pytest.mark.django_db

K = 10
QUARTERS = [ReleasePeriod.of_quarter(2024, q) for q in (2, 3, 4)] + [
    ReleasePeriod.of_quarter(2025, q) for q in (1, 2, 3, 4)
]
PERIODS = [
    *QUARTERS,
    ReleasePeriod.of_year(2025),
    *[ReleasePeriod.twelve_months_to(2025, q) for q in (1, 2, 3, 4)],
]
DIMENSIONS = ("theme", "intervention", "chain_stage", "function_group", "gender", "age_band")
# Person attributes that do not change within a year: a year's users in a category cover
# that category's users in each of its quarters.
STABLE = ("gender", "function_group")


# --------------------------------------------------------------------------------------
# A generated sector: three organisations, units, a year of care with small groups
# --------------------------------------------------------------------------------------


def _generate(world: Any, seed: int) -> dict[str, Organisation]:
    cast = world.cast
    rng = random.Random(seed)
    c = Organisation.objects.create(sector=cast.sector, name="Hogeschool C", slug="c", size_class="medium")
    organisations = {"a": cast.a.organisation, "b": cast.b.organisation, "c": c}
    places = {
        "a": [cast.a.team1, cast.a.team2, cast.a.faculty, None],
        "b": [cast.b.team1, cast.b.team2, None],
        "c": [None],
    }
    sizes = {"a": (140, 0.4), "b": (45, 0.25), "c": (70, 0.3)}
    interventions = [world.coaching, world.physio, world.budget]
    for slug, (size, uptake) in sizes.items():
        org = organisations[slug]
        people = Person.objects.bulk_create(
            [
                Person(
                    organisation=org,
                    employee_number=f"g{slug}{i}",
                    last_name="Gegenereerd",
                    gender=rng.choice(["f", "f", "m", "x"]),
                    birth_year=rng.choice([1965, 1975, 1985, 1995]),
                    function_group=rng.choice([cast.op, cast.obp, None]),
                    unit=rng.choice(places[slug]),
                )
                for i in range(size)
            ]
        )
        for person in people:
            if rng.random() > uptake:
                continue
            for _time in range(rng.choice([1, 1, 1, 2])):
                when = datetime(2025, rng.randint(1, 12), rng.randint(1, 28), 10, tzinfo=UTC)
                status = rng.choice(["submitted", "completed", "completed", "withdrawn"])
                request = CareRequest.objects.create(
                    person=person,
                    organisation=org,
                    intervention=rng.choice(interventions),
                    route="direct",
                    created_at=when,
                    status=status,
                    provider=world.balans if status == "completed" else None,
                )
                if status == "completed":
                    DeliverySession.objects.create(
                        request=request,
                        provider=world.balans,
                        date=when.date(),
                        duration_minutes=60,
                        cost=Decimal(rng.choice([60, 80, 95])),
                        registered_by=cast.user("provider"),
                    )
                    if rng.random() < 0.7:
                        evaluation = Evaluation.objects.create(
                            request=request,
                            helped=rng.choice(["yes", "partly", "no"]),
                            grade=rng.randint(5, 9),
                        )
                        Evaluation.objects.filter(pk=evaluation.pk).update(created_at=when)
    return organisations


# --------------------------------------------------------------------------------------
# What the attacker collects
# --------------------------------------------------------------------------------------


class Collected:
    """Every published number under one key per figure, with the relations the attacker
    knows. A figure published twice must read the same both times."""

    def __init__(self) -> None:
        self.shown: dict[Hashable, int | None] = {}
        self.unpublished: set[Hashable] = set()
        self.relations: list[Relation] = []
        self.known_empty: set[Hashable] = set()

    def put(self, key: Hashable, cell: dict[str, Any]) -> None:
        if cell.get("withheld"):
            self.unpublished.add(key)
            self.shown.pop(key, None)
            return
        value = None if cell["suppressed"] else cell["value"]
        if key in self.shown:
            assert self.shown[key] == value, f"two outputs disagree about {key!r}"
        self.shown[key] = value

    def everything(self) -> dict[Hashable, int | None]:
        return {key: value for key, value in self.shown.items() if key not in self.unpublished}


def _pop(slug: str) -> str:
    return slug


def _take_api(client: Any, raw: str, slug: str, period: ReleasePeriod, seen: Collected) -> dict[str, Any]:
    url = reverse("api:care_usage_period", kwargs={"org": slug, "period": period.label})
    response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200, (slug, period.label, response.status_code)
    report = response.json()
    p = period.label
    seen.put((p, "users", slug), report["uptake"]["total"])
    for breakdown in report["uptake"]["breakdowns"]:
        withheld = breakdown.get("withheld", False)
        for row in breakdown["rows"]:
            seen.put((p, "users", slug, breakdown["key"], row["key"]), dict(row["cell"], withheld=withheld))
    for measure in ("delivered", "evaluations"):
        seen.put((p, measure, slug), report[measure]["total"])
        for row in report[measure]["rows"]:
            seen.put((p, measure, slug, "theme", row["key"]), row["cell"])
    return report


def _take_benchmark_xlsx(client: Any, period: ReleasePeriod, labels: dict[str, Any], seen: Collected) -> None:
    """The sector admin's XLSX download: the benchmark sheet and the sector's breakdowns."""
    from openpyxl import load_workbook

    with mock.patch.object(forms.PeriodForm, "chosen", return_value=period):
        response = client.get(reverse("care:sector_usage_xlsx"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))

    def cell(value: Any) -> dict[str, Any]:
        if value == "not shown":  # a withheld breakdown: may be 0
            return {"value": None, "suppressed": True, "withheld": True}
        if value == "suppressed":
            return {"value": None, "suppressed": True}
        return {"value": value, "suppressed": False}

    p = period.label
    rows = list(book["Benchmark"].iter_rows(values_only=True))
    header = rows[0]
    themes = [labels["theme"][label] for label in header[2:-2]]
    for row in rows[1:]:
        pop = "S" if row[0] == "Sector" else labels["organisation"][row[0]]
        for theme, value in zip(themes, row[2:-2], strict=True):
            seen.put((p, "users", pop, "theme", theme), cell(value))
        seen.put((p, "users", pop), cell(row[-2]))
    for row in list(book["Uptake"].iter_rows(values_only=True))[1:]:
        dim = labels["dimension"][row[0]]
        seen.put((p, "users", "S", dim, labels["category"][dim][row[1]]), cell(row[2]))
    for sheet, measure in (("Delivered care", "delivered"), ("Evaluations", "evaluations")):
        for row in list(book[sheet].iter_rows(values_only=True))[1:]:
            if row[0] == "Total":
                seen.put((p, measure, "S"), cell(row[1]))
            else:
                seen.put((p, measure, "S", "theme", labels["category"]["theme"][row[0]]), cell(row[1]))


def _take_indicators(organisations: dict[str, Organisation], seen: Collected) -> None:
    """The care-uptake indicator of each unit, turned back into a count (the headcount is
    known to the employer)."""
    for slug, org in organisations.items():
        for quarter in QUARTERS:
            compute_care_uptake(org, quarter.start)
        for m in Measurement.objects.current().filter(organisation=org, indicator__code="care-uptake"):
            period = ReleasePeriod.of_quarter(m.period_start.year, (m.period_start.month - 1) // 3 + 1)
            key = (
                (period.label, "users", slug)
                if m.unit_id is None
                else (period.label, "users", "unit", m.unit_id)
            )
            seen.put(key, {"value": m.group_size, "suppressed": False})


def _relations(organisations: dict[str, Organisation], seen: Collected) -> None:
    """What the attacker knows about how the figures hang together."""
    slugs = list(organisations)
    for period in PERIODS:
        p = period.label
        known = list(dict.fromkeys([*seen.shown, *seen.unpublished]))
        for pop in [*slugs, "S"]:
            dims = {key[3] for key in known if key[:3] == (p, "users", pop) and len(key) == 5}
            for dim in dims:
                parts = [k for k in known if len(k) == 5 and k[:4] == (p, "users", pop, dim)]
                seen.relations.append(Relation((p, "users", pop), tuple(parts)))
            for measure in ("delivered", "evaluations"):
                parts = [k for k in known if len(k) == 5 and k[:3] == (p, measure, pop)]
                seen.relations.append(Relation((p, measure, pop), tuple(parts)))
        sector_parts = [k for k in known if len(k) == 5 and k[:3] == (p, "users", "S")]
        for key in sector_parts:
            orgs = tuple((p, "users", s, key[3], key[4]) for s in slugs)
            for o in orgs:
                if o not in seen.shown and o not in seen.unpublished:
                    seen.unpublished.add(o)  # a category an organisation does not list: unknown
            seen.relations.append(Relation(key, orgs))
        seen.relations.append(Relation((p, "users", "S"), tuple((p, "users", s) for s in slugs)))
        for measure in ("delivered", "evaluations"):
            seen.relations.append(Relation((p, measure, "S"), tuple((p, measure, s) for s in slugs)))
        # Units: an organisation is its units plus the people directly in it.
        if period.kind == "quarter":
            for slug, org in organisations.items():
                units = list(Unit.objects.filter(organisation=org))
                for unit in [None, *units]:
                    total = (p, "users", slug) if unit is None else (p, "users", "unit", unit.pk)
                    if total not in seen.shown:
                        seen.unpublished.add(total)
                    own = (p, "own", slug, unit.pk if unit else None)
                    seen.unpublished.add(own)
                    direct = Person.objects.filter(organisation=org, unit=unit).exists()
                    if not direct:
                        seen.known_empty.add(own)
                    children = [
                        (p, "users", "unit", u.pk)
                        for u in units
                        if u.parent_id == (unit.pk if unit else None)
                    ]
                    for child in children:
                        if child not in seen.shown:
                            seen.unpublished.add(child)
                    seen.relations.append(Relation(total, (*children, own)))
    # Across periods: a year's (and twelve months') users cover those of its quarters.
    for window in PERIODS:
        if window.kind == "quarter":
            continue
        quarters = [q for q in QUARTERS if window.start <= q.start and q.end <= window.end]
        for pop in [*slugs, "S"]:
            seen.relations.append(
                Relation(
                    (window.label, "users", pop), tuple((q.label, "users", pop) for q in quarters), cover=True
                )
            )
            for dim in STABLE:
                cats = {
                    k[4] for k in seen.shown if len(k) == 5 and k[:4] == (window.label, "users", pop, dim)
                }
                for cat in cats:
                    parts = tuple((q.label, "users", pop, dim, cat) for q in quarters)
                    if all(part in seen.shown or part in seen.unpublished for part in parts):
                        seen.relations.append(
                            Relation((window.label, "users", pop, dim, cat), parts, cover=True)
                        )


def _collect(client: Any, world: Any, organisations: dict[str, Organisation]) -> Collected:
    cast = world.cast
    _token, raw = ApiToken.issue(user=cast.user("sector_admin"), name="attack")
    seen = Collected()
    labels: dict[str, Any] = {"organisation": {o.name: slug for slug, o in organisations.items()}}
    for period in PERIODS:
        for slug in organisations:
            report = _take_api(client, raw, slug, period, seen)
            labels["dimension"] = {b["label"]: b["key"] for b in report["uptake"]["breakdowns"]}
            labels["category"] = {
                b["key"]: {r["label"]: r["key"] for r in b["rows"]} for b in report["uptake"]["breakdowns"]
            }
            labels["theme"] = labels["category"]["theme"]
        login(client, cast.user("sector_admin"))
        _take_benchmark_xlsx(client, period, labels, seen)
    _take_indicators(organisations, seen)
    _relations(organisations, seen)
    return seen


def _truth(world: Any) -> dict[Hashable, int]:
    """Every count as it is, from the database: the same build with nothing hidden."""
    truth: dict[Hashable, int] = {}
    for period in PERIODS:
        with mock.patch.object(release_system, "withholds", return_value=False):
            data = care_release_module.build(world.cast.sector, period, 1)
        p = period.label
        slugs = {str(o.pk): o.slug for o in Organisation.objects.all()}
        reports = {slugs[pk]: r for pk, r in data["organisations"].items()}
        reports["S"] = data["sector_report"]
        for pop, report in reports.items():
            if report["uptake"]["total"]["value"] is not None:
                truth[(p, "users", pop)] = report["uptake"]["total"]["value"]
            for b in report["uptake"]["breakdowns"]:
                for r in b["rows"]:
                    if r["cell"]["value"] is not None:
                        truth[(p, "users", pop, b["key"], r["key"])] = r["cell"]["value"]
            for measure in ("delivered", "evaluations"):
                truth[(p, measure, pop)] = report[measure]["total"]["value"]
                for r in report[measure]["rows"]:
                    if r["cell"]["value"] is not None:
                        truth[(p, measure, pop, "theme", r["key"])] = r["cell"]["value"]
        bench = data["sector_report"]["benchmark"]
        for column, cell in zip(bench["columns"], bench["totals"]["cells"], strict=True):
            truth[(p, "users", "S", "theme", column["key"])] = cell["value"]
        for unit_pk, figures in data["units"].items():
            truth[(p, "users", "unit", int(unit_pk))] = figures["users"]["value"]
    return truth


# --------------------------------------------------------------------------------------
# The attacks
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [7, 2026])
def test_no_hidden_small_group_can_be_recovered_from_everything_published(client, world, seed):
    organisations = _generate(world, seed)
    seen = _collect(client, world, organisations)
    truth = _truth(world)
    published = seen.everything()
    # 1. nothing small is shown anywhere
    for key, value in published.items():
        if value is not None:
            assert not 0 < value < K, f"{key!r} = {value} is shown"
    # 2. no hidden small group can be proven small, with everything combined
    small_hidden = [key for key, value in published.items() if value is None and 0 < truth.get(key, 0) < K]
    small_hidden += [key for key in seen.unpublished if 0 < truth.get(key, 0) < K]
    ceiling = Person.objects.count()
    highest = reader_bounds(
        published,
        seen.relations,
        ceiling=ceiling,
        unpublished=seen.unpublished,
        known_empty=seen.known_empty,
        targets=small_hidden,
    )
    recovered = {key: top for key, top in highest.items() if top < K}
    assert small_hidden, "the generated sector must have small groups to attack"
    assert not recovered, f"recovered as small: {recovered}"
    # What was attacked, for the closing note of the issue.
    attacked = len(small_hidden)
    print(f"seed {seed}: {len(published)} figures, {attacked} small hidden groups attacked, 0 recovered")


def _employer_view(client: Any, world: Any, organisations: dict[str, Organisation]) -> dict[str, Any]:
    """Everything employer-side about care, as JSON-comparable values."""
    cast = world.cast
    _token, raw = ApiToken.issue(user=cast.user("sector_admin"), name="compare")
    out: dict[str, Any] = {}
    for period in PERIODS:
        for slug in organisations:
            url = reverse("api:care_usage_period", kwargs={"org": slug, "period": period.label})
            out[f"{slug} {period.label}"] = client.get(url, HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    login(client, cast.user("org_admin"))
    out["budget"] = client.get(reverse("care:budget", args=["a"])).content.decode()
    login(client, cast.user("sector_admin"))
    out["balances"] = client.get(reverse("care:balances"), {"year": 2025}).content.decode()
    for org in organisations.values():
        for quarter in QUARTERS:
            compute_care_uptake(org, quarter.start)
    out["indicators"] = sorted(
        (m.unit_id or 0, str(m.period_start), str(m.value), m.group_size)
        for m in Measurement.objects.current().filter(indicator__code="care-uptake")
    )
    return out


def _strip_volatile(view: dict[str, Any]) -> dict[str, Any]:
    # The pages carry a CSRF token and a CSP nonce that differ per response.
    import re

    return {
        key: re.sub(r'(nonce|value)="[^"]*"', "", value) if isinstance(value, str) else value
        for key, value in view.items()
    }


def test_one_care_event_moves_no_published_figure(client, world):
    """A referral accepted, a request backdated into a closed quarter, a session booked
    today: nothing an employer-side role can see changes, and the running quarter and
    year have no figures at all."""
    organisations = _generate(world, 11)
    before = _strip_volatile(_employer_view(client, world, organisations))
    person = Person.objects.filter(organisation=organisations["b"], employee_number__startswith="gb").first()
    now = datetime.now(tz=UTC)
    coaching = Intervention.objects.get(pk=world.coaching.pk)
    late = CareRequest.objects.create(
        person=person, organisation=organisations["b"], intervention=coaching, route="direct", created_at=now
    )
    CareRequest.objects.create(
        person=person,
        organisation=organisations["b"],
        intervention=coaching,
        route="direct",
        created_at=datetime(2025, 5, 2, 9, tzinfo=UTC),
    )
    DeliverySession.objects.create(
        request=late,
        provider=world.balans,
        date=now.date(),
        duration_minutes=60,
        cost=Decimal("95"),
        registered_by=world.cast.user("provider"),
    )
    after = _strip_volatile(_employer_view(client, world, organisations))
    assert after == before
    _token, raw = ApiToken.issue(user=world.cast.user("sector_admin"), name="running")
    today = date.today()
    for running in (
        ReleasePeriod.of_quarter(today.year, (today.month - 1) // 3 + 1),
        ReleasePeriod.of_year(today.year),
    ):
        url = reverse("api:care_usage_period", kwargs={"org": "b", "period": running.label})
        assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 404


def test_the_pattern_is_one_across_reports_of_a_population(client, world):
    """The sector benchmark's row of an organisation and the organisation's own report
    are the same cells (collected twice above: ``Collected.put`` fails on a difference);
    here the organisation's theme cells are also compared with its benchmark row
    directly."""
    organisations = _generate(world, 5)
    seen = _collect(client, world, organisations)
    per_period: dict[str, int] = defaultdict(int)
    for key in seen.shown:
        per_period[key[0]] += 1
    assert set(per_period) >= {p.label for p in PERIODS}
