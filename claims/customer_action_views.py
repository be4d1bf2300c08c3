"""The customer's side of the 8D actions on the discipline pages (``claims.customer_actions``).

A customer's user adds an action from D3, D5 or D6 and accepts or declines each of our corrective
actions from D5 or D6; our staff revise a declined one from D6. Each view finds the claim and the
action through ``visible_to`` (404 for another customer's), checks the capability (403), and hands
the form to one service; ``eightd.views.write`` answers with a redirect, or the page with the
form's errors (400).
"""

from __future__ import annotations

from functools import partial

from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from core.routes import Routes
from core.tenancy import is_internal

from . import customer_actions as services
from .customer_action_forms import CustomerActionForm, ReviseForm, VerdictForm
from .eightd.views import require_work, visible_claim, write
from .models import Claim, CorrectiveAction, CustomerVerdict
from .workflow import REVIEW

routes = Routes()


def visible_action(request, claim: Claim, pk) -> CorrectiveAction:
    """One action of ``claim`` the user may read: never an internal-only one for a customer."""
    links = CorrectiveAction.objects.visible_to(request.user).filter(claim=claim)
    if not is_internal(request.user):
        links = links.filter(action__internal_only=False)
    return get_object_or_404(links.select_related("action"), pk=pk)


@routes.post("customer-actions/<str:code>/", name="eightd-customer-action-add")
def customer_action_add(request, pk, code):
    """A customer's user asks for an action in D3, D5 or D6."""
    claim = visible_claim(request, pk)
    if code not in services.CUSTOMER_STEPS:
        raise Http404
    if is_internal(request.user) or not request.user.has_capability(REVIEW):
        raise HttpForbidden
    return write(
        request,
        claim,
        code,
        form=CustomerActionForm(request.POST),
        slot="customer_action_form",
        call=partial(services.customer_action_add, claim=claim, actor=request.user, step_code=code),
        success=_("Action added. Our team has been told."),
        anchor="customer-actions",
    )


@routes.post("actions/<int:row>/verdict/", name="eightd-action-verdict")
def action_verdict(request, pk, row):
    """The customer accepts or declines one of our corrective actions, from D5 or D6."""
    claim = visible_claim(request, pk)
    if not request.user.has_capability(REVIEW):
        raise HttpForbidden
    link = visible_action(request, claim, row)
    code = request.POST.get("back") if request.POST.get("back") in services.JUDGED_STEPS else "D5"
    prefix = f"verdict-{link.pk}"
    declined = request.POST.get(f"{prefix}-verdict") == CustomerVerdict.DECLINED
    success = _("Action declined. Our team has been told.") if declined else _("Action accepted.")
    return write(
        request,
        claim,
        code,
        form=VerdictForm(request.POST, prefix=prefix),
        slot=prefix,
        call=partial(services.customer_action_decide, link=link, actor=request.user),
        success=success,
        anchor=f"action-{link.pk}",
    )


@routes.post("actions/<int:row>/revise/", name="eightd-action-revise")
def action_revise(request, pk, row):
    """Our staff revise an action the customer declined; the customer decides again."""
    claim = visible_claim(request, pk)
    require_work(request.user)
    link = visible_action(request, claim, row)
    prefix = f"revise-{link.pk}"
    return write(
        request,
        claim,
        "D6",
        form=ReviseForm(request.POST, prefix=prefix),
        slot=prefix,
        call=partial(services.customer_action_revise, link=link, actor=request.user),
        success=_("Action revised. The customer decides on it again."),
        anchor=f"action-{link.pk}",
    )
