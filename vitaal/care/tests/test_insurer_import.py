"""The insurer import: validate whole, apply atomically, idempotent on re-upload,
duplicates reported, row errors with row and column, malformed files refused."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from vitaal.care import insurer_import as service
from vitaal.care.models import ImportStatus, InsurerImportBatch, InsurerUsageRow
from vitaal.care.usage import Quarter, organisation_report
from vitaal.core.testing import login

GOOD = (
    "organisatie;jaar;kwartaal;interventie;thema;geslacht;leeftijdsgroep;functiegroep;gebruikers;kosten\n"
    "a;2025;2;mental-coaching;;v;<35;OP;20;1.250,50\n"
    "a;2025;2;;fysiek;m;35-44;OBP;2;100\n"
    "a;2025;Q2;;leefstijl;;;;15;\n"
)


@pytest.fixture(autouse=True)
def english_pages(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def _check(world, content: str | bytes, filename: str = "usage.csv"):
    data = content.encode() if isinstance(content, str) else content
    return service.insurer_import_check(
        user=world.cast.user("sector_admin"),
        sector=world.cast.sector,
        insurer="Zilveren Zorg",
        filename=filename,
        content=data,
    )


@pytest.mark.django_db
def test_a_good_file_is_checked_then_applied_and_feeds_the_report(world):
    batch = _check(world, GOOD)
    assert batch.status == ImportStatus.VALIDATED and batch.errors == []
    assert InsurerUsageRow.objects.count() == 0  # checking changes nothing
    assert service.insurer_import_apply(user=world.cast.user("sector_admin"), batch=batch) == 3
    rows = {r.theme: r for r in InsurerUsageRow.objects.all()}
    assert rows["mental"].intervention_id == world.coaching.pk and str(rows["mental"].cost) == "1250.50"
    assert rows["mental"].gender == "f" and rows["lifestyle"].age_band == "unknown"
    insurer = organisation_report(world.cast.a.organisation, Quarter(2025, 2))["insurer"]
    assert insurer["total"]["value"] == 37


@pytest.mark.django_db
def test_the_same_file_again_changes_nothing(world):
    service.insurer_import_apply(user=world.cast.user("sector_admin"), batch=_check(world, GOOD))
    batches = InsurerImportBatch.objects.count()
    with pytest.raises(ValidationError, match="imported before"):
        _check(world, GOOD)
    assert InsurerImportBatch.objects.count() == batches
    assert InsurerUsageRow.objects.count() == 3


@pytest.mark.django_db
def test_rows_imported_before_are_skipped_and_reported(world):
    service.insurer_import_apply(user=world.cast.user("sector_admin"), batch=_check(world, GOOD))
    overlapping = GOOD.splitlines()[0] + "\n" + GOOD.splitlines()[1] + "\na;2025;3;;mentaal;v;<35;OP;11;0\n"
    batch = _check(world, overlapping)
    assert batch.status == ImportStatus.VALIDATED
    assert [d["row"] for d in batch.duplicates] == [2]
    assert service.insurer_import_apply(user=world.cast.user("sector_admin"), batch=batch) == 1
    assert InsurerUsageRow.objects.count() == 4


@pytest.mark.django_db
def test_row_errors_name_row_and_column_and_nothing_is_applied(world):
    bad = (
        "organisation,year,quarter,intervention,theme,gender,age_band,users,cost\n"
        "a,2025,5,,mental,f,<35,12,0\n"
        "nope,2025,1,,mental,f,<35,12,0\n"
        "a,2025,1,unknown-code,,q,99+,-3,abc\n"
        "a,2025,1,,mental,f,<35,12,0\n"
        "a,2025,1,,mental,f,<35,13,0\n"
    )
    batch = _check(world, bad)
    assert batch.status == ImportStatus.REJECTED
    found = {(e["row"], e["column"], e["code"]) for e in batch.errors}
    assert (2, "quarter", "bad_quarter") in found
    assert (3, "organisation", "unknown_organisation") in found
    assert {(4, "intervention", "unknown_intervention"), (4, "gender", "bad_gender")} <= found
    assert {(4, "age_band", "bad_age_band"), (4, "users", "bad_users"), (4, "cost", "bad_cost")} <= found
    assert (6, "organisation", "duplicate_in_file") in found
    # stored as codes, so each reader sees them in their own language
    assert all(set(e) == {"row", "column", "code", "params"} for e in batch.errors)
    assert service.error_text(batch.errors[0]) == "“5” is not a quarter (1 to 4)."
    with pytest.raises(ValidationError):
        service.insurer_import_apply(user=world.cast.user("sector_admin"), batch=batch)
    assert InsurerUsageRow.objects.count() == 0


@pytest.mark.django_db
def test_missing_columns_and_malformed_files_are_refused(world):
    batch = _check(world, "organisation;year\na;2025\n")
    assert {e["column"] for e in batch.errors} == {"quarter", "users"}
    with pytest.raises(ValidationError):
        _check(world, b"%PDF-1.4 binary", "usage.csv")
    with pytest.raises(ValidationError):
        _check(world, b"PK\x03\x04broken", "usage.xlsx")
    assert InsurerUsageRow.objects.count() == 0


@pytest.mark.django_db
def test_xlsx_files_are_read(world):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["organisation", "year", "quarter", "theme", "users", "cost"])
    sheet.append(["a", 2025, 2, "mental", 12, 99.5])
    buffer = io.BytesIO()
    workbook.save(buffer)
    batch = _check(world, buffer.getvalue(), "usage.xlsx")
    assert batch.status == ImportStatus.VALIDATED, batch.errors
    service.insurer_import_apply(user=world.cast.user("sector_admin"), batch=batch)
    assert InsurerUsageRow.objects.get().users == 12


@pytest.mark.django_db
def test_only_the_sector_admin_imports(client, world):
    for role in ("org_admin", "hr", "care_coordinator"):
        login(client, world.cast.user(role))
        assert client.get(reverse("care:insurer_import")).status_code == 403
    with pytest.raises(ValidationError):
        service.insurer_import_check(
            user=world.cast.user("org_admin"),
            sector=world.cast.sector,
            insurer="X",
            filename="a.csv",
            content=b"x",
        )


@pytest.mark.django_db
def test_upload_review_and_apply_through_the_pages(client, world):
    login(client, world.cast.user("sector_admin"))
    page = client.get(reverse("care:insurer_import")).content.decode()
    assert "gebruikers" in page and "leeftijdsgroep" in page  # the column mapping is on the page
    upload = io.BytesIO(GOOD.encode())
    upload.name = "usage.csv"
    response = client.post(reverse("care:insurer_import"), {"insurer": "Zilveren Zorg", "file": upload})
    assert response.status_code == 302
    review = client.get(response["Location"]).content.decode()
    assert "Apply import" in review
    response = client.post(response["Location"], {"apply": "1"}, follow=True)
    assert "3 new rows" in response.content.decode()
    assert InsurerUsageRow.objects.count() == 3
    again = io.BytesIO(GOOD.encode())
    again.name = "usage.csv"
    response = client.post(reverse("care:insurer_import"), {"insurer": "Zilveren Zorg", "file": again})
    assert response.status_code == 200 and "imported before" in response.content.decode()
    assert InsurerUsageRow.objects.count() == 3


@pytest.mark.django_db
def test_review_page_lists_row_errors(client, world):
    batch = _check(world, "organisation;year;quarter;theme;users\na;2025;9;mental;4\n")
    login(client, world.cast.user("sector_admin"))
    html = client.get(reverse("care:insurer_import_review", args=[batch.pk])).content.decode()
    assert "“9” is not a quarter (1 to 4)." in html and "Apply import" not in html
    response = client.post(
        reverse("care:insurer_import_review", args=[batch.pk]), {"apply": "1"}, follow=True
    )
    assert "cannot be applied" in response.content.decode()
    assert InsurerUsageRow.objects.count() == 0
