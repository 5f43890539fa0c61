"""The communication kit: filled-in texts in Dutch and English whatever the UI language,
how to apply per intervention, copy buttons without inline scripts."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from vitaal.care.comm_kit import CHANNELS, build_kit, how_to_apply
from vitaal.core.testing import login

URL = "https://vitaal.example/"


@pytest.fixture(autouse=True)
def english_pages(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.mark.django_db
def test_package_texts_for_every_channel_in_both_languages(world):
    organisation = world.cast.a.organisation
    texts = build_kit(organisation, "package", URL)
    assert {(t.channel, t.language) for t in texts} == {(c, lang) for c in CHANNELS for lang in ("nl", "en")}
    for text in texts:
        assert organisation.name in text.full and URL in text.full
    nl = next(t for t in texts if t.channel == "newsletter" and t.language == "nl")
    en = next(t for t in texts if t.channel == "newsletter" and t.language == "en")
    assert "Mentale coaching" in nl.body and "Mental coaching" in en.body
    assert "Massage" not in nl.body  # out of the package
    assert "Je werkgever ziet niet" in nl.body and "Your employer does not see" in en.body


@pytest.mark.django_db
def test_both_languages_whatever_the_active_language(world):
    with translation.override("nl"):
        dutch_ui = build_kit(world.cast.a.organisation, str(world.coaching.pk), URL)
    with translation.override("en"):
        english_ui = build_kit(world.cast.a.organisation, str(world.coaching.pk), URL)
    assert [t.full for t in dutch_ui] == [t.full for t in english_ui]
    assert {t.language for t in dutch_ui} == {"nl", "en"}


@pytest.mark.django_db
def test_how_to_apply_follows_the_routes(world):
    direct = how_to_apply(world.coaching, "en", URL)
    assert "apply yourself" in direct and "manager" in direct
    referral_only = how_to_apply(world.manager_only, "en", URL)
    assert "apply yourself" not in referral_only and "referral by your manager" in referral_only
    assert "looks at your request first" in how_to_apply(world.physio, "en", URL)
    assert "bedrijfsarts" in how_to_apply(world.physio, "nl", URL)


@pytest.mark.django_db
def test_unknown_intervention_is_refused(world):
    with pytest.raises(KeyError):
        build_kit(world.cast.a.organisation, str(world.out.pk), URL)  # out of the package


@pytest.mark.django_db
def test_page_has_copy_ready_texts_without_inline_script(client, world):
    login(client, world.cast.user("hr"))
    url = reverse("care:comm_kit", args=["a"])
    html = client.get(url, {"subject": str(world.physio.pk)}).content.decode()
    assert "Physiotherapy" in html and "Fysiotherapie" in html
    assert html.count("data-copy-target=") == 6
    assert re.search(r"<textarea[^>]*readonly", html)
    assert "care/reports/copy.js" in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)  # no inline scripts (CSP)
    assert "onclick" not in html
    # a subject that is not offered falls back to the package with the form's message
    html = client.get(url, {"subject": "999999"}).content.decode()
    assert "Select a valid choice" in html and "Hogeschool A" in html


@pytest.mark.django_db
def test_kit_roles(client, world):
    url = reverse("care:comm_kit", args=["a"])
    for role, status in (
        ("coordinator", 200),
        ("sector_admin", 200),
        ("manager", 403),
        ("works_council", 403),
    ):
        login(client, world.cast.user(role))
        assert client.get(url).status_code == status, role
    login(client, world.cast.user("hr_b"))
    assert client.get(url).status_code == 404
