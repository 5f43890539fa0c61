"""``vitaal issue-api-token --user EMAIL --name NAME [--days N]``: issue a bearer token.

The token acts as that user (give integration accounts only the membership they need,
e.g. HR advisor of one organisation). The raw token is printed once and never stored."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from vitaal.api.models import ApiToken
from vitaal.core.models import User


class Command(BaseCommand):
    help = "Issue an API token for an (integration) account."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="e-mail address of the account")
        parser.add_argument("--name", required=True, help="what the token is for, e.g. 'AFAS sync'")
        parser.add_argument("--days", type=int, default=365, help="days until it expires (0: never)")

    def handle(self, *args: Any, **opts: Any) -> None:
        user = User.objects.filter(email__iexact=opts["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active account with e-mail address {opts['user']}")
        if opts["days"] < 0:
            raise CommandError("--days cannot be negative")
        expires = timezone.now() + timedelta(days=opts["days"]) if opts["days"] else None
        token, raw = ApiToken.issue(user=user, name=opts["name"], expires_at=expires)
        self.stdout.write(raw)
        self.stderr.write(f"token {token.prefix}… for {user.email}, expires {expires or 'never'}")
