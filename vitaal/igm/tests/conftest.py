"""Fixtures of the igm tests: a small framework with hand-checkable weights, the shipped
default IGM content, and employees to take part in individual sessions."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from vitaal.core.models import Person, User
from vitaal.core.testing import Cast, OrgCast
from vitaal.igm.models import Cycle, Framework, Instrument, Item, MeterMode, MeterSession
from vitaal.igm.services import cycle_start, framework_load, framework_load_file, meter_session_create

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture(autouse=True)
def _english():
    """The tests check messages by their English text; the Dutch catalogue grows while they
    are written, so they must not depend on the default language."""
    with translation.override("en"):
        yield


SMALL: dict[str, Any] = {
    "format": 1,
    "framework": {"code": "small", "version": 1, "name_nl": "Klein", "name_en": "Small", "published": True},
    "lines": [
        {"code": code, "name_nl": code, "name_en": code, "scope_nl": "s", "scope_en": "s"}
        for code in ("a", "b", "c")
    ],
    "scales": [
        {
            "code": "four",
            "name_nl": "Vier",
            "name_en": "Four",
            "levels": [
                {
                    "value": v,
                    "label_nl": str(v),
                    "label_en": str(v),
                    "description_nl": "d",
                    "description_en": "d",
                }
                for v in (1, 2, 3, 4)
            ],
        }
    ],
    "instruments": [
        {
            "code": "t",
            "version": 1,
            "variant": "long",
            "name_nl": "T",
            "name_en": "T",
            "scale": "four",
            "published": True,
            "items": [
                {"code": code, "line": code[0], "text_nl": code, "text_en": code, "weight": weight}
                for code, weight in (
                    ("a1", 3),
                    ("a2", 2),
                    ("a3", 1),
                    ("b1", 1),
                    ("b2", 1),
                    ("c1", 2),
                    ("c2", 2),
                )
            ],
        }
    ],
}


def small_data() -> dict[str, Any]:
    return copy.deepcopy(SMALL)


@pytest.fixture
def small(db) -> Instrument:
    report = framework_load(data=small_data())
    assert report.ok, report.errors
    return Instrument.objects.get(code="t")


@pytest.fixture
def igm_default(db) -> Instrument:
    report = framework_load_file(path=DATA / "igm-default.json")
    assert report.ok, report.errors
    return Instrument.objects.get(code="igm-meter", version=1)


def items_by_code(instrument: Instrument) -> dict[str, Item]:
    return {i.code: i for i in instrument.items.all()}


def make_employees(oc: OrgCast, n: int, prefix: str = "emp") -> list[User]:
    users = []
    slug = oc.organisation.slug
    for i in range(n):
        user = User.objects.create_user(email=f"{prefix}{i}.{slug}@example.org", password=None)
        Person.objects.create(
            organisation=oc.organisation,
            employee_number=f"{prefix}-{slug}-{i}",
            first_name="E",
            last_name=str(i),
            unit=oc.team1,
            birth_year=1980,
            weekly_hours=36,
            employment_start=date(2020, 1, 1),
            user=user,
        )
        users.append(user)
    return users


def new_session(cast: Cast, instrument: Instrument, mode: str = MeterMode.GROUP, **kw: Any) -> MeterSession:
    kw.setdefault("organisation", cast.a.organisation)
    kw.setdefault("date", date(2025, 3, 1))
    return meter_session_create(instrument=instrument, mode=mode, **kw)


START = date(2025, 1, 6)


@pytest.fixture
def framework(small) -> Framework:
    return small.framework


@pytest.fixture
def cycle(cast, framework) -> Cycle:
    return cycle_start(
        organisation=cast.a.organisation,
        started_on=START,
        framework=framework,
        coordinator=cast.user("coordinator"),
    )
