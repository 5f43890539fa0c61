from django.urls import path

from vitaal.indicators import business_case_views, contract_views, views

app_name = "indicators"

urlpatterns = [
    path("<slug:org>/", views.scorecard, name="scorecard"),
    path("<slug:org>/units/<int:unit>/", views.unit_scorecard, name="unit_scorecard"),
    path("<slug:org>/library/", views.library, name="library"),
    path("<slug:org>/library/<slug:code>/elsewhere/", views.tracked_elsewhere, name="tracked_elsewhere"),
    path("<slug:org>/import/", views.measurement_import, name="measurement_import"),
    path("<slug:org>/planning-control.xlsx", views.pc_export, name="pc_export"),
    path("<slug:org>/measurements/<int:pk>/correct/", views.measurement_correct, name="measurement_correct"),
    path("<slug:org>/contracts/", contract_views.contract_list, name="contract_list"),
    path("<slug:org>/contracts/new/", contract_views.contract_create, name="contract_create"),
    path("<slug:org>/contracts/<int:pk>/", contract_views.contract_detail, name="contract_detail"),
    path(
        "<slug:org>/contracts/<int:pk>/lines/", contract_views.contract_line_save, name="contract_line_save"
    ),
    path("<slug:org>/contracts/<int:pk>/sign/", contract_views.contract_sign, name="contract_sign"),
    path(
        "<slug:org>/contracts/<int:pk>/new-version/",
        contract_views.contract_new_version,
        name="contract_new_version",
    ),
    path("<slug:org>/contracts/<int:pk>/contract.pdf", contract_views.contract_pdf, name="contract_pdf"),
    path("<slug:org>/contracts/<int:pk>/contract.docx", contract_views.contract_docx, name="contract_docx"),
    path("<slug:org>/business-cases/", business_case_views.case_list, name="case_list"),
    path("<slug:org>/business-cases/new/", business_case_views.case_create, name="case_create"),
    path("<slug:org>/business-cases/<int:pk>/", business_case_views.case_detail, name="case_detail"),
    path("<slug:org>/business-cases/<int:pk>/edit/", business_case_views.case_edit, name="case_edit"),
    path(
        "<slug:org>/business-cases/<int:pk>/business-case.pdf", business_case_views.case_pdf, name="case_pdf"
    ),
    path("<slug:org>/<slug:code>/", views.indicator_detail, name="indicator_detail"),
    path("<slug:org>/<slug:code>/measurements/", views.measurement_add, name="measurement_add"),
    path("<slug:org>/<slug:code>/norm/", views.norm_set, name="norm_set"),
]
