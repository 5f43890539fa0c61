"""A believable, deterministic demo sector: "Hoger beroepsonderwijs" with hogescholen of
different size classes, their faculties, services and teams, staff distributed like the
sector (57% women, 64% teaching staff, the sector's age profile, 62% part-time) and a demo
account for every role.

Figures used as data come from the Bartels report (2020, §1.3) on the hbo sector.
"""

from __future__ import annotations

import base64
import hashlib
import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from faker import Faker

from vitaal.core.models import (
    FunctionGroup,
    Membership,
    Organisation,
    Person,
    Sector,
    SizeClass,
    Unit,
    User,
)
from vitaal.core.roles import MFA_ROLES, Role

DEMO_PASSWORD = "vitaal-demo-2026"  # noqa: S105 - printed on the demo login page on purpose
DEMO_DOMAIN = "demo.vitaal.nl"
SECTOR_SLUG = "hbo"

# (name, slug, headcount) – one per size class, as in the issue.
BASE_ORGANISATIONS = [
    ("Hogeschool Noordkust", "noordkust", 180),
    ("Hogeschool De Delta", "de-delta", 700),
    ("Hogeschool Rijnstad", "rijnstad", 1400),
]
FACULTY_NAMES = [
    "Gezondheid en Welzijn",
    "Techniek",
    "Economie en Management",
    "Onderwijs en Opvoeding",
    "Kunst en Media",
    "Bouw en Ruimte",
    "ICT",
    "Recht en Bestuur",
    "Life Sciences",
    "Sport en Bewegen",
]
SERVICE_NAMES = [
    "Facilitair Bedrijf",
    "Onderwijs- en Studentzaken",
    "Bedrijfsvoering",
    "Informatievoorziening",
    "Marketing en Communicatie",
]
TEAM_SUFFIXES = ["Team A", "Team B", "Team C", "Team D", "Team E", "Team F", "Team G", "Team H"]

# Age bands of hbo staff (sector monitor; about 55% aged 39-59): (lowest age, highest age, share)
AGE_BANDS = [
    (20, 24, 0.03),
    (25, 34, 0.19),
    (35, 44, 0.23),
    (45, 54, 0.27),
    (55, 64, 0.26),
    (65, 67, 0.02),
]
SHARE_WOMEN = 0.57
SHARE_OTHER_GENDER = 0.005
SHARE_TEACHING = 0.64
SHARE_PART_TIME = 0.62
# Turnover in a history build (`vitaal demo --years N`): the share of the headcount that
# leaves in each history year, and former staff who left long before (years ago, range).
TURNOVER = 0.05
LONG_AGO_SHARE = 0.10
LONG_AGO_YEARS = (6, 15)

DEMO_ROLES_PER_ORG = [
    Role.ORG_ADMIN,
    Role.COORDINATOR,
    Role.MANAGEMENT,
    Role.HR,
    Role.MANAGER,
    Role.COMPANY_DOCTOR,
    Role.WORKS_COUNCIL,
    Role.ADVISOR,
    Role.EMPLOYEE,
]
DEMO_ROLES_SECTOR = [Role.SECTOR_ADMIN, Role.CARE_COORDINATOR, Role.PRIVACY_OFFICER, Role.PROVIDER]


@dataclass
class DemoReport:
    organisations: int
    units: int
    people: int
    users: int
    extra: list[str] = field(default_factory=list)
    # Seconds per step: the core (sector, organisations, people, accounts, pillar content)
    # and each pillar's demo builder.
    timings: list[tuple[str, float]] = field(default_factory=list)


def demo_mode() -> bool:
    """Demo mode is DEBUG and VITAAL_DEMO together. Only then may the demo be built, its
    accounts be listed on the login page and its published password log anyone in."""
    from django.conf import settings

    return bool(settings.DEBUG and settings.DEMO_MODE)


DEMO_MODE_REFUSAL = (
    "vitaal demo only runs in demo mode: set DEBUG=true and VITAAL_DEMO=true (as `make demo` "
    "does). It creates accounts with a published password, which must never exist in a "
    "production database."
)


def demo_email(role: str, org_slug: str | None = None) -> str:
    local = role.replace("_", "-")
    return f"{local}.{org_slug}@{DEMO_DOMAIN}" if org_slug else f"{local}@{DEMO_DOMAIN}"


def demo_totp_secret(email: str) -> str:
    """A fixed TOTP secret per demo account, so tests and demo visitors can make codes."""
    return base64.b32encode(hashlib.sha256(email.encode()).digest()[:20]).decode()


def demo_login_table() -> list[dict[str, str]]:
    rows = []
    users = (
        User.objects.filter(email__endswith="@" + DEMO_DOMAIN, is_active=True)
        .prefetch_related("memberships__organisation")
        .select_related("person__organisation")
        .order_by("email")
    )
    for user in users:
        ms = list(user.memberships.all())
        if ms:
            for m in ms:
                rows.append(
                    {
                        "role": str(m.get_role_display()),
                        "scope": str(m.organisation or m.sector),
                        "email": user.email,
                    }
                )
        else:
            person = getattr(user, "person", None)
            rows.append(
                {
                    "role": str(Role.EMPLOYEE.label),
                    "scope": str(person.organisation if person else ""),
                    "email": user.email,
                }
            )
    order = {str(r.label): i for i, r in enumerate(Role)}
    rows.sort(key=lambda r: (r["scope"], order.get(r["role"], 99)))
    return rows


def _organisation_plan(people: int | None, organisations: int | None) -> list[tuple[str, str, int]]:
    if people is None and organisations is None:
        return list(BASE_ORGANISATIONS)
    count = organisations or 3
    total = people or sum(h for _n, _s, h in BASE_ORGANISATIONS)
    rng = random.Random(4242)
    # Sector-like mix of sizes: many small and medium institutions, a few large ones.
    weights = [rng.choice([0.4, 0.8, 1.0, 2.0, 3.5, 6.0]) for _ in range(count)]
    scale = total / sum(weights)
    plan = []
    for i in range(count):
        if i < len(BASE_ORGANISATIONS):
            name, slug, _h = BASE_ORGANISATIONS[i]
        else:
            name, slug = f"Hogeschool {i + 1:02d}", f"hs-{i + 1:02d}"
        plan.append((name, slug, max(20, round(weights[i] * scale))))
    return plan


def _birth_year(rng: random.Random, today: date) -> int:
    r = rng.random()
    acc = 0.0
    for low, high, share in AGE_BANDS:
        acc += share
        if r <= acc:
            return today.year - rng.randint(low, high)
    return today.year - 40


def _gender(rng: random.Random) -> str:
    r = rng.random()
    if r < SHARE_OTHER_GENDER:
        return "x"
    return "f" if r < SHARE_WOMEN + SHARE_OTHER_GENDER else "m"


def _hours(rng: random.Random) -> Decimal:
    if rng.random() < SHARE_PART_TIME:
        return Decimal(rng.choice([12, 16, 20, 24, 28, 32]))
    return Decimal(rng.choice([36, 38, 40]))


def _team_suffix(idx: int) -> str:
    base = TEAM_SUFFIXES[idx % len(TEAM_SUFFIXES)]
    rounds = idx // len(TEAM_SUFFIXES)
    return base if rounds == 0 else f"{base} {rounds + 1}"


def _build_units(org: Organisation, headcount: int, rng: random.Random) -> list[tuple[Unit, bool]]:
    """Faculties (teaching) and services (support) with teams of about 25 people."""
    teams_needed = max(3, math.ceil(headcount / 25))
    n_faculties = max(2, round(teams_needed * SHARE_TEACHING / 3.5))
    n_services = max(1, round(teams_needed * (1 - SHARE_TEACHING) / 3.5))
    teams: list[tuple[Unit, bool]] = []
    parents: list[tuple[Unit, bool]] = []
    for i in range(n_faculties):
        name = FACULTY_NAMES[i % len(FACULTY_NAMES)] + (
            "" if i < len(FACULTY_NAMES) else f" {i // len(FACULTY_NAMES) + 1}"
        )
        parents.append(
            (
                Unit.objects.create(
                    organisation=org, name=f"Faculteit {name}", kind="faculty", code=f"F{i + 1:02d}"
                ),
                True,
            )
        )
    for i in range(n_services):
        name = SERVICE_NAMES[i % len(SERVICE_NAMES)] + (
            "" if i < len(SERVICE_NAMES) else f" {i // len(SERVICE_NAMES) + 1}"
        )
        parents.append(
            (
                Unit.objects.create(organisation=org, name=name, kind="service", code=f"D{i + 1:02d}"),
                False,
            )
        )
    teaching_teams = max(1, round(teams_needed * SHARE_TEACHING))
    faculty_parents = [p for p in parents if p[1]]
    service_parents = [p for p in parents if not p[1]]
    for t in range(teams_needed):
        teaching = t < teaching_teams
        pool = faculty_parents if teaching else service_parents
        parent, _ = pool[t % len(pool)]
        idx = sum(1 for u, _ in teams if u.parent_id == parent.pk)
        unit = Unit.objects.create(
            organisation=org,
            parent=parent,
            kind="team",
            name=f"{parent.name} – {_team_suffix(idx)}",
            code=f"{parent.code}-T{idx + 1:02d}",
        )
        teams.append((unit, teaching))
    return teams


def _make_people(
    org: Organisation,
    headcount: int,
    teams: list[tuple[Unit, bool]],
    groups: dict[str, FunctionGroup],
    rng: random.Random,
    fake: Faker,
    today: date,
    first_number: int = 1,
) -> list[Person]:
    teaching_teams = [u for u, t in teams if t]
    support_teams = [u for u, t in teams if not t]
    people = []
    for i in range(first_number - 1, first_number - 1 + headcount):
        gender = _gender(rng)
        teaching = rng.random() < SHARE_TEACHING
        unit = rng.choice(teaching_teams if teaching and teaching_teams else support_teams or teaching_teams)
        first = (
            fake.first_name_female()
            if gender == "f"
            else fake.first_name_male()
            if gender == "m"
            else fake.first_name()
        )
        birth_year = _birth_year(rng, today)
        earliest = max(birth_year + 22, 1985)
        start_year = rng.randint(min(earliest, today.year - 1), today.year - 1)
        start = date(start_year, rng.choice([1, 2, 8, 9]), 1)
        end = None
        if rng.random() < 0.03:  # leavers of the past year keep their record
            end = today - timedelta(days=rng.randint(1, 330))
            if end < start:
                end = None
        people.append(
            Person(
                organisation=org,
                employee_number=f"{org.pk:02d}{i + 1:06d}",
                first_name=first,
                last_name=fake.last_name(),
                email=f"p{org.pk:02d}{i + 1:06d}@{org.slug}.{DEMO_DOMAIN}",
                unit=unit,
                function_group=groups["OP" if teaching else "OBP"],
                gender=gender,
                birth_year=birth_year,
                weekly_hours=_hours(rng),
                employment_start=start,
                employment_end=end,
            )
        )
    return people


def _make_leavers(
    org: Organisation,
    headcount: int,
    teams: list[tuple[Unit, bool]],
    groups: dict[str, FunctionGroup],
    rng: random.Random,
    fake: Faker,
    today: date,
    years: int,
) -> list[Person]:
    """Former staff for a history build: people whose employment ended in one of the
    history years (``TURNOVER`` of the headcount a year, replaced by the people hired in
    their place, so the active headcount stays what was asked), and a share who left long
    before (``LONG_AGO_YEARS``), so retention rules for leavers have records to act on."""
    per_year = round(headcount * TURNOVER)
    ends: list[date] = []
    for year_back in range(years):
        for _n in range(per_year):
            ends.append(today - timedelta(days=365 * year_back + rng.randint(1, 364)))
    first, last = LONG_AGO_YEARS
    for _n in range(round(headcount * LONG_AGO_SHARE)):
        ends.append(today - timedelta(days=rng.randint(365 * max(first, years), 365 * last)))
    leavers = _make_people(org, len(ends), teams, groups, rng, fake, today, first_number=headcount + 1)
    for person, end in zip(leavers, ends, strict=True):
        born = (person.birth_year or today.year - 40) - (today.year - end.year)
        person.birth_year = born  # the sector's age profile in the year they left
        start_year = rng.randint(min(max(born + 22, end.year - 25, 1980), end.year), end.year)
        start = date(start_year, rng.choice([1, 2, 8, 9]), 1)
        person.employment_start = min(start, end - timedelta(days=90))
        person.employment_end = end
    return leavers


def _demo_user(email: str, first: str, last: str, needs_mfa: bool, password_hash: str) -> User:
    # Every demo account shares one password: hashing it once (argon2 is slow on purpose)
    # and reusing the hash keeps large demos fast; each stored hash is still a valid one.
    user = User(email=email, first_name=first, last_name=last, preferred_language="", password=password_hash)
    user.save()
    if needs_mfa:
        from allauth.mfa.totp.internal.auth import TOTP

        TOTP.activate(user, demo_totp_secret(email))
    return user


@transaction.atomic
def build_demo(
    *,
    people: int | None = None,
    organisations: int | None = None,
    seed: int = 2026,
    demo_users: bool = True,
    years: int = 1,
) -> DemoReport:
    """Create the demo sector from scratch (the caller makes sure the database is empty)."""
    import time

    started = time.perf_counter()
    rng = random.Random(seed)
    fake = Faker("nl_NL")
    fake.seed_instance(seed)
    today = timezone.localdate()

    sector = Sector.objects.create(name="Hoger beroepsonderwijs", slug=SECTOR_SLUG)
    groups = {
        "OP": FunctionGroup.objects.create(
            sector=sector, code="OP", name_nl="Onderwijzend personeel", name_en="Teaching staff"
        ),
        "OBP": FunctionGroup.objects.create(
            sector=sector,
            code="OBP",
            name_nl="Ondersteunend en beheerspersoneel",
            name_en="Support and management staff",
        ),
    }
    n_units = n_people = n_users = n_leavers = 0
    org_objs: list[tuple[Organisation, list[tuple[Unit, bool]]]] = []
    for name, slug, headcount in _organisation_plan(people, organisations):
        org = Organisation.objects.create(
            sector=sector, name=name, slug=slug, size_class=SizeClass.for_headcount(headcount)
        )
        teams = _build_units(org, headcount, rng)
        staff = _make_people(org, headcount, teams, groups, rng, fake, today)
        if years > 1:
            left = _make_leavers(org, headcount, teams, groups, rng, fake, today, years)
            staff.extend(left)
            n_leavers += len(left)
        Person.objects.bulk_create(staff, batch_size=2000)
        # Every team gets a manager from its own members.
        managers: dict[int | None, int] = {}
        for pk, unit_id in (
            Person.objects.filter(organisation=org, employment_end__isnull=True)
            .order_by("pk")
            .values_list("pk", "unit_id")
        ):
            managers.setdefault(unit_id, pk)
        led = [unit for unit, _t in teams if unit.pk in managers]
        for unit in led:
            unit.manager_id = managers[unit.pk]
        Unit.objects.bulk_update(led, ["manager"], batch_size=500)
        n_units += Unit.objects.filter(organisation=org).count()
        n_people += len(staff)
        del staff
        org_objs.append((org, teams))

    if demo_users:
        n_users = _create_demo_users(sector, org_objs)
    _load_pillar_content(sector)
    from vitaal.core.hooks import DemoContext, run_demo_builders

    context = DemoContext(
        sector=sector,
        organisations=[(org, [unit for unit, _t in teams]) for org, teams in org_objs],
        rng=random.Random(seed + 1),
        seed=seed,
        years=years,
    )
    if years > 1:
        context.lines.append(
            f"leavers added for {years} years of turnover: {n_leavers} "
            f"(active staff: {n_people - n_leavers} minus this year's leavers)"
        )
    context.timings.append(("vitaal.core.demo", time.perf_counter() - started))
    run_demo_builders(context)
    return DemoReport(
        organisations=len(org_objs),
        units=n_units,
        people=n_people,
        users=n_users,
        extra=context.lines,
        timings=context.timings,
    )


def _create_demo_users(sector: Sector, org_objs: list[tuple[Organisation, list[tuple[Unit, bool]]]]) -> int:
    from django.contrib.auth.hashers import make_password

    password_hash = make_password(DEMO_PASSWORD)
    count = 0
    labels = {
        Role.SECTOR_ADMIN: ("Sanne", "Sectorbeheer"),
        Role.CARE_COORDINATOR: ("Karim", "Zorgloket"),
        Role.PRIVACY_OFFICER: ("Femke", "Privacy"),
        Role.PROVIDER: ("Petra", "Zorgaanbieder"),
    }
    for role in DEMO_ROLES_SECTOR:
        first, last = labels[role]
        user = _demo_user(demo_email(role), first, last, role in MFA_ROLES, password_hash)
        Membership.objects.create(user=user, role=role, sector=sector)
        count += 1
    for org, teams in org_objs:
        team = teams[0][0]
        team.refresh_from_db()
        for role in DEMO_ROLES_PER_ORG:
            email = demo_email(role, org.slug)
            if role in (Role.MANAGER, Role.EMPLOYEE):
                # Manager and employee are real people in the first team.
                person: Person | None
                if role == Role.MANAGER and team.manager_id:
                    person = Person.objects.get(pk=team.manager_id)
                else:
                    person = (
                        Person.objects.filter(unit=team, employment_end__isnull=True)
                        .exclude(pk__in=[team.manager_id] if team.manager_id else [])
                        .order_by("pk")
                        .first()
                    )
                assert person is not None
                user = _demo_user(
                    email, person.first_name, person.last_name, role in MFA_ROLES, password_hash
                )
                if person.user_id is None:
                    Person.objects.filter(pk=person.pk).update(user=user, email=email)
                if role == Role.MANAGER:
                    Membership.objects.create(
                        user=user, role=role, sector=sector, organisation=org, unit=team
                    )
            else:
                first = str(Role(role).label).split()[0]
                user = _demo_user(
                    email, first, org.name.replace("Hogeschool ", ""), role in MFA_ROLES, password_hash
                )
                Membership.objects.create(user=user, role=role, sector=sector, organisation=org)
            count += 1
        _demo_access_history(org)
    return count


def _demo_access_history(org: Organisation) -> None:
    """A little access history for the demo employee, so 'who looked at my data' shows
    what a real one looks like: HR opened the record, the manager saw it in a list."""
    from vitaal.core.models import AccessLogEntry

    employee = Person.objects.filter(user__email=demo_email(Role.EMPLOYEE, org.slug)).first()
    hr = User.objects.filter(email=demo_email(Role.HR, org.slug)).first()
    manager = User.objects.filter(email=demo_email(Role.MANAGER, org.slug)).first()
    if employee is None or hr is None or manager is None:
        return
    now = timezone.now()
    for actor, basis, description, days in [
        (hr, Role.HR, "person record", 12),
        (manager, Role.MANAGER, "people list", 3),
    ]:
        AccessLogEntry(
            timestamp=now - timedelta(days=days, hours=2),
            actor=actor,
            actor_label=f"{actor.get_full_name()} <{actor.email}>",
            subject=employee,
            organisation=org,
            action="view",
            object_type="person",
            object_id=str(employee.pk),
            description=description,
            basis=basis,
            channel="web",
        ).save(force_insert=True)


def _load_pillar_content(sector: Sector) -> None:
    """The default content the pillars ship as data: the IGM framework and meters, and the
    sector's care catalog, providers and package."""
    from pathlib import Path

    from vitaal.care.catalog_file import catalog_load, catalog_read
    from vitaal.igm.services.loader import framework_load_file

    root = Path(__file__).resolve().parents[1]
    report = framework_load_file(path=root / "igm" / "data" / "igm-default.json")
    if report.errors:
        raise RuntimeError(f"default IGM framework did not load: {report.errors[:3]}")
    catalog_load(sector=sector, data=catalog_read(root / "care" / "data" / "care_catalog.json"))


def demo_exists() -> bool:
    return Sector.objects.filter(slug=SECTOR_SLUG).exists()


def reset_database_content() -> None:
    """Empty the database before rebuilding the demo (used by ``vitaal demo --reset``)."""
    from django.core.management import call_command

    # The demo's access log goes too. On PostgreSQL the append-only trigger lets only the
    # purge role and a superuser empty it (vitaal.core.dbroles): a developer's database.
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Inside an outer transaction (a test, a --reset after building) deferred
            # foreign-key checks may still be pending; PostgreSQL refuses to TRUNCATE
            # tables with pending trigger events, so run those checks now.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        call_command("flush", interactive=False, verbosity=0)


def summary_lines(report: DemoReport) -> list[str]:
    return [
        f"organisations: {report.organisations}",
        f"units: {report.units}",
        f"people: {report.people}",
        f"demo accounts: {report.users}",
        *report.extra,
    ]


__all__: list[Any] = ["DEMO_PASSWORD", "build_demo", "demo_login_table", "demo_mode", "demo_totp_secret"]
