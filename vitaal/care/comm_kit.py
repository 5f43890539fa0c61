"""The communication kit: ready-made texts about the care package and each intervention,
for a newsletter, the intranet and an e-mail, filled in with the organisation's name and
how to apply. Both Dutch and English are always produced, whatever the reader's language,
because an organisation often publishes both. The texts are content (like the catalog's
descriptions), so they are kept here in both languages rather than in the translation
files.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from vitaal.care.models import Intervention, Package, PackageItem, Theme, Verdict
from vitaal.core.models import Organisation

LANGUAGES = ("nl", "en")
CHANNELS = ("newsletter", "intranet", "email")

THEME_NAMES = {
    "nl": {
        "physical": "lichamelijke gezondheid",
        "mental": "mentale gezondheid",
        "lifestyle": "leefstijl",
        "other": "overige ondersteuning",
    },
    "en": {
        "physical": "physical health",
        "mental": "mental health",
        "lifestyle": "lifestyle",
        "other": "other support",
    },
}

PRIVACY = {
    "nl": (
        "Je werkgever ziet niet wie welke ondersteuning gebruikt. Je aanvraag gaat naar de "
        "zorgcoördinator en de zorgaanbieder, niet naar je leidinggevende."
    ),
    "en": (
        "Your employer does not see who uses which support. Your request goes to the care "
        "coordinator and the provider, not to your manager."
    ),
}

PACKAGE_TEXTS = {
    "newsletter": {
        "nl": (
            "Ondersteuning bij je gezondheid via {org}",
            "Loop je ergens tegenaan, op je werk of daarbuiten? Als medewerker van {org} kun "
            "je gebruikmaken van "
            "het zorgpakket van onze sector. Je vindt er hulp bij {themes}, bijvoorbeeld {examples}.\n\n"
            "{how}\n\n{privacy}",
        ),
        "en": (
            "Support for your health through {org}",
            "Struggling with something, at work or outside it? As an employee of {org} you "
            "can use our sector's "
            "care package. It offers help with {themes}, for example {examples}.\n\n{how}\n\n{privacy}",
        ),
    },
    "intranet": {
        "nl": (
            "Het zorgpakket voor medewerkers van {org}",
            "Wat is het? Een pakket met ondersteuning bij {themes}.\n"
            "Wat zit erin? {examples}.\n"
            "Hoe vraag je het aan? {how}\n"
            "Privacy: {privacy}",
        ),
        "en": (
            "The care package for employees of {org}",
            "What is it? A package of support with {themes}.\n"
            "What is in it? {examples}.\n"
            "How do you apply? {how}\n"
            "Privacy: {privacy}",
        ),
    },
    "email": {
        "nl": (
            "Hulp nodig? Het zorgpakket van {org} staat voor je klaar",
            "Beste collega,\n\nWist je dat je als medewerker van {org} gebruik kunt maken "
            "van het zorgpakket? "
            "Het helpt bij {themes}.\n\n{how}\n\n{privacy}\n\nMet vriendelijke groet,\n{org}",
        ),
        "en": (
            "Need help? The care package of {org} is there for you",
            "Dear colleague,\n\nDid you know that as an employee of {org} you can use the care package? "
            "It helps with {themes}.\n\n{how}\n\n{privacy}\n\nKind regards,\n{org}",
        ),
    },
}

INTERVENTION_TEXTS = {
    "newsletter": {
        "nl": (
            "{name}: nu voor medewerkers van {org}",
            "{description}\n\nAls medewerker van {org} kun je {name} aanvragen via het "
            "zorgpakket.{duration}\n\n"
            "{how}\n\n{privacy}",
        ),
        "en": (
            "{name}: now for employees of {org}",
            "{description}\n\nAs an employee of {org} you can apply for {name} through the care package."
            "{duration}\n\n{how}\n\n{privacy}",
        ),
    },
    "intranet": {
        "nl": (
            "{name}",
            "Wat is het? {description}\nVoor wie? Alle medewerkers van {org}.{duration}\nHoe "
            "vraag je het aan? {how}\n"
            "Privacy: {privacy}",
        ),
        "en": (
            "{name}",
            "What is it? {description}\nFor whom? All employees of {org}.{duration}\nHow do "
            "you apply? {how}\n"
            "Privacy: {privacy}",
        ),
    },
    "email": {
        "nl": (
            "{name} via het zorgpakket van {org}",
            "Beste collega,\n\n{description}\n\nJe kunt {name} aanvragen via het zorgpakket "
            "van {org}.{duration}"
            "\n\n{how}\n\n{privacy}\n\nMet vriendelijke groet,\n{org}",
        ),
        "en": (
            "{name} through the care package of {org}",
            "Dear colleague,\n\n{description}\n\nYou can apply for {name} through the care package of {org}."
            "{duration}\n\n{how}\n\n{privacy}\n\nKind regards,\n{org}",
        ),
    },
}


@dataclass(frozen=True)
class KitText:
    channel: str
    language: str
    title: str
    body: str

    @property
    def full(self) -> str:
        return f"{self.title}\n\n{self.body}"


def package_items(organisation: Organisation) -> list[PackageItem]:
    """The interventions on offer in the sector's published package of this year (or the
    latest published one): in the package or under discussion."""
    year = timezone.localdate().year
    packages = Package.objects.filter(sector_id=organisation.sector_id).published()
    package = packages.filter(year__lte=year).order_by("-year").first() or packages.order_by("year").first()
    if package is None:
        return []
    return list(
        PackageItem.objects.filter(package=package, verdict__in=[Verdict.IN, Verdict.DISCUSS])
        .select_related("intervention")
        .order_by("intervention__theme", "intervention__name_nl")
    )


def how_to_apply(intervention: Intervention | None, language: str, portal_url: str) -> str:
    """How an employee gets it: the routes of the intervention, in plain words."""
    nl = language == "nl"
    direct = intervention is None or intervention.route_direct
    parts = []
    if direct:
        parts.append(
            f"Log in op vitaal ({portal_url}), kies Zorg en vraag het zelf aan. Je hoeft "
            f"niemand iets te vragen."
            if nl
            else (
                f"Log in to vitaal ({portal_url}), choose Care and apply yourself. You do not "
                f"need to ask anyone."
            )
        )
    if intervention is not None:
        referrers = []
        for flag, nl_name, en_name in (
            (intervention.route_manager, "je leidinggevende", "your manager"),
            (intervention.route_hr, "je HR-adviseur", "your HR advisor"),
            (intervention.route_company_doctor, "de bedrijfsarts", "the company doctor"),
        ):
            if flag:
                referrers.append(nl_name if nl else en_name)
        if referrers:
            joined = _join(referrers, "of" if nl else "or")
            if direct:
                parts.append(
                    f"Ook {joined} kan je doorverwijzen; jij beslist of je dat aanneemt."
                    if nl
                    else f"{joined[0].upper()}{joined[1:]} can also refer you; you decide whether to accept."
                )
            else:
                parts.append(
                    f"Je krijgt dit via een doorverwijzing door {joined}. Jij beslist of je die aanneemt; "
                    f"daarna zie je alles in vitaal ({portal_url})."
                    if nl
                    else f"You get this through a referral by {joined}. You decide whether to accept it; "
                    f"after that you follow everything in vitaal ({portal_url})."
                )
        if intervention.approval_required:
            parts.append(
                "Een zorgcoördinator of bedrijfsarts bekijkt je aanvraag eerst."
                if nl
                else "A care coordinator or company doctor looks at your request first."
            )
    return " ".join(parts)


def _join(items: list[str], word: str) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {word} {items[-1]}"


def build_kit(organisation: Organisation, subject: str, portal_url: str) -> list[KitText]:
    """The texts for the package (``subject="package"``) or one intervention (its id as
    text), for every channel, in Dutch and English. Unknown subjects raise KeyError."""
    items = package_items(organisation)
    texts: list[KitText] = []
    if subject == "package":
        for channel in CHANNELS:
            for language in LANGUAGES:
                names = [
                    item.intervention.name_nl if language == "nl" else item.intervention.name_en
                    for item in items
                ]
                themes = sorted(
                    {item.intervention.theme for item in items}, key=[t.value for t in Theme].index
                )
                values = {
                    "org": organisation.name,
                    "themes": _join(
                        [THEME_NAMES[language][t] for t in themes] or [THEME_NAMES[language]["other"]],
                        "en" if language == "nl" else "and",
                    ),
                    "examples": ", ".join(names[:5]) or "-",
                    "how": how_to_apply(None, language, portal_url),
                    "privacy": PRIVACY[language],
                }
                title, body = PACKAGE_TEXTS[channel][language]
                texts.append(KitText(channel, language, title.format(**values), body.format(**values)))
        return texts
    by_id = {str(item.intervention_id): item.intervention for item in items}
    intervention = by_id[subject]
    for channel in CHANNELS:
        for language in LANGUAGES:
            nl = language == "nl"
            duration = intervention.duration_nl if nl else intervention.duration_en
            values = {
                "org": organisation.name,
                "name": intervention.name_nl if nl else intervention.name_en,
                "description": (intervention.description_nl if nl else intervention.description_en)
                or (intervention.name_nl if nl else intervention.name_en),
                "duration": (f" Duur: {duration}." if nl else f" Duration: {duration}.") if duration else "",
                "how": how_to_apply(intervention, language, portal_url),
                "privacy": PRIVACY[language],
            }
            title, body = INTERVENTION_TEXTS[channel][language]
            texts.append(KitText(channel, language, title.format(**values), body.format(**values)))
    return texts
