"""Demo data for open-answer coding: codebooks for a few open questions of the demo's
sector waves, every answer coded by the sector admin, about a third coded a second time by
a second researcher (with some differences, so the agreement page has something to say),
and agreed sets for part of those differences."""

from __future__ import annotations

import random
from typing import Any

from django.contrib.auth import get_user_model

from vitaal.core.hooks import DemoContext
from vitaal.core.models import Membership
from vitaal.core.roles import Role
from vitaal.surveys import coding
from vitaal.surveys.models import AgreedCoding, Code, Codebook, Coding, Wave

# (questionnaire code, question code): codes as (value, Dutch, English, words in the answer)
CODEBOOKS: dict[tuple[str, str], list[tuple[str, str, str, tuple[str, ...]]]] = {
    ("employee-survey", "comments"): [
        ("workload", "Werkdruk", "Workload", ("werkdruk",)),
        ("nearby", "Hulp dichtbij", "Help close by", ("dichtbij",)),
        ("awareness", "Bekendheid van het aanbod", "Awareness of the offer", ("bekend",)),
    ],
    ("hr-interview", "weaknesses"): [
        ("access", "Laagdrempelig", "Easy to reach", ("laagdrempelig",)),
        ("prevention", "Preventie", "Prevention", ("preventie",)),
        ("communication", "Communicatie", "Communication", ("communicatie",)),
    ],
    ("works-council-interview", "wishes"): [
        ("access", "Laagdrempelig", "Easy to reach", ("laagdrempelig",)),
        ("prevention", "Preventie", "Prevention", ("preventie",)),
        ("communication", "Communicatie", "Communication", ("communicatie",)),
    ],
}
SECOND_SHARE = 0.35
DIFFER_SHARE = 0.12


def _second_coder(context: DemoContext) -> Any:
    """A second researcher of the sector (no password: only their codings are demo data)."""
    user_model = get_user_model()
    email = "onderzoeker@demo.vitaal.test"
    user = user_model.objects.filter(email=email).first()
    if user is None:
        user = user_model(email=email, first_name="Daan", last_name="Onderzoek", preferred_language="")
        user.set_unusable_password()
        user.save()
        Membership.objects.create(user=user, role=Role.SECTOR_ADMIN, sector=context.sector)
    return user


def build(context: DemoContext) -> None:
    first = (
        Membership.objects.filter(sector=context.sector, role=Role.SECTOR_ADMIN, organisation__isnull=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if first is None:
        return
    second = _second_coder(context)
    rng = context.rng
    coded = double = 0
    for (questionnaire, question_code), spec in CODEBOOKS.items():
        wave = Wave.objects.filter(
            sector=context.sector, organisation__isnull=True, questionnaire__code=questionnaire
        ).first()
        if wave is None:
            continue
        question = wave.questionnaire.questions.get(code=question_code)
        book = coding.codebook_for(wave=wave, question=question)
        codes = [
            Code.objects.get_or_create(
                codebook=book, value=value, defaults={"label_nl": nl, "label_en": en, "position": i}
            )[0]
            for i, (value, nl, en, _words) in enumerate(spec, start=1)
        ]
        words = {code.pk: spec[i][3] for i, code in enumerate(codes)}
        n1, n2 = _code_wave(book, codes, words, first.user, second, rng)
        coded += n1
        double += n2
    context.lines.append(f"Survey coding: {coded} open answers coded, {double} of them twice")


def _code_wave(
    book: Codebook,
    codes: list[Code],
    words: dict[int, tuple[str, ...]],
    first: Any,
    second: Any,
    rng: random.Random,
) -> tuple[int, int]:
    answers = list(coding.open_answers(book.wave, book.question).values_list("pk", "text"))
    plan: list[tuple[int, Any, list[Code]]] = []
    agreed: list[tuple[int, list[Code]]] = []
    for answer_id, text in answers:
        lowered = text.lower()
        fitting = [c for c in codes if any(w in lowered for w in words[c.pk])] or [codes[0]]
        plan.append((answer_id, first, fitting))
        if rng.random() < SECOND_SHARE:
            other = fitting
            if rng.random() < DIFFER_SHARE:
                other = [rng.choice(codes)]
                if other != fitting and rng.random() < 0.5:
                    agreed.append((answer_id, fitting))
            plan.append((answer_id, second, other))
    created = Coding.objects.bulk_create(
        Coding(codebook=book, answer_id=answer_id, coder=coder) for answer_id, coder, _codes in plan
    )
    through = Coding.codes.through
    through.objects.bulk_create(
        through(coding_id=row.pk, code_id=code.pk)
        for row, (_a, _c, chosen) in zip(created, plan, strict=True)
        for code in chosen
    )
    made = AgreedCoding.objects.bulk_create(
        AgreedCoding(codebook=book, answer_id=answer_id, decided_by=first) for answer_id, _codes in agreed
    )
    agreed_through = AgreedCoding.codes.through
    agreed_through.objects.bulk_create(
        agreed_through(agreedcoding_id=row.pk, code_id=code.pk)
        for row, (_a, chosen) in zip(made, agreed, strict=True)
        for code in chosen
    )
    return len(answers), len(plan) - len(answers)
