"""Periods per frequency and the traffic-light rule."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from vitaal.indicators.periods import check_period, parse_period, period_label
from vitaal.indicators.traffic import Light, light


@pytest.mark.parametrize(
    ("frequency", "text", "start"),
    [
        ("monthly", "2025-03", date(2025, 3, 1)),
        ("quarterly", "2025-Q2", date(2025, 4, 1)),
        ("quarterly", "2025q4", date(2025, 10, 1)),
        ("yearly", "2025", date(2025, 1, 1)),
        ("quarterly", "2025-07-01", date(2025, 7, 1)),
    ],
)
def test_periods_people_write(frequency: str, text: str, start: date) -> None:
    assert parse_period(frequency, text) == start
    assert parse_period(frequency, period_label(frequency, start)) == start


@pytest.mark.parametrize(
    ("frequency", "text"),
    [
        ("quarterly", "2025-03"),  # a month for a quarterly indicator
        ("monthly", "2025"),
        ("yearly", "2025-Q1"),
        ("quarterly", "2025-05-01"),  # not the start of a quarter
        ("monthly", "2025-13"),
        ("monthly", "march"),
    ],
)
def test_periods_that_do_not_match_are_refused(frequency: str, text: str) -> None:
    with pytest.raises(ValidationError):
        parse_period(frequency, text)


def test_check_period() -> None:
    check_period("yearly", date(2024, 1, 1))
    with pytest.raises(ValidationError):
        check_period("yearly", date(2024, 2, 1))


@pytest.mark.parametrize(
    ("direction", "value", "target", "margin", "expected"),
    [
        ("lower", D("4.0"), D("4.5"), D("0.5"), Light.ON_TRACK),
        ("lower", D("4.5"), D("4.5"), D("0.5"), Light.ON_TRACK),
        ("lower", D("4.9"), D("4.5"), D("0.5"), Light.AT_RISK),
        ("lower", D("5.0"), D("4.5"), D("0.5"), Light.AT_RISK),
        ("lower", D("5.1"), D("4.5"), D("0.5"), Light.OFF_TRACK),
        ("higher", D(8), D(7), D(1), Light.ON_TRACK),
        ("higher", D("6.5"), D(7), D(1), Light.AT_RISK),
        ("higher", D("5.9"), D(7), D(1), Light.OFF_TRACK),
        ("higher", D("6.9"), D(7), D(0), Light.OFF_TRACK),
        ("higher", None, D(7), D(1), Light.UNKNOWN),
        ("higher", D(7), None, None, Light.UNKNOWN),
    ],
)
def test_traffic_light_rule(direction, value, target, margin, expected) -> None:
    assert light(direction, value, target, margin) == expected
