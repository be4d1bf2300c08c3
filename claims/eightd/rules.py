"""What a discipline must contain before it can be submitted to the customer (REFERENCE §1).

``submit_problems(step)`` returns the list of reasons the step is not ready, empty when it is. The
guards of the 8D live here so that the editor can show them before anyone presses "submit".
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from core.models import Action

from ..models import (
    Cause,
    Claim,
    Containment,
    CorrectiveAction,
    CustomerVerdict,
    EightDStep,
    TeamMember,
)
from .content import FIVE_W_TWO_H, IS_IS_NOT, RevisionAnswer

TEAM_SIZE = (4, 10)
ROOT_CAUSE_LEGS_REQUIRED = (Cause.Leg.OCCURRENCE, Cause.Leg.NON_DETECTION)


def submit_problems(step: EightDStep) -> list[str]:
    check = _CHECKS.get(step.code)
    return check(step.claim, step.content or {}) if check else []


def _d0(claim: Claim, content: dict) -> list[str]:
    if not content.get("emergency_response"):
        return [_("D0: describe the emergency response actions (or why none are needed).")]
    return []


def _d1(claim: Claim, content: dict) -> list[str]:
    roles = list(claim.team_members.values_list("role", flat=True))
    problems = []
    if roles.count(TeamMember.Role.CHAMPION) != 1:
        problems.append(_("D1: name exactly one champion."))
    if roles.count(TeamMember.Role.LEADER) != 1:
        problems.append(_("D1: name exactly one team leader."))
    low, high = TEAM_SIZE
    if not low <= len(roles) <= high:
        problems.append(
            _("D1: the team needs %(low)d to %(high)d people; it has %(count)d.")
            % {"low": low, "high": high, "count": len(roles)}
        )
    return problems


def _d2(claim: Claim, content: dict) -> list[str]:
    names = [*FIVE_W_TWO_H, *(f"is_{n}" for n in IS_IS_NOT), *(f"is_not_{n}" for n in IS_IS_NOT)]
    if any(not content.get(name) for name in names):
        return [_("D2: answer every 5W2H question and every Is / Is-Not pair.")]
    return []


def _d3(claim: Claim, content: dict) -> list[str]:
    answered = {row.location: row for row in claim.containments.all()}
    problems = []
    for location in Containment.Location:
        row = answered.get(location.value)
        if row is None:
            problems.append(
                _("D3: answer “%s”, or mark it not applicable with a reason.") % location.label
            )
        elif row.status != Containment.Status.NOT_APPLICABLE and not (
            row.method and row.qty_checked is not None and row.verification
        ):
            problems.append(
                _("D3: “%s” needs the method, the quantity checked and how it was verified.")
                % location.label
            )
    return problems


def _d4(claim: Claim, content: dict) -> list[str]:
    root_causes = list(claim.causes.filter(is_root_cause=True))
    problems = []
    for leg in ROOT_CAUSE_LEGS_REQUIRED:
        if not any(c.leg == leg and c.is_verified_root_cause for c in root_causes):
            problems.append(_("D4: verify a root cause for “%s”.") % leg.label)
    for cause in root_causes:
        if cause.status == Cause.Status.SUSPECTED:
            problems.append(_("D4: verify or rule out the root cause “%s”.") % cause)
        elif cause.status == Cause.Status.VERIFIED and not cause.whys:
            problems.append(_("D4: give the 5-Why chain that leads to “%s”.") % cause)
    return problems


def _d5(claim: Claim, content: dict) -> list[str]:
    links = _corrective_links(claim)
    problems = []
    if not links:
        problems.append(_("D5: choose at least one corrective action."))
    uncovered = (
        claim.causes.filter(is_root_cause=True, status=Cause.Status.VERIFIED)
        .annotate(live=Count("actions", filter=Q(actions__in=links)))
        .filter(live=0)
    )
    problems += [_("D5: no corrective action removes the root cause “%s”.") % c for c in uncovered]
    problems += [
        _("D5: say how the action “%s” was verified before implementation.") % link.action
        for link in links
        if not link.verification
    ]
    return problems


def _d6(claim: Claim, content: dict) -> list[str]:
    problems = []
    for link in _corrective_links(claim):
        if link.action.is_open:
            problems.append(_("D6: the action “%s” is not done yet.") % link.action)
        elif not (link.implemented_on and link.validation):
            problems.append(
                _("D6: record when “%s” was implemented and how it was validated.") % link.action
            )
    active = claim.containments.filter(status=Containment.Status.ACTIVE)
    problems += [
        _("D6: the containment at “%s” is still active; remove it first.")
        % row.get_location_display()
        for row in active
    ]
    return problems + _customer_side(claim)


def _customer_side(claim: Claim) -> list[str]:
    """What the customer asked (claims.customer_actions): none of our actions declined, and the
    actions they added (D3, D5, D6) done. A cancelled action asks nothing any more."""
    links = (
        claim.corrective_actions.select_related("action")
        .filter(Q(created_by_customer=True) | Q(customer_verdict=CustomerVerdict.DECLINED))
        .exclude(action__status=Action.Status.CANCELLED)
    )
    problems = []
    for link in links:
        if link.customer_verdict == CustomerVerdict.DECLINED:
            problems.append(_("D6: the customer declined “%s”: revise or cancel it.") % link.action)
        if link.created_by_customer and link.action.is_open:
            problems.append(_("D6: the customer's action “%s” is not done yet.") % link.action)
    return problems


def _d7(claim: Claim, content: dict) -> list[str]:
    problems = []
    answers = {"pfmea": _("PFMEA"), "control_plan": _("Control plan")}
    for name, label in answers.items():
        answer = content.get(name)
        if answer == RevisionAnswer.UPDATED and not content.get(f"{name}_reference"):
            problems.append(_("D7: name the updated %s document and revision.") % label)
        elif answer == RevisionAnswer.NO_UPDATE and not content.get("no_update_reason"):
            problems.append(_("D7: say why the %s needs no update.") % label)
        elif not answer:
            problems.append(_("D7: answer whether the %s was updated.") % label)
    read_across = list(claim.read_across.all())
    if not read_across and not content.get("read_across_none_reason"):
        problems.append(_("D7: list the read-across, or say why there is nothing to read across."))
    problems += [
        _("D7: say what was done for “%s”.") % row.subject
        for row in read_across
        if row.applicable and not row.measure
    ]
    return problems


def _d8(claim: Claim, content: dict) -> list[str]:
    problems = []
    if claim.status != Claim.Status.CUSTOMER_EVALUATION:
        problems.append(_("D8: the closure can be submitted once D7 is approved."))
    if not content.get("closure_summary"):
        problems.append(_("D8: write the closure statement."))
    return problems


def _corrective_links(claim: Claim) -> list[CorrectiveAction]:
    """The corrective actions we chose. The customer's own are their requests: D5's evidence and
    D6's implementation record are not asked of them, only that they are done (``_customer_side``).
    """
    return list(
        claim.corrective_actions.select_related("action")
        .filter(action__kind=Action.Kind.CORRECTIVE, created_by_customer=False)
        .exclude(action__status=Action.Status.CANCELLED)
    )


# One function per discipline, in the order of EightDStep.Code (D0 to D8).
_CHECKS = dict(
    zip(EightDStep.Code.values, (_d0, _d1, _d2, _d3, _d4, _d5, _d6, _d7, _d8), strict=True)
)
