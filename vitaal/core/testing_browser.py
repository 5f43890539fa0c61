"""Browser-journey fixtures, loaded as a pytest plugin by the root conftest so every app's
browser tests share them: one system Chromium for the whole run, axe-core on every page,
and the fixed cast with real TOTP authenticators for staff roles."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import BrowserContext, Page, expect

from vitaal.core.testing import TEST_PASSWORD, Cast

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    # Playwright cannot download its own browser here; the Debian one is launched once
    # (pytest-playwright's browser fixture is session-scoped).
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any], live_server: Any) -> dict[str, Any]:
    # A Dutch browser, as our users have: LocaleMiddleware reads Accept-Language.
    return {**browser_context_args, "base_url": live_server.url, "locale": "nl-NL"}


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    # allauth remembers used TOTP codes in the (process-wide) cache; the live server
    # shares it, so a code used in one test would be refused in the next.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def new_context(new_context: Callable[..., BrowserContext]) -> Callable[..., BrowserContext]:
    """pytest-playwright's context factory, with axe-core loaded into every document up
    front (cheaper than sending the script again before each check)."""

    def make(**kwargs: Any) -> BrowserContext:
        context = new_context(**kwargs)
        context.add_init_script(script=AXE_SCRIPT)
        return context

    return make


def _format_violations(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"axe found {len(violations)} WCAG 2.1 A/AA violation(s) on {url}:"]
    for v in violations:
        lines.append(f"- {v['id']} ({v.get('impact')}): {v['help']} <{v.get('helpUrl', '')}>")
        for node in v["nodes"]:
            target = " > ".join(str(t) for t in node["target"])
            lines.append(f"    at {target}")
            summary = (node.get("failureSummary") or "").replace("\n", " ").strip()
            if summary:
                lines.append(f"       {summary}")
    return "\n".join(lines)


@pytest.fixture
def axe_check() -> Callable[[Page], None]:
    """Run axe-core (WCAG 2.0/2.1 A and AA) on the page as it is now; fail on any violation."""

    def check(page: Page) -> None:
        page.wait_for_load_state("load")
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.evaluate(AXE_SCRIPT)
        violations = page.evaluate(
            "options => axe.run(document, options).then(r => r.violations)", AXE_OPTIONS
        )
        if violations:
            pytest.fail(_format_violations(page.url, violations), pytrace=False)

    return check


@dataclass
class BrowserCast:
    """The fixed cast plus the TOTP secret of every staff user that has one."""

    cast: Cast
    totp_secrets: dict[int, str] = field(default_factory=dict)

    def user(self, name: str) -> Any:
        return self.cast.user(name)

    def totp_code(self, user: Any) -> str:
        """The current code of the user's authenticator, never one about to expire (the
        server allows no clock tolerance)."""
        from allauth.mfa import app_settings
        from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

        period = app_settings.TOTP_PERIOD
        if period - time.time() % period < 5:
            time.sleep(period - time.time() % period + 0.1)
        return format_hotp_value(hotp_value(self.totp_secrets[user.pk], int(time.time()) // period))


@pytest.fixture
def browser_cast(transactional_db: None) -> BrowserCast:
    """build_cast() with a real TOTP authenticator (the demo's fixed secret per e-mail
    address) for every user whose role requires two-step login."""
    from allauth.mfa.totp.internal.auth import TOTP

    from vitaal.core.access import get_actor
    from vitaal.core.demo import demo_totp_secret
    from vitaal.core.models import User
    from vitaal.core.testing import build_cast

    bc = BrowserCast(cast=build_cast())
    for user in User.objects.order_by("pk"):
        if get_actor(user).needs_mfa():
            secret = demo_totp_secret(user.email)
            TOTP.activate(user, secret)
            bc.totp_secrets[user.pk] = secret
    return bc


@pytest.fixture
def log_in(axe_check: Callable[[Page], None], browser_cast: BrowserCast) -> Callable[..., None]:
    """Log in through the real forms (password, then the TOTP code when the user has an
    authenticator), running axe on each page on the way."""

    def do(page: Page, user: Any) -> None:
        page.goto("/accounts/login/")
        axe_check(page)
        form = page.locator("main form")
        form.locator("input[name=login]").fill(user.email)
        form.locator("input[name=password]").fill(TEST_PASSWORD)
        form.locator("[type=submit]").click()
        if user.pk in browser_cast.totp_secrets:
            expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))
            axe_check(page)
            page.locator("input[name=code]").fill(browser_cast.totp_code(user))
            page.locator("form[action$='/2fa/authenticate/'] [type=submit]").first.click()
            expect(page).not_to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
        else:
            expect(page).not_to_have_url(re.compile(r"/accounts/login/"))

    return do


@pytest.fixture
def session_login(live_server: Any) -> Callable[..., None]:
    """Give a browser context the session cookie of a user logged in on the server side
    (password and, by default, second factor done), for journeys that are not about
    logging in."""
    from django.conf import settings
    from django.test import Client

    from vitaal.core.testing import login

    def do(context: BrowserContext, user: Any, *, mfa: bool = True) -> None:
        client = login(Client(), user, mfa=mfa)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])

    return do
