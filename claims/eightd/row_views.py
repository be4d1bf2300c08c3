"""Writes to the rows of an 8D from its pages: team, containment, causes, actions, read-across.

Each view finds the claim and the row through ``visible_to`` (404 for another customer's), lets
only our staff through (403), and hands the form's input to one service in
``claims.eightd.services``; ``views.write`` turns the outcome into a redirect or the page with the
form's errors.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.models import Action

from ..models import Cause, Containment, CorrectiveAction, ReadAcross, TeamMember
from . import forms
from . import services as eightd
from .page import step_url
from .views import attempt, require_work, visible_claim, write


def _staff_claim(request, pk):
    claim = visible_claim(request, pk)
    require_work(request.user)
    return claim


def _row(request, claim, queryset, pk):
    """One row of ``claim`` the user may see, or 404 (another claim's or customer's row)."""
    if pk is None:
        return None
    return get_object_or_404(queryset.visible_to(request.user).filter(claim=claim), pk=pk)


# --- D1 team ------------------------------------------------------------------------------------


@login_required
@require_POST
def team_save(request, pk, row=None):
    claim = _staff_claim(request, pk)
    member = _row(request, claim, TeamMember.objects, row)
    form = forms.TeamMemberForm(request.POST)
    return write(
        request,
        claim,
        "D1",
        form=form,
        slot="team_form",
        extra={"team_editing": member},
        call=lambda data: eightd.team_member_save(
            claim=claim, actor=request.user, member=member, **data
        ),
        success=_("Team member saved."),
        anchor="team",
    )


# --- D3 containment -----------------------------------------------------------------------------


@login_required
@require_POST
def containment_save(request, pk, location):
    claim = _staff_claim(request, pk)
    if location not in Containment.Location.values:
        raise Http404
    rows = Containment.objects.visible_to(request.user).filter(claim=claim, location=location)
    row = rows.first()
    form = forms.ContainmentForm(request.POST, prefix=location)
    return write(
        request,
        claim,
        "D3",
        form=form,
        slot=f"containment-{location}",
        call=lambda data: eightd.containment_save(
            claim=claim,
            actor=request.user,
            containment=row,
            location=location,
            **form.service_fields(),
        ),
        success=_("Containment at “%s” saved.") % Containment.Location(location).label,
        anchor=f"containment-{location}",
    )


@login_required
@require_POST
def containment_remove(request, pk, row):
    """Lift an active containment: from D3, or from D6 once the permanent action works."""
    claim = _staff_claim(request, pk)
    containment = _row(request, claim, Containment.objects, row)
    back = request.POST.get("back") if request.POST.get("back") in ("D3", "D6") else "D3"
    prefix = f"remove-{containment.pk}"
    return write(
        request,
        claim,
        back,
        form=forms.ContainmentRemoveForm(request.POST, prefix=prefix),
        slot=prefix,
        call=lambda data: eightd.containment_remove(
            containment=containment, actor=request.user, note=data["note"]
        ),
        success=_("Containment at “%s” removed.") % containment.get_location_display(),
        anchor="containment",
    )


# --- D4 causes ----------------------------------------------------------------------------------


@login_required
@require_POST
def cause_save(request, pk, row=None):
    claim = _staff_claim(request, pk)
    cause = _row(request, claim, Cause.objects, row)
    form = forms.CauseForm(request.POST)
    return write(
        request,
        claim,
        "D4",
        form=form,
        slot="cause_form",
        extra={"cause_editing": cause},
        call=lambda data: eightd.cause_save(
            claim=claim, actor=request.user, cause=cause, **form.service_fields()
        ),
        success=_("Cause saved."),
        anchor="causes",
    )


@login_required
@require_POST
def cause_verify(request, pk, row):
    claim = _staff_claim(request, pk)
    cause = _row(request, claim, Cause.objects, row)
    prefix = f"verify-{cause.pk}"
    return write(
        request,
        claim,
        "D4",
        form=forms.CauseVerifyForm(request.POST, prefix=prefix),
        slot=prefix,
        call=lambda data: eightd.cause_verify(cause=cause, actor=request.user, **data),
        success=_("Cause verified."),
        anchor=f"cause-{cause.pk}",
    )


@login_required
@require_POST
def cause_rule_out(request, pk, row):
    claim = _staff_claim(request, pk)
    cause = _row(request, claim, Cause.objects, row)
    prefix = f"rule-out-{cause.pk}"
    return write(
        request,
        claim,
        "D4",
        form=forms.CauseRuleOutForm(request.POST, prefix=prefix),
        slot=prefix,
        call=lambda data: eightd.cause_rule_out(cause=cause, actor=request.user, **data),
        success=_("Cause ruled out."),
        anchor=f"cause-{cause.pk}",
    )


# --- D5/D6 corrective and D7 preventive actions -------------------------------------------------

_LINKS = CorrectiveAction.objects.select_related("action")


@login_required
@require_POST
def action_save(request, pk, kind=None, row=None):
    claim = _staff_claim(request, pk)
    link = _row(request, claim, _LINKS, row)
    kind = link.action.kind if link is not None else kind
    if kind not in eightd.ACTION_STEP:
        raise Http404
    form = forms.ActionForm(request.POST, claim=claim, preventive=kind == Action.Kind.PREVENTIVE)
    return write(
        request,
        claim,
        eightd.ACTION_STEP[kind],
        form=form,
        slot="action_form",
        extra={"action_editing": link},
        call=lambda data: eightd.corrective_action_save(
            claim=claim, actor=request.user, link=link, kind=kind, **form.service_fields()
        ),
        success=_("Action saved."),
        anchor="actions",
    )


@login_required
@require_POST
def action_implement(request, pk, row):
    """D6: when the action went live and how it was validated."""
    claim = _staff_claim(request, pk)
    link = _row(request, claim, _LINKS, row)
    prefix = f"implement-{link.pk}"
    return write(
        request,
        claim,
        eightd.IMPLEMENTATION_STEP[link.action.kind],
        form=forms.ImplementForm(request.POST, prefix=prefix),
        slot=prefix,
        call=lambda data: eightd.corrective_action_implement(link=link, actor=request.user, **data),
        success=_("Implementation recorded."),
        anchor=f"action-{link.pk}",
    )


# --- D7 read-across -----------------------------------------------------------------------------


@login_required
@require_POST
def read_across_save(request, pk, row=None):
    claim = _staff_claim(request, pk)
    read_across = _row(request, claim, ReadAcross.objects, row)
    form = forms.ReadAcrossForm(request.POST)
    return write(
        request,
        claim,
        "D7",
        form=form,
        slot="read_across_form",
        extra={"read_across_editing": read_across},
        call=lambda data: eightd.read_across_save(
            claim=claim, actor=request.user, row=read_across, **data
        ),
        success=_("Read-across saved."),
        anchor="read-across",
    )


# --- deleting -----------------------------------------------------------------------------------

# URL segment → the rows it names and the discipline page to return to.
DELETABLE = {
    "team": (TeamMember.objects, "D1", "team"),
    "containment": (Containment.objects, "D3", "containment"),
    "causes": (Cause.objects, "D4", "causes"),
    "actions": (_LINKS, None, "actions"),
    "read-across": (ReadAcross.objects, "D7", "read-across"),
}


@login_required
@require_POST
def row_delete(request, pk, kind, row):
    claim = _staff_claim(request, pk)
    if kind not in DELETABLE:
        raise Http404
    queryset, code, anchor = DELETABLE[kind]
    target = _row(request, claim, queryset, row)
    if isinstance(target, CorrectiveAction):
        code = eightd.ACTION_STEP[target.action.kind]
    done = attempt(request, lambda: eightd.row_delete(row=target, actor=request.user))
    if done:
        messages.success(request, _("Deleted."))
    return redirect(step_url(claim, code, anchor))
