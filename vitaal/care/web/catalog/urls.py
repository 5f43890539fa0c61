"""URL patterns of the catalog area; included into the ``care`` namespace by ``vitaal/care/urls.py``."""

from __future__ import annotations

from django.urls import URLPattern, path

from vitaal.care.web.catalog import views

urlpatterns: list[URLPattern] = [
    path("catalog/", views.catalog_list, name="catalog_list"),
    path("catalog/<int:pk>/", views.intervention_detail, name="intervention_detail"),
    path("packages/", views.package_list, name="package_list"),
    path("packages/<int:pk>/", views.package_detail, name="package_detail"),
    path(
        "packages/<int:pk>/interventions/<int:intervention>/",
        views.package_item_edit,
        name="package_item_edit",
    ),
    path("packages/<int:pk>/publish/", views.package_publish, name="package_publish"),
    path("providers/", views.provider_list, name="provider_list"),
    path("providers/<int:pk>/", views.provider_detail, name="provider_detail"),
    path("providers/<int:pk>/tariffs/", views.provider_tariff_add, name="provider_tariff_add"),
    path("organisations/<slug:org>/providers/new/", views.own_provider_create, name="own_provider_create"),
]
