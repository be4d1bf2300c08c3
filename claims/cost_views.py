"""The cost card on the claim page and its writes.

The claim page loads the card with htmx (``cost_card``) so that it is rendered from the same
selector the API uses. A customer gets an empty card until the costs are released; another
customer's claim is a 404. Writes redirect back to the claim page with a message.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy

from core.forms import StyledForm
from core.pages import PageTransitions, run_form, run_service, transition_buttons, visible_record
from core.routes import Routes
from core.tenancy import is_internal

from . import costs
from .models import Claim, ClaimCost
from .views import TYPED_FIELDS

routes = Routes()
COST_TRANSITIONS = PageTransitions(
    costs.COST_SERVICES, "claim", posted_version=False, keep_typed=TYPED_FIELDS
)


class CostLineForm(StyledForm):
    category = forms.ChoiceField(label=gettext_lazy("Category"), choices=ClaimCost.Category.choices)
    description = forms.CharField(label=gettext_lazy("Description"), max_length=255, required=False)
    quantity = forms.DecimalField(
        label=gettext_lazy("Quantity"), max_digits=14, decimal_places=4, min_value=0
    )
    unit = forms.ChoiceField(label=gettext_lazy("Unit"), choices=ClaimCost.Unit.choices)
    rate = forms.DecimalField(
        label=gettext_lazy("Rate"), max_digits=14, decimal_places=4, min_value=0
    )
    currency = forms.CharField(
        label=gettext_lazy("Currency"), max_length=3, initial=costs.DEFAULT_CURRENCY
    )
    technical_factor_percent = forms.DecimalField(
        label=gettext_lazy("Technical factor % (warranty only)"),
        max_digits=5,
        decimal_places=2,
        initial=100,
        min_value=0,
        max_value=100,
    )
    evidence = forms.CharField(
        label=gettext_lazy("Evidence reference"), max_length=255, required=False
    )

    @classmethod
    def for_line(cls, line: ClaimCost, data=None) -> CostLineForm:
        """The edit form of one line; the prefix keeps several on one page apart."""
        initial = {name: getattr(line, name) for name in cls.base_fields}
        for name in ("quantity", "rate", "technical_factor_percent"):
            initial[name] = _as_typed(initial[name])
        return cls(data, initial=initial, prefix=f"line-{line.pk}")


def _as_typed(number: Decimal) -> Decimal:
    """``3.0000`` as ``3``, ``100.00`` as ``100``: the number as people typed it."""
    return Decimal(format(number.normalize(), "f"))


def _line(request, pk, line_pk) -> tuple[Claim, ClaimCost]:
    """The claim and one of its cost lines the user may see (404 otherwise)."""
    claim = visible_record(request, Claim, pk)
    lines = ClaimCost.objects.visible_to(request.user)
    return claim, get_object_or_404(lines, claim=claim, pk=line_pk)


def _costs_of(claim: Claim) -> str:
    return f"{claim.get_absolute_url()}#costs"


@routes.get("<int:pk>/costs/")
def cost_card(request, pk):
    claim = visible_record(request, Claim, pk)
    summary = costs.cost_summary(claim, request.user)
    if summary is None:
        return HttpResponse("")
    if summary.sheet is not None:
        summary.sheet.claim = claim  # whose turn it is reads the claim's people: no query more
    user = request.user
    actions = costs.cost_actions_for(summary, user)
    context = {
        "cost_card": True,
        "claim": claim,
        "costs": summary,
        "cost_actions": transition_buttons(costs.COST_WORKFLOW, actions),
    }
    may_edit = costs.may_edit_lines(summary, user)
    context["line_form"] = CostLineForm() if may_edit else None
    context["cost_rows"] = [
        (row, CostLineForm.for_line(row.line) if may_edit else None) for row in summary.rows
    ]
    return render(request, "claims/_costs.html", context)


@routes.post("<int:pk>/costs/lines/")
def cost_line_add(request, pk):
    claim = visible_record(request, Claim, pk)
    run_form(request, CostLineForm(request.POST), costs.cost_line_add, claim=claim)
    return redirect(_costs_of(claim))


@routes.post("<int:pk>/costs/lines/<int:line_pk>/edit/")
def cost_line_edit(request, pk, line_pk):
    """Change a line while the sheet is being prepared; once released the service refuses."""
    claim, line = _line(request, pk, line_pk)
    if not is_internal(request.user):
        raise HttpForbidden  # a customer sees released lines but never changes them
    run_form(request, CostLineForm.for_line(line, request.POST), costs.cost_line_update, line=line)
    return redirect(_costs_of(claim))


@routes.post("<int:pk>/costs/lines/<int:line_pk>/remove/")
def cost_line_remove(request, pk, line_pk):
    claim, line = _line(request, pk, line_pk)
    run_service(request, costs.cost_line_remove, line=line, actor=request.user)
    return redirect(_costs_of(claim))


@routes.post("<int:pk>/costs/<slug:action>/")
def cost_transition(request, pk, action):
    claim = visible_record(request, Claim, pk)
    if action in costs.COST_SERVICES and costs.cost_summary(claim, request.user) is None:
        raise Http404  # a customer cannot act on costs they cannot see
    inputs = {}
    if action == "dispute":
        inputs["reason"] = request.POST.get("reason", "")
    elif action in ("accept", "reopen"):
        inputs["comment"] = request.POST.get("reason", "")
    return COST_TRANSITIONS.run(request, claim, action, to=_costs_of(claim), **inputs)
