"""The igm app's part of an employee's data export: the records of the organisation's
work that name this person's login (as author, owner, participant or attendee)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from vitaal.core.hooks import PersonalDataSection
from vitaal.core.models import Person
from vitaal.core.personal_data import rows_linked_to_user


def sections(person: Person) -> list[PersonalDataSection]:
    rows = rows_linked_to_user(person.user, "igm")
    return [
        PersonalDataSection(
            "igm",
            _("Health management (IGM) work you did"),
            rows,
            note=_(
                "Records of your organisation's health management that name you, as author or participant."
            ),
        )
    ]
