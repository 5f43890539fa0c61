"""URL patterns of this area; included into the ``care`` namespace by ``vitaal/care/urls.py``."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
