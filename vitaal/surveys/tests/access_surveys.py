"""URL access table of the surveys app (see vitaal/core/testing_access.py).

Respondent pages are public (anonymous = 200): a respondent is anonymous and reaches them
only through a secret link. They must be listed in vitaal/core/public.py."""

from __future__ import annotations

from vitaal.core.testing import Cast
from vitaal.core.testing_access import LOGGED_IN, Access

INVITATION_TOKEN = "access-table-invitation"
OPEN_TOKEN = "access-table-open-link"
RESUME_KEY = "access-table-resume"


def prepare(cast: Cast) -> None:
    from vitaal.surveys import services
    from vitaal.surveys.models import Invitation, ResponseSource, SurveyResponse, Wave, token_hash
    from vitaal.surveys.questionnaire_file import DATA_DIR, questionnaire_load, questionnaire_read

    questionnaire = questionnaire_load(
        data=questionnaire_read(DATA_DIR / "employee_survey.json")
    ).questionnaire
    wave = services.wave_create(
        questionnaire=questionnaire,
        sector=cast.sector,
        organisation=cast.a.organisation,
        title="Access table wave",
    )
    services.wave_open(wave=wave)
    Wave.objects.filter(pk=wave.pk).update(open_link_hash=token_hash(OPEN_TOKEN))
    Invitation.objects.create(wave=wave, email="invitee@example.org", token_hash=token_hash(INVITATION_TOKEN))
    SurveyResponse.objects.create(
        wave=wave,
        resume_key_hash=token_hash(RESUME_KEY),
        source=ResponseSource.OPEN_LINK,
        started_on="2026-05-01",
    )


EVERYONE = set(LOGGED_IN)

ACCESS: dict[str, Access] = {
    # Respondents (public, anonymous = 200; see the module docstring)
    "surveys:invitation": Access(kwargs=lambda c: {"token": INVITATION_TOKEN}, ok=EVERYONE, anonymous=200),
    "surveys:open_link": Access(kwargs=lambda c: {"token": OPEN_TOKEN}, ok=EVERYONE, anonymous=200),
    "surveys:answer": Access(kwargs=lambda c: {"key": RESUME_KEY}, ok=EVERYONE, anonymous=200),
    "surveys:answer_saved": Access(kwargs=lambda c: {"key": RESUME_KEY}, ok=EVERYONE, anonymous=200),
    "surveys:thanks": Access(ok=EVERYONE, anonymous=200),
}
