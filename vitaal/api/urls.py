from django.urls import path
from rest_framework.routers import SimpleRouter

from vitaal.api import views

app_name = "api"

router = SimpleRouter()
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("people", views.PersonViewSet, basename="person")

urlpatterns = [
    path(
        "organisations/<slug:slug>/people/import/",
        views.PeopleImportView.as_view(),
        name="people_import",
    ),
    *router.urls,
]
