"""The traffic light per indicator. The rule (also in docs/indicators.md):

* no current measurement or no norm for the period → unknown (grey);
* the value meets the target in the indicator's direction → on track (green);
* it misses the target by no more than the norm's margin → at risk (amber);
* otherwise → off track (red).

"Meets" means value ≥ target when higher is better and value ≤ target when lower is better.
A suppressed value (too few people behind it) is always unknown."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from vitaal.indicators.models.library import Direction


class Light(models.TextChoices):
    ON_TRACK = "on-track", _("on track")
    AT_RISK = "at-risk", _("at risk")
    OFF_TRACK = "off-track", _("off track")
    UNKNOWN = "unknown", _("no judgement possible")


def light(direction: str, value: Decimal | None, target: Decimal | None, margin: Decimal | None) -> Light:
    if value is None or target is None:
        return Light.UNKNOWN
    shortfall = (target - value) if direction == Direction.HIGHER else (value - target)
    if shortfall <= 0:
        return Light.ON_TRACK
    if shortfall <= (margin or Decimal(0)):
        return Light.AT_RISK
    return Light.OFF_TRACK
