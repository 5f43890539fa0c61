from __future__ import annotations

from django.urls import path

from vitaal.surveys.views import respond

app_name = "surveys"

urlpatterns = [
    # Respondents: public pages behind secret links (see vitaal/surveys/views/respond.py).
    path("i/<str:token>/", respond.invitation, name="invitation"),
    path("o/<str:token>/", respond.open_link, name="open_link"),
    path("a/<str:key>/", respond.answer, name="answer"),
    path("a/<str:key>/saved/", respond.answer_saved, name="answer_saved"),
    path("thanks/", respond.thanks, name="thanks"),
]
