"""The 8D pages: one per discipline, an editor for our staff and a reader for the customer.

Every read goes through ``visible_to`` (another customer's claim or row is a 404); every write
goes through the services. A refused write changes nothing: a form's errors are shown on the page
again (status 400), a refusal of the whole request (wrong state, not allowed) becomes a message.
The rows' own write views are in ``row_views``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.errors import Conflict, DomainError, PermissionDenied
from core.locking import StaleVersion, parse_version
from customers.forms import add_service_errors

from .. import services
from ..models import Claim, EightDStep
from ..workflow import REVIEW, WORK
from . import forms
from .content import CONTENT_FORMS
from .page import CODES, render_step, step_url

DECISIONS = {"approve": services.step_approve, "send_back": services.step_send_back}


# --- lookups shared with row_views --------------------------------------------------------------


def visible_claim(request, pk) -> Claim:
    return get_object_or_404(Claim.objects.visible_to(request.user).with_related(), pk=pk)


def visible_step(request, claim: Claim, code: str) -> EightDStep:
    if code not in CODES:
        raise Http404
    steps = EightDStep.objects.visible_to(request.user).select_related("claim")
    step = get_object_or_404(steps, claim=claim, code=code)
    step.claim = claim
    return step


def require_work(user) -> None:
    """Only our staff edit an 8D; the services refuse anyone else too."""
    if not user.has_capability(WORK):
        raise HttpForbidden


# --- running a write ----------------------------------------------------------------------------


def write(
    request,
    claim: Claim,
    code: str,
    *,
    form,
    slot: str,
    call: Callable[[dict], object],
    success: str,
    anchor: str = "",
    extra: dict | None = None,
):
    """Validate ``form``, then ``call(cleaned_data)``; redirect back, or show the errors (400).

    When someone else changed the record first (409), the page shows the form as it was posted.
    """
    overrides = {slot: form, **(extra or {})}
    if form.is_valid():
        try:
            outcome = attempt(request, call, form.cleaned_data, form=form)
        except StaleVersion as error:
            return render_step(
                request, claim, code, forms=overrides, status=409, conflict=error.message
            )
        if outcome:
            messages.success(request, success)
        if outcome is not False:
            return redirect(step_url(claim, code, anchor))
    return render_step(request, claim, code, forms=overrides, status=400)


def attempt(request, call: Callable, *args, form=None) -> bool | None:
    """Run a service call: True when done, False when its errors were put on ``form``.

    None when the whole request was refused (wrong state, not allowed): that becomes a message,
    since no change to the form's input would help. ``StaleVersion`` (someone saved first) is
    raised on: the caller shows the posted form again with a reload link.
    """
    try:
        call(*args)
    except StaleVersion:
        raise
    except (Conflict, PermissionDenied) as error:
        messages.error(request, error.message)
        return None
    except DomainError as error:
        if form is None:
            messages.error(request, error.message)
            return None
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return False
    except ValidationError as error:
        if form is None:
            for message in error.messages:
                messages.error(request, message)
            return None
        add_service_errors(form, error)
        return False
    return True


# --- pages --------------------------------------------------------------------------------------


@login_required
@require_GET
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


@login_required
@require_GET
def step_page(request, pk, code):
    claim = visible_claim(request, pk)
    if code not in CODES:
        raise Http404
    if not claim.steps.exists():
        messages.info(request, _("The 8D starts once we acknowledge the claim."))
        return redirect(claim.get_absolute_url())
    return render_step(request, claim, code)


# --- the discipline as a whole ------------------------------------------------------------------


@login_required
@require_POST
def step_save(request, pk, code):
    """Save the draft: the statement, the internal note and the discipline's own fields."""
    claim = visible_claim(request, pk)
    require_work(request.user)
    step = visible_step(request, claim, code)
    draft_form = forms.StepDraftForm(request.POST)
    content_class = CONTENT_FORMS.get(code)
    content_form = content_class(request.POST, prefix="content") if content_class else None
    overrides = {"draft_form": draft_form}
    if content_form is not None:
        overrides["content_form"] = content_form
    content_valid = content_form is None or content_form.is_valid()
    if draft_form.is_valid() and content_valid:
        draft = draft_form.cleaned_data
        content = dict(content_form.cleaned_data) if content_form is not None else None
        try:
            outcome = attempt(
                request,
                lambda: services.step_save(
                    step=step,
                    actor=request.user,
                    summary=draft["summary"],
                    internal_note=draft["internal_note"],
                    content=content,
                    expected_version=draft["version"],
                ),
                form=content_form or draft_form,
            )
        except StaleVersion as error:
            return render_step(
                request, claim, code, forms=overrides, status=409, conflict=error.message
            )
        if outcome is not False:
            if outcome:
                messages.success(request, _("%s draft saved.") % code)
            return redirect(step_url(claim, code))
    return render_step(request, claim, code, forms=overrides, status=400)


@login_required
@require_POST
def step_submit(request, pk, code):
    """Submit the discipline to the customer; when a guard fails, list every reason."""
    claim = visible_claim(request, pk)
    require_work(request.user)
    step = visible_step(request, claim, code)
    try:
        version = parse_version(request.POST.get("version"))
        services.step_submit(step=step, actor=request.user, expected_version=version)
    except ValidationError as error:
        messages.error(request, _("%s was not submitted. Still missing:") % code)
        for message in error.messages:
            messages.error(request, message)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%s submitted to the customer.") % code)
    return redirect(step_url(claim, code))


@login_required
@require_POST
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
        call=lambda data: service(
            step=step,
            actor=request.user,
            comment=data["comment"],
            expected_version=data["version"],
        ),
        success=success,
        anchor="decision",
    )
