from importlib import import_module

from django.urls import path
from rest_framework.routers import SimpleRouter

from vitaal.api import views

app_name = "api"

router = SimpleRouter()
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("people", views.PersonViewSet, basename="person")

# Each area registers its own viewsets (and may return extra patterns).
AREA_MODULES = ("vitaal.igm.api", "vitaal.care.api", "vitaal.care.web.reports.api", "vitaal.surveys.api")
extra_patterns = []
for _name in AREA_MODULES:
    extra_patterns += import_module(_name).register(router)

urlpatterns = [
    *extra_patterns,
    path(
        "organisations/<slug:slug>/people/import/",
        views.PeopleImportView.as_view(),
        name="people_import",
    ),
    *router.urls,
]
