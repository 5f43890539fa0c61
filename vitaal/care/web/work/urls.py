"""URL patterns of this area; included into the ``care`` namespace by ``vitaal/care/urls.py``."""

from __future__ import annotations

from django.urls import URLPattern, path

from vitaal.care.web.work import activities, decisions, invoices, provider, referrals

urlpatterns: list[URLPattern] = [
    # referrals by a manager, HR advisor or company doctor
    path("<slug:org>/referrals/", referrals.referral_list, name="referral_list"),
    path("<slug:org>/referrals/new/", referrals.referral_create, name="referral_create"),
    # approvals and assignment
    path("queue/", decisions.queue, name="queue"),
    path("<slug:org>/approvals/", decisions.doctor_approvals, name="doctor_approvals"),
    path("review/<int:pk>/", decisions.request_review, name="request_review"),
    path("review/<int:pk>/approve/", decisions.request_approve, name="request_approve"),
    path("review/<int:pk>/reject/", decisions.request_reject, name="request_reject"),
    path("review/<int:pk>/assign/", decisions.request_assign, name="request_assign"),
    # the providers' side
    path("assignments/", provider.assignment_list, name="assignment_list"),
    path("assignments/<int:pk>/", provider.assignment_detail, name="assignment_detail"),
    path("assignments/<int:pk>/accept/", provider.assignment_accept, name="assignment_accept"),
    path("assignments/<int:pk>/decline/", provider.assignment_decline, name="assignment_decline"),
    path("assignments/<int:pk>/sessions/", provider.session_add, name="session_add"),
    path("assignments/<int:pk>/close/", provider.assignment_close, name="assignment_close"),
    path("invoices/", invoices.invoice_list, name="invoice_list"),
    path("invoices/<int:provider>/<slug:org>/<str:period>/", invoices.invoice_detail, name="invoice_detail"),
    path("invoices/<int:provider>/<slug:org>/<str:period>/xlsx/", invoices.invoice_xlsx, name="invoice_xlsx"),
    path("invoices/<int:provider>/<slug:org>/<str:period>/pdf/", invoices.invoice_pdf, name="invoice_pdf"),
    # collective activities
    path("activities/", activities.activity_list, name="activity_list"),
    path("activities/new/", activities.activity_create, name="activity_create"),
    path("activities/<int:pk>/", activities.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/enrol/", activities.activity_enrol, name="activity_enrol"),
    path("activities/<int:pk>/unenrol/", activities.activity_unenrol, name="activity_unenrol"),
]
