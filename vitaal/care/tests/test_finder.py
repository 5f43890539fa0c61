"""The finder's rules (vitaal/care/finder.py, documented in docs/care-employee-portal.md)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import reverse

from vitaal.care.finder import (
    CONCERN_THEMES,
    URGENCY_STAGES,
    Concern,
    Preference,
    Urgency,
    finder_suggestions,
    health_check_suggestions,
    rank,
)
from vitaal.core.testing import login

from .access_portal import build_portal_world


def item(
    name: str,
    theme: str,
    *,
    stages: tuple[str, ...] = ("prevention",),
    forms: tuple[str, ...] = ("face_to_face",),
    routes: tuple[str, ...] = ("direct",),
    verdict: str = "in",
    active: bool = True,
) -> Any:
    intervention = SimpleNamespace(
        name=name,
        theme=theme,
        stages=list(stages),
        forms=list(forms),
        routes=list(routes),
        route_direct="direct" in routes,
        is_active=active,
    )
    return SimpleNamespace(verdict=verdict, intervention=intervention)


def names(suggestions: list[Any]) -> list[str]:
    return [s.intervention.name for s in suggestions]


def test_answers_map_to_themes_and_stages_as_documented() -> None:
    assert CONCERN_THEMES == {
        Concern.BODY: ("physical",),
        Concern.MIND: ("mental",),
        Concern.LIFESTYLE: ("lifestyle", "physical"),
        Concern.WORK: ("other", "mental"),
    }
    expected_stages = {
        Urgency.PREVENT: {"prevention"},
        Urgency.COMPLAINTS: {"complaints"},
        Urgency.ABSENT: {"absence", "reintegration"},
    }
    assert expected_stages == URGENCY_STAGES


def test_only_interventions_in_the_package_and_active_are_suggested() -> None:
    items = [
        item("In", "mental"),
        item("Discussed", "mental", verdict="discuss"),
        item("Out", "mental", verdict="out"),
        item("Inactive", "mental", active=False),
    ]
    assert names(rank(items, themes=("mental",), stages=frozenset({"prevention"}))) == ["In"]


def test_a_matching_stage_outranks_a_matching_form_and_direct_access() -> None:
    items = [
        item("Online direct", "mental", stages=("prevention",), forms=("online",)),
        item("Stage only", "mental", stages=("complaints",), routes=("company_doctor",)),
    ]
    result = rank(items, themes=("mental",), stages=frozenset({"complaints"}), preference=Preference.ONLINE)
    assert names(result) == ["Stage only", "Online direct"]
    assert [s.score for s in result] == [4 + 3, 4 + 1 + 1]


def test_first_theme_weighs_more_than_the_second() -> None:
    items = [item("Mental", "mental"), item("Other", "other")]
    result = rank(items, themes=("other", "mental"), stages=frozenset({"prevention"}))
    assert names(result) == ["Other", "Mental"]


def test_preference_and_direct_access_break_ties_then_name() -> None:
    items = [
        item("B face", "physical", forms=("face_to_face",)),
        item("A online", "physical", forms=("online",)),
        item("C blended", "physical", forms=("blended",)),
        item("D referral only", "physical", forms=("online",), routes=("manager",)),
    ]
    result = rank(items, themes=("physical",), stages=frozenset(), preference=Preference.ONLINE)
    assert names(result) == ["A online", "C blended", "B face"]
    assert len(result) == 3


def test_fewer_than_two_theme_matches_are_topped_up_with_stage_matches() -> None:
    items = [
        item("Only mental", "mental"),
        item("Lifestyle prevention", "lifestyle", stages=("prevention",)),
        item("Physical absence", "physical", stages=("absence",)),
    ]
    result = rank(items, themes=("mental",), stages=frozenset({"prevention"}))
    assert names(result) == ["Only mental", "Lifestyle prevention"]


def test_suggestions_say_how_to_get_them() -> None:
    direct, referral = finder_suggestions(
        [
            item("Direct", "physical", stages=("complaints",)),
            item("Doctor", "physical", stages=("complaints",), routes=("company_doctor", "hr")),
        ],
        concern=Concern.BODY,
        urgency=Urgency.COMPLAINTS,
        preference=Preference.EITHER,
    )
    assert direct.direct and direct.referral_routes == []
    assert not referral.direct
    assert referral.referral_routes == ["Referral by the HR advisor", "Referral by the company doctor"]


def test_health_check_suggestions_use_complaints_stage_when_support_is_needed() -> None:
    items = [
        item("Prevent", "mental", stages=("prevention",)),
        item("Help", "mental", stages=("complaints",)),
    ]
    assert names(health_check_suggestions(items, themes=("mental",), needs_support=True))[0] == "Help"
    assert names(health_check_suggestions(items, themes=("mental",), needs_support=False))[0] == "Prevent"


# --- The finder page ---------------------------------------------------------------------


@pytest.mark.django_db
def test_finder_page_shows_two_or_three_suggestions_with_route(client, cast) -> None:
    world = build_portal_world(cast)
    login(client, cast.user("employee"))
    response = client.get(
        reverse("care:portal_finder"), {"concern": "lifestyle", "urgency": "prevent", "preference": "online"}
    )
    assert response.status_code == 200
    suggestions = response.context["suggestions"]
    assert suggestions[0].intervention == world.yoga
    assert 2 <= len(suggestions) <= 3
    content = response.content.decode()
    assert reverse("care:portal_intervention", args=[world.yoga.pk]) in content
    assert "You can apply yourself." in content
    # Out of the package (massage, physical) is never suggested.
    assert world.massage not in [s.intervention for s in suggestions]


@pytest.mark.django_db
def test_finder_refuses_unknown_answers_and_suggests_nothing(client, cast) -> None:
    build_portal_world(cast)
    login(client, cast.user("employee"))
    response = client.get(reverse("care:portal_finder"), {"concern": "everything", "urgency": "prevent"})
    assert response.status_code == 200
    assert response.context["suggestions"] is None
    assert response.context["form"].errors.keys() == {"concern", "preference"}


@pytest.mark.django_db
def test_finder_for_absence_points_to_the_company_doctor(client, cast) -> None:
    build_portal_world(cast)
    login(client, cast.user("employee"))
    response = client.get(
        reverse("care:portal_finder"), {"concern": "mind", "urgency": "absent", "preference": "either"}
    )
    assert "Talk to the company doctor" in response.content.decode()
