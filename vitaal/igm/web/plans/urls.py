"""URL patterns of this area; included into the ``igm`` namespace by ``vitaal/igm/urls.py``."""

from __future__ import annotations

from django.urls import URLPattern, path

from . import views_documents as docs
from . import views_plans as plans
from . import views_watch as watch

urlpatterns: list[URLPattern] = [
    # plans of approach
    path("<slug:org>/plans/", plans.plan_list, name="plan_list"),
    path("<slug:org>/plans/new/", plans.plan_create, name="plan_create"),
    path("<slug:org>/plans/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("<slug:org>/plans/<int:pk>/edit/", plans.plan_edit, name="plan_edit"),
    path("<slug:org>/plans/<int:pk>/lines/new/", plans.plan_line_add, name="plan_line_add"),
    path(
        "<slug:org>/plans/<int:pk>/lines/<int:line>/points/new/",
        plans.improvement_point_add,
        name="improvement_point_add",
    ),
    path("<slug:org>/plans/<int:pk>/points/<int:point>/goals/new/", plans.goal_edit, name="goal_add"),
    path("<slug:org>/plans/<int:pk>/points/<int:point>/goals/<int:goal>/", plans.goal_edit, name="goal_edit"),
    path("<slug:org>/plans/<int:pk>/goals/<int:goal>/actions/new/", plans.action_edit, name="action_add"),
    path(
        "<slug:org>/plans/<int:pk>/goals/<int:goal>/actions/<int:action>/",
        plans.action_edit,
        name="action_edit",
    ),
    path(
        "<slug:org>/plans/<int:pk>/<str:part>/<int:part_pk>/remove/",
        plans.plan_part_remove,
        name="plan_part_remove",
    ),
    path("<slug:org>/plans/<int:pk>/submit/", plans.plan_submit, name="plan_submit"),
    path("<slug:org>/plans/<int:pk>/sign-off/", plans.plan_sign_off, name="plan_sign_off"),
    path("<slug:org>/plans/<int:pk>/reopen/", plans.plan_reopen, name="plan_reopen"),
    path("<slug:org>/pragmatic/new/", plans.initiative_add, name="initiative_add"),
    path("<slug:org>/our-plan/", plans.our_plan, name="our_plan"),
    # documents
    path("<slug:org>/documents/", docs.document_list, name="document_list"),
    path(
        "<slug:org>/documents/communication-plan/rows/new/",
        docs.communication_item_new,
        name="communication_item_add",
    ),
    path(
        "<slug:org>/documents/communication-plan/rows/<int:pk>/remove/",
        docs.communication_item_delete,
        name="communication_item_remove",
    ),
    path("<slug:org>/documents/<slug:kind>/", docs.document_detail, name="document_detail"),
    path("<slug:org>/documents/<slug:kind>/edit/", docs.document_edit, name="document_edit"),
    path("<slug:org>/documents/<slug:kind>/export.docx", docs.document_docx, name="document_docx"),
    path("<slug:org>/documents/<slug:kind>/export.pdf", docs.document_pdf, name="document_pdf"),
    # process watch and report
    path("<slug:org>/signals/", watch.signal_list, name="signal_list"),
    path("<slug:org>/report/", watch.progress_report, name="progress_report"),
    path("<slug:org>/report/export.pdf", watch.progress_report_pdf, name="progress_report_pdf"),
    path("digest/", watch.digest_settings, name="digest_settings"),
]
