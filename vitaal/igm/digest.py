"""The optional weekly e-mail digest of the process watch.

Users opt in on the digest page (``DigestPreference.weekly``). ``send_weekly_digests`` is
meant for the periodic jobs: once a week each opted-in coordinator or management member
gets one mail per run listing, per organisation, how many signals of which kind are open,
with a link to log in. The mail names no goal, action, person or health figure: only
counts (DESIGN rule 1: mail carries no health data). Nobody gets two mails within six
days, and nobody gets a mail when nothing is open."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from vitaal.core.access import forget_actor
from vitaal.core.models import Organisation
from vitaal.igm.models import DigestPreference, StoredSignal
from vitaal.igm.web.plans.hooks import _watch_org_ids

MIN_INTERVAL = timedelta(days=6)


def _kind_label(kind: str) -> str:
    labels = {
        "phase_overdue": _("Phases past their planned end"),
        "no_activity": _("Cycles without activity"),
        "coordinator_changed": _("Coordinator changes"),
        "management_absent": _("Meetings without management"),
        "step_overdue": _("Checklist steps past due"),
        "goal_without_indicator": _("Goals without an indicator"),
        "action_overdue": _("Actions past due"),
    }
    return labels.get(kind, kind)


def _base_url() -> str:
    return str(getattr(settings, "SITE_URL", "")).rstrip("/")


def send_weekly_digests() -> int:
    """Send the weekly digest to everyone who opted in and has open signals; returns the
    number of mails sent."""
    from vitaal.core.access import get_actor

    now = timezone.now()
    preferences = list(
        DigestPreference.objects.filter(weekly=True, user__is_active=True).select_related("user")
    )
    due = [p for p in preferences if p.last_sent_at is None or now - p.last_sent_at >= MIN_INTERVAL]
    if not due:
        return 0
    # Counts per organisation and kind, for every organisation any recipient may watch.
    watched: dict[int, set[int]] = {}
    for preference in due:
        forget_actor(preference.user)
        coordinator, management = _watch_org_ids(get_actor(preference.user))
        watched[preference.pk] = coordinator | management
    all_orgs = set().union(*watched.values()) if watched else set()
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for row in (
        StoredSignal.objects.filter(cycle__organisation_id__in=all_orgs, cycle__status="active")
        .values("cycle__organisation_id", "kind")
        .annotate(n=Count("pk"))
    ):
        counts[row["cycle__organisation_id"]][row["kind"]] = row["n"]
    organisations = {o.pk: o for o in Organisation.objects.filter(pk__in=all_orgs)}
    sent = 0
    for preference in due:
        org_ids = sorted(o for o in watched[preference.pk] if counts.get(o))
        if not org_ids:
            continue
        user = preference.user
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            lines = [_("Open signals of the process watch this week:"), ""]
            for org_id in org_ids:
                org = organisations[org_id]
                total = sum(counts[org_id].values())
                lines.append(
                    ngettext(
                        "%(organisation)s: %(n)s open signal", "%(organisation)s: %(n)s open signals", total
                    )
                    % {"organisation": org.name, "n": total}
                )
                for kind, n in sorted(counts[org_id].items()):
                    lines.append(f"  - {_kind_label(kind)}: {n}")
                lines.append(f"  {_base_url()}{reverse('igm:signal_list', args=[org.slug])}")
                lines.append("")
            lines.append(
                _("Log in to vitaal to see the details. You can turn this e-mail off on the digest page.")
            )
            subject = _("Weekly overview of the process watch")
            send_mail(subject, "\n".join(lines), None, [user.email], fail_silently=True)
        preference.last_sent_at = now
        preference.save(update_fields=["last_sent_at"])
        sent += 1
    return sent
