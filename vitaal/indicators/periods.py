"""Periods follow the indicator's frequency: a monthly indicator is measured per calendar
month (period = its first day), a quarterly one per calendar quarter, a yearly one per
calendar year."""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from vitaal.indicators.models.library import Frequency

_QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_YEAR = re.compile(r"^(\d{4})$")


def check_period(frequency: str, start: date) -> None:
    """Refuse a period start that does not begin a period of this frequency."""
    ok = start.day == 1 and (
        frequency == Frequency.MONTHLY
        or (frequency == Frequency.QUARTERLY and start.month in (1, 4, 7, 10))
        or (frequency == Frequency.YEARLY and start.month == 1)
    )
    if not ok:
        raise ValidationError(
            _("%(date)s does not start a %(frequency)s period.")
            % {"date": start.isoformat(), "frequency": Frequency(frequency).label}
        )


def parse_period(frequency: str, text: str) -> date:
    """Read a period as people write it: 2025-03 (month), 2025-Q2 (quarter), 2025 (year), or
    the first day as a date. Refuses a period that does not match the frequency."""
    text = text.strip()
    start: date | None = None
    written: str
    if m := _QUARTER.match(text):
        start = date(int(m[1]), 3 * int(m[2]) - 2, 1)
        written = Frequency.QUARTERLY
    elif m := _MONTH.match(text):
        if not 1 <= int(m[2]) <= 12:
            raise ValidationError(_("%(text)s is not a month.") % {"text": text})
        start = date(int(m[1]), int(m[2]), 1)
        written = Frequency.MONTHLY
    elif m := _YEAR.match(text):
        start = date(int(m[1]), 1, 1)
        written = Frequency.YEARLY
    else:
        try:
            start = date.fromisoformat(text)
        except ValueError:
            raise ValidationError(
                _("%(text)s is not a period; write for example 2025-03, 2025-Q2 or 2025.") % {"text": text}
            ) from None
        written = frequency
    if written != frequency:
        raise ValidationError(
            _("%(text)s is a %(written)s period, but this indicator is measured %(frequency)s.")
            % {"text": text, "written": Frequency(written).label, "frequency": Frequency(frequency).label}
        )
    check_period(frequency, start)
    return start


def period_label(frequency: str, start: date) -> str:
    if frequency == Frequency.QUARTERLY:
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    if frequency == Frequency.MONTHLY:
        return f"{start.year}-{start.month:02d}"
    return str(start.year)
