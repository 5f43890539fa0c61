"""Researcher pages: who may create and follow waves, links shown once, protected results
with weighting and breakdowns, and query counts that do not grow with the data."""

from __future__ import annotations

import pytest
from django.urls import reverse

from vitaal.core.testing import login
from vitaal.surveys import services
from vitaal.surveys.models import Invitation, Wave, WaveStatus

from .support import fill

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _as(client, cast, role):
    client.logout()
    login(client, cast.user(role))
    return client


def test_hr_creates_a_wave_for_their_own_organisation_only(client, cast, employee_questionnaire) -> None:
    _as(client, cast, "hr")
    page = client.get(reverse("surveys:wave_create"))
    assert page.status_code == 200
    assert f"org:{cast.b.organisation.pk}".encode() not in page.content
    data = {"title": "Our survey", "questionnaire": employee_questionnaire.pk}
    other = client.post(reverse("surveys:wave_create"), {**data, "target": f"org:{cast.b.organisation.pk}"})
    assert other.status_code == 400 and not Wave.objects.exists()
    sector = client.post(reverse("surveys:wave_create"), {**data, "target": f"sector:{cast.sector.pk}"})
    assert sector.status_code == 400 and not Wave.objects.exists()
    ok = client.post(reverse("surveys:wave_create"), {**data, "target": f"org:{cast.a.organisation.pk}"})
    wave = Wave.objects.get()
    assert ok["Location"] == reverse("surveys:wave_detail", args=[wave.pk])
    assert wave.organisation == cast.a.organisation and wave.status == WaveStatus.DRAFT


def test_a_closing_date_before_the_opening_date_is_refused(client, cast, employee_questionnaire) -> None:
    _as(client, cast, "hr")
    page = client.post(
        reverse("surveys:wave_create"),
        {
            "title": "x",
            "questionnaire": employee_questionnaire.pk,
            "target": f"org:{cast.a.organisation.pk}",
            "opens_on": "2026-06-01",
            "closes_on": "2026-05-01",
        },
    )
    assert page.status_code == 400 and b"closing date lies before the opening date" in page.content
    assert not Wave.objects.exists()


def test_the_sector_admin_runs_sector_waves_and_only_follows_organisation_waves(
    client, cast, wave, employee_questionnaire
) -> None:
    _as(client, cast, "sector_admin")
    client.post(
        reverse("surveys:wave_create"),
        {
            "title": "Sector 2026",
            "questionnaire": employee_questionnaire.pk,
            "target": f"sector:{cast.sector.pk}",
        },
    )
    sector_wave = Wave.objects.get(organisation__isnull=True)
    assert (
        client.post(reverse("surveys:wave_state", args=[sector_wave.pk]), {"state": "open"}).status_code
        == 302
    )
    assert client.get(reverse("surveys:wave_results", args=[wave.pk])).status_code == 200
    assert client.post(reverse("surveys:wave_open_link", args=[wave.pk])).status_code == 403
    # HR of an organisation in the sector may not run the sector's wave.
    _as(client, cast, "hr")
    assert client.get(reverse("surveys:wave_detail", args=[sector_wave.pk])).status_code == 403
    # HR of organisation B does not see organisation A's wave at all.
    _as(client, cast, "hr_b")
    assert client.get(reverse("surveys:wave_results", args=[wave.pk])).status_code == 404


def test_personal_links_are_shown_once_and_work(client, cast, wave) -> None:
    _as(client, cast, "hr")
    page = client.post(
        reverse("surveys:wave_invite", args=[wave.pk]), {"emails": "a@example.org\nb@example.org"}
    )
    assert page.status_code == 200
    links = page.content.decode().split("<code>")[1:]
    assert len(links) == 2
    link = links[0].split("</code>")[0]
    assert Invitation.objects.count() == 2
    # The code rides in the fragment, which browsers never send (no server log sees it).
    address, code = link.split("#t=")
    assert address.endswith("/surveys/start/") and code
    assert code not in "".join(Invitation.objects.values_list("token_hash", flat=True))
    client.logout()
    assert client.get(address).status_code == 200
    assert client.post(address, {"code": code}).status_code == 200
    again = _as(client, cast, "hr").post(
        reverse("surveys:wave_invite", args=[wave.pk]), {"emails": "a@example.org"}
    )
    assert again.status_code == 400 and b"Already invited: a@example.org" in again.content
    assert Invitation.objects.count() == 2


def test_reminders_need_an_open_wave(client, cast, wave) -> None:
    services.invitations_create(wave=wave, emails=["a@example.org"])
    services.wave_close(wave=wave)
    _as(client, cast, "hr")
    page = client.post(
        reverse("surveys:wave_remind", args=[wave.pk]), {"subject": "s", "body": "b"}, follow=True
    )
    assert b"Reminders can only be sent while the wave is open." in page.content


def test_population_figures_are_checked(client, cast, wave) -> None:
    _as(client, cast, "hr")
    url = reverse("surveys:wave_population", args=[wave.pk])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"gender__woman": "-5", "gender__man": "40"})
    assert bad.status_code == 400
    wave.refresh_from_db()
    assert wave.population == {}
    client.post(url, {"gender__woman": "50", "gender__man": "50"})
    wave.refresh_from_db()
    assert wave.population == {"gender": {"woman": 50.0, "man": 50.0, "x": 0.0}}


def _sample(wave) -> None:
    # 30 women and 10 men: raking to 50/50 weighs men up.
    fill(wave, [{"gender": "woman", "complaints": "yes", "health_grade": 6}] * 20)
    fill(wave, [{"gender": "woman", "complaints": "no", "health_grade": 7}] * 10)
    fill(wave, [{"gender": "man", "complaints": "no", "health_grade": 8}] * 10)
    fill(wave, [{"gender": "x", "complaints": "no"}] * 2)


def test_results_hide_small_groups_and_weigh_on_request(client, cast, wave) -> None:
    _sample(wave)
    _as(client, cast, "hr")
    url = reverse("surveys:wave_results", args=[wave.pk])
    plain = client.get(url)
    assert plain.status_code == 200
    assert b"Weighting needs population figures." in plain.content
    assert b"42 complete responses" in plain.content
    services.wave_population_set(wave=wave, shares={"gender": {"woman": 50, "man": 48, "x": 2}})
    weighted = client.get(url, {"weighted": "1"})
    assert b"design effect" in weighted.content
    assert weighted.context["weighted"]
    grade = next(r for r in weighted.context["results"] if r.code == "health_grade")
    unweighted_grade = next(r for r in client.get(url).context["results"] if r.code == "health_grade")
    assert grade.mean.mean > unweighted_grade.mean.mean  # men (grade 8) weighed up
    gender = next(r for r in weighted.context["results"] if r.code == "gender")
    assert {row.code: row.count for row in gender.rows}["x"] is None  # 2 < 5


def test_breakdown_by_gender_is_protected(client, cast, wave) -> None:
    _sample(wave)
    _as(client, cast, "sector_admin")
    page = client.get(reverse("surveys:wave_results", args=[wave.pk]), {"by": "gender"})
    assert page.status_code == 200
    complaints = next(b for b in page.context["breakdowns"] if b.question == "complaints")
    assert complaints.cells["x", "no"] is None
    assert complaints.test is None
    assert b"No test: some groups are too small to show." in page.content


def test_lists_and_results_do_not_query_more_with_more_data(
    client, cast, wave, employee_questionnaire, django_assert_max_num_queries
) -> None:
    _as(client, cast, "hr")
    client.get(reverse("surveys:wave_list"))  # warm the session and actor
    with django_assert_max_num_queries(16) as few:
        client.get(reverse("surveys:wave_list"))
    for n in range(6):
        services.wave_create(
            questionnaire=employee_questionnaire,
            sector=cast.sector,
            organisation=cast.a.organisation,
            title=f"W{n}",
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("surveys:wave_list"))
    assert len(page.context["rows"]) == 7
    url = reverse("surveys:wave_results", args=[wave.pk])
    _sample(wave)
    with django_assert_max_num_queries(40) as first:
        client.get(url, {"by": "gender"})
    _sample(wave)
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(url, {"by": "gender"})


def test_the_nav_shows_surveys_to_researchers_only(client, cast, wave) -> None:
    page = _as(client, cast, "hr").get(reverse("core:home"))
    assert reverse("surveys:wave_list").encode() in page.content
    page = _as(client, cast, "employee").get(reverse("core:home"))
    assert reverse("surveys:wave_list").encode() not in page.content


@pytest.fixture
def interview_wave(cast):
    from vitaal.surveys.questionnaire_file import DATA_DIR, questionnaire_load, questionnaire_read

    guide = questionnaire_load(
        data=questionnaire_read(DATA_DIR / "works_council_interview.json")
    ).questionnaire
    return services.wave_create(
        questionnaire=guide, sector=cast.sector, organisation=cast.a.organisation, title="Works councils"
    )


def test_the_researcher_enters_an_interview(client, cast, interview_wave) -> None:
    from vitaal.surveys.models import ResponseSource, SurveyResponse

    _as(client, cast, "hr")
    url = reverse("surveys:interview_create", args=[interview_wave.pk])
    assert client.get(url).status_code == 200
    data = {
        "vitality_importance": "very",
        "discussed": "sometimes",
        "discussed_topics": "Werkdruk en verzuim",
        "statements.known": "2",
        "offer_grade": "7",
        "continue_collective": "fairly",
    }
    bad = client.post(url, {**data, "offer_grade": "12"})
    assert bad.status_code == 400 and b"Give a whole number from 1 to 10." in bad.content
    missing = client.post(url, {"discussed": "never"})
    assert missing.status_code == 400 and b"This question needs an answer." in missing.content
    assert not SurveyResponse.objects.exists()
    ok = client.post(url, data)
    assert ok.status_code == 302
    response = SurveyResponse.objects.get()
    assert response.source == ResponseSource.INTERVIEW
    assert services.response_values(response)["statements"].statements == {"known": "2"}


def test_interviews_only_for_interview_guides_and_own_researchers(client, cast, wave, interview_wave) -> None:
    _as(client, cast, "hr")
    assert client.get(reverse("surveys:interview_create", args=[wave.pk])).status_code == 404
    _as(client, cast, "sector_admin")
    assert client.get(reverse("surveys:interview_create", args=[interview_wave.pk])).status_code == 403
    _as(client, cast, "org_admin_b")
    assert client.get(reverse("surveys:interview_create", args=[interview_wave.pk])).status_code == 404
