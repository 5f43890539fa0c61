"""URL access table of the care reports area (see vitaal/core/testing_access.py)."""

from __future__ import annotations

from vitaal.core.testing_access import Access

ACCESS: dict[str, Access] = {}
