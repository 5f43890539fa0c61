"""Writes of the learning network: networks and their members (the sector admin), good
practices shared by member organisations, and the toolbox loaded from its data file."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date as date_type
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from vitaal.core.models import Organisation, Sector, User
from vitaal.igm.models import (
    DevelopmentLine,
    Framework,
    LearningNetwork,
    NetworkMembership,
    Practice,
    PracticeKind,
    PracticeSource,
)
from vitaal.igm.models.network import phases_to_text

TOOLBOX_FILE = Path(__file__).resolve().parent.parent / "data" / "toolbox.json"
TOOLBOX_FIELDS = (
    "kind",
    "title_nl",
    "title_en",
    "summary_nl",
    "summary_en",
    "body_nl",
    "body_en",
    "origin",
)


@transaction.atomic
def network_create(
    *, sector: Sector, name: str, description: str = "", created_by: User | None = None
) -> LearningNetwork:
    name = name.strip()
    if LearningNetwork.objects.filter(sector=sector, name__iexact=name).exists():
        raise ValidationError({"name": _("The sector already has a network with this name.")})
    network = LearningNetwork(
        sector=sector, name=name, description=description.strip(), created_by=created_by
    )
    network.full_clean()
    network.save()
    return network


@transaction.atomic
def network_member_add(
    *,
    network: LearningNetwork,
    organisation: Organisation,
    joined_on: date_type,
    added_by: User | None = None,
) -> NetworkMembership:
    network = LearningNetwork.objects.select_for_update().get(pk=network.pk)
    if NetworkMembership.objects.filter(network=network, organisation=organisation).exists():
        raise ValidationError({"organisation": _("This organisation already is a member of the network.")})
    membership = NetworkMembership(
        network=network, organisation=organisation, joined_on=joined_on, added_by=added_by
    )
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def network_member_remove(*, network: LearningNetwork, organisation: Organisation) -> None:
    """Take an organisation out of a network. The practices it shared there go with it:
    they were shared with the network on the basis of its membership."""
    deleted, _detail = NetworkMembership.objects.filter(network=network, organisation=organisation).delete()
    if not deleted:
        raise ValidationError(_("This organisation is not a member of the network."))
    Practice.objects.filter(network=network, organisation=organisation).delete()


def _lines_of_framework(
    framework: Framework | None, lines: Iterable[DevelopmentLine]
) -> list[DevelopmentLine]:
    chosen = list(lines)
    if framework is not None and any(line.framework_id != framework.pk for line in chosen):
        raise ValidationError({"lines": _("Choose development lines of the default framework.")})
    return chosen


@transaction.atomic
def practice_submit(
    *,
    network: LearningNetwork,
    organisation: Organisation,
    submitted_by: User,
    kind: str,
    title: str,
    summary: str,
    body: str = "",
    lines: Iterable[DevelopmentLine] = (),
    phases: Iterable[int] = (),
    language: str | None = None,
) -> Practice:
    """Share a good practice with the members of a network, written in one language (the
    other language's fields stay empty and the page falls back to it)."""
    suffix = "en" if (language or get_language() or "nl").startswith("en") else "nl"
    if kind not in PracticeKind.values:
        raise ValidationError({"kind": _("Choose a kind of practice.")})
    practice = Practice(
        source=PracticeSource.NETWORK,
        network=network,
        organisation=organisation,
        submitted_by=submitted_by,
        kind=kind,
        phases=phases_to_text(list(phases)),
        **{
            f"title_{suffix}": title.strip(),
            f"summary_{suffix}": summary.strip(),
            f"body_{suffix}": body.strip(),
        },
    )
    practice.full_clean()
    practice.save()
    framework = Framework.objects.filter(is_default=True, published=True).order_by("-version").first()
    practice.lines.set(_lines_of_framework(framework, lines))
    return practice


@transaction.atomic
def practice_withdraw(*, practice: Practice, by: User) -> bool:
    """Hide a shared practice from the network. Returns False when it already was."""
    practice = Practice.objects.select_for_update().get(pk=practice.pk)
    if practice.is_toolbox:
        raise ValidationError(
            _("Toolbox entries are maintained in the toolbox file and cannot be withdrawn here.")
        )
    if practice.is_withdrawn:
        return False
    practice.withdrawn_at = timezone.now()
    practice.withdrawn_by = by
    practice.save(update_fields=["withdrawn_at", "withdrawn_by", "updated_at"])
    return True


# The toolbox ----------------------------------------------------------------------------


@dataclass
class ToolboxReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _toolbox_lines(framework_code: str) -> dict[str, DevelopmentLine]:
    framework = (
        Framework.objects.filter(code=framework_code, published=True).order_by("-version").first()
        or Framework.objects.filter(code=framework_code).order_by("-version").first()
    )
    if framework is None:
        raise ValidationError(
            _("Load the framework %(code)s before the toolbox."), params={"code": framework_code}
        )
    return {line.code: line for line in framework.lines.all()}


def _check_entry(entry: dict[str, Any], lines: dict[str, DevelopmentLine], index: int) -> None:
    missing = [
        f for f in ("code", "kind", "title_nl", "title_en", "summary_nl", "summary_en") if not entry.get(f)
    ]
    if missing:
        raise ValidationError(f"toolbox entry {index + 1}: missing {', '.join(missing)}")
    if entry["kind"] not in PracticeKind.values:
        raise ValidationError(f"toolbox entry {entry['code']}: unknown kind {entry['kind']!r}")
    unknown = [c for c in entry.get("lines", []) if c not in lines]
    if unknown:
        raise ValidationError(f"toolbox entry {entry['code']}: unknown lines {unknown}")


@transaction.atomic
def toolbox_load(*, path: Path | str = TOOLBOX_FILE) -> ToolboxReport:
    """Create or update the toolbox entries of the data file, matched on ``code``. Loading
    the same file again changes nothing; the whole file is checked first."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if data.get("format") != 1:
        raise ValidationError("toolbox file: unsupported format")
    lines = _toolbox_lines(data.get("framework", "igm"))
    entries = data.get("practices", [])
    for index, entry in enumerate(entries):
        _check_entry(entry, lines, index)
    report = ToolboxReport()
    existing = {
        p.code: p for p in Practice.objects.filter(source=PracticeSource.TOOLBOX).prefetch_related("lines")
    }
    for entry in entries:
        values = {f: entry.get(f, "") for f in TOOLBOX_FIELDS}
        values["phases"] = phases_to_text(entry.get("phases", []))
        wanted_lines = {lines[c].pk for c in entry.get("lines", [])}
        practice = existing.get(entry["code"])
        if practice is None:
            practice = Practice(source=PracticeSource.TOOLBOX, code=entry["code"], **values)
            practice.full_clean()
            practice.save()
            practice.lines.set(wanted_lines)
            report.created += 1
            continue
        changed = [f for f, v in values.items() if getattr(practice, f) != v]
        same_lines = {line.pk for line in practice.lines.all()} == wanted_lines
        if not changed and same_lines:
            report.unchanged += 1
            continue
        for f in changed:
            setattr(practice, f, values[f])
        practice.full_clean()
        practice.save()
        practice.lines.set(wanted_lines)
        report.updated += 1
    return report
