"""The care release: every figure about care usage, care spend and health checks of a
sector's groups for one closed period, protected as one.

One computation covers the sector, every organisation and every unit, so the sector
benchmark, each organisation's report, the care-uptake and WHO-5 indicators and the
budget pages read the same cells with the same suppression pattern. The relations a
reader knows are declared with the counts (``vitaal.core.disclosure.linked``): every
breakdown of a population adds up to its total, the sector's cells are the sums of its
organisations' cells, and an organisation or unit is its sub-units plus its own members.

Figures that ride on counts — costs, mean grades, percentages, WHO-5 means, per-1,000
rates — are shown only where their count is shown. A breakdown in which one category
holds everybody is withheld: showing it would tell every user's attribute (the zeros
around it are exact). Spend (committed, actual, remaining) is released for calendar years
only: quarters and overlapping twelve-month windows subtract to a quarter's spend.

Who is counted is unchanged from the usage report (see ``vitaal.care.usage``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, Sum, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from vitaal.care import finance
from vitaal.care import usage_counts as counting
from vitaal.care.models import DeliverySession, Evaluation, HealthCheck, InsurerUsageRow, Theme
from vitaal.care.usage import DIMENSIONS, Categories, dimension_labels, label_of_choice, unknown_label
from vitaal.care.usage_counts import UNKNOWN
from vitaal.core.disclosure import TOTAL, ProtectedCell, protect_table
from vitaal.core.disclosure.linked import LinkedCounts, LinkedResult, Relation, protect_linked
from vitaal.core.models import Gender, Organisation, PeriodKind, Person, Sector, Unit
from vitaal.core.releases import ReleasePeriod, release_get

DOMAIN = "care"
RELEASE_VERSION = 2
SECTOR = "S"
INSURER_DIMENSIONS = ("theme", "function_group", "gender", "age_band")


def care_release(sector: Sector, period: ReleasePeriod, *, today: date | None = None) -> dict[str, Any]:
    """The protected care figures of a closed period (made once, then read)."""
    if period.kind != PeriodKind.QUARTER:
        # The quarters of a longer period are released first, so the longer period is
        # protected with them in view (its users cover theirs).
        for quarter in _quarters_of(period):
            care_release(sector, quarter, today=today)
    release = release_get(sector=sector, domain=DOMAIN, period=period, build=build, today=today)
    return dict(release.data, released_on=release.released_on.isoformat())


def _quarters_of(period: ReleasePeriod) -> list[ReleasePeriod]:
    return [ReleasePeriod.of_quarter(year, quarter) for year, quarter in sorted(_quarters_in(period))]


# --------------------------------------------------------------------------------------
# Collecting the counts and their relations
# --------------------------------------------------------------------------------------


class _System:
    """Counts, relations and the cells withheld or never published, as they are added."""

    def __init__(self) -> None:
        self.values: dict[Hashable, int] = {}
        self.relations: list[Relation] = []
        self.unpublished: set[Hashable] = set()
        self.known_empty: set[Hashable] = set()
        self.seed: set[Hashable] = set()
        self.fixed_hidden: set[Hashable] = set()
        self.fixed_shown: set[Hashable] = set()

    def add(self, key: Hashable, value: int) -> None:
        self.values[key] = int(value)

    def relate(self, total: Hashable, parts: Iterable[Hashable], *, cover: bool = False) -> None:
        self.relations.append(Relation(total, tuple(parts), cover=cover))

    def protect(self, k: int, ceiling: int) -> LinkedResult:
        counts = LinkedCounts(
            values=self.values,
            relations=self.relations,
            ceiling=max(ceiling, 1),
            unpublished=frozenset(self.unpublished),
            known_empty=frozenset(self.known_empty),
            seed=frozenset(self.seed),
            fixed_hidden=frozenset(self.fixed_hidden),
            fixed_shown=frozenset(self.fixed_shown),
        )
        return protect_linked(counts, k)


def _add_table(
    system: _System,
    measure: str,
    by_org: dict[int, dict[str, dict[str, int]]],
    org_ids: list[int],
    dimensions: dict[str, list[str]],
    k: int | None = None,
) -> None:
    """One measure broken down by several dimensions, for each organisation and the
    sector: ``(measure, population)`` is the total, ``(measure, population, dimension,
    category)`` a cell. The sector's cells are the sums of the organisations' cells."""
    populations: list[tuple[int | str, list[int]]] = [(o, [o]) for o in org_ids]
    for pop, members in [*populations, (SECTOR, org_ids)]:
        for name, categories in dimensions.items():
            for category in categories:
                value = sum(by_org.get(o, {}).get(name, {}).get(category, 0) for o in members)
                system.add((measure, pop, name, category), value)
        first = next(iter(dimensions))
        system.add((measure, pop), sum(system.values[(measure, pop, first, c)] for c in dimensions[first]))
        for name, categories in dimensions.items():
            parts = [(measure, pop, name, c) for c in categories]
            system.relate((measure, pop), parts)
            if withholds([system.values[part] for part in parts]):
                system.unpublished.update(parts)
    for name, categories in dimensions.items():
        for category in categories:
            system.relate((measure, SECTOR, name, category), [(measure, o, name, category) for o in org_ids])
    system.relate((measure, SECTOR), [(measure, o) for o in org_ids])
    if k is not None and org_ids:
        _seed_tables(system, measure, org_ids, dimensions, k)


def _seed_tables(
    system: _System, measure: str, org_ids: list[int], dimensions: dict[str, list[str]], k: int
) -> None:
    """Each dimension as a two-way table of organisations × categories, protected exactly
    on its own; the union is where the joint protection starts."""
    for name, categories in dimensions.items():
        grid = {o: {c: system.values[(measure, o, name, c)] for c in categories} for o in org_ids}
        table = protect_table(grid, k, columns=categories)
        for o in org_ids:
            if table.row_total(o).suppressed:
                system.seed.add((measure, o))
            for c in categories:
                if table[o, c].suppressed:
                    system.seed.add((measure, o, name, c))
        for c in categories:
            if table[TOTAL, c].suppressed:
                system.seed.add((measure, SECTOR, name, c))
        if table.grand_total.suppressed:
            system.seed.add((measure, SECTOR))


def withholds(counts: list[int]) -> bool:
    """One category holding everybody tells every member's attribute (the zeros beside it
    are exact): such a breakdown is withheld as a whole."""
    return len(counts) > 1 and sum(1 for n in counts if n > 0) == 1


def _add_tree(
    system: _System,
    measure: str,
    org_ids: list[int],
    units: list[Unit],
    per_unit: Counter[tuple[int, int | None]],
    has_own_members: set[tuple[int, int | None]],
    *,
    prefix: tuple[str, ...] = (),
) -> None:
    """Units as part of the organisation: ``(measure, org)`` must already be a cell. A
    unit is its sub-units plus its own members; the own members are a group the reader
    cannot see but knows of (or knows is empty, when nobody works directly there)."""
    children: dict[tuple[int, int | None], list[int]] = defaultdict(list)
    for unit in units:
        children[(unit.organisation_id, unit.parent_id)].append(unit.pk)
    subtotal: dict[int, int] = {}
    for unit in sorted(units, key=lambda u: -u.depth):
        subtotal[unit.pk] = per_unit[(unit.organisation_id, unit.pk)] + sum(
            subtotal[c] for c in children[(unit.organisation_id, unit.pk)]
        )
        system.add((*prefix, measure, "unit", unit.pk), subtotal[unit.pk])
    places: list[tuple[tuple[int, int | None], Hashable, Hashable]] = [
        ((u.organisation_id, u.pk), (*prefix, measure, "unit", u.pk), (*prefix, measure, "own", u.pk))
        for u in units
    ]
    places += [
        ((org, None), (*prefix, measure, org), (*prefix, measure, "own", f"org{org}")) for org in org_ids
    ]
    for place, total, own in places:
        system.add(own, per_unit[place])
        system.unpublished.add(own)
        if place not in has_own_members:
            system.known_empty.add(own)
        parts = [(*prefix, measure, "unit", c) for c in children[place]]
        system.relate(total, [*parts, own])


# --------------------------------------------------------------------------------------
# The queries (grouped in the database; a fixed number however much history there is)
# --------------------------------------------------------------------------------------


def _delivered(
    org_ids: list[int], period: ReleasePeriod
) -> tuple[dict[int, Counter[str]], dict[int, dict[str, Decimal]]]:
    rows = (
        DeliverySession.objects.filter(
            request__organisation_id__in=org_ids, date__gte=period.start, date__lte=period.end
        )
        .values("request__organisation_id", "request__intervention__theme")
        .annotate(people=Count("request__person_id", distinct=True), cost=Sum("cost"))
        .order_by()
    )
    people: dict[int, Counter[str]] = defaultdict(Counter)
    costs: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for row in rows:
        org, theme = row["request__organisation_id"], row["request__intervention__theme"]
        people[org][theme] = row["people"]
        costs[org][theme] = Decimal(row["cost"] or 0)
    return people, costs


def _evaluations(
    org_ids: list[int], period: ReleasePeriod
) -> dict[int, dict[str, list[tuple[int, str, int]]]]:
    low, high = counting.moments(period.start, period.end)
    latest = (
        Evaluation.objects.filter(
            request__organisation_id__in=org_ids, created_at__gte=low, created_at__lt=high
        )
        .annotate(
            nth=Window(
                RowNumber(),
                partition_by=[F("request__person_id")],
                order_by=[F("created_at").desc(), F("pk").desc()],
            )
        )
        .filter(nth=1)
        .values("pk")
    )
    rows = (
        Evaluation.objects.filter(pk__in=latest)
        .values("request__organisation_id", "request__intervention__theme", "grade", "helped")
        .annotate(n=Count("pk"))
        .order_by("request__organisation_id", "request__intervention__theme", "grade", "helped")
    )
    out: dict[int, dict[str, list[tuple[int, str, int]]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        out[row["request__organisation_id"]][row["request__intervention__theme"]].append(
            (row["grade"], row["helped"], row["n"])
        )
    return out


def _users_per_unit(org_ids: list[int], period: ReleasePeriod) -> Counter[tuple[int, int | None]]:
    rows = (
        counting.counted_requests(org_ids, period.start, period.end)
        .values("organisation_id", "person__unit_id")
        .annotate(n=Count("person_id", distinct=True))
        .order_by()
    )
    return Counter({(r["organisation_id"], r["person__unit_id"]): r["n"] for r in rows})


def _health(org_ids: list[int], period: ReleasePeriod) -> dict[tuple[int, int | None], list[int]]:
    """Each person's latest WHO-5 score in the period, grouped by organisation and unit."""
    latest = (
        HealthCheck.objects.filter(
            person__organisation_id__in=org_ids, taken_on__gte=period.start, taken_on__lte=period.end
        )
        .annotate(
            nth=Window(
                RowNumber(), partition_by=[F("person_id")], order_by=[F("taken_on").desc(), F("pk").desc()]
            )
        )
        .filter(nth=1)
        .values("pk")
    )
    rows = (
        HealthCheck.objects.filter(pk__in=latest)
        .values("person__organisation_id", "person__unit_id")
        .annotate(n=Count("pk"), total=Sum("who5_percentage"))
        .order_by()
    )
    return {(r["person__organisation_id"], r["person__unit_id"]): [r["n"], r["total"] or 0] for r in rows}


def _insurer(
    org_ids: list[int], period: ReleasePeriod, categories: Categories
) -> tuple[dict[int, dict[str, dict[str, int]]], dict[int, dict[str, Decimal]], list[str]]:
    which = Q()
    for year, quarter in _quarters_in(period):
        which |= Q(year=year, quarter=quarter)
    selected: list[dict[str, Any]] = [
        dict(row)
        for row in InsurerUsageRow.objects.filter(which, organisation_id__in=org_ids).values(
            "organisation_id",
            "theme",
            "gender",
            "age_band",
            "function_group",
            "users",
            "cost",
            "batch__insurer",
        )
    ]
    counts: dict[int, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(Counter))
    costs: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for row in selected:
        for name in INSURER_DIMENSIONS:
            key = row[name] or UNKNOWN
            if name == "gender" and key == Gender.UNKNOWN:
                key = UNKNOWN
            counts[row["organisation_id"]][name][key] += row["users"]
        costs[row["organisation_id"]][row["theme"]] += Decimal(row["cost"])
    return counts, costs, sorted({row["batch__insurer"] for row in selected})


def _quarters_in(period: ReleasePeriod) -> set[tuple[int, int]]:
    out = set()
    year, quarter = period.year, period.quarter
    for _i in range(1 if period.kind == PeriodKind.QUARTER else 4):
        out.add((year, quarter))
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    return out


# --------------------------------------------------------------------------------------
# Earlier releases this one overlaps
# --------------------------------------------------------------------------------------

# Person attributes that stay the same within a year: a longer period's users in such a
# category cover that category's users in each of its quarters.
STABLE = ("gender", "function_group")
# What of an earlier release is taken along: every breakdown, not only those the cover
# relations link, since each one bounds the total a reader puts into those relations.
# (With the stable ones only, a variant of the pattern let the attack suite recover a
# quarter's small group that the builder had judged safe.)
CONTEXT_DIMENSIONS = DIMENSIONS


def _under(keys: Iterable[Hashable], head: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    """The keys one level below ``head`` (a category of a breakdown)."""
    return [
        key
        for key in keys
        if isinstance(key, tuple) and len(key) == len(head) + 1 and key[: len(head)] == head
    ]


def _prefix(label: str | None) -> tuple[str, ...]:
    return () if label is None else ("ctx", label)


def _add_history(
    system: _System,
    sector: Sector,
    period: ReleasePeriod,
    org_ids: list[int],
    units: list[Unit],
    has_own: set[tuple[int, int | None]],
) -> None:
    """Add what earlier releases overlapping this period published about users — totals
    and the stable breakdowns of every organisation, the sector and the units — as fixed
    cells, with the cover relations between a longer period and its quarters. A reader
    combines a year with its quarters and a twelve-month window with the one before;
    this release is protected with those in view, and cannot change them.

    An earlier release whose shown figures no longer match the data (a request entered
    later with an earlier date) is left out: its figures describe data that no longer
    exists, so no relation with this period holds for them."""
    from vitaal.core.models import Release

    released = Release.objects.filter(sector=sector, domain=DOMAIN).select_related("period")
    overlapping = list(
        released.filter(start__lte=period.end, end__gte=period.start).exclude(
            kind=period.kind, start=period.start
        )
    )
    # The quarters of each overlapping window come along, also where they lie outside
    # this period: without them the window's cover relation is not the reader's.
    spans = [(period.start, period.end)] + [
        (r.start, r.end) for r in overlapping if r.kind != PeriodKind.QUARTER
    ]
    quarters_needed = Q()
    for start, end in spans:
        quarters_needed |= Q(kind=PeriodKind.QUARTER, start__gte=start, end__lte=end)
    earlier = overlapping + list(released.filter(quarters_needed).exclude(pk__in=[r.pk for r in overlapping]))
    labels: dict[str | None, ReleasePeriod] = {None: period}
    for release in earlier:
        if release.kind == period.kind and release.start == period.start:
            continue
        other = ReleasePeriod.parse(release.period.label)
        if set(release.data.get("organisations", {})) != {str(o) for o in org_ids}:
            continue  # organisations joined or left since: not the same populations
        if _add_published(system, other, release.data, org_ids, units, has_own):
            labels[other.label] = other
    windows = [(label, p) for label, p in labels.items() if p.kind != PeriodKind.QUARTER]
    quarters = {p.label: label for label, p in labels.items() if p.kind == PeriodKind.QUARTER}
    for label, window in windows:
        inside = [quarters.get(q.label, "missing") for q in _quarters_of(window)]
        if "missing" in inside:
            continue
        for pop in [*org_ids, SECTOR]:
            system.relate(
                (*_prefix(label), "users", pop),
                [(*_prefix(q), "users", pop) for q in inside],
                cover=True,
            )
            for name in STABLE:
                head = (*_prefix(label), "users", pop, name)
                cats = {key[-1] for key in _under(system.values, head)}
                for cat in sorted(cats):
                    parts = [(*_prefix(q), "users", pop, name, cat) for q in inside]
                    if all(part in system.values for part in parts):
                        system.relate((*_prefix(label), "users", pop, name, cat), parts, cover=True)


def _add_published(
    system: _System,
    period: ReleasePeriod,
    data: dict[str, Any],
    org_ids: list[int],
    units: list[Unit],
    has_own: set[tuple[int, int | None]],
) -> bool:
    """One earlier release's users figures as fixed cells; False when the data changed
    since (left out, see ``_add_history``)."""
    prefix = _prefix(period.label)
    by_org: dict[int, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    for group in counting.users(org_ids, period):
        for name in CONTEXT_DIMENSIONS:
            by_org[group.organisation_id][name][getattr(group, name)] += group.count
    per_unit = _users_per_unit(org_ids, period)
    cells: dict[tuple[Any, ...], tuple[int, dict[str, Any]]] = {}
    reports_by_org = {org: data["organisations"][str(org)] for org in org_ids}
    reports: list[tuple[int | str, list[int], dict[str, Any]]] = [
        (org, [org], reports_by_org[org]) for org in org_ids
    ]
    for pop, members, report in [*reports, (SECTOR, org_ids, data["sector_report"])]:
        cells[(*prefix, "users", pop)] = (
            sum(sum(by_org[o]["gender"].values()) for o in members),
            report["uptake"]["total"],
        )
        # Every breakdown, not only the stable ones: each one bounds the total a reader
        # can put into the cover relations.
        breakdowns = [
            (b["key"], [(r["key"], r["cell"]) for r in b["rows"]]) for b in report["uptake"]["breakdowns"]
        ]
        if pop == SECTOR:
            bench = report["benchmark"]
            breakdowns.append(
                (
                    "theme",
                    [
                        (c["key"], cell)
                        for c, cell in zip(bench["columns"], bench["totals"]["cells"], strict=True)
                    ],
                )
            )
        for name, rows in breakdowns:
            if name not in CONTEXT_DIMENSIONS:
                continue
            for category, cell in rows:
                truth = sum(by_org[o][name][category] for o in members)
                cells[(*prefix, "users", pop, name, category)] = (truth, cell)
    # A unit tree hangs from its organisation's total: where that total was shown, the
    # tree is settled by it and this release cannot add to what a reader knows of it.
    open_orgs = [org for org in org_ids if reports_by_org[org]["uptake"]["total"]["suppressed"]]
    tree_units = (
        [u for u in units if u.organisation_id in open_orgs] if period.kind == PeriodKind.QUARTER else []
    )
    subtotal: dict[int, int] = {}
    for unit in sorted(tree_units, key=lambda u: -u.depth):
        subtotal[unit.pk] = per_unit[(unit.organisation_id, unit.pk)] + sum(
            subtotal[u.pk] for u in tree_units if u.parent_id == unit.pk
        )
        published = data["units"].get(str(unit.pk))
        if published is None:
            return False
        cells[(*prefix, "users", "unit", unit.pk)] = (subtotal[unit.pk], published["users"])
    for truth, cell in cells.values():
        if not cell["suppressed"] and cell["value"] != truth:
            return False
    for key, (truth, cell) in cells.items():
        system.add(key, truth)
        if cell.get("withheld"):
            system.unpublished.add(key)
        elif cell["suppressed"]:
            system.fixed_hidden.add(key)
        else:
            system.fixed_shown.add(key)
    for place in [*org_ids, SECTOR]:
        for name in CONTEXT_DIMENSIONS:
            parts = _under(cells, (*prefix, "users", place, name))
            if parts:
                system.relate((*prefix, "users", place), parts)
    for name in CONTEXT_DIMENSIONS:
        for key in _under(cells, (*prefix, "users", SECTOR, name)):
            system.relate(
                key,
                [
                    (*prefix, "users", o, name, key[-1])
                    for o in org_ids
                    if (*prefix, "users", o, name, key[-1]) in cells
                ],
            )
    system.relate((*prefix, "users", SECTOR), [(*prefix, "users", o) for o in org_ids])
    if tree_units:
        _add_tree(system, "users", open_orgs, tree_units, per_unit, has_own, prefix=prefix)
    return True


# --------------------------------------------------------------------------------------
# The build
# --------------------------------------------------------------------------------------


def build(sector: Sector, period: ReleasePeriod, k: int) -> dict[str, Any]:
    """Count everything, protect it as one, and assemble the reports (no hidden value is
    stored)."""
    organisations = list(Organisation.objects.filter(sector=sector, is_active=True).order_by("name"))
    org_ids = [o.pk for o in organisations]
    units = list(Unit.objects.filter(organisation_id__in=org_ids).order_by("path"))
    users = counting.users(org_ids, period)
    categories = Categories.for_sector(sector, {int(u.intervention) for u in users})
    headcounts = counting.headcount(org_ids, period.end)
    staff = (
        Person.objects.filter(organisation_id__in=org_ids)
        .employed_on(period.end)
        .values("organisation_id", "unit_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    unit_staff: Counter[tuple[int, int | None]] = Counter(
        {(r["organisation_id"], r["unit_id"]): r["n"] for r in staff}
    )
    # A place with nobody directly in it, ever, is known to be empty; one whose members
    # all left may still hold this period's users.
    has_own: set[tuple[int, int | None]] = {
        (r["organisation_id"], r["unit_id"])
        for r in Person.objects.filter(organisation_id__in=org_ids)
        .values("organisation_id", "unit_id")
        .distinct()
    }

    system = _System()
    # Users of the arrangement.
    dims = {name: list(categories.labels[name]) for name in DIMENSIONS}
    by_org: dict[int, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(Counter))
    for group in users:
        for name in DIMENSIONS:
            key = getattr(group, name)
            if key not in dims[name]:
                dims[name].append(key)
            by_org[group.organisation_id][name][key] += group.count
    dims = {name: cats for name, cats in dims.items() if cats}
    _add_table(system, "users", by_org, org_ids, dims, k)
    if period.kind == PeriodKind.QUARTER:
        # Units' users are published for quarters only (the care-uptake indicator); a
        # year's or twelve months' unit figures would be cells nobody reads but the
        # protection has to pay for.
        _add_tree(system, "users", org_ids, units, _users_per_unit(org_ids, period), has_own)
    _add_history(system, sector, period, org_ids, units, has_own)
    # Delivered care and evaluations, by theme.
    themes = [t.value for t in Theme]
    delivered_people, delivered_costs = _delivered(org_ids, period)
    _add_table(
        system,
        "delivered",
        {o: {"theme": dict(c)} for o, c in delivered_people.items()},
        org_ids,
        {"theme": themes},
        k,
    )
    evaluations = _evaluations(org_ids, period)
    _add_table(
        system,
        "evaluated",
        {
            o: {"theme": {t: sum(n for *_r, n in items) for t, items in per.items()}}
            for o, per in evaluations.items()
        },
        org_ids,
        {"theme": themes},
        k,
    )
    # Health checks: people with a check, per organisation and unit.
    health = _health(org_ids, period)
    per_unit_checks: Counter[tuple[int, int | None]] = Counter({key: n for key, (n, _t) in health.items()})
    for org in org_ids:
        system.add(("checked", org), sum(n for (o, _u), n in per_unit_checks.items() if o == org))
    system.add(("checked", SECTOR), sum(system.values[("checked", o)] for o in org_ids))
    system.relate(("checked", SECTOR), [("checked", o) for o in org_ids])
    _add_tree(system, "checked", org_ids, units, per_unit_checks, has_own)
    # The insurer's figures: a source of their own, protected alike.
    insurer_counts, insurer_costs, insurers = _insurer(org_ids, period, categories)
    insurer_dims = {name: list(categories.labels[name]) for name in INSURER_DIMENSIONS}
    for per in insurer_counts.values():
        for name, tally in per.items():
            insurer_dims[name] += [key for key in tally if key not in insurer_dims[name]]
    if insurers:
        _add_table(
            system, "insurer", insurer_counts, org_ids, {n: c for n, c in insurer_dims.items() if c}, k
        )

    ceiling = sum(headcounts.values())
    # The reader bounds every count by the headcount; the insurer counts on its own, so
    # its figures may exceed ours.
    pattern = system.protect(k, max([ceiling, *system.values.values()]))
    reader = _Reader(system, pattern)
    labels = dimension_labels()

    def uptake(pop: Any, names: Iterable[str]) -> dict[str, Any]:
        return {
            "total": reader.cell(("users", pop)),
            "breakdowns": [
                {
                    "key": name,
                    "label": labels[name],
                    "withheld": reader.withheld(("users", pop, name, dims[name][0])),
                    "rows": [
                        {
                            "key": key,
                            "label": categories.labels[name].get(key, unknown_label()),
                            "cell": reader.cell(("users", pop, name, key)),
                        }
                        for key in dims[name]
                    ],
                }
                for name in names
                if name in dims
            ],
        }

    def delivered(pop: Any) -> dict[str, Any]:
        pops = org_ids if pop == SECTOR else [pop]
        costs = {
            t: sum((delivered_costs.get(o, {}).get(t, Decimal(0)) for o in pops), Decimal(0)) for t in themes
        }
        total = reader.cell(("delivered", pop))
        return {
            "total": total,
            "cost_total": None if total["suppressed"] else _money(sum(costs.values(), Decimal(0))),
            "rows": [
                {
                    "key": t,
                    "label": label_of_choice(Theme(t)),
                    "cell": (cell := reader.cell(("delivered", pop, "theme", t))),
                    "cost": None if cell["suppressed"] or cell["withheld"] else _money(costs[t]),
                }
                for t in themes
            ],
        }

    def evaluated(pop: Any) -> dict[str, Any]:
        pops = org_ids if pop == SECTOR else [pop]
        items = {t: [x for o in pops for x in evaluations.get(o, {}).get(t, [])] for t in themes}
        total = reader.cell(("evaluated", pop))
        every = [x for t in themes for x in items[t]]
        mean, helped = _evaluation_stats(every) if not total["suppressed"] else (None, None)
        rows = []
        for t in themes:
            cell = reader.cell(("evaluated", pop, "theme", t))
            shown = not (cell["suppressed"] or cell["withheld"])
            t_mean, t_helped = _evaluation_stats(items[t]) if shown else (None, None)
            rows.append(
                {
                    "key": t,
                    "label": label_of_choice(Theme(t)),
                    "cell": cell,
                    "mean_grade": t_mean,
                    "helped_pct": t_helped,
                }
            )
        return {"total": total, "mean_grade": mean, "helped_pct": helped, "rows": rows}

    def insurer(pop: Any) -> dict[str, Any] | None:
        if not insurers:
            return None
        pops = org_ids if pop == SECTOR else [pop]
        if not any(insurer_counts.get(o) for o in pops):
            return None
        costs = {
            t: sum((insurer_costs.get(o, {}).get(t, Decimal(0)) for o in pops), Decimal(0))
            for t in insurer_dims["theme"]
        }
        total = reader.cell(("insurer", pop))
        return {
            "insurers": insurers,
            "total": total,
            "cost_total": None if total["suppressed"] else _money(sum(costs.values(), Decimal(0))),
            "breakdowns": [
                {
                    "key": name,
                    "label": labels[name],
                    "rows": [
                        {
                            "key": key,
                            "label": categories.labels[name].get(key, unknown_label()),
                            "cell": (cell := reader.cell(("insurer", pop, name, key))),
                            "cost": (
                                _money(costs.get(key, Decimal(0)))
                                if name == "theme" and not (cell["suppressed"] or cell["withheld"])
                                else None
                            ),
                        }
                        for key in insurer_dims[name]
                    ],
                }
                for name in INSURER_DIMENSIONS
                if insurer_dims[name]
            ],
        }

    def who5(key: tuple[int, int | None] | None, pops: list[tuple[int, int | None]]) -> float | None:
        n = sum(health.get(p, [0, 0])[0] for p in pops)
        total = sum(health.get(p, [0, 0])[1] for p in pops)
        return round(total / n, 1) if n else None

    base = {
        "version": RELEASE_VERSION,
        "sector": sector.name,
        "period": {
            "label": period.label,
            "kind": period.kind,
            "year": period.year,
            "quarter": period.quarter,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
        },
        "threshold": k,
    }
    sector_cell = reader.cell(("users", SECTOR))
    sector_rate = _rate(sector_cell["value"], ceiling)
    reports: dict[str, Any] = {}
    for o in organisations:
        total = reader.cell(("users", o.pk))
        reports[str(o.pk)] = {
            **base,
            "kind": "organisation",
            "organisation": {"name": o.name, "slug": o.slug},
            "headcount": headcounts[o.pk],
            "uptake": uptake(o.pk, DIMENSIONS),
            "users_per_1000": _rate(total["value"], headcounts[o.pk]),
            "sector_users_per_1000": sector_rate,
            "delivered": delivered(o.pk),
            "evaluations": evaluated(o.pk),
            "finance": _finance(o, period, total),
            "insurer": insurer(o.pk),
        }
    theme_cells = [reader.cell(("users", SECTOR, "theme", t)) for t in dims.get("theme", [])]
    sector_report = {
        **base,
        "kind": "sector",
        "organisation": None,
        "headcount": ceiling,
        "uptake": uptake(SECTOR, [d for d in DIMENSIONS if d != "theme"]),
        "users_per_1000": sector_rate,
        "benchmark": {
            "columns": [{"key": t, "label": label_of_choice(Theme(t))} for t in dims.get("theme", [])],
            "rows": [
                {
                    "key": o.slug,
                    "label": {"nl": o.name, "en": o.name},
                    "headcount": headcounts[o.pk],
                    "cells": [reader.cell(("users", o.pk, "theme", t)) for t in dims.get("theme", [])],
                    "total": reader.cell(("users", o.pk)),
                    "users_per_1000": _rate(reader.cell(("users", o.pk))["value"], headcounts[o.pk]),
                }
                for o in organisations
            ],
            "totals": {"cells": theme_cells, "total": sector_cell},
        },
        "delivered": delivered(SECTOR),
        "evaluations": evaluated(SECTOR),
        "insurer": insurer(SECTOR),
    }
    # Units: users and health checks, each with the unit's headcount, for the indicators.
    subtree: dict[int, list[tuple[int, int | None]]] = {}
    for unit in units:
        subtree[unit.pk] = [(u.organisation_id, u.pk) for u in units if u.path.startswith(unit.path)]
    unit_figures = {}
    for unit in units:
        checked = reader.cell(("checked", "unit", unit.pk))
        unit_figures[str(unit.pk)] = {
            "users": (
                reader.cell(("users", "unit", unit.pk))
                if period.kind == PeriodKind.QUARTER
                else {"value": None, "suppressed": True, "withheld": True}
            ),
            "checked": checked,
            "who5_mean": None if checked["suppressed"] else who5(None, subtree[unit.pk]),
            "headcount": sum(unit_staff[p] for p in subtree[unit.pk]),
        }
    org_health = {}
    for o in organisations:
        checked = reader.cell(("checked", o.pk))
        pops = [key for key in health if key[0] == o.pk]
        org_health[str(o.pk)] = {
            "checked": checked,
            "who5_mean": None if checked["suppressed"] else who5(None, pops),
        }
    return {
        **base,
        "organisations": reports,
        "sector_report": sector_report,
        "units": unit_figures,
        "health": org_health,
        "cells_checked": len(system.values),
        "cells_hidden": len(pattern.hidden()),
    }


class _Reader:
    """Cells of the pattern as report dicts; a withheld cell has no value either."""

    def __init__(self, system: _System, pattern: LinkedResult) -> None:
        self.system = system
        self.pattern = pattern

    def withheld(self, key: Hashable) -> bool:
        return key in self.system.unpublished

    def cell(self, key: Hashable) -> dict[str, Any]:
        if key in self.system.unpublished:
            return {"value": None, "suppressed": True, "withheld": True}
        protected: ProtectedCell = self.pattern.cell(key)
        return {"value": protected.value, "suppressed": protected.suppressed, "withheld": False}


def _evaluation_stats(items: list[tuple[int, str, int]]) -> tuple[float | None, float | None]:
    people = sum(n for *_gh, n in items)
    if not people:
        return None, None
    mean = round(sum(g * n for g, _h, n in items) / people, 1)
    helped = round(100 * sum(n for _g, h, n in items if h == "yes") / people, 0)
    return mean, helped


def _finance(organisation: Organisation, period: ReleasePeriod, users: dict[str, Any]) -> dict[str, Any]:
    """Contributions and the company-bound budget are facts about the organisation; spend
    is about the people who used care, so it is released for closed calendar years only,
    and only where the year's users are shown."""
    year = period.end.year
    balance = finance.organisation_balance(organisation, year)
    budget = finance.company_budget(organisation, year)
    spend = period.kind == PeriodKind.YEAR and not users["suppressed"] and not users.get("withheld")
    return {
        "year": year,
        "contributions": _money(balance.contributions),
        "company_budget": _money(budget.budget),
        "approved_budget": _money(budget.approved),
        "committed": _money(balance.committed) if spend else None,
        "actual": _money(balance.actual) if spend else None,
        "remaining": _money(balance.remaining) if spend else None,
        "spend_hidden": not spend,
        "spend_for_years_only": period.kind != PeriodKind.YEAR,
    }


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(Decimal(value).quantize(Decimal("0.01")))


def _rate(count: int | None, headcount: int) -> float | None:
    if count is None or not headcount:
        return None
    return round(count / headcount * 1000, 1)


def released_spend(organisation: Organisation, year: int, *, today: date | None = None) -> dict[str, Any]:
    """Committed, actual and remaining spend of an organisation in a calendar year, as an
    employer-side or sector role may see it: from the year's release once the year has
    ended (hidden where too few employees used care), and nothing while it runs — one
    referral accepted or one session booked would show as a change."""
    period = ReleasePeriod.of_year(year)
    empty = {"committed": None, "actual": None, "remaining": None, "released": False}
    if not period.is_closed(today or timezone.localdate()):
        return empty
    report = care_release(organisation.sector, period, today=today)["organisations"].get(str(organisation.pk))
    if report is None:
        return empty
    fin = report["finance"]
    return {
        "committed": fin["committed"],
        "actual": fin["actual"],
        "remaining": fin["remaining"],
        "released": True,
    }
