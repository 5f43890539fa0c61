"""The built wave report, cached per wave (Django's cache, ``settings.CACHES``).

Building a report reads every answer of the wave and its sibling waves; a repeated view
only needs to know whether anything the report rests on changed. The cache key is a
digest of all of it, read in a few small queries:

- the request's choices: weighted or not, with breakdowns or not, the language;
- the wave's own fields (title, status, dates, population figures) and the disclosure
  thresholds in force (a changed threshold gives a new key, so a cached report can never
  show more than the current threshold allows);
- counts of invitations and responses by status (they are in the report, and a deleted
  or imported response changes them) and the number of the wave's answers. Reports are
  built only for closed waves (selectors, "Release of results"), whose respondents can no
  longer change their answers; ids cannot serve as a change marker because they are
  random (models/distribution.py, ``random_pk``);
- the sibling waves used for the respondent-group comparison and their response counts;
- the coding state: codes (labels, order, retired), and count and latest time of the
  codings and agreed codings.

What is cached is the finished, protected report: disclosure control ran when it was
built. Callers check access first (``selectors.wave_for``) and only then ask for the
report. A time limit (``REPORT_CACHE_SECONDS``) bounds what the key cannot see: answers
removed from a response without new ones written.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max
from django.utils.translation import get_language

from vitaal.core.disclosure import threshold_for
from vitaal.surveys import selectors
from vitaal.surveys.models import AgreedCoding, Answer, Code, Coding, SurveyResponse, Wave
from vitaal.surveys.wave_report import WaveReport, build, sibling_waves

REPORT_CACHE_SECONDS = 3600


def report_version(wave: Wave, *, weighted: bool, with_breakdowns: bool) -> str:
    """A digest of everything the built report depends on (see the module text)."""
    siblings = [w.pk for w in sibling_waves(wave)]
    sibling_counts = sorted(
        SurveyResponse.objects.filter(wave_id__in=siblings)
        .values("wave_id")
        .annotate(n=Count("pk"))
        .values_list("wave_id", "n")
    )
    codes = list(
        Code.objects.filter(codebook__wave=wave)
        .order_by("pk")
        .values_list("pk", "codebook_id", "value", "label_nl", "label_en", "position", "retired")
    )
    codings = Coding.objects.filter(codebook__wave=wave).aggregate(n=Count("pk"), last=Max("coded_at"))
    agreed = AgreedCoding.objects.filter(codebook__wave=wave).aggregate(n=Count("pk"), last=Max("decided_at"))
    parts: list[Any] = [
        wave.pk,
        weighted,
        with_breakdowns,
        get_language(),
        wave.questionnaire_id,
        wave.title,
        wave.status,
        wave.opens_on,
        wave.closes_on,
        sorted((code, sorted(shares.items())) for code, shares in (wave.population or {}).items()),
        threshold_for(wave.sector, "survey"),
        threshold_for(wave.sector, "free_text"),
        sorted(selectors.wave_status(wave).items()),
        Answer.objects.filter(response__wave=wave).count(),
        siblings,
        sibling_counts,
        codes,
        sorted(codings.items()),
        sorted(agreed.items()),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def cached_report(wave: Wave, *, weighted: bool = False, with_breakdowns: bool = True) -> WaveReport:
    """``wave_report.build``, from the cache when nothing it rests on changed. Only call
    this after the user's access to the wave has been checked."""
    version = report_version(wave, weighted=weighted, with_breakdowns=with_breakdowns)
    key = f"surveys:wave-report:{wave.pk}:{version}"
    report = cache.get(key)
    if not isinstance(report, WaveReport):
        report = build(wave, weighted=weighted, with_breakdowns=with_breakdowns)
        cache.set(key, report, REPORT_CACHE_SECONDS)
    report.wave = wave
    return report
