"""Writes of the surveys app: waves, invitations, starting, saving and submitting a
response, reminders. Each service is atomic and raises a translated ``ValidationError``
when the input does not fit, leaving everything unchanged."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.mail import send_mass_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from vitaal.core.models import Organisation, Sector
from vitaal.surveys.answers import Value, clean_answer, is_shown, missing_required
from vitaal.surveys.models import (
    Answer,
    Invitation,
    Question,
    QuestionKind,
    Questionnaire,
    ResponseSource,
    ResponseStatus,
    SurveyResponse,
    UsedRight,
    Wave,
    WaveStatus,
    new_token,
    token_hash,
)


@dataclass(frozen=True)
class SubmissionRight:
    """The right to start one response in a wave, given when a personal code is spent or an
    open link is used. The browser keeps it (signed, vitaal/surveys/views/respond.py); the
    server stores nothing about it until the response is created, and then only the hash
    of ``nonce`` (``UsedRight``), so that a copied right cannot start a second response.
    It names no invitation: the nonce is fresh, never written next to one."""

    wave_id: int
    source: str
    nonce: str

    def to_dict(self) -> dict[str, Any]:
        return {"wave": self.wave_id, "source": self.source, "nonce": self.nonce}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SubmissionRight | None:
        try:
            right = cls(int(data["wave"]), str(data["source"]), str(data["nonce"]))
        except (KeyError, TypeError, ValueError):
            return None
        if right.source not in (ResponseSource.LINK, ResponseSource.OPEN_LINK) or not right.nonce:
            return None
        return right


@dataclass(frozen=True)
class Entrance:
    """What a code someone typed or followed opens: a personal invitation, a wave's open
    link, or (resume) a response they saved earlier."""

    kind: str  # "invitation", "open_link" or "resume"
    wave: Wave
    response: SurveyResponse | None = None


class CodeRefused(ValidationError):
    """A code that opens nothing. ``reason``: "invalid", "used" or "closed"."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


def _today() -> datetime.date:
    return timezone.localdate()


# --- Waves and invitations --------------------------------------------------------------


@transaction.atomic
def wave_create(
    *,
    questionnaire: Questionnaire,
    sector: Sector,
    organisation: Organisation | None = None,
    title: str,
    opens_on: datetime.date | None = None,
    closes_on: datetime.date | None = None,
) -> Wave:
    if organisation is not None and organisation.sector_id != sector.pk:
        raise ValidationError(_("The organisation is not part of this sector."))
    if opens_on and closes_on and closes_on < opens_on:
        raise ValidationError(_("The closing date lies before the opening date."))
    wave = Wave(
        questionnaire=questionnaire,
        sector=sector,
        organisation=organisation,
        title=title.strip(),
        opens_on=opens_on,
        closes_on=closes_on,
    )
    wave.full_clean()
    wave.save()
    return wave


@transaction.atomic
def wave_open(*, wave: Wave) -> Wave:
    if wave.status == WaveStatus.CLOSED:
        raise ValidationError(_("A closed wave cannot be opened again."))
    wave.status = WaveStatus.OPEN
    wave.save(update_fields=["status"])
    return wave


@transaction.atomic
def wave_close(*, wave: Wave) -> Wave:
    """Close the wave. In the same transaction every invitation, response and answer row
    of the wave is rewritten unchanged, so on PostgreSQL they all carry this transaction's
    id (``xmin``) from now on: the order in which codes were spent and answers were saved
    is no longer in the rows the results are read from. Spent rights are deleted; a
    closed wave accepts no new responses through links."""
    wave.status = WaveStatus.CLOSED
    wave.save(update_fields=["status"])
    Invitation.objects.filter(wave=wave).update(started=F("started"))
    SurveyResponse.objects.filter(wave=wave).update(status=F("status"))
    Answer.objects.filter(response__wave=wave).update(choice=F("choice"))
    UsedRight.objects.filter(wave=wave).delete()
    return wave


@transaction.atomic
def wave_open_link_create(*, wave: Wave) -> str:
    """Give the wave a (new) open link that anybody may use, as often as they like; the
    previous open link stops working. Returns the token, which is not stored."""
    token = new_token()
    wave.open_link_hash = token_hash(token)
    wave.save(update_fields=["open_link_hash"])
    return token


@transaction.atomic
def invitations_create(*, wave: Wave, emails: list[str]) -> list[tuple[Invitation, str]]:
    """One invitation per address. Returns each with its token, to put in the email; only
    the token's hash is stored, so the link cannot be sent again later."""
    if wave.status == WaveStatus.CLOSED:
        raise ValidationError(_("This wave is closed."))
    cleaned: list[str] = []
    for raw in emails:
        email = raw.strip().lower()
        if not email:
            continue
        try:
            validate_email(email)
        except ValidationError as exc:
            raise ValidationError(_("%(email)s is not an email address.") % {"email": email}) from exc
        cleaned.append(email)
    if not cleaned:
        raise ValidationError(_("Give at least one email address."))
    if len(set(cleaned)) != len(cleaned):
        raise ValidationError(_("An email address appears twice in the list."))
    known = set(wave.invitations.filter(email__in=cleaned).values_list("email", flat=True))
    if known:
        raise ValidationError(_("Already invited: %(emails)s.") % {"emails": ", ".join(sorted(known))})
    pairs = [
        (Invitation(wave=wave, email=email, token_hash=token_hash(token)), token)
        for email in cleaned
        for token in [new_token()]
    ]
    Invitation.objects.bulk_create([invitation for invitation, _token in pairs])
    return pairs


def reminders_send(*, wave: Wave, subject: str, body: str, from_email: str | None = None) -> int:
    """Email everyone invited who has not opened their personal code yet. Reads only the
    invitations' own ``started`` flag, never a response. (Someone who started and stopped
    gets no reminder: telling them apart would need a link between invitation and
    response. They go on with the code they got when saving.) Returns the number sent."""
    if wave.status != WaveStatus.OPEN:
        raise ValidationError(_("Reminders can only be sent while the wave is open."))
    with transaction.atomic():
        pending = list(Invitation.objects.select_for_update().filter(wave=wave, started=False))
        for invitation in pending:
            invitation.reminders_sent += 1
        Invitation.objects.bulk_update(pending, ["reminders_sent"])
        messages = [(subject, body, from_email, [invitation.email]) for invitation in pending]
        transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=False))
    return len(pending)


# --- Responses ------------------------------------------------------------------------


def _check_open(wave: Wave) -> None:
    today = _today()
    if wave.status != WaveStatus.OPEN or (wave.opens_on and today < wave.opens_on):
        raise ValidationError(_("This survey is not open."))
    if wave.closes_on and today > wave.closes_on:
        raise ValidationError(_("This survey is closed."))


def _check_accepting(response: SurveyResponse) -> None:
    """Respondents cannot change or send answers once the wave is closed (researchers can
    still enter interviews and import files, which have checks of their own)."""
    if (
        response.source in (ResponseSource.LINK, ResponseSource.OPEN_LINK)
        and response.wave.status == WaveStatus.CLOSED
    ):
        raise ValidationError(_("This survey is closed."))


def _new_response(wave: Wave, source: str) -> tuple[SurveyResponse, str]:
    resume = new_token()
    response = SurveyResponse.objects.create(
        wave=wave, resume_key_hash=token_hash(resume), source=source, started_on=_today()
    )
    return response, resume


def _not_valid() -> CodeRefused:
    return CodeRefused(_("This link is not valid. Check that you copied the whole link."), "invalid")


def _used() -> CodeRefused:
    return CodeRefused(
        _("This link has already been used. Continue with the code you got when you saved your answers."),
        "used",
    )


def _refuse_unless_open(wave: Wave) -> None:
    try:
        _check_open(wave)
    except ValidationError as exc:
        raise CodeRefused(" ".join(exc.messages), "closed") from exc


def entrance_for_code(*, code: str) -> Entrance:
    """What ``code`` opens, without changing anything (the welcome page must not use a
    personal code up: mail scanners and link previews open links too)."""
    if not code:
        raise _not_valid()
    hashed = token_hash(code)
    invitation = Invitation.objects.select_related("wave__questionnaire").filter(token_hash=hashed).first()
    if invitation is not None:
        if invitation.started:
            raise _used()
        _refuse_unless_open(invitation.wave)
        return Entrance("invitation", invitation.wave)
    wave = Wave.objects.select_related("questionnaire").filter(open_link_hash=hashed).first()
    if wave is not None:
        _refuse_unless_open(wave)
        return Entrance("open_link", wave)
    response = response_for_key(code)
    if response is not None:
        return Entrance("resume", response.wave, response)
    raise _not_valid()


@transaction.atomic
def invitation_spend(*, token: str) -> SubmissionRight:
    """Use a personal code up: it works once. This transaction writes the invitation and
    nothing else; the response is created later, by ``response_begin`` in a request and a
    transaction of its own, so no transaction id, commit or row order ties the two."""
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("wave")
        .filter(token_hash=token_hash(token))
        .first()
        if token
        else None
    )
    if invitation is None:
        raise _not_valid()
    if invitation.started:
        raise _used()
    _refuse_unless_open(invitation.wave)
    invitation.started = True
    invitation.save(update_fields=["started"])
    return SubmissionRight(invitation.wave_id, ResponseSource.LINK, new_token())


def open_link_right(*, token: str) -> SubmissionRight:
    """Use a wave's open link: every use gives a new right. Nothing is written."""
    wave = Wave.objects.filter(open_link_hash=token_hash(token)).first() if token else None
    if wave is None:
        raise _not_valid()
    _refuse_unless_open(wave)
    return SubmissionRight(wave.pk, ResponseSource.OPEN_LINK, new_token())


@transaction.atomic
def response_begin(
    *,
    right: SubmissionRight,
    raw: Mapping[str, Any],
    other: Mapping[str, str] | None = None,
    page: int | None = None,
) -> tuple[SurveyResponse, str]:
    """Create the response when its first page is saved, spending ``right``. Returns the
    response and its resume key (the only copy; the server keeps its hash).

    All or nothing: a refused answer rolls back the response and the spent right, so the
    respondent still holds an unspent right and can correct and send the page again. Had
    the invitation been spent in this transaction instead, its row and the response's
    would carry the same transaction id (PostgreSQL ``xmin``)."""
    wave = Wave.objects.select_related("questionnaire").filter(pk=right.wave_id).first()
    if wave is None:
        raise _not_valid()
    _check_open(wave)
    nonce_hash = token_hash(right.nonce)
    if UsedRight.objects.filter(nonce_hash=nonce_hash).exists():
        raise ValidationError(_("These answers have already been sent."))
    # A second request racing with the same right fails on the primary key and rolls back.
    UsedRight.objects.create(nonce_hash=nonce_hash, wave=wave)
    response, resume = _new_response(wave, right.source)
    response_save(response=response, raw=raw, other=other, page=page)
    return response, resume


def response_for_key(resume: str) -> SurveyResponse | None:
    return (
        SurveyResponse.objects.select_related("wave__questionnaire")
        .filter(resume_key_hash=token_hash(resume))
        .first()
        if resume
        else None
    )


def response_values(response: SurveyResponse) -> dict[str, Value]:
    """The stored answers as clean values by question code."""
    values: dict[str, Value] = {}
    for answer in response.answers.select_related("question", "statement"):
        value = values.setdefault(answer.question.code, Value())
        if answer.statement is not None:
            value.statements[answer.statement.code] = answer.choice
        else:
            value.choice, value.choices, value.number, value.text = (
                answer.choice,
                list(answer.choices),
                answer.number,
                answer.text,
            )
    return values


def questions_of(questionnaire: Questionnaire) -> list[Question]:
    return list(questionnaire.questions.prefetch_related("options", "statements").order_by("position"))


@transaction.atomic
def response_save(
    *,
    response: SurveyResponse,
    raw: Mapping[str, Any],
    other: Mapping[str, str] | None = None,
    page: int | None = None,
) -> dict[str, Value]:
    """Check and store the answers given on one page (``page=None``: all questions).

    Every answer is checked first; one bad answer stores nothing and the errors come back
    in one ``ValidationError`` keyed by question code. Answers to questions that skip
    logic now hides are removed, so they never reach the analysis."""
    response = SurveyResponse.objects.select_for_update().select_related("wave").get(pk=response.pk)
    if response.status == ResponseStatus.COMPLETE:
        raise ValidationError(_("These answers have already been sent."))
    _check_accepting(response)
    questions = questions_of(response.wave.questionnaire)
    codes = {q.pk: q.code for q in questions}
    values = response_values(response)
    errors: dict[str, list[str]] = {}
    on_page = [q for q in questions if page is None or q.page == page]
    for question in on_page:
        if question.code not in raw and question.kind != QuestionKind.MULTIPLE:
            continue
        try:
            values[question.code] = clean_answer(
                question, raw.get(question.code), (other or {}).get(question.code, "")
            )
        except ValidationError as exc:
            errors[question.code] = list(exc.messages)
    if errors:
        raise ValidationError(errors)
    shown = {q.code for q in questions if is_shown(q, values, codes)}
    Answer.objects.filter(response=response).delete()
    Answer.objects.bulk_create(_answer_rows(response, questions, values, shown))
    if page is not None:
        response.current_page = page
        response.save(update_fields=["current_page"])
    return {code: value for code, value in values.items() if code in shown}


def _answer_rows(
    response: SurveyResponse, questions: list[Question], values: Mapping[str, Value], shown: set[str]
) -> list[Answer]:
    rows: list[Answer] = []
    for question in questions:
        value = values.get(question.code)
        if value is None or value.empty or question.code not in shown:
            continue
        if question.kind == QuestionKind.MATRIX:
            statements = {s.code: s for s in question.statements.all()}
            rows.extend(
                Answer(response=response, question=question, statement=statements[code], choice=choice)
                for code, choice in value.statements.items()
            )
        else:
            rows.append(
                Answer(
                    response=response,
                    question=question,
                    choice=value.choice,
                    choices=value.choices,
                    number=value.number,
                    text=value.text,
                )
            )
    return rows


@transaction.atomic
def response_submit(*, response: SurveyResponse) -> SurveyResponse:
    """Send the answers in. Every shown required question must be answered. Nothing is
    written on any invitation: the personal code was spent when it was opened, in a
    transaction of its own."""
    response = (
        SurveyResponse.objects.select_for_update().select_related("wave__questionnaire").get(pk=response.pk)
    )
    if response.status == ResponseStatus.COMPLETE:
        raise ValidationError(_("These answers have already been sent."))
    _check_accepting(response)
    questions = questions_of(response.wave.questionnaire)
    missing = missing_required(questions, response_values(response))
    if missing:
        raise ValidationError(
            {q.code: [_("This question needs an answer.")] for q in missing},
        )
    response.status = ResponseStatus.COMPLETE
    response.submitted_on = _today()
    response.save(update_fields=["status", "submitted_on"])
    return response


@transaction.atomic
def interview_create(
    *, wave: Wave, raw: Mapping[str, Any], other: Mapping[str, str] | None = None
) -> SurveyResponse:
    """A researcher enters the answers of one interview (HR or works council) at once."""
    if wave.status == WaveStatus.CLOSED:
        raise ValidationError(_("This wave is closed."))
    response, _resume = _new_response(wave, ResponseSource.INTERVIEW)
    response_save(response=response, raw=raw, other=other)
    return response_submit(response=response)


# --- Population figures ------------------------------------------------------------------


@transaction.atomic
def wave_population_set(*, wave: Wave, shares: Mapping[str, Mapping[str, float]]) -> Wave:
    """Store population figures (percentages or counts per answer) of background
    questions. A question left out, or with all zeros, is not used for weighting."""
    questions = {
        q.code: q for q in questions_of(wave.questionnaire) if q.background and q.kind == QuestionKind.SINGLE
    }
    cleaned: dict[str, dict[str, float]] = {}
    for code, by_value in shares.items():
        question = questions.get(code)
        if question is None:
            raise ValidationError(
                _("%(code)s is not a background question of this questionnaire.") % {"code": code}
            )
        allowed = {o.value for o in question.options.all()}
        if set(by_value) - allowed:
            raise ValidationError(_("%(code)s has no such answer.") % {"code": code})
        values = {key: float(value) for key, value in by_value.items()}
        if any(value < 0 or value != value for value in values.values()):
            raise ValidationError(_("Population figures cannot be negative."))
        if sum(values.values()) > 0:
            cleaned[code] = {
                value: values.get(value, 0.0) for value in [o.value for o in question.options.all()]
            }
    wave.population = cleaned
    wave.save(update_fields=["population"])
    return wave
