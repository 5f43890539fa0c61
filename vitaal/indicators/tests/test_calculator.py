"""The business-case calculator against a case computed by hand (figures in the
docstrings, so a reader can redo them)."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from vitaal.indicators.calculator import Inputs, calculate, npv, payback_years, realised

CASE = Inputs(
    staff=200,
    fte=D(160),
    absence_pct=D(6),
    absence_frequency=D("1.2"),
    cost_per_absence_day=D(300),
    working_days_per_fte=D(220),
    turnover_pct=D(10),
    replacement_cost=D(20000),
    salary_cost_per_fte=D(60000),
    absence_effect_pct=D(10),
    turnover_effect_pct=D(20),
    productivity_gain_pct=D("0.5"),
    one_off_hours=D(400),
    one_off_external=D(20000),
    yearly_hours=D(200),
    yearly_external=D(10000),
    hourly_rate=D(75),
    years=3,
    discount_rate_pct=D(5),
)


def test_expected_benefit_by_hand() -> None:
    """160 FTE x 220 days x 6 % = 2,112 absence days; x EUR 300 = 633,600; a tenth of it
    is 63,360. Turnover 200 x 10 % x 20,000 = 400,000; a fifth is 80,000. Productivity
    160 x 60,000 x 0.5 % = 48,000. Together 191,360 a year."""
    out = calculate(CASE)
    assert out.absence_days == D("2112.0")
    assert out.absence_cost == D("633600.00")
    assert out.benefit_absence == D("63360.00")
    assert out.benefit_turnover == D("80000.00")
    assert out.benefit_productivity == D("48000.00")
    assert out.yearly_benefit == D("191360.00")


def test_costs_roi_payback_npv_by_hand() -> None:
    """One-off 400 h x 75 + 20,000 = 50,000; yearly 200 h x 75 + 10,000 = 25,000.
    Net per year 166,360. Over 3 years: benefit 574,080, cost 125,000, net 449,080,
    ROI 449,080 / 125,000 = 359.26 %. Payback 50,000 / 166,360 = 0.30 year.
    NPV at 5 %: -50,000 + 166,360 x (1/1.05 + 1/1.05^2 + 1/1.05^3)
    = -50,000 + 166,360 x 2.7232480 = 403,039.54."""
    out = calculate(CASE)
    assert out.one_off_cost == D("50000.00")
    assert out.yearly_cost == D("25000.00")
    assert out.net_yearly_benefit == D("166360.00")
    assert out.total_cost == D("125000.00")
    assert out.net_benefit == D("449080.00")
    assert out.roi_pct == D("359.26")
    assert out.payback_years == D("0.30")
    assert out.npv == D("403039.54")


def test_sensitivity_half_and_double() -> None:
    """Half the effect: 95,680 a year, net 70,680, over 3 years 287,040 - 125,000 =
    162,040, ROI 129.63 %, payback 50,000 / 70,680 = 0.71. Double: 382,720 a year, net
    1,148,160 - 125,000 = 1,023,160, ROI 818.53 %, payback 0.14."""
    rows = {row.factor: row for row in calculate(CASE).sensitivity}
    half, double = rows[D("0.5")], rows[D(2)]
    assert half.yearly_benefit == D("95680.00")
    assert half.net_benefit == D("162040.00")
    assert half.roi_pct == D("129.63")
    assert half.payback_years == D("0.71")
    assert double.yearly_benefit == D("382720.00")
    assert double.net_benefit == D("1023160.00")
    assert double.roi_pct == D("818.53")
    assert double.payback_years == D("0.14")
    assert rows[D(1)].npv == calculate(CASE).npv


def test_never_paying_back_and_no_investment() -> None:
    assert payback_years(D(1000), D(-5)) is None
    assert payback_years(D(1000), D(0)) is None
    assert payback_years(D(0), D(10)) == D(0)
    assert npv(D(100), D(0), 3, D(5)) == D(-100)


def test_realised_view_makes_a_one_year_payback_computable() -> None:
    """Absence fell from 6.0 % to 5.2 %: 160 x 220 x 0.8 % = 281.6 days saved, x 300 =
    84,480 a year; net of the yearly 25,000 that is 59,480; 50,000 / 59,480 = 0.84 year,
    so it paid back within a year."""
    r = realised(CASE, D("6.0"), D("5.2"))
    assert r.days_saved == D("281.6")
    assert r.yearly_benefit == D("84480.00")
    assert r.net_yearly_benefit == D("59480.00")
    assert r.payback_years == D("0.84")
    assert r.paid_back_within_a_year


def test_bad_inputs_are_refused_per_field() -> None:
    from dataclasses import replace

    with pytest.raises(ValidationError) as exc:
        calculate(replace(CASE, one_off_external=D(-1), absence_pct=D(120), years=0))
    assert set(exc.value.message_dict) == {"one_off_external", "absence_pct", "years"}


def test_inputs_round_trip_through_json() -> None:
    assert Inputs.from_json(CASE.as_json()) == CASE
