"""Fixtures of the core tests (the fixed cast lives in the project's root conftest)."""

from __future__ import annotations

import pytest
from django.utils import translation

from vitaal.core.models import FunctionGroup, Membership, Organisation, Sector, Unit, User


@pytest.fixture
def english():
    """Assert messages in English (the Dutch catalogue is maintained separately)."""
    with translation.override("en"):
        yield


@pytest.fixture
def org(db):
    sector = Sector.objects.create(name="Hbo", slug="hbo")
    FunctionGroup.objects.create(sector=sector, code="OP", name_nl="Onderwijzend", name_en="Teaching")
    FunctionGroup.objects.create(sector=sector, code="OBP", name_nl="Ondersteunend", name_en="Support")
    organisation = Organisation.objects.create(
        sector=sector, name="Hogeschool Noord", slug="noord", size_class="medium"
    )
    for code, name in [("FIN", "Finance"), ("HR", "Human resources"), ("ICT", "ICT")]:
        Unit.objects.create(organisation=organisation, name=name, kind="department", code=code)
    return organisation


@pytest.fixture
def hr_user(org):
    user = User.objects.create_user("hr@example.org", "x", first_name="Hanna", last_name="HR")
    Membership.objects.create(user=user, role="hr", sector=org.sector, organisation=org)
    return user
