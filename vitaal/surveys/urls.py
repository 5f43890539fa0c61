from __future__ import annotations

from django.urls import path

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
    # Respondents: public pages behind secret links (see vitaal/surveys/views/respond.py).
    path("i/<str:token>/", respond.invitation, name="invitation"),
    path("o/<str:token>/", respond.open_link, name="open_link"),
    path("a/<str:key>/", respond.answer, name="answer"),
    path("a/<str:key>/saved/", respond.answer_saved, name="answer_saved"),
    path("thanks/", respond.thanks, name="thanks"),
]
