"""Meter sessions and ratings: good input is stored, bad input gets a clear message and
changes nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from vitaal.igm.models import Answer, GroupRating, IndividualRating, MeterMode, SessionStatus
from vitaal.igm.selectors import session_results
from vitaal.igm.services import (
    development_line_delete,
    development_line_update,
    framework_load,
    group_rating_set,
    individual_rating_set,
    item_delete,
    meter_session_close,
    session_participant_add,
)

from .conftest import items_by_code, new_session, small_data


def test_group_session_scores_against_hand_computed_numbers(cast, small):
    session = new_session(cast, small)
    items = items_by_code(small)
    # a: a1 = 4 (w3), a2 = 2 (w2), a3 = N/A -> 16/5 = 3.2; b: b1 = 3, b2 = don't know -> 3.0
    for code, value in (
        ("a1", 4),
        ("a2", 2),
        ("a3", Answer.NOT_APPLICABLE),
        ("b1", 3),
        ("b2", Answer.DONT_KNOW),
    ):
        group_rating_set(session=session, item=items[code], value=value, note="besproken")
    results = session_results(session=session, user=cast.user("coordinator"))
    a, b, c = results.line_scores
    assert a.score == pytest.approx(3.2) and a.answered == 2 and a.items == 3
    assert b.score == pytest.approx(3.0) and b.score_100 == pytest.approx(200 / 3)
    assert c.score is None and c.answered == 0
    assert results.group_ratings[items["a1"].pk].note == "besproken"


def test_a_rating_can_be_replaced_while_the_session_is_open(cast, small):
    session = new_session(cast, small)
    item = items_by_code(small)["a1"]
    group_rating_set(session=session, item=item, value=2)
    group_rating_set(session=session, item=item, value=Answer.DONT_KNOW)
    rating = GroupRating.objects.get(session=session, item=item)
    assert (rating.answer, rating.level) == ("dk", None)


@pytest.mark.parametrize("value", [0, 5, True, "maybe"])
def test_out_of_range_ratings_are_refused(cast, small, value):
    session = new_session(cast, small)
    with pytest.raises(ValidationError) as exc:
        group_rating_set(session=session, item=items_by_code(small)["a1"], value=value)
    assert exc.value.messages
    assert not GroupRating.objects.exists()


def test_an_item_of_another_instrument_is_refused(cast, small, igm_default):
    session = new_session(cast, small)
    with pytest.raises(ValidationError, match="another instrument"):
        group_rating_set(session=session, item=igm_default.items.first(), value=2)
    assert not GroupRating.objects.exists()


def test_modes_do_not_mix(cast, small):
    item = items_by_code(small)["a1"]
    group = new_session(cast, small, MeterMode.GROUP)
    session_participant_add(session=group, user=cast.user("employee"))
    with pytest.raises(ValidationError, match="filled in as a group"):
        individual_rating_set(session=group, item=item, rater=cast.user("employee"), value=3)
    individual = new_session(cast, small, MeterMode.INDIVIDUAL)
    with pytest.raises(ValidationError, match="filled in individually"):
        group_rating_set(session=individual, item=item, value=3)
    assert not GroupRating.objects.exists() and not IndividualRating.objects.exists()


def test_only_participants_rate_individually(cast, small):
    session = new_session(cast, small, MeterMode.INDIVIDUAL)
    with pytest.raises(ValidationError, match="Only participants"):
        individual_rating_set(
            session=session, item=items_by_code(small)["a1"], rater=cast.user("employee"), value=3
        )


def test_outsiders_cannot_join_a_session(cast, small):
    session = new_session(cast, small, MeterMode.INDIVIDUAL)
    with pytest.raises(ValidationError):
        session_participant_add(session=session, user=cast.user("employee_b"))


def test_a_closed_session_cannot_be_edited(cast, small):
    session = new_session(cast, small)
    item = items_by_code(small)["a1"]
    group_rating_set(session=session, item=item, value=2)
    session = meter_session_close(session=session)
    assert session.status == SessionStatus.CLOSED and session.closed_at
    with pytest.raises(ValidationError, match="closed"):
        group_rating_set(session=session, item=item, value=4)
    assert GroupRating.objects.get(session=session, item=item).level == 2
    with pytest.raises(ValidationError, match="closed"):
        meter_session_close(session=session)


def test_a_session_needs_a_published_instrument_and_a_unit_of_its_own_organisation(cast, small):
    with pytest.raises(ValidationError) as exc:
        new_session(cast, small, unit=cast.b.team1)
    assert "unit" in exc.value.message_dict
    draft = small_data()
    draft["framework"]["code"] = "draft"
    draft["framework"]["published"] = False
    draft["instruments"][0]["published"] = False
    assert framework_load(data=draft).ok
    from vitaal.igm.models import Instrument

    with pytest.raises(ValidationError) as exc:
        new_session(cast, Instrument.objects.get(framework__code="draft"), date=date(2025, 1, 1))
    assert "instrument" in exc.value.message_dict


def test_lines_and_items_in_use_cannot_be_removed(cast, small):
    session = new_session(cast, small)
    item = items_by_code(small)["a1"]
    group_rating_set(session=session, item=item, value=2)
    with pytest.raises(ValidationError, match="published"):
        item_delete(item=item)
    with pytest.raises(ValidationError, match="published"):
        development_line_delete(line=item.line)
    with pytest.raises(ValidationError, match="published"):
        development_line_update(line=item.line, scope_en="changed")
    item.line.refresh_from_db()
    assert item.line.scope_en == "s"


def test_draft_lines_used_by_items_are_protected(db):
    draft = small_data()
    draft["framework"]["published"] = False
    draft["instruments"][0]["published"] = False
    assert framework_load(data=draft).ok
    from vitaal.igm.models import DevelopmentLine, Item

    line = DevelopmentLine.objects.get(code="a")
    with pytest.raises(ValidationError, match="instrument items use it"):
        development_line_delete(line=line)
    assert DevelopmentLine.objects.filter(code="a").exists()
    development_line_update(line=line, scope_en="Clearer scope")
    item_delete(item=Item.objects.get(code="a3"))
    assert not Item.objects.filter(code="a3").exists()


def test_published_lines_cannot_be_edited_through_the_model_either(small):
    from vitaal.igm.models import DevelopmentLine

    line = DevelopmentLine.objects.get(code="a")
    line.scope_nl = "anders"
    with pytest.raises(ValidationError) as exc:
        line.full_clean()
    assert "scope_nl" in exc.value.message_dict
