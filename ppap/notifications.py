"""Who hears of what in a PPAP submission's life, through ``notifications.notify`` (DESIGN §7).

Called by the services inside their transaction. A complete, unsigned warrant asks everybody who
may sign it (``ppap.sign``); a sent submission asks the customer (their users and the report
recipients of their requirements); the customer's disposition and an expired interim approval go
to our responsible engineer and the submission's creator; an interim approval about to expire
reminds both sides. Customer notifications carry nothing internal.
"""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from notifications.recipients import customer_users, internal_users_with, report_addresses
from notifications.services import Text, notify

from . import notification_kinds as kinds
from .workflow import SIGN


def _ours(submission) -> list:
    return [person for person in (submission.owner, submission.created_by) if person is not None]


_short_date = lazy(lambda value: date_format(value, "SHORT_DATE_FORMAT"), str)


def psw_signature_needed(submission, actor) -> list:
    """The warrant is complete and unsigned: everybody who may sign it is asked."""
    return notify(
        kind=kinds.PSW_SIGNATURE_NEEDED,
        recipients=internal_users_with(SIGN),
        record=submission,
        url=submission.get_absolute_url(),
        title=Text(_("%(number)s: the warrant waits for your signature"), number=submission.label),
        body=Text(
            _("Part %(part)s, %(customer)s"),
            part=submission.part.customer_part_number,
            customer=submission.customer,
        ),
        actor=actor,
    )


def decision_needed(submission, actor) -> list:
    """Sent: the customer's users and report recipients are asked to decide."""
    return notify(
        kind=kinds.DECISION_NEEDED,
        recipients=customer_users(submission.customer_id),
        addresses=report_addresses(submission.customer),
        record=submission,
        url=submission.get_absolute_url(),
        title=Text(
            _("%(number)s: PPAP for part %(part)s submitted for your decision"),
            number=submission.label,
            part=submission.part.customer_part_number,
        ),
        body=Text(
            _("Please review the elements and decide on the submission in the quality portal.")
        ),
        actor=actor,
    )


def decided(submission, actor) -> list:
    """A disposition (or the lapse of an interim approval): our engineer and the creator."""
    return notify(
        kind=kinds.DECIDED,
        recipients=_ours(submission),
        record=submission,
        url=submission.get_absolute_url(),
        title=Text(
            _("%(number)s: %(status)s"),
            number=submission.label,
            status=submission.Status(submission.status).label,
        ),
        body=Text("%(comment)s", comment=submission.decision_comment)
        if submission.decision_comment
        else None,
        actor=actor,
    )


def interim_expiring(submission) -> list:
    """Before the interim approval ends: our engineer, the creator and the customer."""
    return notify(
        kind=kinds.INTERIM_EXPIRING,
        recipients=[*_ours(submission), *customer_users(submission.customer_id)],
        addresses=report_addresses(submission.customer),
        record=submission,
        url=submission.get_absolute_url(),
        title=Text(
            _("%(number)s: interim approval expires on %(date)s"),
            number=submission.label,
            date=_short_date(submission.interim_expires_on),
        ),
        body=Text(
            _("A resubmission is needed to reach full approval before the interim approval ends.")
        ),
    )
