"""API endpoints of this area, added to the shared router by vitaal/api/urls.py."""

from __future__ import annotations

from django.urls import URLPattern
from rest_framework.routers import SimpleRouter


def register(router: SimpleRouter) -> list[URLPattern]:
    """Register viewsets on the shared router; return any extra URL patterns."""
    from vitaal.care.api import views

    router.register("care/interventions", views.InterventionViewSet, basename="care-intervention")
    router.register("care/packages", views.PackageViewSet, basename="care-package")
    router.register("care/my/requests", views.OwnRequestViewSet, basename="care-my-request")
    router.register("care/my/health-checks", views.OwnHealthCheckViewSet, basename="care-my-health-check")
    router.register("care/assignments", views.AssignmentViewSet, basename="care-assignment")
    return []
