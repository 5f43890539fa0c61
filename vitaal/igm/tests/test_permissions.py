"""Who may run and read meter sessions."""

from __future__ import annotations

import pytest

from vitaal.core.models import Membership
from vitaal.core.roles import Role
from vitaal.core.testing import ORG_ROLES
from vitaal.igm.models import IndividualRating, MeterMode, MeterSession
from vitaal.igm.services import individual_rating_set, session_participant_add

from .conftest import items_by_code, new_session

EDITORS = {"coordinator", "org_admin", "advisor"}
READERS = EDITORS | {"management", "works_council"}


@pytest.fixture
def session(cast, small):
    return new_session(cast, small)


def test_editors_and_readers(cast, session):
    for role in ORG_ROLES:
        user = cast.user(role)
        assert user.has_perm("igm.change_metersession", session) == (role in EDITORS), role
        assert user.has_perm("igm.view_metersession", session) == (role in READERS), role
        assert user.has_perm("igm.add_metersession", cast.a.organisation) == (role in EDITORS), role


def test_visible_to_matches_the_permissions(cast, session):
    for role in ORG_ROLES:
        visible = MeterSession.objects.visible_to(cast.user(role)).filter(pk=session.pk).exists()
        editable = MeterSession.objects.visible_to(cast.user(role), "change").filter(pk=session.pk).exists()
        assert visible == (role in READERS), role
        assert editable == (role in EDITORS), role


def test_organisation_b_gets_nothing(cast, session):
    for role in ORG_ROLES:
        user = cast.user(f"{role}_b")
        assert not user.has_perm("igm.view_metersession", session), role
        assert not user.has_perm("igm.change_metersession", session), role
        assert not MeterSession.objects.visible_to(user).exists(), role
    for role in ("sector_admin", "care_coordinator", "provider"):
        assert not MeterSession.objects.visible_to(cast.user(role)).exists(), role


def test_unit_management_reads_the_sessions_of_its_units(cast, small):
    user = cast.user("employee")
    Membership.objects.create(
        user=user,
        role=Role.MANAGEMENT,
        sector=cast.sector,
        organisation=cast.a.organisation,
        unit=cast.a.faculty,
    )
    own_unit = new_session(cast, small, unit=cast.a.team2)
    whole = new_session(cast, small)
    assert user.has_perm("igm.view_metersession", own_unit)
    assert not user.has_perm("igm.view_metersession", whole)
    assert not user.has_perm("igm.change_metersession", own_unit)
    assert list(MeterSession.objects.visible_to(user)) == [own_unit]


def test_participants_see_their_session_and_only_their_own_ratings(cast, small):
    session = new_session(cast, small, MeterMode.INDIVIDUAL)
    employee, colleague = cast.user("employee"), cast.user("manager")
    item = items_by_code(small)["a1"]
    for user in (employee, colleague):
        session_participant_add(session=session, user=user)
        individual_rating_set(session=session, item=item, rater=user, value=3)
    assert employee.has_perm("igm.view_metersession", session)
    assert employee.has_perm("igm.rate_metersession", session)
    assert not cast.user("coordinator").has_perm("igm.rate_metersession", session)
    mine = IndividualRating.objects.get(participant__user=employee)
    theirs = IndividualRating.objects.get(participant__user=colleague)
    assert employee.has_perm("igm.view_individualrating", mine)
    assert not employee.has_perm("igm.view_individualrating", theirs)
    for role in ORG_ROLES:
        if role not in ("employee",):
            assert not cast.user(role).has_perm("igm.view_individualrating", mine), role
