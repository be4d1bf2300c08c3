"""Who hears of what in a change request's life, through ``notifications.notify`` (DESIGN §7).

Each function is called by a service inside its transaction: the in-app notifications and the
outbox row that mails them commit with the change, or not at all. Every hand-over tells the party
whose turn it is: the named assessors, the review board members who still have to sign, the
customer (their users and the report recipients of their requirements), the engineer who raised
the change, the managers who release ECNs. Customer kinds carry nothing internal.
"""

from __future__ import annotations

from operator import attrgetter

from django.utils import translation
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from notifications.recipients import (
    customer_users,
    internal_users_with,
    owner_or_managers,
    report_addresses,
)
from notifications.services import Notices, Text, notify

from . import notification_kinds as kinds
from .workflow import APPROVE


def _short_date(value) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


# A date written in the recipient's format (a ``Text`` parameter is rendered in their language).
short_date = lazy(_short_date, str)


class Lines:
    """``Text`` objects rendered one per line in the recipient's language (a ``Text`` parameter)."""

    def __init__(self, texts, separator: str = "\n"):
        self.texts, self.separator = list(texts), separator

    def __str__(self) -> str:
        language = translation.get_language()
        return self.separator.join(text.render(language) for text in self.texts)


# --- change requests -----------------------------------------------------------------------------


_CHANGE = Notices(
    says={
        "decision": lambda change: change.CustomerDecision(change.customer_decision).label,
        "comment": attrgetter("customer_comment"),
    },
)


def _still_to_act(rows: str, done: str):
    """The people named in ``rows`` (the assessors, the approvers) who have not ``done`` yet."""

    def people(change) -> list:
        return [
            row.user
            for row in getattr(change, rows).select_related("user")
            if not getattr(row, done)
        ]

    return people


_TITLE_AND_CUSTOMER = _("%(title)s (%(customer)s)")

# Impact assessment started: each named assessor still to assess is asked.
assessment_needed = _CHANGE.notice(
    kinds.ASSESSMENT_NEEDED,
    _("%(number)s: your impact assessment is needed"),
    _TITLE_AND_CUSTOMER,
    to=_still_to_act("assessors", "assessed_at"),
)
# The change is at the review board: each member who has not signed yet is asked.
board_signature_needed = _CHANGE.notice(
    kinds.BOARD_SIGNATURE_NEEDED,
    _("%(number)s: waits for your review board signature"),
    _TITLE_AND_CUSTOMER,
    to=_still_to_act("approvers", "approved_at"),
)


def customer_decision_needed(change, actor=None, *, reminder: bool = False) -> list:
    """The change notice waits for the customer: their users and report recipients are asked."""
    customer = change.customer
    if reminder:
        title = Text(_("Reminder: %(number)s waits for your decision"), number=change.number)
        lead = Text(
            _("This change notice has been waiting for your decision since %(since)s."),
            since=short_date(change.customer_notified_at),
        )
    else:
        title = Text(_("%(number)s: change notice for your approval"), number=change.number)
        lead = Text(_("We plan the following change and ask for your approval."))
    lines = [
        Text(_("Change notice %(number)s: %(title)s"), number=change.number, title=change.title),
        lead,
        Text(_("Reason: %(reason)s"), reason=change.reason),
    ]
    if change.effectivity_date:
        lines.append(
            Text(_("Planned effectivity: %(date)s"), date=short_date(change.effectivity_date))
        )
    lines.append(Text(_("Please approve or reject the change in the quality portal.")))
    return notify(
        kind=kinds.DECISION_REMINDER if reminder else kinds.CUSTOMER_DECISION_NEEDED,
        recipients=customer_users(change.customer_id),
        addresses=report_addresses(customer),
        record=change,
        url=change.get_absolute_url(),
        title=title,
        body=Text("%(lines)s", lines=Lines(lines, "\n\n")),
        actor=actor,
    )


# The customer approved or rejected: the engineer who raised it (else the managers).
customer_decided = _CHANGE.notice(
    kinds.CUSTOMER_DECIDED,
    _("%(number)s: %(decision)s by the customer"),
    "%(comment)s",
    to=lambda change: owner_or_managers(change.created_by),
)
# Approved: the managers who may release the ECN (with their signature) are asked.
release_needed = _CHANGE.notice(
    kinds.RELEASE_NEEDED,
    _("%(number)s: approved, the ECN waits for release"),
    _TITLE_AND_CUSTOMER,
    to=lambda change: internal_users_with(APPROVE),
)
# ECN released: the engineer who raised the change validates and implements it.
released = _CHANGE.notice(
    kinds.RELEASED,
    _("%(number)s: ECN released, validation is due"),
    _TITLE_AND_CUSTOMER,
    to=lambda change: owner_or_managers(change.created_by),
)
