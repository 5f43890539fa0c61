"""Helpers for the apps' parts of an employee's data export (``hooks.register_personal_data``)."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import models


def rows_linked_to_user(user: Any, app_label: str) -> list[dict[str, Any]]:
    """Every row of one app that points at this login (author, owner, participant,
    attendee): what kind of record, through which field, and its title. For apps whose
    records are the organisation's work rather than data about the person."""
    if user is None:
        return []
    user_model = apps.get_model("core", "User")
    rows: list[dict[str, Any]] = []
    for model in apps.get_app_config(app_label).get_models():
        for field in model._meta.get_fields():
            if not (field.concrete or field.many_to_many) or field.auto_created:
                continue
            if not isinstance(field, models.ForeignKey | models.ManyToManyField):
                continue
            if field.related_model is not user_model:
                continue
            for obj in model._default_manager.filter(**{field.name: user}).order_by("pk"):
                rows.append(
                    {
                        "kind": str(model._meta.verbose_name),
                        "id": obj.pk,
                        "as": str(field.verbose_name),
                        "record": str(obj)[:200],
                    }
                )
    return rows
