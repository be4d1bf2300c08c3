"""Claims attached to another claim's running 8D: linked claims.

A customer often reports one failure several times (other lots, plants or reference numbers).
Rather than answering each report with an 8D of its own, our staff attach the later claims to the
8D already running, the *master*. A claim that follows a master:

- has the master's status (and its responsibility, rejection and closure): ``follow_master``
  copies them after every status change of the master (``services._transition`` calls it);
- keeps its 8D steps, but they lose their due dates, so that no reminder, overdue flag or next
  deadline fires for them (those read ``EightDStep.due_at``); the master's steps are worked on
  and the claim page shows those instead;
- keeps its own quantities, costs and ppm counting: it is still a claim of its own in every figure;
- takes no transition or 8D write of its own (``require_own_8d``);
- can be detached until the master's root cause (D4) is approved, after which both claims share
  the corrective actions; it then gets its own deadlines back.

Which claims may be attached to which: the same customer, and the same failure, which is the same
part (or another revision of the customer's part number) or a similar symptom, by the word overlap
and threshold the claim page uses for similar claims (``claims.similarity``). No chains: a master
follows nobody, and a claim others follow cannot itself follow another. Only a claim whose own
8D has not gone past containment is attached: after that it has answers of its own to give.

Attaching and detaching lock both claims. Attaching locks them in the order of their ids;
detaching locks the master first and then the claim, the order ``follow_master`` takes them in
(a master's writer, then its followers), so that neither can deadlock with the other.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, DomainError
from core.records import services as records

from . import notifications
from .deadlines import step_deadlines
from .models import Claim, ClaimEvent, EightDStep
from .similarity import Thresholds, symptom_similarity, symptom_words
from .workflow import WORK

S = Claim.Status
# A claim whose own 8D is no further than this can be attached to another claim's 8D.
ATTACHABLE_WHILE = (S.SUBMITTED, S.ACKNOWLEDGED, S.UNDER_REVIEW, S.CONTAINMENT)
# A claim can be detached while its master has not gone past root cause (and D4 is not approved).
DETACHABLE_WHILE = (S.ACKNOWLEDGED, S.UNDER_REVIEW, S.CONTAINMENT, S.ROOT_CAUSE)
# A claim in one of these has never been a running 8D: nothing can follow it.
NEVER_FOLLOWED = (S.DRAFT, S.SUBMITTED, S.CANCELLED)
# What a linked claim takes over from its master whenever the master's status changes.
FOLLOWED_FIELDS = (
    "status",
    "responsibility",
    "rejection_code",
    "rejection_reason",
    "closed_at",
    "provisionally_accepted_at",
    "effectiveness_due_on",
)
# The attach form offers at most this many of a customer's running 8Ds, newest first.
MAX_CANDIDATES = 50


# --- the rule every 8D write keeps ---------------------------------------------------------------


def require_own_8d(claim: Claim) -> None:
    """Refuse a transition or an 8D write on a claim that follows another claim's 8D."""
    if claim.master_id is not None:
        raise Conflict(
            _("This claim follows the 8D of %s; work on that claim.") % claim.master.number
        )


# --- services ------------------------------------------------------------------------------------


@transaction.atomic
def claim_link(*, claim: Claim, master: Claim, actor, expected_version: int | None = None) -> Claim:
    """Attach ``claim`` to the running 8D of ``master``: it follows the master from now on."""
    records.require_capability(actor, WORK)  # our staff's: no customer role holds it
    if master.pk == claim.pk:
        raise DomainError(_("A claim cannot follow its own 8D."), field="master")
    claim, master = _lock_in_id_order(claim, master, expected_version)
    refusal = attach_refusal(claim)
    if refusal:
        raise Conflict(refusal)
    _require_may_follow(claim, master)

    from_status = claim.status
    claim.master = master
    fields = ["master", *_follow(claim, master)]
    if claim.acknowledged_at is None:
        # Received and answered, through the master's 8D: no escalation for a missing receipt.
        claim.acknowledged_at = timezone.now()
        fields.append("acknowledged_at")
    records.save(claim, actor, _("Attached to the 8D of %s") % master.number, fields)
    _event(claim, actor, "link", from_status, comment=master.number)
    _event(master, actor, "link", comment=claim.number)
    _hold_own_steps(claim, master, actor)
    notifications.claim_linked(claim, actor, master=master.number)
    return claim


@transaction.atomic
def claim_unlink(
    *, claim: Claim, actor, reason: str = "", expected_version: int | None = None
) -> Claim:
    """Detach ``claim`` from its master's 8D; refused once the master's root cause is approved.

    The claim keeps the status it has (the master's); its own open steps are due again by the
    customer's deadlines, counted from its notification as for any claim.
    """
    records.require_capability(actor, WORK)  # our staff's: no customer role holds it
    reason = (reason or "").strip()
    master_id = Claim.objects.filter(pk=claim.pk).values_list("master_id", flat=True).first()
    if master_id is None:
        raise Conflict(_("This claim does not follow another claim's 8D."))
    master = _lock(master_id)
    claim = _lock(claim.pk, expected_version)
    if claim.master_id != master.pk:
        raise Conflict(_("This claim was changed meanwhile: reload the page and try again."))
    refusal = detach_refusal(master)
    if refusal:
        raise Conflict(refusal)

    claim.master = None
    records.save(claim, actor, _("Detached from the 8D of %s") % master.number, ["master"])
    _event(claim, actor, "unlink", comment=_with_reason(master.number, reason))
    _event(master, actor, "unlink", comment=_with_reason(claim.number, reason))
    _resume_own_steps(claim, actor)
    notifications.claim_unlinked(
        claim, actor, master=master.number, reason=f"\n\n{reason}" if reason else ""
    )
    return claim


def follow_master(master: Claim, actor) -> list[Claim]:
    """Bring the claims that follow ``master`` to its status, after a change of it.

    Called inside the transaction that changed the (locked) master; locks the followers after it.
    """
    if master.status in NEVER_FOLLOWED:
        return []  # no query when a claim is filed, submitted or cancelled
    followers = list(Claim.objects.select_for_update().filter(master_id=master.pk).order_by("pk"))
    for claim in followers:
        from_status = claim.status
        changed = _follow(claim, master)
        if not changed:
            continue
        records.save(claim, actor, _("Follows %s") % master.number, changed)
        if claim.status != from_status:
            _event(claim, actor, "follow_master", from_status, comment=master.number)
    return followers


# --- what the pages and the API read -------------------------------------------------------------


def attach_refusal(claim: Claim, *, has_followers: bool | None = None) -> str:
    """Why ``claim`` cannot be attached to another claim's 8D, or "" when it can."""
    if claim.status == S.DRAFT:
        return _("A draft cannot follow another claim's 8D: submit it first.")
    if claim.is_final:
        return _("A closed, rejected or cancelled claim cannot follow another claim's 8D.")
    if claim.master_id is not None:
        return _("This claim already follows the 8D of %s.") % claim.master.number
    if has_followers is None:
        has_followers = Claim.objects.filter(master_id=claim.pk).exists()
    if has_followers:
        return _("Other claims follow the 8D of this claim: it cannot follow another one.")
    if claim.status not in ATTACHABLE_WHILE:
        return (
            _("The 8D of this claim has gone past containment (“%s”): it is answered on its own.")
            % claim.get_status_display()
        )
    return ""


def detach_refusal(master: Claim, *, d4_status: str | None = None) -> str:
    """Why a claim cannot be detached from ``master`` any more, or "" while it can.

    ``d4_status``: the status of the master's D4 where the caller has read it already.
    """
    if d4_status is None:
        d4_status = master.steps.filter(code="D4").values_list("status", flat=True).first()
    if d4_status == EightDStep.Status.APPROVED:
        return (
            _("The root cause (D4) of %s has been approved: the claims stay together.")
            % master.number
        )
    if master.status not in DETACHABLE_WHILE:
        return _("The 8D of %(number)s is “%(status)s”: the claims stay together.") % {
            "number": master.number,
            "status": master.get_status_display(),
        }
    return ""


def master_candidates(claim: Claim, user) -> list[Claim]:
    """The running 8Ds ``claim`` may follow, as the attach form offers them.

    The customer's running claims that follow nobody: first those on the same part, then those
    with a similar symptom, newest first in each; others would be refused (``claim_link``).
    """
    running = (
        Claim.objects.visible_to(user)
        .filter(customer_id=claim.customer_id, status__in=Claim.EIGHT_D_STATUSES)
        .filter(master__isnull=True)
        .exclude(pk=claim.pk)
        .select_related("part")
        .order_by("-notified_at", "-pk")[:MAX_CANDIDATES]
    )
    threshold = Thresholds.of(claim).similar
    words = symptom_words(claim.symptom)
    same, similar = [], []
    for other in running:
        if same_part(claim, other):
            same.append(other)
        elif symptom_similarity(words, symptom_words(other.symptom)) >= threshold:
            similar.append(other)
    return same + similar


def followers_of(claim: Claim, user):
    """The claims that follow ``claim``'s 8D that ``user`` may see, by number."""
    return (
        Claim.objects.visible_to(user)
        .filter(master_id=claim.pk)
        .select_related("part")
        .order_by("number")
    )


def same_part(claim: Claim, other: Claim) -> bool:
    """The same part, or another revision of the customer's part number."""
    if claim.part_id == other.part_id:
        return True
    number = claim.part.customer_part_number.strip().lower()
    return bool(number) and number == other.part.customer_part_number.strip().lower()


# --- internals -----------------------------------------------------------------------------------


def _lock(pk: int, expected_version: int | None = None) -> Claim:
    # The claim's row, as services.lock_claim locks it; the part for the comparison.
    return records.locked(Claim.objects.select_related("customer", "part"), pk, expected_version)


def _lock_in_id_order(claim: Claim, master: Claim, expected_version: int | None):
    versions = {claim.pk: expected_version, master.pk: None}
    locked = {pk: _lock(pk, versions[pk]) for pk in sorted(versions)}
    return locked[claim.pk], locked[master.pk]


def _require_may_follow(claim: Claim, master: Claim) -> None:
    """The master is the same customer's running 8D of the same failure, following nobody."""
    if master.customer_id != claim.customer_id:
        raise DomainError(_("Only a claim of the same customer can be followed."), field="master")
    if not same_part(claim, master) and (
        symptom_similarity(claim.symptom, master.symptom) < Thresholds.of(claim).similar
    ):
        raise DomainError(
            _(
                "%s is on another part and its symptom is not similar: only a claim of the same "
                "failure can be followed."
            )
            % master.number,
            field="master",
        )
    if master.master_id is not None:
        raise Conflict(
            _("%(number)s itself follows the 8D of %(master)s: attach this claim to that one.")
            % {"number": master.number, "master": master.master.number}
        )
    if master.status not in Claim.EIGHT_D_STATUSES:
        raise Conflict(
            _("The 8D of %(number)s is not running (“%(status)s”).")
            % {"number": master.number, "status": master.get_status_display()}
        )


def _follow(claim: Claim, master: Claim) -> list[str]:
    """Take over the master's ``FOLLOWED_FIELDS``; the names of those that changed."""
    changed = [name for name in FOLLOWED_FIELDS if getattr(claim, name) != getattr(master, name)]
    for name in changed:
        setattr(claim, name, getattr(master, name))
    return changed


def _hold_own_steps(claim: Claim, master: Claim, actor) -> None:
    """The claim's open steps lose their due dates: the master's deadlines are the ones that run."""
    pending = claim.steps.select_for_update().filter(
        status__in=EightDStep.PENDING_STATUSES, due_at__isnull=False
    )
    for step in pending:
        step.due_at = None
        records.save(step, actor, _("Follows the 8D of %s") % master.number, ["due_at"])


def _resume_own_steps(claim: Claim, actor) -> None:
    """The claim's open steps are due again; a claim attached before its receipt gets its steps."""
    deadlines = step_deadlines(claim)
    existing = set()
    for step in claim.steps.select_for_update():
        existing.add(step.code)
        if step.is_pending:
            step.due_at = deadlines[step.code]
            records.save(step, actor, _("8D of its own"), ["due_at"])
    for code in EightDStep.Code.values:
        if code not in existing:
            EightDStep.objects.create(
                claim=claim, customer_id=claim.customer_id, code=code, due_at=deadlines[code]
            )


def _event(claim: Claim, actor, action: str, from_status: str = "", **fields) -> None:
    """A line on ``claim``'s timeline; with ``from_status``, the move to its status now."""
    if from_status:
        fields.update(from_status=from_status, to_status=claim.status)
    records.record_event(ClaimEvent, claim, actor, action, **fields)


def _with_reason(number: str, reason: str) -> str:
    return f"{number}: {reason}" if reason else number
