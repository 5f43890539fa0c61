"""Writes for frameworks and instruments outside the file loader: publishing, choosing
the default, editing a draft line, and removing lines or items.

A published version is frozen (the models' ``clean`` refuses edits, and these services
say so before trying); a line or item that is still used cannot be removed."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext_lazy as _

from vitaal.igm.models import DevelopmentLine, Framework, Instrument, Item

LINE_EDITABLE_FIELDS = frozenset(
    {"order", "name_nl", "name_en", "scope_nl", "scope_en", "examples_nl", "examples_en"}
)


@transaction.atomic
def framework_publish(*, framework: Framework) -> Framework:
    """Freeze a framework version: from now on its lines and scales never change."""
    if not framework.lines.exists():
        raise ValidationError(_("A framework without development lines cannot be published."))
    framework.published = True
    framework.full_clean()
    framework.save(update_fields=["published"])
    return framework


@transaction.atomic
def framework_set_default(*, framework: Framework) -> Framework:
    """Make this framework version the one new organisations start with."""
    if not framework.published:
        raise ValidationError(_("Only a published framework can be the default."))
    Framework.objects.filter(is_default=True).exclude(pk=framework.pk).update(is_default=False)
    framework.is_default = True
    framework.full_clean()
    framework.save(update_fields=["is_default"])
    return framework


@transaction.atomic
def instrument_publish(*, instrument: Instrument) -> Instrument:
    if not instrument.items.exists():
        raise ValidationError(_("An instrument without items cannot be published."))
    instrument.published = True
    instrument.full_clean()
    instrument.save(update_fields=["published"])
    return instrument


@transaction.atomic
def development_line_update(*, line: DevelopmentLine, **changes: Any) -> DevelopmentLine:
    """Edit a line of a draft framework version."""
    unknown = set(changes) - LINE_EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"Cannot change {', '.join(sorted(unknown))} of a development line.")
    if line.framework.published:
        raise ValidationError(
            _("The lines of a published framework version cannot be edited; publish a new version.")
        )
    for field, value in changes.items():
        setattr(line, field, value)
    line.full_clean()
    line.save()
    return line


@transaction.atomic
def development_line_delete(*, line: DevelopmentLine) -> None:
    if line.framework.published:
        raise ValidationError(
            _("The lines of a published framework version cannot be removed; publish a new version.")
        )
    try:
        line.delete()
    except ProtectedError as exc:
        raise ValidationError(
            _("The line '%(line)s' cannot be removed: instrument items use it.") % {"line": line.code}
        ) from exc


@transaction.atomic
def item_delete(*, item: Item) -> None:
    if item.instrument.published:
        raise ValidationError(
            _("The items of a published instrument cannot be removed; publish a new version.")
        )
    try:
        item.delete()
    except ProtectedError as exc:
        raise ValidationError(
            _("The item '%(item)s' cannot be removed: meter sessions have ratings for it.")
            % {"item": item.code}
        ) from exc
