"""The weekly e-mail digest of the process watch: opt-in page, who gets mail, no health
details in it, at most one a week."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from vitaal.core.testing import login
from vitaal.igm.digest import send_weekly_digests
from vitaal.igm.models import DigestPreference, StoredSignal

from .access_plans import build_plans

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("_locmem"),
]


@pytest.fixture
def _locmem():
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        yield


@pytest.fixture(autouse=True)
def _english_pages(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def built(cast):
    for role in ("coordinator", "management"):
        user = cast.user(role)
        user.preferred_language = "en"
        user.save(update_fields=["preferred_language"])
    return build_plans(cast)


def opt_in(user):
    DigestPreference.objects.update_or_create(user=user, defaults={"weekly": True})


def test_opt_in_page(client, cast, built):
    login(client, cast.user("coordinator"))
    url = reverse("igm:digest_settings")
    assert client.get(url).status_code == 200
    assert client.post(url, {"weekly": "on"}).status_code == 302
    assert DigestPreference.objects.get(user=cast.user("coordinator")).weekly
    assert client.post(url, {}).status_code == 302
    assert not DigestPreference.objects.get(user=cast.user("coordinator")).weekly


def test_opt_in_page_refuses_employees(client, cast, built):
    login(client, cast.user("employee"))
    assert client.post(reverse("igm:digest_settings"), {"weekly": "on"}).status_code == 403
    assert not DigestPreference.objects.exists()


def test_only_opted_in_watchers_get_mail_without_details(cast, built):
    opt_in(cast.user("coordinator"))
    opt_in(cast.user("employee"))  # no watcher: never mailed
    DigestPreference.objects.create(user=cast.user("management"), weekly=False)
    assert send_weekly_digests() == 1
    [message] = mail.outbox
    assert message.to == [cast.user("coordinator").email]
    assert "Hogeschool A: 1 open signal" in message.body
    assert "Actions past due: 1" in message.body
    assert "/igm/a/signals/" in message.body
    # the action's title, owners and any figure of a plan stay out of mail
    assert "Rooster" not in message.body
    assert "Overwerk" not in message.body


def test_at_most_one_mail_a_week(cast, built):
    opt_in(cast.user("coordinator"))
    assert send_weekly_digests() == 1
    assert send_weekly_digests() == 0
    DigestPreference.objects.update(last_sent_at=timezone.now() - timedelta(days=7))
    assert send_weekly_digests() == 1
    assert len(mail.outbox) == 2


def test_no_mail_without_signals(cast, built):
    StoredSignal.objects.all().delete()
    opt_in(cast.user("management"))
    assert send_weekly_digests() == 0
    assert mail.outbox == []


def test_other_organisation_is_not_reported(cast, built):
    opt_in(cast.user("coordinator_b"))
    assert send_weekly_digests() == 0
