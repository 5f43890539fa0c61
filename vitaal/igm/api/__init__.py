"""API endpoints of this area, added to the shared router by vitaal/api/urls.py."""

from __future__ import annotations

from django.urls import URLPattern
from rest_framework.routers import SimpleRouter


def register(router: SimpleRouter) -> list[URLPattern]:
    """Register viewsets on the shared router; return any extra URL patterns."""
    from vitaal.igm.api import views

    router.register("igm/frameworks", views.FrameworkViewSet, basename="igm-framework")
    router.register("igm/instruments", views.InstrumentViewSet, basename="igm-instrument")
    router.register("igm/meter-sessions", views.MeterSessionViewSet, basename="igm-metersession")
    router.register("igm/plans", views.PlanViewSet, basename="igm-plan")
    router.register("igm/signals", views.SignalViewSet, basename="igm-signal")
    return []
