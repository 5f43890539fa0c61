"""Bilingual text fields: every model stores Dutch and English side by side."""

from __future__ import annotations

from django.utils.translation import get_language


def pick(nl: str, en: str) -> str:
    """The text in the active language, falling back to the other when it is empty."""
    if (get_language() or "nl").startswith("en"):
        return en or nl
    return nl or en


class BilingualMixin:
    """``localized("name")`` reads ``name_nl`` or ``name_en`` by the active language."""

    def localized(self, field: str) -> str:
        return pick(getattr(self, f"{field}_nl", ""), getattr(self, f"{field}_en", ""))
