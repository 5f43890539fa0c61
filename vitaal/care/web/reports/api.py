"""API endpoints of this area, added to the shared router by vitaal/api/urls.py."""

from __future__ import annotations

from django.urls import URLPattern
from rest_framework.routers import SimpleRouter


def register(router: SimpleRouter) -> list[URLPattern]:
    """Register viewsets on the shared router; return any extra URL patterns."""
    return []
