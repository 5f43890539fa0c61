"""Earlier releases in view: a care release is protected with the releases it overlaps
(and the quarters of those) as fixed cells, and with the cover relations between a
longer period and its quarters (see ``vitaal.care.release``)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable
from typing import Any

from django.db.models import Q

from vitaal.care import usage_counts as counting
from vitaal.care.release_system import SECTOR, _add_tree, _System
from vitaal.care.usage import DIMENSIONS
from vitaal.care.usage_counts import quarters_in, users_per_unit
from vitaal.core.models import PeriodKind, Sector, Unit
from vitaal.core.releases import ReleasePeriod

DOMAIN = "care"


def quarters_of(period: ReleasePeriod) -> list[ReleasePeriod]:
    return [ReleasePeriod.of_quarter(year, quarter) for year, quarter in sorted(quarters_in(period))]


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
        inside = [quarters.get(q.label, "missing") for q in quarters_of(window)]
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
    per_unit = users_per_unit(org_ids, period)
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
