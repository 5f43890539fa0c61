from __future__ import annotations

from django.urls import path

from vitaal.surveys import web_coding
from vitaal.surveys.views import research, respond

app_name = "surveys"

urlpatterns = [
    # Researchers
    path("", research.wave_list, name="wave_list"),
    path("new/", research.wave_create, name="wave_create"),
    path("<int:pk>/", research.wave_detail, name="wave_detail"),
    path("<int:pk>/state/", research.wave_state, name="wave_state"),
    path("<int:pk>/invite/", research.wave_invite, name="wave_invite"),
    path("<int:pk>/open-link/", research.wave_open_link, name="wave_open_link"),
    path("<int:pk>/remind/", research.wave_remind, name="wave_remind"),
    path("<int:pk>/population/", research.wave_population, name="wave_population"),
    path("<int:pk>/results/", research.wave_results, name="wave_results"),
    path("<int:pk>/interview/", research.interview_create, name="interview_create"),
    # Respondents: public pages whose addresses never carry a code (the old i/<token>/,
    # o/<token>/ and a/<key>/ routes are gone on purpose; see vitaal/surveys/views/respond.py).
    path("start/", respond.start, name="start"),
    path("answer/", respond.answer, name="answer"),
    path("answer/saved/", respond.answer_saved, name="answer_saved"),
    path("thanks/", respond.thanks, name="thanks"),
    # Open-answer coding (vitaal/surveys/web_coding.py)
    path("<int:pk>/coding/", web_coding.coding_index, name="coding_index"),
    path("<int:pk>/coding/<slug:question>/", web_coding.codebook, name="codebook"),
    path("<int:pk>/coding/<slug:question>/codes/<int:code>/", web_coding.code_edit, name="code_edit"),
    path("<int:pk>/coding/<slug:question>/queue/", web_coding.coding_queue, name="coding_queue"),
    path("<int:pk>/coding/<slug:question>/agreement/", web_coding.coding_agreement, name="coding_agreement"),
    path("<int:pk>/coding/<slug:question>/resolve/", web_coding.coding_resolve, name="coding_resolve"),
    path("<int:pk>/coding/<slug:question>/results/", web_coding.coding_results, name="coding_results"),
]

# Reports, respondent-group comparison and the recommendation matrix (web_reports.py).
from vitaal.surveys import web_reports  # noqa: E402

urlpatterns += [
    path("<int:pk>/report/", web_reports.wave_report_page, name="wave_report"),
    path("<int:pk>/report.pdf", web_reports.wave_report_pdf, name="wave_report_pdf"),
    path("<int:pk>/report.xlsx", web_reports.wave_report_xlsx, name="wave_report_xlsx"),
    path("<int:pk>/compare/", web_reports.wave_compare, name="wave_compare"),
    path(
        "<int:pk>/population/register/", web_reports.wave_population_register, name="wave_population_register"
    ),
    path("matrix/", web_reports.matrix_list, name="matrix_list"),
    path("matrix/<int:pk>/", web_reports.matrix_detail, name="matrix_detail"),
    path("matrix/<int:pk>/settings/", web_reports.matrix_settings, name="matrix_settings"),
    path("matrix/<int:pk>/decide/<int:intervention>/", web_reports.matrix_decide, name="matrix_decide"),
    path("matrix/<int:pk>/carry/", web_reports.matrix_carry, name="matrix_carry"),
]
