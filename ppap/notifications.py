"""Who hears of what in a PPAP submission's life, through ``notifications.notify`` (DESIGN §7).

Called by the services inside their transaction. A complete, unsigned warrant asks everybody who
may sign it (``ppap.sign``); a sent submission asks the customer (their users and the report
recipients of their requirements); the customer's disposition and an expired interim approval go
to our responsible engineer and the submission's creator; an interim approval about to expire
reminds both sides. Customer notifications carry nothing internal.
"""

from __future__ import annotations

from operator import attrgetter

from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from notifications.recipients import customer_users, internal_users_with, report_addresses
from notifications.services import THE_CUSTOMER, Notices

from . import notification_kinds as kinds
from .workflow import SIGN


def _ours(submission) -> list:
    return [person for person in (submission.owner, submission.created_by) if person is not None]


_short_date = lazy(lambda value: date_format(value, "SHORT_DATE_FORMAT"), str)

_SUBMISSION = Notices(
    says={
        "number": attrgetter("label"),
        "part": attrgetter("part.customer_part_number"),
        "status": lambda submission: submission.Status(submission.status).label,
        "comment": attrgetter("decision_comment"),
        "date": lambda submission: _short_date(submission.interim_expires_on),
    },
)

# The warrant is complete and unsigned: everybody who may sign it is asked.
psw_signature_needed = _SUBMISSION.notice(
    kinds.PSW_SIGNATURE_NEEDED,
    _("%(number)s: the warrant waits for your signature"),
    _("Part %(part)s, %(customer)s"),
    to=lambda submission: internal_users_with(SIGN),
)
# Sent: the customer's users and report recipients are asked to decide.
decision_needed = _SUBMISSION.notice(
    kinds.DECISION_NEEDED,
    _("%(number)s: PPAP for part %(part)s submitted for your decision"),
    _("Please review the elements and decide on the submission in the quality portal."),
    to=THE_CUSTOMER,
)
# A disposition (or the lapse of an interim approval): our engineer and the creator.
decided = _SUBMISSION.notice(kinds.DECIDED, _("%(number)s: %(status)s"), "%(comment)s", to=_ours)
# Before the interim approval ends: our engineer, the creator and the customer.
interim_expiring = _SUBMISSION.notice(
    kinds.INTERIM_EXPIRING,
    _("%(number)s: interim approval expires on %(date)s"),
    _("A resubmission is needed to reach full approval before the interim approval ends."),
    to=lambda submission: [*_ours(submission), *customer_users(submission.customer_id)],
    mail_only=lambda submission: report_addresses(submission.customer),
)
