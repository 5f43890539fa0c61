from django.urls import path

from vitaal.core.views import accesslog, home, organisation, people, self_service

app_name = "core"

urlpatterns = [
    path("", home.home, name="home"),
    path("me/", self_service.my_data, name="me"),
    path("me/access-log/", self_service.my_access_log, name="me_access_log"),
    path("me/language/", self_service.language_preference, name="me_language"),
    path("org/<slug:org>/", organisation.organisation_detail, name="organisation_detail"),
    path("org/<slug:org>/people/", people.person_list, name="person_list"),
    path("org/<slug:org>/people/<int:pk>/", people.person_detail, name="person_detail"),
    path("org/<slug:org>/people/import/", people.person_import, name="person_import"),
    path(
        "org/<slug:org>/people/import/<int:job>/",
        people.person_import_review,
        name="person_import_review",
    ),
    path("org/<slug:org>/people/export.xlsx", people.person_export, name="person_export"),
    path(
        "org/<slug:org>/people/<int:pk>/deactivate/",
        people.person_account_deactivate,
        name="person_account_deactivate",
    ),
    path("org/<slug:org>/access-log/", accesslog.organisation_access_log, name="accesslog_list"),
    path("access-log/", accesslog.sector_access_log, name="sector_accesslog_list"),
]
