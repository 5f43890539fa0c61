"""The indicators part of a history build (``vitaal demo --years 5``), per organisation:
quarterly absence frequency per team, yearly norms for the organisation, a few corrected
values (a correction adds a row and marks the old one superseded, as in the app), and
signed yearly management contracts for a share of the teams, with their unit heads'
accounts and norms. Everything is written in bulk: a handful of queries per organisation,
whatever its size."""

from __future__ import annotations

import random
from datetime import date, datetime, time
from decimal import Decimal

from django.utils import timezone

from vitaal.core.models import Membership, Organisation, Person, Unit, User
from vitaal.core.roles import Role
from vitaal.indicators.models import (
    ContractIndicator,
    ContractLine,
    ContractStatus,
    Indicator,
    ManagementContract,
    Measurement,
    Norm,
    Source,
)

CONTRACT_SHARE = 0.2  # share of teams with a management contract
CONTRACT_YEARS = 3  # the last three calendar years each have a signed contract
CORRECTION_SHARE = 0.04  # share of the organisation's monthly absence figures corrected later
CORRECTION_REASON = "Herberekend na de definitieve verzuimcijfers van de arbodienst"


def extend(
    org: Organisation,
    units: list[Unit],
    team_sizes: dict[int, int],
    indicators: dict[str, Indicator],
    months: list[date],
    level: float,
    rng: random.Random,
) -> int:
    """Add the history of one organisation; returns how many contracts it signed."""
    teams = [u for u in units if u.kind == "team" and team_sizes.get(u.pk)]
    quarters = [m for m in months if m.month in (1, 4, 7, 10)]
    years = sorted({m.year for m in months})
    frequency = indicators["absence-frequency"]
    Measurement.objects.bulk_create(
        [
            Measurement(
                organisation=org,
                unit=unit,
                indicator=frequency,
                period_start=quarter,
                value=Decimal(str(round(rng.uniform(0.7, 1.8), 2))),
                group_size=team_sizes[unit.pk] if frequency.data_class else None,
                source=Source.IMPORT,
            )
            for unit in teams
            for quarter in quarters
        ],
        batch_size=2000,
    )
    _org_norms(org, indicators["absence-pct"], years, months[-1], level)
    _corrections(org, indicators["absence-pct"], months[:-1], rng)
    return _contracts(org, teams, indicators, years, level, rng)


def _org_norms(org: Organisation, indicator: Indicator, years: list[int], latest: date, level: float) -> None:
    """A yearly absence target that tightens as the plan takes hold (the everyday demo's
    norm for the latest month stays as it is)."""
    Norm.objects.bulk_create(
        Norm(
            organisation=org,
            indicator=indicator,
            period_start=date(year, 1, 1),
            target=Decimal(str(round(level - 0.2 * (i + 1), 1))),
            margin=Decimal("0.5"),
        )
        for i, year in enumerate(years)
        if date(year, 1, 1) != latest
    )


def _corrections(org: Organisation, indicator: Indicator, months: list[date], rng: random.Random) -> None:
    corrected = sorted(rng.sample(months, max(1, round(len(months) * CORRECTION_SHARE))))
    old = list(
        Measurement.objects.filter(
            organisation=org, unit=None, indicator=indicator, period_start__in=corrected, is_current=True
        ).order_by("period_start")
    )
    Measurement.objects.filter(pk__in=[m.pk for m in old]).update(is_current=False)
    Measurement.objects.bulk_create(
        Measurement(
            organisation=org,
            unit=None,
            indicator=indicator,
            period_start=m.period_start,
            value=(m.value + Decimal(str(round(rng.uniform(-0.4, 0.4), 2)))).quantize(Decimal("0.01")),
            group_size=m.group_size,
            source=Source.MANUAL,
            replaces=m,
            correction_reason=CORRECTION_REASON,
        )
        for m in old
    )


def _heads(org: Organisation, teams: list[Unit]) -> dict[int, User]:
    """Accounts for the managers of ``teams`` (people without one get an account with no
    password, and a unit-head membership for their team)."""
    # The managers are read from the database: core sets them after the units were made.
    manager_of = dict(
        Unit.objects.filter(pk__in=[u.pk for u in teams], manager__isnull=False).values_list("pk", "manager")
    )
    people = Person.objects.filter(pk__in=manager_of.values()).select_related("user").in_bulk()
    managers = {unit_id: people[person_id] for unit_id, person_id in sorted(manager_of.items())}
    new_units = [unit_id for unit_id, p in managers.items() if p.user_id is None]
    new = [managers[unit_id] for unit_id in new_units]
    users = []
    for person in new:
        user = User(
            email=person.email,
            first_name=person.first_name,
            last_name=person.last_name,
            preferred_language="",
        )
        user.set_unusable_password()
        users.append(user)
    User.objects.bulk_create(users)
    for person, user in zip(new, users, strict=True):
        person.user = user
    Person.objects.bulk_update(new, ["user"])
    Membership.objects.bulk_create(
        Membership(user=user, role=Role.MANAGER, sector_id=org.sector_id, organisation=org, unit_id=unit_id)
        for unit_id, user in zip(new_units, users, strict=True)
    )
    return {unit_id: p.user for unit_id, p in managers.items() if p.user is not None}


def _contracts(
    org: Organisation,
    teams: list[Unit],
    indicators: dict[str, Indicator],
    years: list[int],
    level: float,
    rng: random.Random,
) -> int:
    management = (
        Membership.objects.filter(organisation=org, role=Role.MANAGEMENT, unit__isnull=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    taken = set(ManagementContract.objects.filter(organisation=org).values_list("unit_id", flat=True))
    chosen = [u for u in teams if u.pk not in taken and rng.random() < CONTRACT_SHARE]
    if management is None or not chosen:
        return 0
    heads = _heads(org, chosen)
    chosen = [u for u in chosen if u.pk in heads and heads[u.pk].pk != management.user_id]
    zone = timezone.get_current_timezone()
    contracts: list[ManagementContract] = []
    for unit in chosen:
        for year in years[-CONTRACT_YEARS:]:
            signed = datetime.combine(date(year, 1, rng.randint(10, 28)), time(10), tzinfo=zone)
            contracts.append(
                ManagementContract(
                    organisation=org,
                    unit=unit,
                    head=heads[unit.pk],
                    period_start=date(year, 1, 1),
                    period_end=date(year, 12, 31),
                    status=ContractStatus.SIGNED,
                    general="Voortgang bespreken we elk kwartaal in het managementoverleg.",
                    head_signed_at=signed,
                    management_signed_at=signed,
                    management_signer=management.user,
                )
            )
    ManagementContract.objects.bulk_create(contracts)
    contract_lines = ContractLine.objects.bulk_create(
        ContractLine(
            contract=contract,
            order=0,
            line_code="vital-people",
            objective="Medewerkers blijven gezond en inzetbaar.",
            success_factors="Leidinggevenden voeren verzuimgesprekken op tijd.",
            actions="Iedere medewerker krijgt een gesprek over vitaliteit.",
        )
        for contract in contracts
    )
    targets = [Decimal(str(round(level - 0.3 + rng.uniform(-0.5, 0.5), 1))) for _c in contracts]
    ContractIndicator.objects.bulk_create(
        ContractIndicator(line=line, indicator=indicators["absence-pct"], norm=target)
        for line, target in zip(contract_lines, targets, strict=True)
    )
    Norm.objects.bulk_create(
        Norm(
            organisation=org,
            unit=contract.unit,
            indicator=indicators["absence-pct"],
            period_start=contract.period_start,
            target=target,
            margin=Decimal("0.5"),
            set_by=management.user,
        )
        for contract, target in zip(contracts, targets, strict=True)
    )
    return len(contracts)
