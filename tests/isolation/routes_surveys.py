"""Routes of the surveys module (campaigns, answers, 8D ratings), classified for the sweep.

Merged into ``routes.REGISTRY``; the records the URL parameters come from are built by
``scenario_surveys.build`` and kept in ``side.extra``.
"""

from __future__ import annotations

import datetime as dt

from surveys.views import CAMPAIGN_SERVICES

from .routes import GET_ONLY, POST_ONLY, Access, Route, _of

_CAMPAIGN = _of(pk=lambda side: side.extra["survey_campaign"].pk)
_TOKEN = _of(token=lambda side: side.extra["survey_invitation"].token)


def _plan(side) -> dict:
    today = dt.date.today()
    return {
        "customer": side.customer.pk,
        "template": side.extra["survey_campaign"].template_id,
        "title": "Planned",
        "opens_on": (today + dt.timedelta(days=40)).isoformat(),
        "closes_on": (today + dt.timedelta(days=60)).isoformat(),
        "reminder_after_days": 7,
    }


def _answers(side) -> dict:
    return {"answers": [{"question": side.extra["survey_response"].answers.first().question_id}]}


def _rating(side) -> dict:
    return {"claim": side.extra["rated_claim"].pk, "speed": 3, "analysis": 3, "communication": 3}


PAGES = {
    "surveys:campaign-list": Route(Access.STAFF_ONLY, methods=GET_ONLY),
    "surveys:campaign-create": Route(Access.STAFF_ONLY, staff="manager", sample=_plan),
    "surveys:campaign-detail": Route(
        Access.TENANT_RECORD,
        _CAMPAIGN,
        methods=GET_ONLY,
        note="Staff read the results; the customer's users their own answers to it.",
    ),
    "surveys:campaign-transition": Route(
        Access.TENANT_RECORD,
        lambda side: [
            {"pk": side.extra["survey_campaign"].pk, "action": action}
            for action in CAMPAIGN_SERVICES
        ],
        methods=POST_ONLY,
        note="Only our quality managers move a campaign; the customer's own users are refused.",
    ),
    "surveys:customer-results": Route(
        Access.STAFF_ONLY, _of(customer_pk=lambda side: side.customer.pk), methods=GET_ONLY
    ),
    "surveys:template-list": Route(Access.STAFF_ONLY, methods=GET_ONLY),
    "surveys:template-standard": Route(Access.STAFF_ONLY, methods=POST_ONLY, staff="manager"),
    "surveys:template-detail": Route(
        Access.STAFF_ONLY,
        _of(pk=lambda side: side.extra["survey_campaign"].template_id),
        methods=GET_ONLY,
    ),
    "surveys:schedule-list": Route(Access.STAFF_ONLY, sample=lambda side: _plan(side)),
    "surveys:my-surveys": Route(Access.LIST, methods=GET_ONLY, searchable=False),
    "surveys:answer": Route(
        Access.OWN_ACCOUNT,
        _TOKEN,
        note="The personal link: only the invited user, signed in; anyone else gets a 404.",
    ),
    "surveys:claim-rate": Route(
        Access.TENANT_RECORD,
        _of(claim_id=lambda side: side.claim.pk),
        sample=_rating,
        note="The claim's customer rates its 8D; our staff read the ratings (POST: 403).",
    ),
}

API = {
    "survey-campaign-list": Route(
        Access.LIST,
        forbidden=frozenset({"POST"}),
        queries=lambda side: [{"customer": side.customer.pk}],
        sample=_plan,
    ),
    "survey-campaign-detail": Route(Access.TENANT_RECORD, _CAMPAIGN),
    **{
        f"survey-campaign-{name}": Route(Access.TENANT_RECORD, _CAMPAIGN)
        for name in ("open", "close", "invite")
    },
    "survey-campaign-results": Route(
        Access.STAFF_ONLY, _CAMPAIGN, note="CSAT, NPS and comments of every user: our staff."
    ),
    "survey-campaign-answer": Route(Access.TENANT_RECORD, _CAMPAIGN, sample=_answers),
    "survey-invitation-list": Route(Access.LIST, searchable=False),
    "survey-invitation-detail": Route(Access.OWN_ACCOUNT, _TOKEN, methods=GET_ONLY),
    "survey-invitation-answer": Route(Access.OWN_ACCOUNT, _TOKEN, methods=POST_ONLY),
    "survey-response-list": Route(
        Access.LIST,
        searchable=False,
        queries=lambda side: [{"campaign": side.extra["survey_campaign"].pk}],
    ),
    "survey-response-detail": Route(
        Access.TENANT_RECORD, _of(pk=lambda side: side.extra["survey_response"].pk)
    ),
    "eightd-rating-list": Route(
        Access.LIST,
        searchable=False,
        queries=lambda side: [{"claim": side.extra["rated_claim"].pk}],
        sample=_rating,
    ),
    "eightd-rating-detail": Route(
        Access.TENANT_RECORD, _of(pk=lambda side: side.extra["survey_rating"].pk)
    ),
}

REGISTRY: dict = {**PAGES, **API}
