"""Writes for meter sessions: plan a session, add participants, record ratings, close.

Every service is keyword-only, validates with ``full_clean()`` and runs in one
transaction; bad input raises ``ValidationError`` with a translatable message and changes
nothing. Permission checks belong to the caller (views ask ``igm.change_metersession`` or
``igm.rate_metersession`` first)."""

from __future__ import annotations

from datetime import date as date_type
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vitaal.core.access import get_actor
from vitaal.core.models import Organisation, Unit, User
from vitaal.igm.models import (
    Answer,
    GroupRating,
    IndividualRating,
    Instrument,
    Item,
    MeterSession,
    SessionEvidence,
    SessionParticipant,
    SessionPurpose,
    SessionStatus,
)
from vitaal.igm.models.evidence import check_upload

RatingValue = int | str  # a level, or Answer.NOT_APPLICABLE / Answer.DONT_KNOW


def _answer_fields(value: RatingValue) -> dict[str, Any]:
    if isinstance(value, bool):
        raise ValidationError({"level": _("Choose a level, or 'not applicable' or 'don't know'.")})
    if isinstance(value, int):
        return {"answer": Answer.LEVEL, "level": value}
    if value in (Answer.NOT_APPLICABLE, Answer.DONT_KNOW):
        return {"answer": value, "level": None}
    raise ValidationError({"answer": _("Choose a level, or 'not applicable' or 'don't know'.")})


def _lock_open_session(session: MeterSession) -> MeterSession:
    """Re-read the session under a row lock so a concurrent close cannot slip between
    the check and the write."""
    locked = MeterSession.objects.select_for_update().select_related("instrument__scale").get(pk=session.pk)
    if locked.is_closed:
        raise ValidationError(_("This meter session is closed; its ratings can no longer be changed."))
    return locked


@transaction.atomic
def meter_session_create(
    *,
    organisation: Organisation,
    instrument: Instrument,
    mode: str,
    date: date_type,
    unit: Unit | None = None,
    purpose: str = SessionPurpose.BASELINE,
    cycle_number: int | None = None,
    title: str = "",
    created_by: User | None = None,
) -> MeterSession:
    session = MeterSession(
        organisation=organisation,
        unit=unit,
        instrument=instrument,
        mode=mode,
        date=date,
        purpose=purpose,
        cycle_number=cycle_number,
        title=title,
        created_by=created_by,
    )
    session.full_clean()
    session.save()
    return session


@transaction.atomic
def meter_session_close(*, session: MeterSession) -> MeterSession:
    """Close a session: its ratings are final from now on."""
    session = _lock_open_session(session)
    session.status = SessionStatus.CLOSED
    session.closed_at = timezone.now()
    session.full_clean()
    session.save(update_fields=["status", "closed_at"])
    return session


@transaction.atomic
def session_participant_add(*, session: MeterSession, user: User) -> SessionParticipant:
    session = _lock_open_session(session)
    if not get_actor(user).touches_organisation(session.organisation):
        raise ValidationError({"user": _("This person does not belong to the organisation of the session.")})
    participant = SessionParticipant(session=session, user=user)
    participant.full_clean()
    participant.save()
    return participant


@transaction.atomic
def group_rating_set(*, session: MeterSession, item: Item, value: RatingValue, note: str = "") -> GroupRating:
    """Record (or replace) the group's agreed rating of one item."""
    session = _lock_open_session(session)
    rating = GroupRating.objects.filter(session=session, item=item).first() or GroupRating(
        session=session, item=item
    )
    for field, v in _answer_fields(value).items():
        setattr(rating, field, v)
    rating.note = note
    rating.full_clean()
    rating.save()
    return rating


@transaction.atomic
def individual_rating_set(
    *, session: MeterSession, item: Item, rater: User, value: RatingValue
) -> IndividualRating:
    """Record (or replace) the rater's own rating of one item."""
    session = _lock_open_session(session)
    participant = SessionParticipant.objects.filter(session=session, user=rater).first()
    if participant is None:
        raise ValidationError(_("Only participants of this meter session can rate in it."))
    rating = IndividualRating.objects.filter(participant=participant, item=item).first() or IndividualRating(
        session=session, participant=participant, item=item
    )
    for field, v in _answer_fields(value).items():
        setattr(rating, field, v)
    rating.full_clean()
    rating.save()
    return rating


@transaction.atomic
def group_ratings_set_many(
    *, session: MeterSession, entries: list[tuple[Item, RatingValue | None, str]]
) -> int:
    """Record the group's ratings of several items (one line's form) at once: all of them,
    or, when one is refused, none. ``None`` as value clears an item's rating."""
    session = _lock_open_session(session)
    count = 0
    for item, value, note in entries:
        if value is None:
            GroupRating.objects.filter(session=session, item=item).delete()
            continue
        group_rating_set(session=session, item=item, value=value, note=note)
        count += 1
    return count


@transaction.atomic
def individual_ratings_set_many(
    *, session: MeterSession, rater: User, entries: list[tuple[Item, RatingValue | None]]
) -> int:
    """Record the rater's own ratings of several items at once (all or none)."""
    session = _lock_open_session(session)
    count = 0
    for item, value in entries:
        if value is None:
            IndividualRating.objects.filter(session=session, participant__user=rater, item=item).delete()
            continue
        individual_rating_set(session=session, item=item, rater=rater, value=value)
        count += 1
    return count


@transaction.atomic
def session_evidence_add(
    *,
    session: MeterSession,
    kind: str,
    summary: str,
    upload: Any = None,
    added_by: User | None = None,
) -> SessionEvidence:
    """Attach evidence to a session: a summary and, optionally, a checked file."""
    session = MeterSession.objects.select_for_update().get(pk=session.pk)
    evidence = SessionEvidence(session=session, kind=kind, summary=summary.strip(), added_by=added_by)
    if upload is not None:
        evidence.original_name, evidence.content_type = check_upload(upload)
        evidence.size = upload.size
    evidence.full_clean(exclude=["file"])
    if upload is not None:
        evidence.file.save(evidence.original_name, upload, save=False)
    evidence.save()
    return evidence


def session_evidence_remove(*, evidence: SessionEvidence) -> None:
    """Remove evidence and its stored file (the file only once the row is gone)."""
    file = evidence.file
    with transaction.atomic():
        evidence.delete()
    if file:
        file.delete(save=False)
