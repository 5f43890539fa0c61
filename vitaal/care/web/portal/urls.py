"""URL patterns of the employee portal; included into the ``care`` namespace by
``vitaal/care/urls.py`` (mounted at /care/)."""

from __future__ import annotations

from django.urls import URLPattern, path

from vitaal.care.web.portal.views import export, health, offer, requests

urlpatterns: list[URLPattern] = [
    path("", offer.portal_home, name="portal"),
    path("offer/", offer.portal_offer, name="portal_offer"),
    path("finder/", offer.portal_finder, name="portal_finder"),
    path("offer/<int:pk>/", offer.portal_intervention, name="portal_intervention"),
    path("offer/<int:pk>/request/", requests.request_create, name="portal_request_create"),
    path("health-check/", health.health_check_new, name="portal_health_check"),
    path("health-check/history/", health.health_check_list, name="portal_health_check_list"),
    path("health-check/<int:pk>/", health.health_check_detail, name="portal_health_check_detail"),
    path("health-check/<int:pk>/delete/", health.health_check_delete_view, name="portal_health_check_delete"),
    path("my-requests/", requests.request_list, name="portal_request_list"),
    path("my-requests/<int:pk>/", requests.request_detail, name="portal_request_detail"),
    path("my-requests/<int:pk>/withdraw/", requests.request_withdraw, name="portal_request_withdraw"),
    path("my-requests/<int:pk>/evaluate/", requests.request_evaluate, name="portal_request_evaluate"),
    path("referrals/<int:pk>/", requests.referral_detail, name="portal_referral_detail"),
    path("my-care-data/", export.export_page, name="portal_export"),
    path("my-care-data/care.json", export.export_json, name="portal_export_json"),
    path("my-care-data/care.xlsx", export.export_xlsx, name="portal_export_xlsx"),
]
