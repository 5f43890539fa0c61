"""The learning network and the toolbox: loading, searching, sharing, lessons, access."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from vitaal.core.models import Organisation, SizeClass
from vitaal.core.testing import login
from vitaal.igm.models import LearningNetwork, Practice, PracticeKind, PracticeSource
from vitaal.igm.services import (
    phase_registration_save,
    phase_registration_submit,
    phase_registration_verify,
)
from vitaal.igm.services.network import (
    TOOLBOX_FILE,
    network_create,
    network_member_add,
    network_member_remove,
    practice_submit,
    practice_withdraw,
    toolbox_load,
)
from vitaal.igm.web.network.selectors import PracticeFilter, network_lessons, search_practices

from .conftest import DATA

pytestmark = pytest.mark.django_db

REPORT_EXAMPLES = {
    "balance-days",
    "canteen-gym-weight-campaign",
    "wheel-of-five",
    "management-contract-per-line",
    "start-memo-added-value",
}


@pytest.fixture
def igm(db):
    from vitaal.igm.services import framework_load_file

    assert framework_load_file(path=DATA / "igm-default.json").ok


@pytest.fixture
def toolbox(igm):
    return toolbox_load()


@pytest.fixture
def network(cast, igm) -> LearningNetwork:
    network = network_create(sector=cast.sector, name="Hbo-leernetwerk", created_by=cast.user("sector_admin"))
    network_member_add(network=network, organisation=cast.a.organisation, joined_on=date(2025, 1, 1))
    return network


def share(network, cast, title="Lunchwandelingen", **kw) -> Practice:
    kw.setdefault("kind", PracticeKind.ACTIVITY)
    kw.setdefault("summary", "Elke dinsdag een wandeling van twintig minuten.")
    return practice_submit(
        network=network,
        organisation=cast.a.organisation,
        submitted_by=cast.user("coordinator"),
        title=title,
        **kw,
    )


# The toolbox --------------------------------------------------------------------------


def test_toolbox_holds_the_report_examples_in_both_languages(toolbox):
    codes = set(Practice.objects.filter(source=PracticeSource.TOOLBOX).values_list("code", flat=True))
    assert codes >= REPORT_EXAMPLES
    assert len(codes) >= 10
    for practice in Practice.objects.filter(source=PracticeSource.TOOLBOX):
        assert practice.title_nl and practice.title_en and practice.summary_nl and practice.summary_en
        assert practice.body_nl and practice.body_en
        assert practice.lines.exists() and practice.phase_numbers


def test_toolbox_load_is_idempotent_and_updates_changed_entries(igm, tmp_path):
    first = toolbox_load()
    assert first.created >= 10 and first.updated == 0
    again = toolbox_load()
    assert again.created == 0 and again.updated == 0 and again.unchanged == first.created
    data = json.loads(TOOLBOX_FILE.read_text(encoding="utf-8"))
    data["practices"][0]["title_en"] = "Balance days (revised)"
    changed = tmp_path / "toolbox.json"
    changed.write_text(json.dumps(data), encoding="utf-8")
    report = toolbox_load(path=changed)
    assert report.updated == 1 and report.created == 0
    assert Practice.objects.get(code="balance-days").title_en == "Balance days (revised)"


def test_toolbox_file_with_an_unknown_line_changes_nothing(igm, tmp_path):
    data = json.loads(TOOLBOX_FILE.read_text(encoding="utf-8"))
    data["practices"][-1]["lines"] = ["no-such-line"]
    bad = tmp_path / "toolbox.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValidationError):
        toolbox_load(path=bad)
    assert not Practice.objects.exists()


def test_management_command_loads_the_toolbox(igm, capsys):
    call_command("load_toolbox")
    call_command("load_toolbox")
    out = capsys.readouterr().out
    assert "created: 0" in out.splitlines()[-1]
    assert Practice.objects.filter(source=PracticeSource.TOOLBOX).count() >= 10


# Search and filter ---------------------------------------------------------------------


def test_search_by_text_line_phase_and_kind(cast, toolbox):
    user = cast.user("coordinator")

    def codes(**kw):
        return {p.code for p in search_practices(user, PracticeFilter(**kw))}

    assert "canteen-gym-weight-campaign" in codes(text="kantine")
    assert "canteen-gym-weight-campaign" in codes(text="canteen gym")
    assert codes(text="kantine zzzz") == set()
    assert "start-memo-added-value" in codes(phase=1)
    assert "balance-days" not in codes(phase=1)
    assert codes(kind=PracticeKind.TEMPLATE) >= {"start-memo-added-value", "management-contract-per-line"}
    assert "management-contract-per-line" in codes(line_code="primary-process")
    assert "wheel-of-five" not in codes(line_code="primary-process")


def test_practice_list_page_filters(client, cast, toolbox):
    login(client, cast.user("advisor"))
    response = client.get(reverse("igm:toolbox"), {"q": "schijf", "phase": "4"})
    assert response.status_code == 200
    titles = [p.code for p in response.context["page"].object_list]
    assert titles == ["wheel-of-five"]
    bad = client.get(reverse("igm:toolbox"), {"phase": "9"})
    assert bad.status_code == 200 and bad.context["form"].errors


def test_toolbox_list_queries_do_not_grow(client, cast, toolbox, network, django_assert_max_num_queries):
    login(client, cast.user("coordinator"))
    url = reverse("igm:toolbox")
    client.get(url)
    with django_assert_max_num_queries(14 + 10) as before:
        client.get(url)
    for i in range(15):
        share(network, cast, title=f"Praktijk {i}", phases=[4])
    with django_assert_max_num_queries(len(before.captured_queries)):
        response = client.get(url)
    assert response.context["page"].paginator.count >= 25


# Sharing in a network ------------------------------------------------------------------


def test_members_see_shared_practices_and_others_do_not(cast, network, toolbox):
    practice = share(network, cast, phases=[4])
    assert practice in search_practices(cast.user("works_council"), PracticeFilter())
    assert practice not in search_practices(cast.user("coordinator_b"), PracticeFilter())
    assert practice in search_practices(cast.user("sector_admin"), PracticeFilter())
    assert not search_practices(cast.user("employee"), PracticeFilter()).exists()


def test_submit_page_shares_a_practice(client, cast, network):
    login(client, cast.user("advisor"))
    url = reverse("igm:practice_submit", kwargs={"pk": network.pk})
    response = client.post(
        url,
        {
            "organisation": cast.a.organisation.pk,
            "kind": PracticeKind.APPROACH,
            "title": "Vaste IGM-agenda",
            "summary": "IGM staat elke maand op de agenda van het MT.",
            "phases": ["3", "4"],
        },
    )
    assert response.status_code == 302
    practice = Practice.objects.get(network=network)
    assert practice.title == "Vaste IGM-agenda"
    assert practice.phase_numbers == [3, 4] and practice.submitted_by == cast.user("advisor")


def test_bad_submission_is_refused_and_changes_nothing(client, cast, network):
    login(client, cast.user("coordinator"))
    url = reverse("igm:practice_submit", kwargs={"pk": network.pk})
    response = client.post(
        url, {"organisation": cast.a.organisation.pk, "kind": "x", "title": "", "summary": ""}
    )
    assert response.status_code == 200 and response.context["form"].errors
    # an organisation that is not a member cannot be chosen
    response = client.post(
        url,
        {"organisation": cast.b.organisation.pk, "kind": PracticeKind.APPROACH, "title": "T", "summary": "S"},
    )
    assert response.status_code == 200 and "organisation" in response.context["form"].errors
    assert not Practice.objects.exists()


def test_only_members_of_the_network_can_share(cast, network):
    with pytest.raises(ValidationError):
        practice_submit(
            network=network,
            organisation=cast.b.organisation,
            submitted_by=cast.user("coordinator_b"),
            kind=PracticeKind.ACTIVITY,
            title="T",
            summary="S",
        )
    assert not Practice.objects.exists()


def test_withdrawn_practice_disappears(client, cast, network):
    practice = share(network, cast)
    assert practice_withdraw(practice=practice, by=cast.user("coordinator")) is True
    assert practice_withdraw(practice=practice, by=cast.user("coordinator")) is False
    login(client, cast.user("management"))
    assert client.get(reverse("igm:practice_detail", kwargs={"pk": practice.pk})).status_code == 404
    assert practice not in search_practices(cast.user("management"), PracticeFilter())


# Membership ----------------------------------------------------------------------------


def test_sector_admin_manages_members(client, cast, network):
    login(client, cast.user("sector_admin"))
    url = reverse("igm:network_member_add", kwargs={"pk": network.pk})
    response = client.post(url, {"organisation": cast.b.organisation.pk, "joined_on": "2025-02-01"})
    assert response.status_code == 302
    assert network.memberships.count() == 2
    again = client.post(url, {"organisation": cast.b.organisation.pk, "joined_on": "2025-02-01"})
    assert again.status_code == 200 and again.context["member_form"].errors
    remove = reverse("igm:network_member_remove", kwargs={"pk": network.pk, "org_pk": cast.b.organisation.pk})
    assert client.post(remove).status_code == 302
    assert network.memberships.count() == 1


def test_network_of_another_sector_refuses_the_organisation(cast, network):
    from vitaal.core.models import Sector

    other = Sector.objects.create(name="Mbo", slug="mbo")
    stranger = Organisation.objects.create(sector=other, name="ROC", slug="roc", size_class=SizeClass.LARGE)
    with pytest.raises(ValidationError):
        network_member_add(network=network, organisation=stranger, joined_on=date(2025, 1, 1))
    assert network.memberships.count() == 1


def test_duplicate_network_name_is_refused(cast, network):
    with pytest.raises(ValidationError):
        network_create(sector=cast.sector, name="hbo-leernetwerk")


def test_create_network_page(client, cast, igm):
    login(client, cast.user("sector_admin"))
    response = client.post(reverse("igm:network_create"), {"name": "Noord", "description": ""})
    assert response.status_code == 302
    assert LearningNetwork.objects.filter(name="Noord", sector=cast.sector).exists()
    login(client, cast.user("coordinator"))
    assert client.post(reverse("igm:network_create"), {"name": "X"}).status_code == 403
    assert not LearningNetwork.objects.filter(name="X").exists()


def test_leaving_member_takes_its_practices_along(cast, network):
    share(network, cast)
    network_member_remove(network=network, organisation=cast.a.organisation)
    assert not Practice.objects.filter(network=network).exists()


# Lessons from phase registrations ------------------------------------------------------


def _registration(cycle, cast, *, shareable: bool, verify: bool, phase_number: int = 1):
    phase = cycle.phases.get(number=phase_number)
    reg = phase_registration_save(
        phase=phase,
        values={
            "lessons_learned": "Begin klein, met één team dat wil.",
            "went_harder": "De planning van de MT-vergadering.",
            "actors_key_positive": "Jan Jansen van P&O trok het project.",
            "advisor_role": "Piet adviseerde.",
            "shareable": shareable,
        },
        recorded_by=cast.user("advisor"),
    )
    phase_registration_submit(registration=reg)
    if verify:
        phase_registration_verify(registration=reg, by=cast.user("coordinator"))
    return reg


def test_lessons_are_verified_shareable_registrations_without_people(client, cast, network, cycle):
    _registration(cycle, cast, shareable=True, verify=True, phase_number=1)
    _registration(cycle, cast, shareable=False, verify=True, phase_number=2)
    _registration(cycle, cast, shareable=True, verify=False, phase_number=3)
    lessons = network_lessons(network=network, user=cast.user("management"))
    assert [lesson.phase for lesson in lessons] == [1]
    texts = " ".join(t for _label, t in lessons[0].texts)
    assert "Begin klein" in texts
    assert "Jan Jansen" not in texts and "Piet" not in texts
    login(client, cast.user("works_council"))
    response = client.get(reverse("igm:network_lessons", kwargs={"pk": network.pk}), {"q": "klein"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Begin klein" in content and "Jan Jansen" not in content
    assert cast.user("advisor").email not in content
    assert (
        client.get(reverse("igm:network_lessons", kwargs={"pk": network.pk}), {"phase": "2"})
        .context["page"]
        .paginator.count
        == 0
    )


def test_lessons_are_for_members_only(cast, network, cycle):
    _registration(cycle, cast, shareable=True, verify=True)
    assert network_lessons(network=network, user=cast.user("coordinator_b")) == []
    assert network_lessons(network=network, user=cast.user("sector_admin")) == []


# Access --------------------------------------------------------------------------------


def test_network_pages_refuse_wrong_role_and_other_organisation(client, cast, network):
    practice = share(network, cast)
    urls = [
        reverse("igm:network_detail", kwargs={"pk": network.pk}),
        reverse("igm:network_lessons", kwargs={"pk": network.pk}),
        reverse("igm:practice_detail", kwargs={"pk": practice.pk}),
    ]
    for role, expected in [("employee", 403), ("hr", 403), ("coordinator_b", 404), ("management", 200)]:
        login(client, cast.user(role))
        for url in urls:
            assert client.get(url).status_code == expected, (role, url)
    login(client, cast.user("management"))
    withdraw = reverse("igm:practice_withdraw", kwargs={"pk": practice.pk})
    assert client.post(withdraw).status_code == 403
    practice.refresh_from_db()
    assert not practice.is_withdrawn


def test_network_detail_queries_do_not_grow(client, cast, network, django_assert_max_num_queries):
    login(client, cast.user("coordinator"))
    url = reverse("igm:network_detail", kwargs={"pk": network.pk})
    share(network, cast)
    client.get(url)
    with django_assert_max_num_queries(20 + 10) as before:
        client.get(url)
    for i in range(12):
        share(network, cast, title=f"P{i}", phases=[1, 2])
    with django_assert_max_num_queries(len(before.captured_queries)):
        response = client.get(url)
    assert len(response.context["practices"]) == 13


def test_start_page_and_menu_show_the_toolbox_to_igm_roles(client, cast, toolbox, network):
    share(network, cast)
    login(client, cast.user("coordinator"))
    content = client.get(reverse("core:home")).content.decode()
    assert "Learning network and toolbox" in content or "Lerend netwerk en gereedschapskist" in content
    assert reverse("igm:toolbox") in content and reverse("igm:network_list") in content
    login(client, cast.user("hr"))
    content = client.get(reverse("core:home")).content.decode()
    assert reverse("igm:toolbox") not in content


def test_lessons_page_queries_do_not_grow(client, cast, network, cycle, django_assert_max_num_queries):
    _registration(cycle, cast, shareable=True, verify=True, phase_number=0)
    login(client, cast.user("coordinator"))
    url = reverse("igm:network_lessons", kwargs={"pk": network.pk})
    client.get(url)
    with django_assert_max_num_queries(14 + 10) as before:
        client.get(url)
    for number in range(1, 6):
        _registration(cycle, cast, shareable=True, verify=True, phase_number=number)
    with django_assert_max_num_queries(len(before.captured_queries)):
        response = client.get(url)
    assert response.context["page"].paginator.count == 6
