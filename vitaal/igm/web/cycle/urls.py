"""URL patterns of this area; included into the ``igm`` namespace by ``vitaal/igm/urls.py``."""

from __future__ import annotations

from django.urls import URLPattern, path

from vitaal.igm.web.cycle import views_cycle as c
from vitaal.igm.web.cycle import views_meter as m
from vitaal.igm.web.cycle import views_registration as r

CYCLE = "<slug:org>/cycles/<int:number>/"
PHASE = CYCLE + "phases/<int:phase>/"
SESSION = "<slug:org>/meter/<int:pk>/"

urlpatterns: list[URLPattern] = [
    path("<slug:org>/", c.overview, name="overview"),
    # the cycle
    path("<slug:org>/cycles/start/", c.cycle_start, name="cycle_start"),
    path(CYCLE, c.cycle_detail, name="cycle_detail"),
    path(CYCLE + "close/", c.cycle_close, name="cycle_close"),
    path(PHASE, c.phase_edit, name="phase_edit"),
    path(CYCLE + "steps/<int:pk>/", c.step_edit, name="step_edit"),
    path(CYCLE + "steps/<int:pk>/attachments/", c.step_attachment_add, name="step_attachment_add"),
    path(CYCLE + "attachments/<int:pk>/", c.step_attachment_download, name="step_attachment_download"),
    path(CYCLE + "attachments/<int:pk>/remove/", c.step_attachment_remove, name="step_attachment_remove"),
    path(CYCLE + "groups/add/", c.group_member_add, name="group_member_add"),
    path(CYCLE + "coordinator/", c.coordinator_change, name="coordinator_change"),
    path(CYCLE + "meetings/add/", c.meeting_add, name="meeting_add"),
    path(CYCLE + "advice/add/", c.advice_edit, name="advice_add"),
    path(CYCLE + "advice/<int:pk>/", c.advice_edit, name="advice_edit"),
    # phase registration (annex A)
    path(PHASE + "registration/", r.registration_detail, name="registration_detail"),
    path(PHASE + "registration/edit/", r.registration_edit, name="registration_edit"),
    path(PHASE + "registration/submit/", r.registration_submit, name="registration_submit"),
    path(PHASE + "registration/verify/", r.registration_verify, name="registration_verify"),
    # meter sessions
    path("<slug:org>/meter/new/", m.session_create, name="session_create"),
    path(SESSION, m.session_detail, name="session_detail"),
    path(SESSION + "lines/<slug:line>/", m.session_rate, name="session_rate"),
    path(SESSION + "participants/", m.session_participants, name="session_participants"),
    path(SESSION + "close/", m.session_close, name="session_close"),
    path(SESSION + "results/", m.session_results_page, name="session_results"),
    path(SESSION + "evidence/add/", m.evidence_add, name="evidence_add"),
    path("<slug:org>/evidence/<int:pk>/", m.evidence_download, name="evidence_download"),
    path("<slug:org>/evidence/<int:pk>/remove/", m.evidence_remove, name="evidence_remove"),
]
