"""The wave report: PDF and XLSX carry the same numbers as ``vitaal survey analyze``,
small groups are hidden, access is checked; population figures from the register."""

from __future__ import annotations

import datetime
import io
import json
import re
import subprocess
from io import StringIO

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from vitaal.core.models import Person
from vitaal.core.testing import login
from vitaal.surveys import services
from vitaal.surveys.register import register_counts

from .support import fill

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_pages(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def _data(wave) -> None:
    fill(
        wave,
        [
            {
                "gender": "woman",
                "function_group": "support",
                "complaints": "yes",
                "support_used": ["coaching", "physio"],
                "health_grade": 7,
                "attention": {"cares": "4"},
            }
        ]
        * 7
        + [{"gender": "woman", "function_group": "teaching", "complaints": "no", "health_grade": 6}] * 5,
    )
    fill(
        wave,
        [
            {
                "gender": "man",
                "function_group": "teaching",
                "complaints": "no",
                "support_used": ["coaching"],
                "health_grade": 9,
                "attention": {"cares": "2"},
            }
        ]
        * 6,
    )
    fill(wave, [{"gender": "man", "complaints": "rather_not"}], status="partial")


def _cli(wave, *extra: str) -> dict:
    out = StringIO()
    call_command("survey", "analyze", str(wave.pk), "--format", "json", *extra, stdout=out)
    return json.loads(out.getvalue())


def _segments(text: str, codes: list[str]) -> dict[str, str]:
    """The PDF text from each result's "(code)" heading up to the next one."""
    positions = sorted((text.index(f"({code})"), code) for code in codes)
    ends = [p for p, _c in positions[1:]] + [len(text)]
    return {code: text[start:end] for (start, code), end in zip(positions, ends, strict=True)}


def _check_pdf(content: bytes, report: dict, tmp_path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    text = re.sub(r"[ \t]+", " ", text).replace("N=", "N = ")
    segments = _segments(text, [r["code"] for r in report["results"]])
    for result in report["results"]:
        segment = segments[result["code"]]
        if result["hidden"]:
            assert "Too few answers to show." in segment, result["code"]
            continue
        assert f"N = {result['n']}" in segment, result["code"]
        if result.get("mean"):
            assert f"Mean {result['mean']['mean']:.1f}" in segment
        for row in result["rows"]:
            if row["count"] is not None and row["percent"] is not None:
                shown = re.findall(rf" {row['count']} (\d+\.\d)%", segment)
                assert any(abs(float(p) - row["percent"]) <= 0.051 for p in shown), (result["code"], row)
    status = report["responses"]
    assert re.search(rf"Started {status['partial'] + status['complete']}\b", text)
    assert re.search(rf"Complete {status['complete']}\b", text)
    assert re.search(rf"Partial {status['partial']}\b", text)


def _check_xlsx(content: bytes, report: dict) -> None:
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert all(sheet.protection.sheet for sheet in book.worksheets)
    cells: dict[tuple[str, str | None], tuple] = {}
    for sheet in book.worksheets[1:]:
        for row in sheet.iter_rows(min_row=2, values_only=True):
            cells[row[0], row[2]] = (row[4], row[5], row[6], row[7])
    for result in report["results"]:
        mean = (result.get("mean") or {}).get("mean")
        if not result["rows"]:
            assert cells[result["code"], None] == (None, None, result["n"], mean)
        for row in result["rows"]:
            assert cells[result["code"], row["code"]] == (row["count"], row["percent"], result["n"], mean)


def test_pdf_and_xlsx_show_the_numbers_of_the_cli(client, cast, wave, tmp_path) -> None:
    _data(wave)
    report = _cli(wave)
    assert report["responses"]["complete"] == 18
    login(client, cast.user("hr"))
    pdf = client.get(reverse("surveys:wave_report_pdf", args=[wave.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    _check_pdf(pdf.content, report, tmp_path)
    xlsx = client.get(reverse("surveys:wave_report_xlsx", args=[wave.pk]))
    assert xlsx.status_code == 200
    _check_xlsx(xlsx.content, report)


def test_weighted_report_matches_the_weighted_cli(client, cast, wave, tmp_path) -> None:
    _data(wave)
    services.wave_population_set(wave=wave, shares={"gender": {"woman": 50, "man": 50, "x": 0}})
    report = _cli(wave, "--weighted")
    assert report["weighted"] is True
    login(client, cast.user("hr"))
    xlsx = client.get(reverse("surveys:wave_report_xlsx", args=[wave.pk]), {"weighted": "1"})
    _check_xlsx(xlsx.content, report)
    pdf = client.get(reverse("surveys:wave_report_pdf", args=[wave.pk]), {"weighted": "1"})
    _check_pdf(pdf.content, report, tmp_path)
    page = client.get(reverse("surveys:wave_report", args=[wave.pk]), {"weighted": "1"})
    html = page.content.decode()
    assert "design effect" in html and "<svg" in html
    assert "Percentages and means are weighted" in html


def test_html_report_has_chapters_charts_and_breakdowns(client, cast, wave) -> None:
    _data(wave)
    login(client, cast.user("sector_admin"))
    page = client.get(reverse("surveys:wave_report", args=[wave.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Health and work" in html
    assert "More than one answer was possible" in html
    assert "95% confidence interval" in html
    assert "By Gender" in html and "By Function group" in html
    assert "<script" not in html.split("<main", 1)[-1].split("</main>", 1)[0]


def test_too_small_groups_are_hidden_everywhere(client, cast, wave, tmp_path) -> None:
    fill(wave, [{"gender": "woman", "complaints": "yes", "health_grade": 8}] * 3)
    report = _cli(wave)
    complaints = next(r for r in report["results"] if r["code"] == "complaints")
    assert complaints["hidden"] is True
    login(client, cast.user("hr"))
    _check_pdf(client.get(reverse("surveys:wave_report_pdf", args=[wave.pk])).content, report, tmp_path)
    _check_xlsx(client.get(reverse("surveys:wave_report_xlsx", args=[wave.pk])).content, report)
    html = client.get(reverse("surveys:wave_report", args=[wave.pk])).content.decode()
    assert "Too few answers to show." in html


@pytest.mark.parametrize("name", ["wave_report", "wave_report_pdf", "wave_report_xlsx", "wave_compare"])
@pytest.mark.parametrize(("role", "status"), [("employee", 403), ("care_coordinator", 403), ("hr_b", 404)])
def test_report_refuses_wrong_role_and_other_org(client, cast, wave, name, role, status) -> None:
    login(client, cast.user(role))
    assert client.get(reverse(f"surveys:{name}", args=[wave.pk])).status_code == status


def test_report_queries_do_not_grow_with_responses(client, cast, wave, django_assert_num_queries) -> None:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, cast.user("hr"))
    url = reverse("surveys:wave_report", args=[wave.pk])
    _data(wave)
    cache.clear()
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _data(wave)
    _data(wave)
    cache.clear()
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as again:  # from the cache: a few small queries
        assert client.get(url).status_code == 200
    assert len(again.captured_queries) < len(small.captured_queries)


def test_a_new_response_changes_the_cached_report(client, cast, wave) -> None:
    from django.core.cache import cache

    login(client, cast.user("hr"))
    url = reverse("surveys:wave_report", args=[wave.pk])
    _data(wave)
    cache.clear()
    first = client.get(url).context["report"]
    assert client.get(url).context["report"].started == first.started
    fill(wave, [{"gender": "man", "function_group": "teaching", "complaints": "no"}])
    assert client.get(url).context["report"].started == first.started + 1


def _register(cast) -> None:
    Person.objects.filter(organisation=cast.a.organisation).update(employment_end=datetime.date(2000, 1, 1))
    year = datetime.date.today().year
    for i in range(3):
        Person.objects.create(
            organisation=cast.a.organisation,
            employee_number=f"r{i}",
            last_name="R",
            gender="f",
            function_group=cast.op,
            birth_year=year - 30,
        )
    Person.objects.create(
        organisation=cast.a.organisation,
        employee_number="r9",
        last_name="R",
        gender="m",
        function_group=cast.obp,
        birth_year=year - 60,
    )
    Person.objects.create(  # left the organisation: not counted
        organisation=cast.a.organisation,
        employee_number="gone",
        last_name="G",
        gender="m",
        birth_year=year - 40,
        employment_end=datetime.date(2001, 1, 1),
    )


def test_population_figures_come_from_the_people_register(client, cast, wave) -> None:
    _register(cast)
    assert register_counts(wave)["gender"] == {"woman": 3.0, "man": 1.0, "x": 0.0}
    size = cast.a.organisation.size_class
    login(client, cast.user("hr"))
    response = client.post(reverse("surveys:wave_population_register", args=[wave.pk]))
    assert response.status_code == 302
    wave.refresh_from_db()
    assert wave.population == {
        "gender": {"woman": 3.0, "man": 1.0, "x": 0.0},
        "function_group": {"teaching": 3.0, "support": 1.0, "management": 0.0},
        "age_band": {"u35": 3.0, "35_44": 0.0, "45_54": 0.0, "55p": 1.0},
        "org_size": {c: (4.0 if c == size else 0.0) for c in ("small", "medium", "large")},
    }
    page = client.get(reverse("surveys:wave_population", args=[wave.pk]))
    assert "Take figures from the people register" in page.content.decode()


def test_register_button_is_refused_to_the_sector_admin_and_other_orgs(client, cast, wave) -> None:
    _register(cast)
    for role, status in [("sector_admin", 403), ("hr_b", 404), ("employee", 403)]:
        login(client, cast.user(role))
        assert client.post(reverse("surveys:wave_population_register", args=[wave.pk])).status_code == status
    wave.refresh_from_db()
    assert wave.population == {}


def test_respondent_groups_side_by_side(client, cast, wave) -> None:
    from vitaal.surveys.models import Questionnaire

    _data(wave)
    hr_guide = Questionnaire.objects.create(
        code="mini-hr", audience="hr", title_nl="HR", title_en="HR", is_interview=True
    )
    question = wave.questionnaire.questions.get(code="complaints")
    copy = hr_guide.questions.create(
        position=1, code="complaints", kind="single", text_nl=question.text_nl, text_en=question.text_en
    )
    for option in question.options.all():
        copy.options.create(
            position=option.position, value=option.value, label_nl=option.label_nl, label_en=option.label_en
        )
    other = services.wave_create(
        questionnaire=hr_guide, sector=cast.sector, organisation=cast.a.organisation, title="HR 2026"
    )
    fill(other, [{"complaints": "yes"}] * 6 + [{"complaints": "no"}] * 6)
    login(client, cast.user("hr"))
    html = client.get(reverse("surveys:wave_compare", args=[wave.pk])).content.decode()
    assert "HR 2026" in html
    # the one employee who would rather not say is hidden (with a complementary cell)
    assert '<td class="num">–</td>' in html
    assert '<th scope="row">HR</th>' in html
    report = client.get(reverse("surveys:wave_report", args=[wave.pk])).content.decode()
    assert "Respondent groups side by side" in report and '<th scope="row">HR</th>' in report
