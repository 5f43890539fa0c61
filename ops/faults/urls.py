"""The benchmark URLs (product + floor) with the product's error handlers, which
``bench.urls`` does not carry over (Django reads them from the root URLconf only)."""

from bench.urls import urlpatterns
from vitaal.urls import handler400, handler403, handler404, handler500

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
