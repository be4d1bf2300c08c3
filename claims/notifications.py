"""Who is told what about a claim: every claim notification goes through ``notifications.notify``.

The services call these functions inside their own transaction, so the in-app notifications and
the outbox row that mails them commit with the change, or not at all (DESIGN §4, §7). Links are
paths; the notifications app makes them absolute for mails.

Our side: a claim's own people are its assigned engineer, else the customer's responsible
engineers, else every active quality manager. The customer's side: the filer (when a customer
user), the claim's customer contact (when that names a user of the customer) and, mail only, the
customer's report recipients. Customer texts never carry internal content.
"""

from __future__ import annotations

import re
from operator import attrgetter
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from core.templatetags.core_tags import unambiguous_datetime_format
from notifications.recipients import quality_managers
from notifications.services import Notices, Text, notify

from . import notification_kinds as kinds
from .models import Claim, EightDStep

URGENT_SEVERITIES = (Claim.Severity.SAFETY, Claim.Severity.CRITICAL)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


# --- links ---------------------------------------------------------------------------------------


def claim_path(claim, anchor: str = "") -> str:
    path = reverse("claims:claim-detail", args=[claim.pk])
    return f"{path}#{anchor}" if anchor else path


def step_path(claim_id: int, code: str) -> str:
    """The discipline's own page, or its row on the claim page where there is no such page."""
    try:
        return reverse("claims:eightd-step", kwargs={"pk": claim_id, "code": code})
    except NoReverseMatch:
        return f"{reverse('claims:claim-detail', args=[claim_id])}#step-{code}"


# --- who -----------------------------------------------------------------------------------------


def managers() -> list:
    """Every active quality manager."""
    return quality_managers()


def responsible_engineers(customer) -> list:
    return [user for user in customer.responsible_engineers.order_by("pk") if user.is_internal]


def first_responders(claim) -> list:
    """Who hears of a new claim: the customer's responsible engineers, else the managers."""
    return responsible_engineers(claim.customer) or managers()


def our_people(claim) -> list:
    """Who acts for us on a claim: its engineer, else the responsible engineers, else managers."""
    engineer = claim.assigned_engineer
    if engineer is not None and engineer.is_internal:
        return [engineer]
    return first_responders(claim)


def customer_people(claim) -> tuple[list, list[str]]:
    """(users, mail-only addresses) of the claim's customer who hear of its progress."""
    users = []
    filer = claim.created_by
    if filer.is_customer_user and filer.customer_id == claim.customer_id:
        users.append(filer)
    addresses = _EMAIL.findall(claim.customer_contact or "")
    if addresses:
        query = get_user_model().objects.filter(
            customer_id=claim.customer_id, role=Role.CUSTOMER, is_active=True
        )
        wanted = {address.lower() for address in addresses}
        users += [user for user in query if user.email.lower() in wanted]
    return users, claim.customer.requirements.recipients


# --- new claims and their acknowledgement --------------------------------------------------------


def claim_submitted(claim: Claim, actor) -> None:
    """A claim reached us: safety and critical ones at once to every quality manager too."""
    severity = Claim.Severity(claim.severity).label
    body = Text(
        _("Customer: %(customer)s\nPart: %(part)s\nSeverity: %(severity)s\n\n%(symptom)s"),
        customer=claim.customer.name,
        part=claim.part.part_number,
        severity=severity,
        symptom=claim.symptom,
    )
    if claim.severity in URGENT_SEVERITIES:
        notify(
            kind=kinds.SAFETY_ALERT,
            recipients=[*first_responders(claim), *managers()],
            record=claim,
            url=claim_path(claim),
            title=Text(
                _("%(severity)s claim %(number)s from %(customer)s: acknowledge it now"),
                severity=severity,
                number=claim.number,
                customer=claim.customer.name,
            ),
            body=body,
            actor=actor,
            urgent=True,
        )
        return
    notify(
        kind=kinds.SUBMITTED,
        recipients=first_responders(claim),
        record=claim,
        url=claim_path(claim),
        title=Text(
            _("%(number)s: new claim from %(customer)s"),
            number=claim.number,
            customer=claim.customer.name,
        ),
        body=body,
        actor=actor,
    )


def claim_not_acknowledged(claim: Claim, *, level: int, hours: int) -> None:
    """The escalation task: the quality managers and the claim's own people, once per level."""
    if level == 1:
        title = _("%(number)s from %(customer)s not acknowledged within %(hours)s working hours")
    else:
        title = _(
            "Second escalation: %(number)s from %(customer)s still not acknowledged after "
            "%(hours)s working hours"
        )
    notify(
        kind=kinds.NOT_ACKNOWLEDGED,
        recipients=[*managers(), *our_people(claim)],
        record=claim,
        url=claim_path(claim),
        title=Text(title, number=claim.number, customer=claim.customer.name, hours=hours),
        body=Text(
            _("Severity: %(severity)s\n\n%(symptom)s"),
            severity=Claim.Severity(claim.severity).label,
            symptom=claim.symptom,
        ),
        urgent=level > 1 or claim.severity in URGENT_SEVERITIES,
    )


# --- our answer, told to the customer ------------------------------------------------------------


def _tell_customer(claim: Claim, kind: str, title: Text, body: Text, actor, anchor: str = ""):
    users, addresses = customer_people(claim)
    notify(
        kind=kind,
        recipients=users,
        addresses=addresses,
        record=claim,
        url=claim_path(claim, anchor),
        title=title,
        body=body,
        actor=actor,
    )


_CLAIM = Notices(
    says={
        "reference": lambda claim: claim.customer_reference or "–",
        "code": lambda claim: Claim.RejectionCode(claim.rejection_code).label,
        "reason": attrgetter("rejection_reason"),
    },
)
_CUSTOMER_SIDE = {
    "to": lambda claim: customer_people(claim)[0],
    "mail_only": lambda claim: claim.customer.requirements.recipients,
}

claim_acknowledged = _CLAIM.notice(
    kinds.ACKNOWLEDGED,
    _("%(number)s: we have received your claim"),
    _(
        "We have acknowledged claim %(number)s (your reference: %(reference)s) and are "
        "working on it. You can follow the 8D in the quality portal."
    ),
    **_CUSTOMER_SIDE,
)
responsibility_accepted = _CLAIM.notice(
    kinds.RESPONSIBILITY_ACCEPTED,
    _("%(number)s: accepted as our responsibility"),
    _(
        "We accept claim %(number)s as our responsibility and answer it with an 8D, "
        "starting with the interim containment (D3)."
    ),
    **_CUSTOMER_SIDE,
)
responsibility_rejected = _CLAIM.notice(
    kinds.RESPONSIBILITY_REJECTED,
    _("%(number)s: not accepted as our responsibility"),
    _("Reason: %(code)s\n\n%(reason)s"),
    **_CUSTOMER_SIDE,
)
_CLOSED = _CLAIM.notice(
    kinds.CLOSED,
    _("%(number)s: claim closed"),
    _("The 8D of claim %(number)s has been accepted and the claim is closed."),
    **_CUSTOMER_SIDE,
)
# The customer's decision on the 8D, told to our side; ``text``: their comment or reason.
_EIGHT_D_ACCEPTED = _CLAIM.notice(
    kinds.EIGHT_D_DECIDED,
    _("%(number)s: the customer accepted the 8D"),
    _("%(text)s"),
    to=our_people,
)
eight_d_rejected = _CLAIM.notice(
    kinds.EIGHT_D_DECIDED,
    _("%(number)s: the customer rejected the 8D"),
    _("%(text)s"),
    to=our_people,
)


def claim_closed(claim: Claim, actor, comment: str = "") -> None:
    """The customer accepted the 8D: the customer's people and our own hear of it."""
    _CLOSED(claim, actor)
    _EIGHT_D_ACCEPTED(claim, actor, text=comment)


def step_submitted(step: EightDStep, actor) -> None:
    claim = step.claim
    label = EightDStep.Code(step.code).label
    users, addresses = customer_people(claim)
    notify(
        kind=kinds.STEP_SUBMITTED,
        recipients=users,
        addresses=addresses,
        record=claim,
        url=step_path(claim.pk, step.code),
        title=Text(
            _("%(number)s: %(step)s submitted for your approval"),
            number=claim.number,
            step=label,
        ),
        body=Text(
            _("%(summary)s\n\nPlease approve it or send it back in the quality portal."),
            summary=step.summary or label,
        ),
        actor=actor,
    )


def costs_released(claim: Claim, *, total, currency: str, lines: int, actor) -> None:
    _tell_customer(
        claim,
        kinds.COSTS_RELEASED,
        Text(_("%(number)s: costs released for your decision"), number=claim.number),
        Text(
            _(
                "The costs of claim %(number)s have been released: %(total)s %(currency)s in "
                "%(count)s lines.\n\nPlease accept or dispute them in the quality portal."
            ),
            number=claim.number,
            total=Localised(total),
            currency=currency or "",
            count=lines,
        ),
        actor,
        anchor="costs",
    )


# --- the customer's answers, told to us ----------------------------------------------------------


def _tell_us(claim: Claim, kind: str, title: Text, text: str, actor, url: str = "") -> None:
    notify(
        kind=kind,
        recipients=our_people(claim),
        record=claim,
        url=url or claim_path(claim),
        title=title,
        body=Text(_("%(text)s"), text=text) if text else None,
        actor=actor,
    )


def step_decided(step: EightDStep, actor, *, approved: bool, comment: str) -> None:
    claim = step.claim
    if approved:
        title = _("%(number)s: %(step)s approved by the customer")
    else:
        title = _("%(number)s: %(step)s sent back by the customer")
    _tell_us(
        claim,
        kinds.STEP_DECIDED,
        Text(title, number=claim.number, step=EightDStep.Code(step.code).label),
        comment,
        actor,
        url=step_path(claim.pk, step.code),
    )


def customer_commented(comment, actor) -> None:
    claim = comment.claim
    _tell_us(
        claim,
        kinds.COMMENTED,
        Text(
            _("%(number)s: new comment from %(author)s"),
            number=claim.number,
            author=actor.full_name or actor.email,
        ),
        comment.body,
        actor,
        url=claim_path(claim, "comments"),
    )


def costs_decided(claim: Claim, actor, *, disputed: bool, text: str) -> None:
    if disputed:
        title = _("%(number)s: the customer disputes the costs")
    else:
        title = _("%(number)s: the customer accepted the costs")
    _tell_us(
        claim,
        kinds.COSTS_DECIDED,
        Text(title, number=claim.number),
        text,
        actor,
        url=claim_path(claim, "costs"),
    )


# --- linked claims (claims.linking), told to both sides -----------------------------------------


def _filer_and_engineer(claim) -> list:
    """The customer's people on the claim and its engineer: a link changes how both follow it."""
    return [*customer_people(claim)[0], claim.assigned_engineer]


_LINK_SIDES = {
    "to": _filer_and_engineer,
    "mail_only": lambda claim: claim.customer.requirements.recipients,
}
# ``master``: the number of the claim whose 8D is followed; ``reason``: why it no longer is.
claim_linked = _CLAIM.notice(
    kinds.LINKED,
    _("%(number)s now follows the 8D of %(master)s"),
    _(
        "Claim %(number)s (customer reference: %(reference)s) is answered with the 8D of claim "
        "%(master)s, the same failure: its status follows that claim. Its quantities and costs "
        "stay its own. You can follow both in the quality portal."
    ),
    **_LINK_SIDES,
)
claim_unlinked = _CLAIM.notice(
    kinds.LINKED,
    _("%(number)s no longer follows the 8D of %(master)s"),
    _(
        "Claim %(number)s (customer reference: %(reference)s) is answered with an 8D of its own "
        "again, with its own deadlines.%(reason)s"
    ),
    **_LINK_SIDES,
)


# --- deadlines (the daily reminder run) ----------------------------------------------------------


def step_deadline(step: EightDStep, recipients, *, overdue: bool) -> list:
    """One notification per person for one step due within 24 hours or overdue."""
    claim = step.claim
    if overdue:
        kind, title = kinds.STEP_OVERDUE, _("%(number)s: %(step)s overdue since %(due)s")
    else:
        kind, title = kinds.STEP_DUE_SOON, _("%(number)s: %(step)s due %(due)s")
    return notify(
        kind=kind,
        recipients=recipients,
        record=claim,
        url=step_path(claim.pk, step.code),
        title=Text(
            title,
            number=claim.number,
            step=EightDStep.Code(step.code).label,
            due=Localised(step.due_at, claim.customer.time_zone),
        ),
        body=Text(
            _("Customer: %(customer)s\nStatus: %(status)s\nEngineer: %(engineer)s"),
            customer=claim.customer.name,
            status=EightDStep.Status(step.status).label,
            engineer=claim.assigned_engineer or "–",
        ),
        urgent=overdue,
    )


class Localised:
    """A number, or a moment in ``tz``, written in the language active when the text is rendered.

    Moments read ``7 Dec 2026, 17:00 (Europe/Berlin)`` / ``07.12.2026, 17:00 (Europe/Berlin)``:
    deadlines count in the customer's zone, and a mail cannot know the reader's (DESIGN §14).
    """

    def __init__(self, value, tz: str = ""):
        self.value, self.tz = value, tz

    def __str__(self):
        if hasattr(self.value, "tzinfo"):
            moment = timezone.localtime(self.value, ZoneInfo(self.tz)) if self.tz else self.value
            text = formats.date_format(moment, unambiguous_datetime_format())
            return f"{text} ({self.tz})" if self.tz else text
        return formats.number_format(self.value, decimal_pos=2, use_l10n=True)
