"""Meter-session pages: creating a session, rating per line in group and individual mode,
closing, and the results page with radar, comparisons and reliability."""

from __future__ import annotations

import random
import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from vitaal.core.disclosure import threshold_for
from vitaal.core.testing import login
from vitaal.igm.models import (
    GroupRating,
    IndividualRating,
    MeterMode,
    MeterSession,
    SessionPurpose,
)
from vitaal.igm.services.meter import (
    group_rating_set,
    individual_rating_set,
    meter_session_close,
    session_participant_add,
)
from vitaal.igm.tests.conftest import items_by_code, make_employees, new_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def client() -> Client:
    return Client(headers={"accept-language": "en"})


def url(name: str, cast, *args) -> str:
    return reverse(f"igm:{name}", args=[cast.a.organisation.slug, *args])


def _rate_all(session: MeterSession, small, levels: dict[str, int]) -> None:
    items = items_by_code(small)
    for code, level in levels.items():
        group_rating_set(session=session, item=items[code], value=level)


def test_coordinator_creates_a_group_session_for_a_unit(client, cast, small, cycle):
    login(client, cast.user("coordinator"))
    data = {
        "title": "Team 1 baseline",
        "unit": cast.a.team1.pk,
        "instrument": small.pk,
        "mode": "group",
        "purpose": "baseline",
        "date": "2025-03-01",
    }
    response = client.post(url("session_create", cast), data)
    session = MeterSession.objects.get(title="Team 1 baseline")
    assert response.status_code == 302
    assert (session.unit, session.mode, session.cycle_number) == (cast.a.team1, "group", cycle.number)
    # A unit of another organisation is refused by the form; nothing is created.
    response = client.post(url("session_create", cast), {**data, "title": "x", "unit": cast.b.team1.pk})
    assert response.status_code == 200 and not MeterSession.objects.filter(title="x").exists()


def test_group_rating_per_line_with_notes_and_escapes(client, cast, small):
    session = new_session(cast, small)
    items = items_by_code(small)
    login(client, cast.user("coordinator"))
    form_url = url("session_rate", cast, session.pk, "a")
    data = {
        f"item_{items['a1'].pk}": "3",
        f"note_{items['a1'].pk}": "Policy exists; RI&E 2024.",
        f"item_{items['a2'].pk}": "na",
        f"item_{items['a3'].pk}": "dk",
    }
    assert client.post(form_url, data).status_code == 302
    ratings = {r.item.code: r for r in GroupRating.objects.filter(session=session)}
    assert ratings["a1"].level == 3 and ratings["a1"].note.startswith("Policy")
    assert ratings["a2"].answer == "na" and ratings["a3"].answer == "dk"
    # Out of range: refused, and the other items of the same form are not saved either.
    bad = {f"item_{items['a1'].pk}": "2", f"item_{items['a2'].pk}": "9"}
    response = client.post(form_url, bad)
    assert response.status_code == 200
    assert "Nothing has been saved" in response.content.decode()
    assert GroupRating.objects.get(session=session, item=items["a1"]).level == 3


def test_readers_cannot_rate_and_a_closed_session_is_frozen(client, cast, small):
    session = new_session(cast, small)
    items = items_by_code(small)
    data = {f"item_{items['a1'].pk}": "4"}
    for role in ("management", "works_council"):
        login(client, cast.user(role))
        assert client.post(url("session_rate", cast, session.pk, "a"), data).status_code == 403
        assert client.post(url("session_close", cast, session.pk)).status_code == 403
    login(client, cast.user("advisor"))
    assert client.post(url("session_close", cast, session.pk)).status_code == 302
    response = client.post(url("session_rate", cast, session.pk, "a"), data, follow=True)
    assert "closed" in response.content.decode()
    assert not GroupRating.objects.filter(session=session).exists()
    login(client, cast.user("coordinator_b"))
    assert client.get(url("session_detail", cast, session.pk)).status_code == 404


def test_results_show_radar_with_its_table(client, cast, small):
    session = new_session(cast, small)
    _rate_all(session, small, {"a1": 4, "a2": 4, "a3": 4, "b1": 1, "b2": 1, "c1": 2, "c2": 3})
    meter_session_close(session=session)
    login(client, cast.user("management"))
    page = client.get(url("session_results", cast, session.pk)).content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img"' in page
    assert 'class="radar-table"' in page
    # Line a: all 4 -> 100; line b: all 1 -> 0; line c: mean 2.5 -> 50.
    assert ">100.0<" in page and ">0.0<" in page and ">50.0<" in page


def test_comparisons_unit_vs_organisation_and_baseline_vs_evaluation(client, cast, small):
    org_session = new_session(cast, small, title="Organisation")
    _rate_all(org_session, small, {"a1": 2, "b1": 2, "c1": 2})
    meter_session_close(session=org_session)
    baseline = new_session(cast, small, unit=cast.a.team1, title="Baseline team 1")
    _rate_all(baseline, small, {"a1": 1, "b1": 1, "c1": 1})
    meter_session_close(session=baseline)
    evaluation = new_session(
        cast, small, unit=cast.a.team1, title="Evaluation team 1", purpose=SessionPurpose.EVALUATION
    )
    evaluation.date = date(2025, 11, 1)
    evaluation.save()
    _rate_all(evaluation, small, {"a1": 4, "b1": 2, "c1": 1})
    meter_session_close(session=evaluation)
    login(client, cast.user("coordinator"))
    page = client.get(url("session_results", cast, evaluation.pk)).content.decode()
    assert 'data-comparison="organisation"' in page
    assert 'data-comparison="evaluation"' in page
    assert "+100.0" in page  # line a: 0 -> 100
    # Unit vs unit, chosen from the list.
    page = client.get(
        url("session_results", cast, evaluation.pk) + f"?compare={baseline.pk}"
    ).content.decode()
    assert 'data-comparison="chosen"' in page
    # Peers: the cast has no other organisation with measurements in the size class.
    assert "Too few organisations of the same size class" in page


def test_unit_management_does_not_see_the_organisation_comparison(client, cast, small):
    from vitaal.core.models import Membership
    from vitaal.core.roles import Role

    unit_boss = make_employees(cast.a, 1, prefix="boss")[0]
    Membership.objects.create(
        user=unit_boss,
        role=Role.MANAGEMENT,
        sector=cast.sector,
        organisation=cast.a.organisation,
        unit=cast.a.team1,
    )
    org_session = new_session(cast, small, title="Organisation")
    _rate_all(org_session, small, {"a1": 2, "b1": 2, "c1": 2})
    meter_session_close(session=org_session)
    unit_session = new_session(cast, small, unit=cast.a.team1)
    _rate_all(unit_session, small, {"a1": 1, "b1": 1, "c1": 1})
    meter_session_close(session=unit_session)
    login(client, unit_boss)
    page = client.get(url("session_results", cast, unit_session.pk)).content.decode()
    assert 'data-comparison="organisation"' not in page
    assert client.get(url("session_results", cast, org_session.pk)).status_code == 403


def test_individual_ratings_are_private(client, cast, small):
    session = new_session(cast, small, mode=MeterMode.INDIVIDUAL)
    people = make_employees(cast.a, 2)
    login(client, cast.user("coordinator"))
    response = client.post(url("session_participants", cast, session.pk), {"users": [p.pk for p in people]})
    assert response.status_code == 302 and session.participants.count() == 2
    items = items_by_code(small)
    first, second = people
    login(client, first)
    form_url = url("session_rate", cast, session.pk, "a")
    assert client.post(form_url, {f"item_{items['a1'].pk}": "4"}).status_code == 302
    rating = IndividualRating.objects.get(participant__user=first)
    assert rating.level == 4
    # The rater sees their own answer checked; another participant does not.
    checked = re.compile(rf'name="item_{items["a1"].pk}" value="4"[^>]*checked')
    assert checked.search(client.get(form_url).content.decode())
    login(client, second)
    assert not checked.search(client.get(form_url).content.decode())
    # The coordinator may not rate for the participants and only sees the withheld note.
    login(client, cast.user("coordinator"))
    assert client.get(form_url).status_code == 403
    page = client.get(url("session_detail", cast, session.pk)).content.decode()
    assert "Results are shown once at least" in page
    assert client.get(url("session_participants", cast, session.pk)).status_code == 405


def test_individual_spread_and_reliability_with_enough_raters(client, cast, small):
    session = new_session(cast, small, mode=MeterMode.INDIVIDUAL)
    n = max(12, threshold_for(cast.sector, "survey"))
    items = items_by_code(small)
    rng = random.Random(3)
    for user in make_employees(cast.a, n):
        session_participant_add(session=session, user=user)
        base = rng.randint(1, 3)
        for item in items.values():
            individual_rating_set(
                session=session, item=item, rater=user, value=min(4, base + rng.randint(0, 1))
            )
    login(client, cast.user("coordinator"))
    page = client.get(url("session_detail", cast, session.pk)).content.decode()
    assert "Spread and agreement" in page and f"Based on {n} participants" in page
    meter_session_close(session=session)
    page = client.get(url("session_results", cast, session.pk)).content.decode()
    assert "Reliability per line" in page
    assert any(word in page for word in ("good", "sufficient", "moderate", "insufficient", "same total"))


def test_session_overview_lists_only_visible_sessions(client, cast, small):
    own = new_session(cast, small, title="Own")
    new_session(cast, small, organisation=cast.b.organisation, title="Other")
    login(client, cast.user("works_council"))
    page = client.get(url("overview", cast)).content.decode()
    assert "Own" in page and "Other" not in page
    assert url("session_detail", cast, own.pk) in page


def test_participant_finds_the_session_on_the_start_page(client, cast, small):
    session = new_session(cast, small, mode=MeterMode.INDIVIDUAL, title="Team survey")
    person = make_employees(cast.a, 1)[0]
    session_participant_add(session=session, user=person)
    login(client, person)
    page = client.get(reverse("core:home")).content.decode()
    assert "Team survey" in page and url("session_detail", cast, session.pk) in page
    assert client.get(url("overview", cast)).status_code == 403
    detail = client.get(url("session_detail", cast, session.pk)).content.decode()
    assert url("session_rate", cast, session.pk, "a") in detail
    login(client, cast.user("employee"))
    assert "Team survey" not in client.get(reverse("core:home")).content.decode()
