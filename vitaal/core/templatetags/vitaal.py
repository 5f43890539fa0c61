from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

register = template.Library()

DEMO_EMAIL_DOMAIN = "demo.vitaal.nl"


@register.inclusion_tag("includes/demo_logins.html")
def demo_logins() -> dict[str, Any]:
    """In demo mode only: the demo accounts, so that visitors can try every role."""
    from vitaal.core.demo import demo_login_table, demo_mode

    if not demo_mode():
        return {"logins": []}

    return {
        "logins": demo_login_table(),
        "password": _demo_password(),
        "mfa_code": getattr(settings, "MFA_TOTP_INSECURE_BYPASS_CODE", ""),
    }


def _demo_password() -> str:
    from vitaal.core.demo import DEMO_PASSWORD

    return DEMO_PASSWORD
