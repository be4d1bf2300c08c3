"""The revision lifecycle of a controlled document: who moves a revision where.

draft → under_review: the author (our staff), with the file and the named reviewers.
under_review → draft: returned to the author when a reviewer records comments.
under_review → approved: an approver signs with their password once every reviewer approved;
    never the revision's own author.
approved → effective: on its effective date (the approval day when that date has come, else the
    daily run); the revision in effect before it is superseded at that moment.
effective → superseded: by the system, when the next revision comes into effect.
draft, under_review, approved, effective → obsolete: withdrawn, with the reason.
"""

from django.utils.translation import gettext_lazy as _

from core.tenancy import is_internal
from core.workflow import Transition, Workflow

WORK = "documents.work"
APPROVE = "documents.approve"

REVISION_WORKFLOW = Workflow(
    {
        "submit": Transition({"draft"}, "under_review", WORK, _("Send for review")),
        "return": Transition({"under_review"}, "draft", None, _("Return to the author")),
        "approve": Transition({"under_review"}, "approved", APPROVE, _("Approve and sign")),
        "make_effective": Transition({"approved"}, "effective", None, _("Bring into effect")),
        "supersede": Transition({"effective"}, "superseded", None, _("Supersede")),
        "withdraw": Transition(
            {"draft", "under_review", "approved", "effective"},
            "obsolete",
            WORK,
            _("Withdraw (obsolete)"),
            needs_comment=True,
        ),
    }
)
# The buttons a revision's page offers; the others happen through reviews, dates and signatures.
PAGE_ACTIONS = ("submit", "withdraw")


def may_work(user) -> bool:
    """Our quality engineers, managers and admins keep documents and write revisions."""
    return is_internal(user) and user.has_capability(WORK)


def may_approve(user) -> bool:
    """Our quality managers and admins approve revisions with their signature."""
    return is_internal(user) and user.has_capability(APPROVE)


def actions_for(revision, user) -> list[str]:
    if not may_work(user):
        return []
    allowed = REVISION_WORKFLOW.allowed(revision.status, user)
    return [name for name in allowed if name in PAGE_ACTIONS]
