"""The surveys app's part of an employee's data export. Answers are anonymous: there is
no link from a response to a person, so none can be included. What can be linked are
invitations sent to the person's e-mail address."""

from __future__ import annotations

from django.utils.translation import gettext as _

from vitaal.core.hooks import PersonalDataSection
from vitaal.core.models import Person
from vitaal.surveys.models import Invitation


def sections(person: Person) -> list[PersonalDataSection]:
    addresses = {a.lower() for a in (person.email, person.user.email if person.user else "") if a}
    invitations = [
        {
            "wave": i.wave.title,
            "email": i.email,
            "started": i.started,
            "reminders_sent": i.reminders_sent,
        }
        for i in Invitation.objects.filter(email__in=addresses).select_related("wave").order_by("pk")
    ]
    note = _(
        "Survey answers are anonymous. vitaal keeps no link between you and your answers, so they "
        "cannot be part of this file. Below are only the invitations sent to your e-mail address."
    )
    return [PersonalDataSection("surveys", _("Surveys"), invitations, note=note)]
