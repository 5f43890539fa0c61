"""Measurements by hand, corrections with history, the atomic import, norms and the
library loader."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from vitaal.indicators.library import load_library
from vitaal.indicators.models import Indicator, Measurement, Norm
from vitaal.indicators.services import correct_measurement, import_measurements, record_measurement, set_norm

pytestmark = pytest.mark.django_db


@pytest.fixture
def absence(library):
    return Indicator.objects.get(code="absence-pct")


@pytest.fixture
def survey(library):
    return Indicator.objects.get(code="survey-grade")


def _unit(cast):
    return cast.a.team1 if hasattr(cast.a, "team1") else cast.a.organisation.units.first()


def test_library_loads_once(library) -> None:
    assert Indicator.objects.count() == 15
    assert load_library() == (0, 0)


def test_record_and_correct_keeps_history(cast, absence) -> None:
    org, user = cast.a.organisation, cast.user("hr")
    m = record_measurement(
        organisation=org,
        unit=None,
        indicator=absence,
        period_start=date(2025, 1, 1),
        value=D("5.1"),
        user=user,
        group_size=120,
    )
    with pytest.raises(ValidationError, match="already a value"):
        record_measurement(
            organisation=org,
            unit=None,
            indicator=absence,
            period_start=date(2025, 1, 1),
            value=D(5),
            user=user,
            group_size=120,
        )
    with pytest.raises(ValidationError):
        correct_measurement(measurement=m, value=D("4.9"), reason="  ", user=user)
    new = correct_measurement(measurement=m, value=D("4.9"), reason="HR system export was late", user=user)
    assert list(Measurement.objects.current().values_list("value", flat=True)) == [D("4.9")]
    assert Measurement.objects.count() == 2
    m.refresh_from_db()
    assert not m.is_current and m.replaced_by == new and new.replaces == m
    with pytest.raises(ValidationError, match="already been corrected"):
        correct_measurement(measurement=m, value=D(4), reason="again", user=user)


@pytest.mark.parametrize(
    ("period", "value", "group_size", "message"),
    [
        (date(2025, 1, 15), D(5), 100, "does not start"),
        (date(2025, 1, 1), D(101), 100, "above the highest"),
        (date(2025, 1, 1), D(-1), 100, "below the lowest"),
        (date(2025, 1, 1), D(5), None, "number of people"),
    ],
)
def test_bad_measurements_store_nothing(cast, absence, period, value, group_size, message) -> None:
    with pytest.raises(ValidationError, match=message):
        record_measurement(
            organisation=cast.a.organisation,
            unit=None,
            indicator=absence,
            period_start=period,
            value=value,
            user=cast.user("hr"),
            group_size=group_size,
        )
    assert not Measurement.objects.exists()


def test_unit_of_another_organisation_is_refused(cast, absence) -> None:
    other_unit = cast.b.organisation.units.first()
    with pytest.raises(ValidationError, match="another organisation"):
        record_measurement(
            organisation=cast.a.organisation,
            unit=other_unit,
            indicator=absence,
            period_start=date(2025, 1, 1),
            value=D(5),
            user=cast.user("hr"),
            group_size=10,
        )


CSV_OK = (
    b"indicator;unit;period;value;group_size\n"
    b"absence-pct;;2025-01;5,2;150\n"
    b"absence-pct;;2025-02;4.8;150\n"
    b"errors-complaints;;2025-Q1;12;\n"
)


def test_import_is_atomic_and_idempotent(cast, library) -> None:
    org, user = cast.a.organisation, cast.user("hr")
    result = import_measurements(organisation=org, filename="m.csv", content=CSV_OK, user=user)
    assert result.ok and result.created == 3
    again = import_measurements(organisation=org, filename="m.csv", content=CSV_OK, user=user)
    assert again.ok and again.created == 0 and again.unchanged == 3
    assert Measurement.objects.count() == 3
    changed = CSV_OK.replace(b"5,2", b"5,9")
    clash = import_measurements(organisation=org, filename="m.csv", content=changed, user=user)
    assert not clash.ok and clash.errors[0].row == 2 and "correct it on the page" in clash.errors[0].message
    assert Measurement.objects.count() == 3


def test_import_row_errors_store_nothing(cast, library) -> None:
    bad = (
        b"indicator,unit,period,value,group_size\n"
        b"absence-pct,,2025-01,5.2,150\n"
        b"nonsense,,2025-01,1,\n"
        b"absence-pct,,2025-Q1,5,150\n"
        b"absence-pct,,2025-03,lots,150\n"
        b"absence-pct,,2025-01,5.0,150\n"
    )
    result = import_measurements(organisation=cast.a.organisation, filename="m.csv", content=bad, user=None)
    assert [e.row for e in result.errors] == [3, 4, 5, 6]
    assert "Unknown indicator" in result.errors[0].message
    assert "quarterly period" in result.errors[1].message
    assert "not a number" in result.errors[2].message
    assert "twice" in result.errors[3].message
    assert not Measurement.objects.exists()


def test_import_refuses_unknown_columns(cast, library) -> None:
    result = import_measurements(
        organisation=cast.a.organisation,
        filename="m.csv",
        content=b"indicator,period,value,bsn\nx,2025,1,1\n",
        user=None,
    )
    assert not result.ok and "unknown columns: bsn" in result.errors[0].message


def test_norm_in_the_wrong_direction_is_refused(cast, absence, survey) -> None:
    org, user = cast.a.organisation, cast.user("management")
    record_measurement(
        organisation=org,
        unit=None,
        indicator=absence,
        period_start=date(2025, 1, 1),
        value=D("5.0"),
        user=user,
        group_size=100,
    )
    with pytest.raises(ValidationError, match="cannot be above"):
        set_norm(
            organisation=org,
            unit=None,
            indicator=absence,
            period_start=date(2025, 6, 1),
            target=D("5.5"),
            margin=D("0.5"),
            user=user,
        )
    with pytest.raises(ValidationError, match="negative"):
        set_norm(
            organisation=org,
            unit=None,
            indicator=absence,
            period_start=date(2025, 6, 1),
            target=D("4.5"),
            margin=D(-1),
            user=user,
        )
    assert not Norm.objects.exists()
    norm = set_norm(
        organisation=org,
        unit=None,
        indicator=absence,
        period_start=date(2025, 6, 1),
        target=D("4.5"),
        margin=D("0.5"),
        user=user,
    )
    assert norm.target == D("4.5")
