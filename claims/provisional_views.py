"""A provisional acceptance on the claim page (claims.provisional).

The customer's "Accept provisionally" sits beside "Accept the 8D" among the claim's next steps;
a claim closed provisionally shows a panel (``claims/_provisional.html``) with the date, our
evidence, our form to send it, and the customer's confirmation or refusal. Every form posts to
the claim's transition route (``views.claim_transition``), which reads its inputs here.
"""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from core.pages import transition_buttons
from core.tenancy import is_internal

from . import provisional_forms as forms
from .models import Claim
from .workflow import CLAIM_WORKFLOW, WORK, claim_actions_for

# Decisions the panel offers, not the list of next steps.
PANEL_ACTIONS = ("customer_confirm_effectiveness", "customer_reject_effectiveness")

# What each transition takes from the posted form.
PAGE_INPUTS = {
    "customer_accept_provisionally": lambda post: {
        "due_on": forms.posted_date(post.get("due_on")),
        "comment": post.get("comment", ""),
    },
    "send_effectiveness_evidence": lambda post: {"evidence": post.get("evidence", "")},
    "customer_confirm_effectiveness": lambda post: {"comment": post.get("comment", "")},
    "customer_reject_effectiveness": lambda post: {"reason": post.get("reason", "")},
}


def next_steps(names: list[str]) -> list[str]:
    """The claim's transitions for the "Next steps" card: the panel's own left out."""
    return [name for name in names if name not in PANEL_ACTIONS]


def claim_page_context(claim: Claim, user) -> dict:
    """``provisional`` for the claim page, read only when the page renders it."""
    return {"provisional": SimpleLazyObject(lambda: _page_part(claim, user))}


def _page_part(claim: Claim, user) -> dict:
    actions = claim_actions_for(claim, user)
    status = claim.status
    is_open = status == Claim.Status.PROVISIONALLY_CLOSED
    part = {
        "accept_form": forms.AcceptProvisionallyForm(claim=claim)
        if "customer_accept_provisionally" in actions
        else None,
        # Open, or closed once the customer confirmed: the evidence stays on the record.
        "shown": is_open or (status == Claim.Status.CLOSED and claim.provisionally_accepted_at),
        "open": is_open,
        "evidence_form": None,
        "decisions": transition_buttons(
            CLAIM_WORKFLOW, [name for name in actions if name in PANEL_ACTIONS]
        ),
    }
    # A claim that follows another claim's 8D is proven on that claim (claims.linking).
    ours = is_internal(user) and user.has_capability(WORK) and claim.master_id is None
    if is_open and ours:
        initial = {"evidence": claim.effectiveness_evidence}
        part["evidence_form"] = forms.EffectivenessEvidenceForm(initial=initial)
    if part["decisions"]:
        part["confirm_form"] = forms.ConfirmEffectivenessForm()
        part["reason_form"] = forms.NotProvenForm()
    return part
