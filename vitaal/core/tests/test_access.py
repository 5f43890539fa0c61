"""The access layer: scoping of lists, the field whitelist, and the permission mixins."""

from __future__ import annotations

import pytest
from django.urls import reverse

from vitaal.core.access import get_actor, person_fields_for
from vitaal.core.models import Organisation, Person, Unit
from vitaal.core.testing import PermissionTestMixin, login

pytestmark = pytest.mark.django_db


def test_manager_sees_only_their_unit(cast):
    manager = cast.user("manager")
    visible = set(Person.objects.visible_to(manager).values_list("pk", flat=True))
    assert cast.a.people["employee"].pk in visible
    assert cast.a.colleague.pk not in visible  # team 2
    assert not Person.objects.visible_to(manager).filter(organisation=cast.b.organisation).exists()


def test_hr_sees_whole_organisation_but_not_the_other(cast):
    qs = Person.objects.visible_to(cast.user("hr"))
    assert qs.filter(organisation=cast.a.organisation).count() == 3
    assert not qs.filter(organisation=cast.b.organisation).exists()


@pytest.mark.parametrize(
    "role",
    [
        "works_council",
        "coordinator",
        "management",
        "advisor",
        "employee",
        "sector_admin",
        "provider",
    ],
)
def test_roles_without_people_access_see_nobody(cast, role):
    assert Person.objects.visible_to(cast.user(role)).count() == 0


def test_field_whitelist_per_role(cast):
    colleague = cast.a.colleague
    hr_fields = person_fields_for(cast.user("hr"), colleague)
    assert "gender" in hr_fields and "birth_year" in hr_fields
    manager_fields = person_fields_for(cast.user("manager"), cast.a.people["employee"])
    assert "gender" not in manager_fields and "birth_year" not in manager_fields
    assert person_fields_for(cast.user("works_council"), colleague) == []


def test_manager_page_hides_fields_outside_the_whitelist(client, cast):
    employee = cast.a.people["employee"]
    login(client, cast.user("manager"))
    content = client.get(reverse("core:person_detail", args=["a", employee.pk])).content.decode()
    assert employee.employee_number in content
    assert "1980" not in content  # birth year is not on a manager's whitelist


def test_units_and_organisations_are_scoped(cast):
    assert set(Organisation.objects.visible_to(cast.user("hr"))) == {cast.a.organisation}
    assert set(Organisation.objects.visible_to(cast.user("sector_admin"))) == {
        cast.a.organisation,
        cast.b.organisation,
    }
    units = Unit.objects.visible_to(cast.user("manager"))
    assert set(units) == {cast.a.team1}


def test_actor_roles(cast):
    assert get_actor(cast.user("manager")).roles() == {"manager", "employee"}
    assert get_actor(cast.user("hr")).needs_mfa()
    assert get_actor(cast.user("works_council")).needs_mfa()
    assert not get_actor(cast.user("employee")).needs_mfa()


def test_start_page_shows_true_numbers(client, cast):
    login(client, cast.user("hr"))
    response = client.get(reverse("core:home"))
    sections = response.context["sections"]
    people_fig = next(
        f for s in sections for f in s.figures if "scope" in str(f.label) or "bereik" in str(f.label)
    )
    assert people_fig.value == Person.objects.filter(organisation=cast.a.organisation).count()


def test_start_page_query_count_does_not_grow_with_people(client, cast, django_assert_max_num_queries):
    login(client, cast.user("hr"))
    client.get(reverse("core:home"))
    Person.objects.bulk_create(
        Person(
            organisation=cast.a.organisation,
            employee_number=f"n{i}",
            last_name="X",
            unit=cast.a.team2,
        )
        for i in range(200)
    )
    with django_assert_max_num_queries(25):
        client.get(reverse("core:home"))


class TestPersonListPermissions(PermissionTestMixin):
    url_name = "core:person_list"
    allowed = {"hr", "org_admin", "company_doctor", "manager"}


class TestPersonImportPermissions(PermissionTestMixin):
    url_name = "core:person_import"
    allowed = {"hr", "org_admin"}


class TestAccessLogPermissions(PermissionTestMixin):
    url_name = "core:accesslog_list"
    allowed = {"org_admin"}


class TestPersonDetailPermissions(PermissionTestMixin):
    url_name = "core:person_detail"
    allowed = {"hr", "org_admin", "company_doctor"}

    def url_kwargs(self, cast, oc):
        return {"org": oc.organisation.slug, "pk": oc.colleague.pk}


def test_write_that_leaves_scope_is_rolled_back(cast):
    """A service re-checks scope after its write, inside the transaction."""
    from django.core.exceptions import PermissionDenied

    from vitaal.core.services import user_deactivate

    employee_b = cast.b.people["employee"]
    with pytest.raises(PermissionDenied):
        user_deactivate(user=employee_b.user, by=cast.user("org_admin"))
    employee_b.user.refresh_from_db()
    assert employee_b.user.is_active
