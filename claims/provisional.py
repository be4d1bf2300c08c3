"""Provisional acceptance of an 8D: accepted now, closed once the actions prove effective.

The customer may accept the 8D provisionally, with a date by which we prove the corrective actions
effective (REFERENCE §1, D8). The claim is then "closed provisionally": no longer open in the
figures, not closed either (``closed_at`` stays empty) until the customer confirms the evidence we
send. When the evidence does not hold, the customer sends corrective action (D5) and everything
after it back to us, as when they reject the 8D.

Our engineer hears once per claim and due date, ``CQM_PROVISIONAL_REMINDER_DAYS`` before the date,
that the evidence is still missing (``provisional_reminders_send``, run by the daily deadline task).
"""

from __future__ import annotations

import datetime as dt
from operator import attrgetter
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import limits
from core.errors import Conflict, DomainError
from core.records import services as records
from core.templatetags.core_tags import plain_date
from notifications.services import Notices

from . import linking, notifications, services
from . import notification_kinds as kinds
from .models import Claim, EightDStep, ProvisionalReminder
from .services import writes_claim
from .workflow import WORK

# How far ahead the customer may set the date: beyond a year the 8D would stay half open.
MAX_DAYS_AHEAD = 365
# What a provisional acceptance sets on the claim; cleared when the effectiveness is not proven.
PROVISIONAL_FIELDS = [
    "provisionally_accepted_at",
    "effectiveness_due_on",
    "effectiveness_evidence",
    "effectiveness_evidence_at",
]
# The disciplines answered again when the effectiveness is not proven (as on rejecting the 8D).
REDONE_STEPS = ("D5", "D6", "D7", "D8")


# --- the customer accepts provisionally, we prove, the customer confirms or not -----------------


@writes_claim
def claim_accept_provisionally(
    *, claim: Claim, actor, due_on: dt.date | None, comment: str = ""
) -> Claim:
    """Accept the 8D on condition that its effectiveness is proven by ``due_on``.

    Like accepting the 8D: D8 must have been submitted, and is approved with it.
    """
    services.require_customer_side(claim, actor)
    d8 = services.locked_step(claim, "D8")
    if d8.status not in (EightDStep.Status.SUBMITTED, EightDStep.Status.APPROVED):
        raise Conflict(
            _("The 8D can be accepted provisionally once D8 (closure) has been submitted.")
        )
    comment = (comment or "").strip()
    claim.effectiveness_due_on = checked_due_on(due_on, claim)
    claim.provisionally_accepted_at = timezone.now()
    claim.effectiveness_evidence, claim.effectiveness_evidence_at = "", None
    services.transition_claim(
        claim, actor, "customer_accept_provisionally", PROVISIONAL_FIELDS, comment=comment
    )
    if d8.status == EightDStep.Status.SUBMITTED:
        services.decide_step(d8, actor, EightDStep.Status.APPROVED, comment)
    _ACCEPTED(claim, actor, text=comment)
    return claim


def checked_due_on(due_on, claim: Claim) -> dt.date:
    """``due_on`` if it lies after today (the customer's day) and at most a year ahead."""
    if not isinstance(due_on, dt.date):
        raise DomainError(
            _("Enter the date by which the effectiveness evidence is due."), field="due_on"
        )
    if isinstance(due_on, dt.datetime):
        due_on = due_on.date()
    today = timezone.localdate(timezone=ZoneInfo(claim.customer.time_zone))
    if due_on <= today:
        raise DomainError(_("The evidence must be due after today."), field="due_on")
    if due_on > today + dt.timedelta(days=MAX_DAYS_AHEAD):
        raise DomainError(
            _("Choose a date at most %(days)s days ahead.") % {"days": MAX_DAYS_AHEAD},
            field="due_on",
        )
    return due_on


@writes_claim
def claim_send_effectiveness_evidence(*, claim: Claim, actor, evidence: str) -> Claim:
    """Our proof that the corrective actions work; sent again, it replaces the earlier text.

    Files (measurements, audit results) go with the claim's attachments.
    """
    records.require_capability(actor, WORK)
    linking.require_own_8d(claim)  # a claim that follows another's 8D is proven with that one
    if claim.status != Claim.Status.PROVISIONALLY_CLOSED:
        raise Conflict(_("Effectiveness evidence is sent while the claim is closed provisionally."))
    evidence = records.required(
        evidence, "evidence", _("Describe the evidence that the corrective actions are effective.")
    )
    if len(evidence) > limits.LONG_TEXT:
        raise DomainError(
            _("Write at most %(count)s characters.") % {"count": limits.LONG_TEXT},
            field="evidence",
        )
    claim.effectiveness_evidence = evidence
    claim.effectiveness_evidence_at = timezone.now()
    fields = ["effectiveness_evidence", "effectiveness_evidence_at"]
    records.save(claim, actor, _("Effectiveness evidence sent"), fields)
    # The timeline keeps every text sent, also after a later one replaced it.
    services.claim_event(claim, actor, "effectiveness_evidence", comment=evidence)
    _EVIDENCE_SENT(claim, actor)
    return claim


@writes_claim
def claim_confirm_effectiveness(*, claim: Claim, actor, comment: str = "") -> Claim:
    """The customer confirms the actions effective: the claim is closed."""
    services.require_customer_side(claim, actor)
    comment = (comment or "").strip()
    claim.closed_at = timezone.now()
    services.transition_claim(
        claim, actor, "customer_confirm_effectiveness", ["closed_at"], comment=comment
    )
    notifications.claim_closed(claim, actor, comment)
    return claim


@writes_claim
def claim_reject_effectiveness(*, claim: Claim, actor, reason: str) -> Claim:
    """The effectiveness is not proven: corrective action and everything after is redone.

    The acceptance, its date and the evidence are cleared, so that a later acceptance starts
    afresh; the history and the timeline keep them.
    """
    services.require_customer_side(claim, actor)
    reason = records.required(reason, "reason", _("Say why the effectiveness is not proven."))
    claim.provisionally_accepted_at = claim.effectiveness_due_on = None
    claim.effectiveness_evidence, claim.effectiveness_evidence_at = "", None
    services.transition_claim(
        claim, actor, "customer_reject_effectiveness", PROVISIONAL_FIELDS, comment=reason
    )
    services.send_steps_back(claim, actor, REDONE_STEPS, reason)
    _NOT_PROVEN(claim, actor, text=reason)
    return claim


# The page's and the API's transitions by name (views.CLAIM_TRANSITIONS adds them to
# services.CLAIM_SERVICES: services cannot import this module, which builds on it).
CLAIM_SERVICES = {
    "customer_accept_provisionally": claim_accept_provisionally,
    "send_effectiveness_evidence": claim_send_effectiveness_evidence,
    "customer_confirm_effectiveness": claim_confirm_effectiveness,
    "customer_reject_effectiveness": claim_reject_effectiveness,
}


# --- the reminder before the date ----------------------------------------------------------------


@transaction.atomic
def provisional_reminders_send(*, today: dt.date | None = None) -> dict:
    """Tell our engineer of every claim whose evidence is due within the reminder window and not
    sent yet; once per claim and due date, however often this runs."""
    today = today or timezone.localdate()
    window = dt.timedelta(days=settings.CQM_PROVISIONAL_REMINDER_DAYS)
    told_before = ProvisionalReminder.objects.filter(
        claim=OuterRef("pk"), due_on=OuterRef("effectiveness_due_on")
    )
    claims = (
        Claim.objects.filter(
            status=Claim.Status.PROVISIONALLY_CLOSED,
            # A claim that follows another's 8D is proven with its master: one reminder, there.
            master__isnull=True,
            effectiveness_evidence_at__isnull=True,
            effectiveness_due_on__gte=today,
            effectiveness_due_on__lte=today + window,
        )
        .exclude(Exists(told_before))
        .select_related("customer", "assigned_engineer")
        .order_by("effectiveness_due_on", "number")
    )
    reminded = told = 0
    for claim in claims:
        # Recorded before anybody is told: a second or concurrent run finds the row and stops.
        recorded = ProvisionalReminder.objects.record_for(
            [claim], customer_id=claim.customer_id, due_on=claim.effectiveness_due_on
        )
        if recorded:
            reminded += 1
            told += len(_EVIDENCE_DUE(claim))
    return {"effectiveness_reminders": reminded, "effectiveness_notifications": told}


# --- who is told ---------------------------------------------------------------------------------

# A day in the reader's language (``7 Dec 2026`` / ``07.12.2026``), rendered for each recipient.
_day = lazy(plain_date, str)

_NOTICES = Notices(
    says={
        "due": lambda claim: _day(claim.effectiveness_due_on),
        "customer": lambda claim: claim.customer.name,
        "evidence": attrgetter("effectiveness_evidence"),
    },
    url=lambda claim: notifications.claim_path(claim, "effectiveness"),
)
_ACCEPTED = _NOTICES.notice(
    kinds.ACCEPTED_PROVISIONALLY,
    gettext_lazy("%(number)s: the customer accepted the 8D provisionally"),
    gettext_lazy("Effectiveness evidence is due by %(due)s.\n\n%(text)s"),
    to=notifications.our_people,
)
_EVIDENCE_DUE = _NOTICES.notice(
    kinds.EFFECTIVENESS_DUE,
    gettext_lazy("%(number)s: effectiveness evidence due %(due)s"),
    gettext_lazy(
        "Customer: %(customer)s\n\nThe customer accepted the 8D provisionally. Send the "
        "evidence that the corrective actions are effective by %(due)s."
    ),
    to=notifications.our_people,
)
_EVIDENCE_SENT = _NOTICES.notice(
    kinds.EFFECTIVENESS_EVIDENCE,
    gettext_lazy("%(number)s: effectiveness evidence for your confirmation"),
    gettext_lazy(
        "%(evidence)s\n\nPlease confirm the effectiveness in the quality portal, or say why it "
        "is not proven."
    ),
    to=lambda claim: notifications.customer_people(claim)[0],
    mail_only=lambda claim: notifications.customer_people(claim)[1],
)
_NOT_PROVEN = _NOTICES.notice(
    kinds.EIGHT_D_DECIDED,
    gettext_lazy("%(number)s: the customer does not consider the effectiveness proven"),
    gettext_lazy("%(text)s"),
    to=notifications.our_people,
)
