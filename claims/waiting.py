"""Whose turn it is on a claim, an 8D step and a cost sheet (``core.waiting``).

Claim: the filer submits a draft; from then on we work until the 8D is ready for the customer's
evaluation (while the claim is in containment … prevention we still owe disciplines, even when one
of them waits for the customer's approval: that wait is the step's own). Steps: we owe the open,
draft and sent-back ones; the customer approves the submitted ones. Cost sheet: we release, the
customer accepts or disputes, we revise a disputed one.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import ENGINEERS_LABEL as ENGINEERS
from core.templatetags.core_tags import plain_date
from core.waiting import Party, Turn, WaitingTable, person, read

from .models import Claim, ClaimCostSheet, EightDStep

S = Claim.Status


def filer_or_company(claim_path: str = ""):
    """The customer's side: the person who filed the claim, or their company if we filed it."""

    def resolve(record) -> str:
        claim = read(record, claim_path) if claim_path else record
        filer = claim.created_by
        return str(filer) if filer.is_customer_user else claim.customer.name

    return resolve


def _engineer(claim_path: str = ""):
    prefix = f"{claim_path}__" if claim_path else ""
    return person(f"{prefix}assigned_engineer", ENGINEERS)


def _prove_effectiveness(claim) -> str:
    return _("prove the effectiveness by %(date)s") % {
        "date": plain_date(claim.effectiveness_due_on)
    }


def _ours(status, action, since="updated_at"):
    """A claim status in which we work on, by the next deadline we owe."""
    return Turn(status, Party.US, _engineer(), action, since=since, due="next_due_at")


def _on_master(text):
    """An action taken on the claim whose 8D a linked claim follows: ``text`` names it."""

    def action(claim) -> str:
        return str(text) % {"number": claim.master.number}

    return action


# A claim that follows another claim's 8D (claims.linking) has the master's status, hence the
# same party acts as on the master, but on the master: the linked claim's steps have no deadlines.
_FOLLOWING = {"master_id__isnull": False}
_FOLLOWING_TURNS = [
    *(
        Turn(
            status,
            Party.US,
            _engineer(),
            _on_master(gettext_lazy("work on the 8D of %(number)s")),
            since="updated_at",
            when=_FOLLOWING,
        )
        for status in (
            S.ACKNOWLEDGED,
            S.UNDER_REVIEW,
            S.CONTAINMENT,
            S.ROOT_CAUSE,
            S.CORRECTIVE_ACTION,
            S.PREVENTION,
        )
    ),
    Turn(
        S.CUSTOMER_EVALUATION,
        Party.CUSTOMER,
        filer_or_company(),
        _on_master(gettext_lazy("accept or reject the 8D of %(number)s")),
        since="updated_at",
        when=_FOLLOWING,
    ),
    Turn(
        S.PROVISIONALLY_CLOSED,
        Party.CUSTOMER,
        filer_or_company(),
        _on_master(gettext_lazy("confirm the effectiveness on %(number)s")),
        since="updated_at",
        when={**_FOLLOWING, "master__effectiveness_evidence_at__isnull": False},
    ),
    Turn(
        S.PROVISIONALLY_CLOSED,
        Party.US,
        _engineer(),
        _on_master(gettext_lazy("prove the effectiveness on %(number)s")),
        since="updated_at",
        due="effectiveness_due_on",
        when=_FOLLOWING,
    ),
]

CLAIM_WAITING = WaitingTable(
    Claim,
    [
        *_FOLLOWING_TURNS,
        Turn(
            S.DRAFT,
            Party.CUSTOMER,
            filer_or_company(),
            gettext_lazy("submit the claim"),
            since="created_at",
            when={"created_by__role": "customer"},
        ),
        Turn(
            S.DRAFT,
            Party.US,
            person("created_by", ENGINEERS),
            gettext_lazy("submit the claim"),
            since="created_at",
        ),
        _ours(S.SUBMITTED, gettext_lazy("acknowledge the claim"), since="notified_at"),
        _ours(S.ACKNOWLEDGED, gettext_lazy("start the review"), since="acknowledged_at"),
        _ours(S.UNDER_REVIEW, gettext_lazy("accept or reject responsibility")),
        _ours(S.CONTAINMENT, gettext_lazy("contain the problem (D3)")),
        _ours(S.ROOT_CAUSE, gettext_lazy("find the root cause (D4)")),
        _ours(S.CORRECTIVE_ACTION, gettext_lazy("implement corrective actions (D5–D6)")),
        _ours(S.PREVENTION, gettext_lazy("prevent recurrence (D7)")),
        Turn(
            S.CUSTOMER_EVALUATION,
            Party.CUSTOMER,
            filer_or_company(),
            gettext_lazy("accept or reject the 8D"),
            since="updated_at",
        ),
        # Accepted provisionally (claims.provisional): we prove the actions effective by the
        # date, then the customer confirms.
        Turn(
            S.PROVISIONALLY_CLOSED,
            Party.CUSTOMER,
            filer_or_company(),
            gettext_lazy("confirm the effectiveness"),
            since="effectiveness_evidence_at",
            when={"effectiveness_evidence_at__isnull": False},
        ),
        Turn(
            S.PROVISIONALLY_CLOSED,
            Party.US,
            _engineer(),
            _prove_effectiveness,
            since="provisionally_accepted_at",
            due="effectiveness_due_on",
        ),
    ],
)

# Steps are worked on and decided only while the claim is in one of these (claims.workflow), and
# not on a claim that follows another claim's 8D: that claim's steps are (claims.linking).
_STEPS_LIVE = {
    "claim__status__in": [str(status) for status in Claim.EIGHT_D_STATUSES],
    "claim__master_id__isnull": True,
}


def _submit_step(step) -> str:
    return _("submit %(code)s") % {"code": step.code}


def _approve_step(step) -> str:
    return _("approve %(code)s") % {"code": step.code}


def _step_ours(status, since):
    return Turn(
        status,
        Party.US,
        _engineer("claim"),
        _submit_step,
        since=since,
        due="due_at",
        when=_STEPS_LIVE,
    )


STEP_WAITING = WaitingTable(
    EightDStep,
    [
        _step_ours(EightDStep.Status.OPEN, "claim__acknowledged_at"),
        _step_ours(EightDStep.Status.DRAFT, "updated_at"),
        _step_ours(EightDStep.Status.SENT_BACK, "decided_at"),
        Turn(
            EightDStep.Status.SUBMITTED,
            Party.CUSTOMER,
            filer_or_company("claim"),
            _approve_step,
            since="submitted_at",
            when=_STEPS_LIVE,
        ),
    ],
)

# The sheet's workflow (claims.costs.COST_WORKFLOW) does not depend on the claim's status.
C = ClaimCostSheet.Status

COST_SHEET_WAITING = WaitingTable(
    ClaimCostSheet,
    [
        Turn(
            C.DRAFT,
            Party.US,
            _engineer("claim"),
            gettext_lazy("release the costs to the customer"),
            since="updated_at",
        ),
        Turn(
            C.RELEASED,
            Party.CUSTOMER,
            filer_or_company("claim"),
            gettext_lazy("accept or dispute the costs"),
            since="released_at",
        ),
        Turn(
            C.DISPUTED,
            Party.US,
            _engineer("claim"),
            gettext_lazy("revise the costs and release them again"),
            since="customer_decided_at",
        ),
    ],
)
