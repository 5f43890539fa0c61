"""URL access table of the care reports area (see vitaal/core/testing_access.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from vitaal.care.models import BudgetApplication, ImportStatus, InsurerImportBatch
from vitaal.core.testing import Cast
from vitaal.core.testing_access import Access, org_a

REPORT_READERS = {"org_admin", "hr", "management", "works_council", "sector_admin"}
SECTOR_ADMIN = {"sector_admin"}


def prepare(cast: Cast) -> None:
    BudgetApplication.objects.create(
        organisation=cast.a.organisation,
        year=2026,
        purpose="Workshop",
        amount=Decimal("100"),
        period_start=date(2026, 3, 1),
        period_end=date(2026, 4, 1),
        submitted_by=cast.user("hr"),
    )
    InsurerImportBatch.objects.create(
        sector=cast.sector,
        insurer="Zorgverzekeraar",
        filename="usage.csv",
        content=b"",
        content_sha256="0" * 64,
        status=ImportStatus.REJECTED,
        uploaded_by=cast.user("sector_admin"),
    )


def _application(c: Cast) -> dict[str, int]:
    return {"pk": BudgetApplication.objects.get(organisation=c.a.organisation).pk}


def _batch(c: Cast) -> dict[str, int]:
    return {"pk": InsurerImportBatch.objects.get(sector=c.sector).pk}


ACCESS: dict[str, Access] = {
    "care:usage_report": Access(kwargs=org_a, org=True, ok=REPORT_READERS),
    "care:usage_report_pdf": Access(kwargs=org_a, org=True, ok=REPORT_READERS),
    "care:usage_report_xlsx": Access(kwargs=org_a, org=True, ok=REPORT_READERS),
    "care:sector_usage": Access(ok=SECTOR_ADMIN),
    "care:sector_usage_pdf": Access(ok=SECTOR_ADMIN),
    "care:sector_usage_xlsx": Access(ok=SECTOR_ADMIN),
    "care:store_reports": Access(method="post", ok=SECTOR_ADMIN, success=302),
    "care:insurer_import": Access(ok=SECTOR_ADMIN),
    "care:insurer_import_review": Access(kwargs=_batch, ok=SECTOR_ADMIN),
    "care:budget": Access(kwargs=org_a, org=True, ok={"org_admin", "hr", "sector_admin"}),
    "care:budget_decisions": Access(ok=SECTOR_ADMIN),
    "care:budget_decide": Access(
        kwargs=_application,
        org=True,
        method="post",
        data={"decision": "reject", "note": "Not this year."},
        ok=SECTOR_ADMIN,
        success=302,
    ),
    "care:balances": Access(ok=SECTOR_ADMIN),
    "care:forecast": Access(ok=SECTOR_ADMIN),
    "care:comm_kit": Access(kwargs=org_a, org=True, ok={"org_admin", "hr", "coordinator", "sector_admin"}),
    "api:care_usage": Access(
        kwargs=lambda c: {**org_a(c), "year": 2026, "quarter": 1},
        org=True,
        ok=REPORT_READERS,
        anonymous=401,
    ),
    "api:care_usage_period": Access(
        kwargs=lambda c: {**org_a(c), "period": "2025"},
        org=True,
        ok=REPORT_READERS,
        anonymous=401,
    ),
}
