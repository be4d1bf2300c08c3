"""The survey card on the customer's home page (registered in SurveysConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from core.home import CountCard, HomeCard, persona

from . import selectors

TO_ANSWER = CountCard(
    "surveys_to_answer",
    gettext_lazy("Surveys awaiting your answer"),
    "bi-chat-square-heart",
    "surveys:my-surveys",
    "",
)


def survey_cards(user) -> list[HomeCard]:
    if persona(user) != "customer":
        return []
    return [TO_ANSWER.of(selectors.open_invitations(user).filter(answered_at__isnull=True).count())]
