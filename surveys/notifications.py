"""Who hears of what in a survey's life, through ``notifications.notify``.

Called by the services inside their transaction (DESIGN §7): the notification rows and the mail
in the outbox commit with the invitation they tell of, or not at all. Each invited user gets their
own personal link; the engineer who follows a low answer up hears of it (and of a low 8D rating).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.templatetags.core_tags import plain_date
from notifications.services import Text, notify

from . import notification_kinds as kinds


class _Day:
    """A day rendered in the recipient's language (``7 Dec 2026`` / ``07.12.2026``)."""

    def __init__(self, day):
        self.day = day

    def __str__(self) -> str:
        return plain_date(self.day)


def invitation_sent(invitation, actor=None) -> list:
    campaign = invitation.campaign
    return notify(
        kind=kinds.INVITATION,
        recipients=[invitation.user],
        record=campaign,
        url=invitation.get_absolute_url(),
        title=Text(_("Survey: how satisfied are you with us? (%(title)s)"), title=campaign.title),
        body=Text(
            _(
                "We would like to know how we are doing. The survey takes about two minutes; "
                "you can change your answers until %(closes_on)s. Your personal link opens it "
                "once you are signed in."
            ),
            closes_on=_Day(campaign.closes_on),
        ),
        actor=actor,
    )


def reminder_sent(invitation) -> list:
    campaign = invitation.campaign
    return notify(
        kind=kinds.REMINDER,
        recipients=[invitation.user],
        record=campaign,
        url=invitation.get_absolute_url(),
        title=Text(_("Reminder: your opinion on %(title)s"), title=campaign.title),
        body=Text(
            _("The survey is open until %(closes_on)s. It takes about two minutes."),
            closes_on=_Day(campaign.closes_on),
        ),
    )


def low_answer(action, response, lines: list[str], actor=None) -> list:
    """The owner of the follow-up action hears which answers were low."""
    return notify(
        kind=kinds.LOW_ANSWER,
        recipients=[action.owner],
        record=response,
        url=response.get_absolute_url(),
        title=Text(
            _("%(customer)s: a low survey answer to follow up"),
            customer=response.customer.name,
        ),
        body=Text("%(lines)s", lines="\n".join(lines)),
        actor=actor,
    )


def low_rating(rating, recipients, actor=None) -> list:
    claim = rating.claim
    return notify(
        kind=kinds.LOW_RATING,
        recipients=recipients,
        record=claim,
        url=reverse("claims:claim-detail", args=[claim.pk]),
        title=Text(
            _("%(number)s: the customer rated the 8D %(speed)s/%(analysis)s/%(communication)s"),
            number=claim.number,
            speed=rating.speed,
            analysis=rating.analysis,
            communication=rating.communication,
        ),
        body=Text("%(comment)s", comment=rating.comment or "–"),
        actor=actor,
    )
