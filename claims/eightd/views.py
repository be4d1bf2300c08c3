"""The 8D pages: one per discipline, an editor for our staff and a reader for the customer.

Every read goes through ``visible_to`` (another customer's claim or row is a 404); every write
goes through the services. A refused write changes nothing: a form's errors are shown on the page
again (status 400), a refusal of the whole request (wrong state, not allowed) becomes a message.
The rows' own write views are in ``row_views``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from core.errors import Conflict, PermissionDenied
from core.pages import after_save, require_capability, run_service, save_form, visible_record
from core.routes import Routes

from .. import services
from ..models import Claim, EightDStep
from ..workflow import REVIEW, WORK
from . import forms
from .content import CONTENT_FORMS
from .page import CODES, render_step, step_url

DECISIONS = {"approve": services.step_approve, "send_back": services.step_send_back}
# Refusals of the whole request (wrong state, not allowed): no change to the form would help.
REFUSALS = (Conflict, PermissionDenied)
# A discipline's code is any string: these routes go after those of the rows (see urls.py).
routes = Routes()


# --- lookups shared with row_views --------------------------------------------------------------


def visible_claim(request, pk) -> Claim:
    return visible_record(request, Claim, pk)


def visible_step(request, claim: Claim, code: str) -> EightDStep:
    if code not in CODES:
        raise Http404
    steps = EightDStep.objects.visible_to(request.user).select_related("claim")
    step = get_object_or_404(steps, claim=claim, code=code)
    step.claim = claim
    return step


def require_work(user) -> None:
    """Only our staff edit an 8D; the services refuse anyone else too."""
    require_capability(user, WORK)


def _worked_step(request, pk, code) -> tuple[Claim, EightDStep]:
    """The claim and its discipline ``code``, for our staff who work on it."""
    claim = visible_claim(request, pk)
    require_work(request.user)
    return claim, visible_step(request, claim, code)


# --- running a write ----------------------------------------------------------------------------


def write(
    request,
    claim: Claim,
    code: str,
    *,
    form,
    slot: str,
    call: Callable[..., object],
    success: str,
    anchor: str = "",
    extra: dict | None = None,
):
    """Validate ``form``, then ``call(**fields)``; redirect back, or show the errors (400).

    ``fields`` are the form's ``service_fields()``. When someone else changed the record first
    (409), the page shows the form as it was posted.
    """
    outcome = None
    if form.is_valid():
        fields = form.service_fields()
        outcome = save_form(request, form, call, refuse=REFUSALS, conflict_page=True, **fields)
    forms_shown = {slot: form, **(extra or {})}
    return _answer(request, claim, code, outcome, forms_shown, success, anchor)


def _answer(request, claim, code, outcome, forms_shown: dict, success: str, anchor: str = ""):
    """A discipline page's answer to a write: back to the page, or the page with the forms again.

    Done or refused as a whole: a redirect (``after_save``). Someone else saved first: the forms
    as posted and what they held (409). Otherwise, the forms with their errors (400).
    """
    if outcome is not None and outcome.conflict:
        conflict = outcome.conflict
        return render_step(request, claim, code, forms=forms_shown, status=409, conflict=conflict)
    back = step_url(claim, code, anchor)
    answer = None if outcome is None else after_save(request, outcome, message=success, to=back)
    return answer or render_step(request, claim, code, forms=forms_shown, status=400)


# --- pages --------------------------------------------------------------------------------------


@routes.get("", name="eightd")
def eightd_start(request, pk):
    """Open the 8D where the work is: the first discipline not yet approved."""
    claim = visible_claim(request, pk)
    statuses = dict(claim.steps.values_list("code", "status"))
    if not statuses:
        messages.info(request, _("The 8D starts once we acknowledge the claim."))
        return redirect(claim.get_absolute_url())
    code = next(
        (c for c in CODES if c in statuses and statuses[c] != EightDStep.Status.APPROVED), "D0"
    )
    return redirect(step_url(claim, code))


@routes.get("<str:code>/", name="eightd-step")
def step_page(request, pk, code):
    claim = visible_claim(request, pk)
    if code not in CODES:
        raise Http404
    if not claim.steps.exists():
        messages.info(request, _("The 8D starts once we acknowledge the claim."))
        return redirect(claim.get_absolute_url())
    return render_step(request, claim, code)


# --- the discipline as a whole ------------------------------------------------------------------


@routes.post("<str:code>/save/", name="eightd-save")
def step_save(request, pk, code):
    """Save the draft: the statement, the internal note and the discipline's own fields."""
    claim, step = _worked_step(request, pk, code)
    draft_form = forms.StepDraftForm(request.POST)
    content_class = CONTENT_FORMS.get(code)
    content_form = content_class(request.POST, prefix="content") if content_class else None
    overrides = {"draft_form": draft_form}
    if content_form is not None:
        overrides["content_form"] = content_form
    content_valid = content_form is None or content_form.is_valid()
    outcome = None
    if draft_form.is_valid() and content_valid:
        draft = draft_form.cleaned_data
        content = dict(content_form.cleaned_data) if content_form is not None else None
        outcome = save_form(
            request,
            content_form or draft_form,
            services.step_save,
            step=step,
            actor=request.user,
            summary=draft["summary"],
            internal_note=draft["internal_note"],
            content=content,
            expected_version=draft["version"],
            refuse=REFUSALS,
            conflict_page=True,
        )
    return _answer(request, claim, code, outcome, overrides, _("%s draft saved.") % code)


@routes.post("<str:code>/submit/", name="eightd-submit")
def step_submit(request, pk, code):
    """Submit the discipline to the customer; when a guard fails, list every reason."""
    claim, step = _worked_step(request, pk, code)
    run_service(
        request,
        services.step_submit,
        posted_version=True,
        invalid_intro=_("%s was not submitted. Still missing:") % code,
        success_message=_("%s submitted to the customer.") % code,
        step=step,
        actor=request.user,
    )
    return redirect(step_url(claim, code))


@routes.post("<str:code>/decide/<slug:decision>/", name="eightd-decide")
def step_decide(request, pk, code, decision):
    """The customer's decision on a submitted discipline: approve, or send back with a comment."""
    claim = visible_claim(request, pk)
    step = visible_step(request, claim, code)
    service = DECISIONS.get(decision)
    if service is None:
        raise Http404
    if not request.user.has_capability(REVIEW):
        raise HttpForbidden
    form = forms.DecisionForm(request.POST)
    success = _("%s approved.") % code if decision == "approve" else _("%s sent back.") % code
    return write(
        request,
        claim,
        code,
        form=form,
        slot="decision_form",
        call=lambda comment: service(
            step=step,
            actor=request.user,
            comment=comment,
            expected_version=form.cleaned_data["version"],
        ),
        success=success,
        anchor="decision",
    )
