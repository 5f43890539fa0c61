"""Report pages: the wave report (HTML, PDF, XLSX), population figures from the people
register, respondent groups side by side, and the package recommendation matrix.

Who: the wave's researchers and the sector admin following it read the report
(``surveys.view_wave``); only the wave's own researchers change population figures
(``surveys.manage_wave``); the matrix is for the sector admin of its sector only. Every
count shown passes the disclosure-control service (vitaal/surveys/results.py and
vitaal/surveys/matrix.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vitaal.core.access import get_actor
from vitaal.core.disclosure import threshold_for
from vitaal.core.models import Sector
from vitaal.core.roles import Role
from vitaal.core.spreadsheets import xlsx_response
from vitaal.surveys import matrix as matrix_services
from vitaal.surveys import register, report_cache, selectors, wave_report
from vitaal.surveys.models import MatrixVerdict, RecommendationMatrix, Wave
from vitaal.surveys.views.release import released_only


def _weighted(request: HttpRequest) -> bool:
    return request.GET.get("weighted") == "1"


@require_GET
@released_only
def wave_report_page(request: HttpRequest, pk: int) -> HttpResponse:
    wave = selectors.wave_for(request.user, pk, "surveys.view_wave")
    report = report_cache.cached_report(wave, weighted=_weighted(request))
    return render(request, "surveys/reports/wave_report.html", {"report": report})


@require_GET
@released_only
def wave_report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    wave = selectors.wave_for(request.user, pk, "surveys.view_wave")
    content = wave_report.to_pdf(report_cache.cached_report(wave, weighted=_weighted(request)))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="survey-report-{wave.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@released_only
def wave_report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    wave = selectors.wave_for(request.user, pk, "surveys.view_wave")
    content = wave_report.to_xlsx(
        report_cache.cached_report(wave, weighted=_weighted(request), with_breakdowns=False)
    )
    return xlsx_response(content, f"survey-report-{wave.pk}.xlsx")


@require_POST
def wave_population_register(request: HttpRequest, pk: int) -> HttpResponse:
    wave = selectors.wave_for(request.user, pk, "surveys.manage_wave")
    try:
        register.population_from_register(wave=wave)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The population figures have been taken from the people register."))
    return redirect("surveys:wave_population", pk=wave.pk)


def comparable_waves(user: Any, wave: Wave) -> list[Wave]:
    """Other waves the user may see, of the same organisation (or the same sector for a
    sector wave), with a questionnaire for another audience."""
    waves = selectors.waves_visible_to(user).filter(sector_id=wave.sector_id)
    if wave.organisation_id is None:
        waves = waves.filter(organisation__isnull=True)
    else:
        waves = waves.filter(organisation_id=wave.organisation_id)
    return list(
        waves.exclude(pk=wave.pk)
        .exclude(questionnaire__audience=wave.questionnaire.audience)
        .select_related("questionnaire")
        .order_by("pk")
    )


@require_GET
@released_only
def wave_compare(request: HttpRequest, pk: int) -> HttpResponse:
    """Respondent groups side by side (employees, HR, works council): every single-answer
    question the waves share (same variable name, same answers), protected as one table."""
    wave = selectors.wave_for(request.user, pk, "surveys.view_wave")
    others = comparable_waves(request.user, wave)
    k = threshold_for(wave.sector, "survey")
    items = wave_report.group_comparison(wave, others, k=k)
    return render(
        request,
        "surveys/reports/wave_compare.html",
        {"wave": wave, "others": others, "items": items, "k": k},
    )


# --- Recommendation matrix ------------------------------------------------------------


def _admin_sectors(user: Any) -> list[Sector]:
    ids = get_actor(user).sectors_for([Role.SECTOR_ADMIN])
    if not ids:
        raise PermissionDenied
    return list(Sector.objects.filter(pk__in=ids).order_by("name"))


def _matrix_for(user: Any, pk: int) -> RecommendationMatrix:
    """404 when the matrix lies outside everything the user belongs to; 403 for anyone
    but the sector admin of its sector."""
    matrix = (
        RecommendationMatrix.objects.select_related("sector", "wave__questionnaire", "wave__sector")
        .filter(pk=pk)
        .first()
    )
    if matrix is None:
        raise Http404
    actor = get_actor(user)
    in_sector = any(matrix.sector_id in ids for ids in actor.sector_ids.values()) or any(
        o.sector_id == matrix.sector_id for o in _orgs(actor)
    )
    if not in_sector:
        raise Http404
    if not actor.has_role_in_sector(matrix.sector_id, [Role.SECTOR_ADMIN]):
        raise PermissionDenied
    return matrix


def _orgs(actor: Any) -> list[Any]:
    from vitaal.core.models import Organisation

    return list(Organisation.objects.filter(pk__in=actor.all_org_ids))


class MatrixForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    year = forms.IntegerField(label=gettext_lazy("Package year"), min_value=2000, max_value=2100)
    wave = forms.ModelChoiceField(label=gettext_lazy("Survey wave (need)"), queryset=Wave.objects.none())
    usage_from = forms.DateField(
        label=gettext_lazy("Care use from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    usage_to = forms.DateField(
        label=gettext_lazy("Care use to"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, sectors: list[Sector], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["wave"].queryset = Wave.objects.filter(sector__in=sectors).order_by("-pk")  # type: ignore[attr-defined]


class SettingsForm(forms.ModelForm):
    mapping = forms.CharField(
        label=gettext_lazy("Need mapping"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy(
            "One line per intervention: intervention-code = question: answer, answer; question: answer"
        ),
    )

    class Meta:
        model = RecommendationMatrix
        fields = ["need_low", "need_high", "use_low", "use_high", "cost_high", "discuss_from", "plus_from"]


class DecisionForm(forms.Form):
    verdict = forms.ChoiceField(label=gettext_lazy("Decision"), choices=MatrixVerdict.choices)
    rationale = forms.CharField(
        label=gettext_lazy("Rationale"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )


@require_http_methods(["GET", "POST"])
def matrix_list(request: HttpRequest) -> HttpResponse:
    sectors = _admin_sectors(request.user)
    form = MatrixForm(request.POST or None, sectors=sectors)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            matrix = matrix_services.matrix_save(
                matrix=RecommendationMatrix(sector=data["wave"].sector, wave=data["wave"]),
                title=data["title"],
                year=data["year"],
                usage_from=data["usage_from"],
                usage_to=data["usage_to"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The matrix has been created."))
            return redirect("surveys:matrix_detail", pk=matrix.pk)
    matrices = RecommendationMatrix.objects.filter(sector__in=sectors).select_related("wave")
    return render(
        request,
        "surveys/reports/matrix_list.html",
        {"form": form, "matrices": matrices},
        status=400 if form.errors else 200,
    )


@require_GET
def matrix_detail(request: HttpRequest, pk: int) -> HttpResponse:
    matrix = _matrix_for(request.user, pk)
    rows = [
        (row, DecisionForm(prefix=f"i{row.intervention.pk}", initial=_initial(row)))
        for row in matrix_services.evidence(matrix)
    ]
    return render(
        request,
        "surveys/reports/matrix_detail.html",
        {
            "matrix": matrix,
            "rows": rows,
            "k_survey": threshold_for(matrix.sector, "survey"),
            "k_care": threshold_for(matrix.sector, "care"),
        },
    )


def _initial(row: matrix_services.Evidence) -> dict[str, str]:
    if row.decision is not None:
        return {"verdict": row.decision.verdict, "rationale": row.decision.rationale}
    return {"verdict": row.advice}


@require_http_methods(["GET", "POST"])
def matrix_settings(request: HttpRequest, pk: int) -> HttpResponse:
    matrix = _matrix_for(request.user, pk)
    form = SettingsForm(
        request.POST or None,
        instance=matrix,
        initial={"mapping": matrix_services.mapping_text(matrix.need_mapping or {})},
    )
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in SettingsForm.Meta.fields}
        fresh = RecommendationMatrix.objects.get(pk=matrix.pk)
        try:
            matrix_services.matrix_save(matrix=fresh, mapping_lines=form.cleaned_data["mapping"], **values)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The rule and the mapping have been saved."))
            return redirect("surveys:matrix_detail", pk=matrix.pk)
    return render(
        request,
        "surveys/reports/matrix_settings.html",
        {"matrix": matrix, "form": form, "questions": matrix_services.mappable_questions(matrix.wave)},
        status=400 if form.errors else 200,
    )


@require_POST
def matrix_decide(request: HttpRequest, pk: int, intervention: int) -> HttpResponse:
    from vitaal.care.models import Intervention

    matrix = _matrix_for(request.user, pk)
    found = Intervention.objects.filter(pk=intervention, sector=matrix.sector).first()
    if found is None:
        raise Http404
    form = DecisionForm(request.POST, prefix=f"i{found.pk}")
    if not form.is_valid():
        messages.error(request, _("Choose a decision and give its rationale."))
        return redirect("surveys:matrix_detail", pk=matrix.pk)
    try:
        matrix_services.decision_set(
            matrix=matrix,
            intervention=found,
            verdict=form.cleaned_data["verdict"],
            rationale=form.cleaned_data["rationale"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The decision has been saved."))
    return redirect("surveys:matrix_detail", pk=matrix.pk)


@require_POST
def matrix_carry(request: HttpRequest, pk: int) -> HttpResponse:
    matrix = _matrix_for(request.user, pk)
    try:
        package = matrix_services.carry_over(matrix=matrix)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The decisions are in the draft package %(period)s.") % {"period": package.period_label},
        )
    return redirect("surveys:matrix_detail", pk=matrix.pk)
