"""Survey records built through the services, as the pages and the API make them."""

import datetime as dt

from django.utils import timezone

from surveys import services


def plan(customer, manager, template, *, opens_in: int = 0, days: int = 28, **fields):
    today = timezone.localdate()
    return services.campaign_create(
        actor=manager,
        customer=customer,
        template=template,
        opens_on=today + dt.timedelta(days=opens_in),
        closes_on=today + dt.timedelta(days=opens_in + days - 1),
        **fields,
    )


def good_answers(questions, **overrides) -> dict:
    """Question id → answer: every 1–5 question a 4, NPS 9, a comment; ``overrides`` by kind
    (``scale_5=[5, 2, 4, 4]``, ``nps=3``, ``text="…"``)."""
    answers = {}
    scale = overrides.get("scale_5", [4] * len(questions.get("scale_5", [])))
    for question, value in zip(questions.get("scale_5", []), scale, strict=True):
        answers[question.pk] = value
    for question in questions.get("nps", []):
        answers[question.pk] = overrides.get("nps", 9)
    for question in questions.get("text", []):
        answers[question.pk] = overrides.get("text", "Keep the 8D reports coming this fast.")
    return answers
