"""An employee's own pages: their record and who looked at it."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from vitaal.core.access import get_actor, person_fields_for, require_perm
from vitaal.core.forms import LanguagePreferenceForm
from vitaal.core.models import AccessLogEntry
from vitaal.core.views.people import person_rows


@require_GET
def my_data(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "core.view_own_data")
    person = get_actor(request.user).person
    assert person is not None
    rows = person_rows(person, person_fields_for(request.user, person))
    return render(
        request,
        "core/me.html",
        {
            "person": person,
            "rows": rows,
            "language_form": LanguagePreferenceForm(instance=request.user),
        },
    )


@require_GET
def my_access_log(request: HttpRequest) -> HttpResponse:
    """'Who looked at my data': every logged access by someone else to this person's data."""
    require_perm(request.user, "core.view_own_data")
    person = get_actor(request.user).person
    # The same visibility rule as every log page; narrowed to entries about this person.
    entries = (
        AccessLogEntry.objects.visible_to(request.user)
        .filter(subject=person)
        .only("timestamp", "actor_label", "action", "object_type", "description", "basis", "channel")
    )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "core/me_access_log.html", {"page": page})


@require_POST
def language_preference(request: HttpRequest) -> HttpResponse:
    form = LanguagePreferenceForm(request.POST, instance=request.user)
    if form.is_valid():
        user = form.save()
        if user.preferred_language:
            translation.activate(user.preferred_language)
            request.session["_language"] = user.preferred_language
        messages.success(request, _("Your language preference has been saved."))
        response: HttpResponseRedirect = redirect("core:me")
        if user.preferred_language:
            from django.conf import settings

            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.preferred_language, samesite="Lax")
        return response
    messages.error(request, _("Choose one of the offered languages."))
    return redirect("core:me")
