"""Writes to the rows of an 8D from its pages: team, containment, causes, actions, read-across.

Each view finds the claim and the row through ``visible_to`` (404 for another customer's), lets
only our staff through (403), and hands the form's input to one service in
``claims.eightd.services``; ``views.write`` turns the outcome into a redirect or the page with the
form's errors. The kinds of row are described once (``ROWS``); a row is saved by its editor
(``_row_editor``), and what is done to one row with a form of its own is a ``RowStep``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core.models import Action
from core.pages import run_service
from core.routes import Routes

from ..models import Cause, Containment, CorrectiveAction, ReadAcross, TeamMember
from . import forms
from . import services as eightd
from .page import step_url
from .views import require_work, visible_claim, write

routes = Routes()


@dataclass(frozen=True)
class RowKind:
    """One kind of 8D row: its rows, its discipline's page and where on it, the names it goes by.

    ``code`` None: an action's own kind says (D5 corrective, D7 preventive). ``keyword`` is the
    services' name for a row; ``editor`` the page's name for its editor: the form is
    ``<editor>_form``, the row being edited ``<editor>_editing``.
    """

    rows: object
    code: str | None
    anchor: str
    keyword: str
    editor: str = ""


_LINKS = CorrectiveAction.objects.select_related("action")

# URL segment → the kind of row it names. Every kind of row can be deleted (``row_delete``).
ROWS = {
    "team": RowKind(TeamMember.objects, "D1", "team", "member", "team"),
    "containment": RowKind(Containment.objects, "D3", "containment", "containment"),
    "causes": RowKind(Cause.objects, "D4", "causes", "cause", "cause"),
    "actions": RowKind(_LINKS, None, "actions", "link", "action"),
    "read-across": RowKind(ReadAcross.objects, "D7", "read-across", "row", "read_across"),
}
DELETABLE = ROWS


def _staff_claim(request, pk):
    claim = visible_claim(request, pk)
    require_work(request.user)
    return claim


def _row(request, claim, kind: str, pk):
    """One row of ``kind`` of ``claim`` the user may see, or 404 (another claim's or customer's)."""
    if pk is None:
        return None
    rows = ROWS[kind].rows.visible_to(request.user).filter(claim=claim)
    return get_object_or_404(rows, pk=pk)


def _staff_row(request, pk, kind: str, row):
    """The claim, for our staff only (403), and its row of ``kind`` numbered ``row`` (if any)."""
    claim = _staff_claim(request, pk)
    return claim, _row(request, claim, kind, row)


def _save_row(request, claim, kind: str, row, form, save: Callable, saved, *, code=""):
    """Save a new row of ``kind`` or the edited ``row`` from the kind's editor on its page."""
    rows = ROWS[kind]
    return write(
        request,
        claim,
        code or rows.code,
        form=form,
        slot=f"{rows.editor}_form",
        extra={f"{rows.editor}_editing": row},
        call=partial(save, claim=claim, actor=request.user, **{rows.keyword: row}),
        success=saved,
        anchor=rows.anchor,
    )


def _row_editor(kind: str, form_class, save: Callable, saved) -> Callable:
    """The view that saves a new row of ``kind`` or the one ``row`` names (``save``).

    It answers at ``<kind>/`` (a new row) and ``<kind>/<row>/``, named after the kind's editor:
    ``eightd-cause-add`` and ``eightd-cause-edit``.
    """

    @login_required
    @require_POST
    def save_row(request, pk, row=None):
        claim, edited = _staff_row(request, pk, kind, row)
        return _save_row(request, claim, kind, edited, form_class(request.POST), save, saved)

    editor = ROWS[kind].editor.replace("_", "-")
    routes.add(f"{kind}/", save_row, name=f"eightd-{editor}-add")
    return routes.add(f"{kind}/<int:row>/", save_row, name=f"eightd-{editor}-edit")


@dataclass(frozen=True)
class RowStep:
    """What is done to one row of ``kind`` with a form of its own (prefix ``<verb>-<row id>``)."""

    kind: str
    verb: str
    form_class: type
    service: Callable

    def run(self, request, claim, row, saved, *, code: str, anchor: str):
        prefix = f"{self.verb}-{row.pk}"
        call = partial(self.service, actor=request.user, **{ROWS[self.kind].keyword: row})
        form = self.form_class(request.POST, prefix=prefix)
        return write(
            request, claim, code, form=form, slot=prefix, call=call, success=saved, anchor=anchor
        )


REMOVE = RowStep("containment", "remove", forms.ContainmentRemoveForm, eightd.containment_remove)
VERIFY = RowStep("causes", "verify", forms.CauseVerifyForm, eightd.cause_verify)
RULE_OUT = RowStep("causes", "rule-out", forms.CauseRuleOutForm, eightd.cause_rule_out)
IMPLEMENT = RowStep("actions", "implement", forms.ImplementForm, eightd.corrective_action_implement)


# --- D1 team, D4 causes, D7 read-across ---------------------------------------------------------

team_save = _row_editor(
    "team", forms.TeamMemberForm, eightd.team_member_save, _("Team member saved.")
)
cause_save = _row_editor("causes", forms.CauseForm, eightd.cause_save, _("Cause saved."))
read_across_save = _row_editor(
    "read-across", forms.ReadAcrossForm, eightd.read_across_save, _("Read-across saved.")
)


# --- D3 containment -----------------------------------------------------------------------------


@routes.post("containment/<slug:location>/", name="eightd-containment-save")
def containment_save(request, pk, location):
    claim = _staff_claim(request, pk)
    if location not in Containment.Location.values:
        raise Http404
    rows = Containment.objects.visible_to(request.user).filter(claim=claim, location=location)
    form = forms.ContainmentForm(request.POST, prefix=location)
    return write(
        request,
        claim,
        "D3",
        form=form,
        slot=f"containment-{location}",
        call=partial(
            eightd.containment_save,
            claim=claim,
            actor=request.user,
            containment=rows.first(),
            location=location,
        ),
        success=_("Containment at “%s” saved.") % Containment.Location(location).label,
        anchor=f"containment-{location}",
    )


@routes.post("containment/<int:row>/remove/", name="eightd-containment-remove")
def containment_remove(request, pk, row):
    """Lift an active containment: from D3, or from D6 once the permanent action works."""
    claim, containment = _staff_row(request, pk, "containment", row)
    back = request.POST.get("back") if request.POST.get("back") in ("D3", "D6") else "D3"
    saved = _("Containment at “%s” removed.") % containment.get_location_display()
    return REMOVE.run(request, claim, containment, saved, code=back, anchor="containment")


# --- D4 causes: verified or ruled out -------------------------------------------------------------


@routes.post("causes/<int:row>/verify/", name="eightd-cause-verify")
def cause_verify(request, pk, row):
    return _judge_cause(request, pk, row, VERIFY, _("Cause verified."))


@routes.post("causes/<int:row>/rule-out/", name="eightd-cause-rule-out")
def cause_rule_out(request, pk, row):
    return _judge_cause(request, pk, row, RULE_OUT, _("Cause ruled out."))


def _judge_cause(request, pk, row, step: RowStep, saved):
    claim, cause = _staff_row(request, pk, "causes", row)
    return step.run(request, claim, cause, saved, code="D4", anchor=f"cause-{cause.pk}")


# --- D5/D6 corrective and D7 preventive actions -------------------------------------------------


# A new action of a kind, or the action ``row``: both routes take the view ``routes.post`` makes.
@routes("actions/new/<slug:kind>/", name="eightd-action-add")
@routes.post("actions/<int:row>/", name="eightd-action-edit")
def action_save(request, pk, kind=None, row=None):
    claim, link = _staff_row(request, pk, "actions", row)
    kind = link.action.kind if link is not None else kind
    if kind not in eightd.ACTION_STEP:
        raise Http404
    form = forms.ActionForm(request.POST, claim=claim, preventive=kind == Action.Kind.PREVENTIVE)
    save = partial(eightd.corrective_action_save, kind=kind)
    code = eightd.ACTION_STEP[kind]
    return _save_row(request, claim, "actions", link, form, save, _("Action saved."), code=code)


@routes.post("actions/<int:row>/implement/", name="eightd-action-implement")
def action_implement(request, pk, row):
    """D6: when the action went live and how it was validated."""
    claim, link = _staff_row(request, pk, "actions", row)
    code = eightd.IMPLEMENTATION_STEP.get(link.action.kind)
    if code is None:
        raise Http404
    saved = _("Implementation recorded.")
    return IMPLEMENT.run(request, claim, link, saved, code=code, anchor=f"action-{link.pk}")


# --- deleting -----------------------------------------------------------------------------------


@routes.post("<slug:kind>/<int:row>/delete/", name="eightd-row-delete")
def row_delete(request, pk, kind, row):
    claim = _staff_claim(request, pk)
    if kind not in ROWS:
        raise Http404
    target = _row(request, claim, kind, row)
    code = ROWS[kind].code
    if isinstance(target, CorrectiveAction):
        # A containment action is one the customer asked for in D3 (refused by the service).
        code = eightd.ACTION_STEP.get(target.action.kind, "D3")
    run_service(
        request, eightd.row_delete, success_message=_("Deleted."), row=target, actor=request.user
    )
    return redirect(step_url(claim, code, ROWS[kind].anchor))
