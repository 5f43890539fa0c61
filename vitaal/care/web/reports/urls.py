"""URL patterns of this area; included into the ``care`` namespace by ``vitaal/care/urls.py``."""

from __future__ import annotations

from django.urls import URLPattern, path

from vitaal.care.web.reports import views_finance, views_import, views_kit, views_usage

urlpatterns: list[URLPattern] = [
    path("reports/sector/", views_usage.sector_usage, name="sector_usage"),
    path("reports/sector/pdf/", views_usage.sector_usage, {"fmt": "pdf"}, name="sector_usage_pdf"),
    path("reports/sector/xlsx/", views_usage.sector_usage, {"fmt": "xlsx"}, name="sector_usage_xlsx"),
    path("reports/sector/store/", views_usage.store_now, name="store_reports"),
    path("reports/insurer-import/", views_import.insurer_import, name="insurer_import"),
    path(
        "reports/insurer-import/<int:pk>/", views_import.insurer_import_review, name="insurer_import_review"
    ),
    path("reports/budget/decisions/", views_finance.budget_decisions, name="budget_decisions"),
    path("reports/budget/<int:pk>/decide/", views_finance.budget_decide, name="budget_decide"),
    path("reports/balances/", views_finance.balances, name="balances"),
    path("reports/forecast/", views_finance.forecast_page, name="forecast"),
    path("reports/<slug:org>/usage/", views_usage.usage_report, name="usage_report"),
    path("reports/<slug:org>/usage/pdf/", views_usage.usage_report, {"fmt": "pdf"}, name="usage_report_pdf"),
    path(
        "reports/<slug:org>/usage/xlsx/", views_usage.usage_report, {"fmt": "xlsx"}, name="usage_report_xlsx"
    ),
    path("reports/<slug:org>/budget/", views_finance.budget, name="budget"),
    path("reports/<slug:org>/communication/", views_kit.comm_kit, name="comm_kit"),
]
