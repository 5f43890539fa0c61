"""URL patterns of this area; included into the ``igm`` namespace by ``vitaal/igm/urls.py``."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
