"""The IGM progress report of an organisation: where the cycle stands (phases), how the
development lines moved (radar of the baseline against the latest measurement), how far
the plans of approach are, and which process-watch signals are open.

``build_progress_report`` only reads and does not check permissions: the view checks
``igm.view_cycle`` on the organisation first. Line scores come through
``session_line_scores``, which withholds individual sessions below the rater threshold."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from vitaal.core.models import Organisation
from vitaal.igm.charts import RadarRow, RadarSeries, radar_svg, radar_table
from vitaal.igm.comparisons import baseline_and_evaluation
from vitaal.igm.models import Cycle, MeterSession, Phase, Plan, StoredSignal
from vitaal.igm.selectors import session_line_scores, session_shape
from vitaal.igm.services.plans import PlanProgress, plan_progress


@dataclass
class PlanRow:
    plan: Plan
    progress: PlanProgress


@dataclass
class ProgressReport:
    organisation: Organisation
    today: date
    cycle: Cycle | None = None
    phases: list[Phase] = field(default_factory=list)
    baseline: MeterSession | None = None
    latest: MeterSession | None = None
    radar_svg: SafeString | None = None
    radar_axes: list[str] = field(default_factory=list)
    radar_labels: list[str] = field(default_factory=list)
    radar_rows: list[RadarRow] = field(default_factory=list)
    plans: list[PlanRow] = field(default_factory=list)
    signals: list[StoredSignal] = field(default_factory=list)

    @property
    def current_phase(self) -> Phase | None:
        open_phases = [p for p in self.phases if p.status != "done"]
        return open_phases[0] if open_phases else None


def report_cycle(organisation: Organisation) -> Cycle | None:
    """The active cycle, or else the most recent one."""
    cycles = Cycle.objects.filter(organisation=organisation).select_related("framework", "organisation")
    return cycles.filter(status="active").first() or cycles.order_by("-number").first()


def _radar(report: ProgressReport, cycle: Cycle) -> None:
    baseline, evaluation = baseline_and_evaluation(
        organisation=report.organisation, framework=cycle.framework, unit=None
    )
    if baseline is None:
        return
    report.baseline, report.latest = baseline, evaluation
    shape = session_shape(baseline)
    if len(shape.lines) < 3:
        return
    sessions = [baseline] + ([evaluation] if evaluation is not None else [])
    series = []
    for session in sessions:
        scores = {s.line: s.score_100 for s in session_line_scores(session, shape)}
        label = _("Baseline %(date)s") if session is baseline else _("Now %(date)s")
        series.append(
            RadarSeries(
                label % {"date": session.date.isoformat()},
                [scores.get(line.code) for line in shape.lines],
            )
        )
    report.radar_axes = [line.name for line in shape.lines]
    report.radar_labels = [s.label for s in series]
    report.radar_rows = radar_table(report.radar_axes, series)
    report.radar_svg = mark_safe(  # noqa: S308 - radar_svg escapes every text it writes
        radar_svg(
            report.radar_axes,
            series,
            title=_("Development lines: baseline and now"),
            description=_("Scores from 0 to 100 per development line; the table lists the numbers."),
        )
    )


def build_progress_report(organisation: Organisation, today: date, user: Any = None) -> ProgressReport:
    """The report; with ``user``, only the plans that user may read are listed (unit-level
    management sees the plans of its own units and the central plan)."""
    report = ProgressReport(organisation=organisation, today=today)
    cycle = report_cycle(organisation)
    if cycle is None:
        return report
    report.cycle = cycle
    report.phases = list(cycle.phases.order_by("number"))
    _radar(report, cycle)
    plan_qs = cycle.plans.all() if user is None else Plan.objects.visible_to(user).filter(cycle=cycle)
    plans = list(plan_qs.select_related("unit").order_by("unit__path", "pk"))
    progress = plan_progress(plans, today)
    report.plans = [PlanRow(p, progress[p.pk]) for p in plans]
    report.signals = list(cycle.signals.order_by("-severity", "kind", "subject_id"))
    return report


def report_context(report: ProgressReport) -> dict[str, Any]:
    return {"report": report, "organisation": report.organisation}
