"""An offline breached-password check.

Online breach services would receive (part of) a password hash from our servers; the
sector's privacy rules keep that in-house. Instead we refuse passwords built from a
known-breached base word with a few digits or symbols around it, on top of Django's list
of 20,000 common passwords.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Base words that top public breach corpora, Dutch ones included.
BREACHED_BASES = frozenset(
    {
        "password",
        "wachtwoord",
        "welkom",
        "welcome",
        "qwerty",
        "azerty",
        "letmein",
        "admin",
        "geheim",
        "zomer",
        "winter",
        "voorjaar",
        "herfst",
        "hogeschool",
        "vitaal",
        "iloveyou",
        "monkey",
        "dragon",
        "football",
        "voetbal",
        "ajax",
        "feyenoord",
        "psv",
        "amsterdam",
        "rotterdam",
        "utrecht",
        "changeme",
        "secret",
        "trustno1",
        "abc123",
        "baseball",
    }
)
_edges = re.compile(r"^[^a-z@$]+|[^a-z]+$")
_leet = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})


class BreachedPasswordValidator:
    """Refuses a password whose letters, read plainly, are a widely breached word."""

    def validate(self, password: str, user: Any = None) -> None:
        # Digits and symbols around a word add little: "Zomer2025!" is "zomer".
        core = _edges.sub("", password.lower()).translate(_leet)
        if core in BREACHED_BASES:
            raise ValidationError(
                _("This password appears in lists of leaked passwords. Choose another one."),
                code="password_breached",
            )

    def get_help_text(self) -> str:
        return _("Your password may not appear in lists of leaked passwords.")
