"""URL access table of the surveys app (see vitaal/core/testing_access.py).

Respondent pages are public (anonymous = 200): a respondent is anonymous; the addresses
carry no code (the start page asks for it, the answer pages find the response through the
browser's state cookie, and without one show the start form). They must be listed in
vitaal/core/public.py."""

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
    guide = questionnaire_load(data=questionnaire_read(DATA_DIR / "hr_interview.json")).questionnaire
    services.wave_create(
        questionnaire=guide,
        sector=cast.sector,
        organisation=cast.a.organisation,
        title="Access table interviews",
    )
    _prepare_matrix(cast, wave)
    SurveyResponse.objects.create(
        wave=wave,
        resume_key_hash=token_hash(RESUME_KEY),
        source=ResponseSource.OPEN_LINK,
        started_on="2026-05-01",
    )
    _prepare_coding(wave)


def _prepare_coding(wave: object) -> None:
    """A codebook with one code for the wave's open question, for the coding URLs."""
    from vitaal.surveys import coding

    question = wave.questionnaire.questions.get(code="comments")  # type: ignore[attr-defined]
    book = coding.codebook_for(wave=wave, question=question)  # type: ignore[arg-type]
    coding.code_add(codebook=book, value="workload", label_nl="Werkdruk", label_en="Workload")


def _prepare_matrix(cast: Cast, wave: object) -> None:
    import datetime

    from vitaal.care.models import Intervention
    from vitaal.surveys.models import RecommendationMatrix

    Intervention.objects.create(
        sector=cast.sector,
        code="access-coaching",
        name_nl="Coaching",
        name_en="Coaching",
        theme="mental",
        tariff=100,
        tariff_unit="session",
        route_direct=True,
        stage_prevention=True,
        form_online=True,
        individual=True,
    )
    RecommendationMatrix.objects.create(
        sector=cast.sector,
        title="Access table matrix",
        year=2027,
        wave=wave,
        usage_from=datetime.date(2025, 1, 1),
        usage_to=datetime.date(2025, 12, 31),
    )


def matrix(c: Cast) -> dict[str, int]:
    from vitaal.surveys.models import RecommendationMatrix

    return {"pk": RecommendationMatrix.objects.get(title="Access table matrix").pk}


def matrix_intervention(c: Cast) -> dict[str, int]:
    from vitaal.care.models import Intervention

    return {**matrix(c), "intervention": Intervention.objects.get(code="access-coaching").pk}


EVERYONE = set(LOGGED_IN)
RESEARCHERS = {"org_admin", "hr", "org_admin_b", "hr_b", "sector_admin"}
OWN = {"org_admin", "hr"}


def wave_a(c: Cast) -> dict[str, int]:
    from vitaal.surveys.models import Wave

    return {"pk": Wave.objects.get(title="Access table wave").pk}


def interview_wave_a(c: Cast) -> dict[str, int]:
    from vitaal.surveys.models import Wave

    return {"pk": Wave.objects.get(title="Access table interviews").pk}


def comments_a(c: Cast) -> dict[str, object]:
    return {**wave_a(c), "question": "comments"}


def code_a(c: Cast) -> dict[str, object]:
    from vitaal.surveys.models import Code

    return {**comments_a(c), "code": Code.objects.get(codebook__wave__title="Access table wave").pk}


ACCESS: dict[str, Access] = {
    # Respondents (public, anonymous = 200; see the module docstring). Listed first:
    # wave_open_link below replaces the open link these requests use.
    "surveys:start": Access(ok=EVERYONE, anonymous=200),
    "surveys:answer": Access(ok=EVERYONE, anonymous=200),
    "surveys:answer_saved": Access(ok=EVERYONE, anonymous=200),
    "surveys:thanks": Access(ok=EVERYONE, anonymous=200),
    # Researchers: own organisation (org admin, HR); the sector admin follows it read-only
    "surveys:wave_list": Access(ok=RESEARCHERS),
    "surveys:wave_create": Access(ok=RESEARCHERS),
    "surveys:wave_detail": Access(kwargs=wave_a, org=True, ok=OWN | {"sector_admin"}),
    "surveys:wave_results": Access(kwargs=wave_a, org=True, ok=OWN | {"sector_admin"}),
    "surveys:wave_population": Access(kwargs=wave_a, org=True, ok=OWN),
    "surveys:interview_create": Access(kwargs=interview_wave_a, org=True, ok=OWN),
    "surveys:wave_state": Access(
        kwargs=wave_a, org=True, ok=OWN, method="post", data={"state": "open"}, success=302
    ),
    # An empty form: 400 shows that the access check let the role through.
    "surveys:wave_invite": Access(kwargs=wave_a, org=True, ok=OWN, method="post", data={}, success=400),
    "surveys:wave_open_link": Access(kwargs=wave_a, org=True, ok=OWN, method="post"),
    "surveys:wave_remind": Access(
        kwargs=wave_a, org=True, ok=OWN, method="post", data={"subject": "s", "body": "b"}, success=302
    ),
    # Reports (web_reports.py): readers of the wave's results
    "surveys:wave_report": Access(kwargs=wave_a, org=True, ok=OWN | {"sector_admin"}),
    "surveys:wave_report_pdf": Access(kwargs=wave_a, org=True, ok=OWN | {"sector_admin"}),
    "surveys:wave_report_xlsx": Access(kwargs=wave_a, org=True, ok=OWN | {"sector_admin"}),
    "surveys:wave_compare": Access(kwargs=wave_a, org=True, ok=OWN | {"sector_admin"}),
    "surveys:wave_population_register": Access(kwargs=wave_a, org=True, ok=OWN, method="post", success=302),
    # The recommendation matrix: the sector admin only
    "surveys:matrix_list": Access(ok={"sector_admin"}),
    "surveys:matrix_detail": Access(kwargs=matrix, ok={"sector_admin"}),
    "surveys:matrix_settings": Access(kwargs=matrix, ok={"sector_admin"}),
    "surveys:matrix_decide": Access(
        kwargs=matrix_intervention,
        ok={"sector_admin"},
        method="post",
        success=302,
    ),
    "surveys:matrix_carry": Access(kwargs=matrix, ok={"sector_admin"}, method="post", success=302),
    # Open-answer coding: the wave's researchers; the sector admin who follows an
    # organisation's wave sees only the protected coded frequencies.
    "surveys:coding_index": Access(kwargs=wave_a, org=True, ok=OWN),
    "surveys:codebook": Access(kwargs=comments_a, org=True, ok=OWN),
    "surveys:code_edit": Access(kwargs=code_a, org=True, ok=OWN),
    "surveys:coding_queue": Access(kwargs=comments_a, org=True, ok=OWN),
    "surveys:coding_agreement": Access(kwargs=comments_a, org=True, ok=OWN),
    "surveys:coding_resolve": Access(kwargs=comments_a, org=True, ok=OWN),
    "surveys:coding_results": Access(kwargs=comments_a, org=True, ok=OWN | {"sector_admin"}),
}
