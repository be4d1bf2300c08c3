"""What a discipline page shows: the 8D as the viewer may read it, and its editors for our staff.

``render_step`` is shared by the page itself (GET) and by every write view that has to show its
form again with the errors (status 400). ``forms`` overrides the blank forms by their slot name,
so a bound form with errors appears exactly where its blank twin would have been.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import Action
from core.tenancy import is_internal

from .. import customer_actions
from ..customer_action_forms import CustomerActionForm, ReviseForm, VerdictForm
from ..models import (
    Cause,
    Claim,
    Containment,
    CorrectiveAction,
    CustomerVerdict,
    EightDStep,
    ReadAcross,
    TeamMember,
)
from ..services import STEPS_WORKED_WHILE
from ..workflow import CLAIM_WORKFLOW, WORK, claim_actions_for, step_actions_for
from . import forms
from .content import CONTENT_FORMS, FIVE_W_TWO_H, IS_IS_NOT, D2Content
from .rules import submit_problems
from .selectors import EightD, eight_d_for
from .services import EDITABLE_STEP_STATUSES

CODES = tuple(EightDStep.Code.values)

GUIDANCE = {
    "D0": _("The symptom as we understand it and what protects the customer right now."),
    "D1": _("One champion, one team leader and 4 to 10 people in total, each with a role."),
    "D2": _("5W2H and Is / Is-Not: the problem described precisely enough to find its cause."),
    "D3": _(
        "Every location where suspect parts may be: what was done there, or why it does not "
        "apply. Blank is not an answer."
    ),
    "D4": _(
        "A verified root cause for occurrence and for non-detection (optionally systemic), each "
        "with its 5-Why chain. “Operator error” alone is not a root cause."
    ),
    "D5": _(
        "Permanent corrective actions, at least one per verified root cause, each verified "
        "before it is implemented."
    ),
    "D6": _(
        "The corrective actions done, implemented and validated; the interim containment is "
        "removed."
    ),
    "D7": _(
        "Read-across to similar parts, lines, plants and processes; PFMEA and control plan "
        "updated or a reasoned “no update needed”; lessons learned."
    ),
    "D8": _("The closure statement and team recognition; the customer accepts or rejects the 8D."),
}
IS_IS_NOT_LABELS = {
    "what": _("What"),
    "where": _("Where"),
    "when": _("When"),
    "how_big": _("How big"),
}
# Which template shows the rows (and their editors) of each discipline.
ROW_TEMPLATES = {
    "D1": "claims/eightd/_d1_team.html",
    "D2": "claims/eightd/_d2_problem.html",
    "D3": "claims/eightd/_d3_containment.html",
    "D4": "claims/eightd/_d4_causes.html",
    "D5": "claims/eightd/_d5_actions.html",
    "D6": "claims/eightd/_d6_implementation.html",
    "D7": "claims/eightd/_d7_prevention.html",
}
CUSTOMER_DECISIONS = ("customer_accept_8d", "customer_reject_8d")


def step_url(claim: Claim, code: str, anchor: str = "") -> str:
    url = reverse("claims:eightd-step", args=[claim.pk, code])
    return f"{url}#{anchor}" if anchor else url


def render_step(
    request, claim: Claim, code: str, *, forms: dict | None = None, status=200, conflict=""
):
    """The discipline page; ``conflict`` explains why nothing was saved (someone saved first)."""
    page = StepPage(request, claim, code, overrides=forms or {})
    context = page.context()
    if conflict:
        context["conflict"] = conflict
        context["unsaved"] = unsaved_input((forms or {}).values())
    return render(request, "claims/eightd/step.html", context, status=status)


def unsaved_input(bound_forms) -> list[tuple[str, str]]:
    """What the user typed into refused forms, as (label, text), so nothing they wrote is lost."""
    typed = []
    for form in bound_forms:
        if not getattr(form, "is_bound", False):
            continue  # a blank form, or a row being edited rather than a form
        for bound_field in form.visible_fields():
            value = bound_field.value()
            if isinstance(value, str) and value.strip():
                typed.append((str(bound_field.label), value.strip()))
    return typed


@dataclass
class StepPage:
    request: object
    claim: Claim
    code: str
    overrides: dict = field(default_factory=dict)

    def __post_init__(self):
        user = self.request.user
        self.user = user
        self.internal = is_internal(user)
        self.eightd: EightD = eight_d_for(self.claim, user)
        if self.code not in self.eightd.steps:
            raise Http404
        for step in self.eightd.steps.values():
            step.claim = self.claim  # the rules and the workflow read it; no query per step
        self.step = self.eightd.steps[self.code]
        self.works = (
            self.internal and user.has_capability(WORK) and self.claim.status in STEPS_WORKED_WHILE
        )
        self.editable = self.works and self.step.status in EDITABLE_STEP_STATUSES
        self.content_form = None
        self.verdicts_open = False

    # --- the whole page ------------------------------------------------------------------------

    def context(self) -> dict:
        step, claim = self.step, self.claim
        shown = self.internal or step.shown_to_customer
        step_actions = step_actions_for(step, claim, self.user)
        context = {
            "claim": claim,
            "eightd": self.eightd,
            "step": step,
            "steps": list(self.eightd.steps.values()),
            "internal": self.internal,
            "works": self.works,
            "editable": self.editable,
            "shown": shown,
            "guidance": GUIDANCE[self.code],
            "row_template": ROW_TEMPLATES.get(self.code),
            "may_decide": shown and "approve" in step_actions,
            "may_submit": self.editable and "submit" in step_actions,
            "previous_code": _neighbour(self.code, -1),
            "next_code": _neighbour(self.code, +1),
        }
        if self.editable:
            context.update(self._draft_context())
        else:
            context["content_rows"] = self.eightd.content_rows(self.code) if shown else []
        if context["may_decide"]:
            context["decision_form"] = self.form(
                "decision_form", forms.DecisionForm, initial={"version": step.version}
            )
        if self.code == "D8":
            context["claim_decisions"] = self._claim_decisions()
        if shown:
            context.update(getattr(self, f"_{self.code.lower()}")())
        context["verdicts_open"] = self.verdicts_open
        if self.code in customer_actions.CUSTOMER_STEPS:
            context.update(self._customer_side())
        return context

    def form(self, slot: str, factory, *args, **kwargs):
        """The bound form with errors for ``slot`` if a write failed, else a fresh one."""
        if slot in self.overrides:
            return self.overrides[slot]
        return factory(*args, **kwargs)

    def _draft_context(self) -> dict:
        step = self.step
        initial = {
            "summary": step.summary,
            "internal_note": step.internal_note,
            "version": step.version,
        }
        content_class = CONTENT_FORMS.get(self.code)
        content_form = None
        if content_class is not None:
            content_form = self.form(
                "content_form", content_class, initial=step.content or {}, prefix="content"
            )
            forms.style(content_form)
        self.content_form = content_form
        return {
            "draft_form": self.form("draft_form", forms.StepDraftForm, initial=initial),
            "content_form": content_form,
            "problems": submit_problems(step),
        }

    def _claim_decisions(self) -> list[dict]:
        names = [n for n in claim_actions_for(self.claim, self.user) if n in CUSTOMER_DECISIONS]
        return [
            {
                "name": name,
                "label": CLAIM_WORKFLOW[name].label,
                "needs_comment": CLAIM_WORKFLOW[name].needs_comment,
            }
            for name in names
        ]

    def _editing(self, kind: str, queryset):
        """The row named by ``?edit=<kind>-<pk>`` (only while editable); 404 for another claim's."""
        slot = f"{kind.replace('-', '_')}_editing"
        if slot in self.overrides:
            return self.overrides[slot]
        wanted = self.request.GET.get("edit", "")
        prefix = f"{kind}-"
        if not (self.editable and wanted.startswith(prefix)):
            return None
        pk = wanted.removeprefix(prefix)
        if not pk.isdigit():
            raise Http404
        return get_object_or_404(queryset.visible_to(self.user).filter(claim=self.claim), pk=pk)

    # --- one method per discipline: the rows and their editors -----------------------------------

    def _d0(self) -> dict:
        return {}

    def _d1(self) -> dict:
        context = {"team": self.eightd.team}
        if self.editable:
            editing = self._editing("team", TeamMember.objects)
            context["team_editing"] = editing
            context["team_form"] = self.form("team_form", forms.TeamMemberForm, instance=editing)
        return context

    def _d2(self) -> dict:
        labels = {name: D2Content.base_fields[name].label for name in FIVE_W_TWO_H}
        content = self.step.content or {}
        context = {
            "w_rows": [(labels[name], content.get(name, "")) for name in FIVE_W_TWO_H],
            "is_rows": [
                (IS_IS_NOT_LABELS[name], content.get(f"is_{name}"), content.get(f"is_not_{name}"))
                for name in IS_IS_NOT
            ],
        }
        form = self.content_form
        if form is not None:
            context["w_fields"] = [form[name] for name in FIVE_W_TWO_H]
            context["is_fields"] = [
                (IS_IS_NOT_LABELS[name], form[f"is_{name}"], form[f"is_not_{name}"])
                for name in IS_IS_NOT
            ]
        return context

    def _d3(self) -> dict:
        answered = {row.location: row for row in self.eightd.containments}
        cards = []
        for location in Containment.Location:
            row = answered.get(location.value)
            card = {"location": location.value, "label": location.label, "row": row}
            if self.editable:
                card["form"] = self.form(
                    f"containment-{location.value}",
                    forms.ContainmentForm,
                    initial=forms.ContainmentForm.initial_for(row),
                    prefix=location.value,
                )
            if row is not None and row.is_active and self.works:
                card["remove_form"] = self._remove_form(row)
            cards.append(card)
        return {
            "containment_cards": cards,
            "answered_count": len(answered),
            "location_count": len(cards),
        }

    def _d4(self) -> dict:
        causes = self.eightd.causes
        rows = []
        for cause in causes:
            row = {"cause": cause}
            if self.editable and cause.status != Cause.Status.RULED_OUT:
                row["verify_form"] = self.form(
                    f"verify-{cause.pk}", forms.CauseVerifyForm, prefix=f"verify-{cause.pk}"
                )
                row["rule_out_form"] = self.form(
                    f"rule-out-{cause.pk}", forms.CauseRuleOutForm, prefix=f"rule-out-{cause.pk}"
                )
            rows.append(row)
        chains = self.eightd.causes_by_leg()
        context = {
            "cause_rows": rows,
            "chains": [
                {
                    "leg": leg.value,
                    "label": leg.label,
                    "required": leg != Cause.Leg.SYSTEMIC,
                    "root_causes": [c for c in chains[leg.value] if c.is_root_cause],
                }
                for leg in Cause.Leg
            ],
            "board": [
                {"category": category.value, "label": category.label, "causes": board_causes}
                for category, board_causes in zip(
                    Cause.Category, self.eightd.ishikawa().values(), strict=True
                )
            ],
        }
        if self.editable:
            editing = self._editing("cause", Cause.objects)
            context["cause_editing"] = editing
            context["cause_form"] = self.form(
                "cause_form", forms.CauseForm, initial=forms.CauseForm.initial_for(editing)
            )
        return context

    def _d5(self) -> dict:
        links = self.eightd.corrective_actions
        covered = {cause.pk for link in links for cause in link.causes.all()}
        uncovered = [
            cause
            for cause in self.eightd.causes
            if cause.is_verified_root_cause and cause.pk not in covered
        ]
        ours = [link for link in links if not link.created_by_customer]
        self._with_verdict_forms(ours)
        context = {"actions": ours, "uncovered_root_causes": uncovered}
        if self.editable:
            context.update(self._action_editor(Action.Kind.CORRECTIVE))
        return context

    def _d6(self) -> dict:
        cards = []
        ours = [link for link in self.eightd.corrective_actions if not link.created_by_customer]
        self._with_verdict_forms(ours)
        for link in ours:
            card = {"link": link, "action": link.action}
            if self.editable:
                initial = {"implemented_on": link.implemented_on, "validation": link.validation}
                card["implement_form"] = self.form(
                    f"implement-{link.pk}",
                    forms.ImplementForm,
                    initial=initial,
                    prefix=f"implement-{link.pk}",
                )
                if link.customer_verdict == CustomerVerdict.DECLINED:
                    card["revise_form"] = self.form(
                        f"revise-{link.pk}",
                        ReviseForm,
                        initial=ReviseForm.initial_for(link),
                        prefix=f"revise-{link.pk}",
                    )
            cards.append(card)
        active = [row for row in self.eightd.containments if row.is_active]
        lifted = [row for row in self.eightd.containments if not row.is_active]
        return {
            "action_cards": cards,
            "active_containments": [
                {"row": row, "remove_form": self._remove_form(row) if self.works else None}
                for row in active
            ],
            "lifted_containments": lifted,
            "back": self.request.get_full_path(),
        }

    def _d7(self) -> dict:
        context = {
            "read_across": self.eightd.read_across,
            "actions": self.eightd.preventive_actions,
        }
        if self.editable:
            editing = self._editing("read-across", ReadAcross.objects)
            context["read_across_editing"] = editing
            context["read_across_form"] = self.form(
                "read_across_form", forms.ReadAcrossForm, instance=editing
            )
            context.update(self._action_editor(Action.Kind.PREVENTIVE))
        return context

    def _d8(self) -> dict:
        return {}

    # --- shared pieces ---------------------------------------------------------------------------

    def _action_editor(self, kind: str) -> dict:
        actions = CorrectiveAction.objects.select_related("action").filter(action__kind=kind)
        editing = self._editing("action", actions)
        initial = forms.ActionForm.initial_for(editing) or {"owner": self.user.pk}
        form = self.form(
            "action_form",
            forms.ActionForm,
            initial=initial,
            claim=self.claim,
            preventive=kind == Action.Kind.PREVENTIVE,
        )
        return {"action_editing": editing, "action_form": form, "action_kind": kind}

    def _customer_side(self) -> dict:
        """The actions the customer added to this discipline, and their form to add one."""
        kind = customer_actions.CUSTOMER_STEPS[self.code]
        links = [link for link in self.eightd.customer_actions if link.action.kind == kind]
        context = {
            "customer_step": True,
            "customer_actions": links,
            "back": self.request.get_full_path(),
        }
        if customer_actions.may_add(self.claim, self.user):
            context["customer_action_form"] = self.form("customer_action_form", CustomerActionForm)
        return context

    def _with_verdict_forms(self, links: list[CorrectiveAction]) -> None:
        """Our actions with the customer's verdict form on each they may judge now."""
        steps = self.eightd.steps
        self.verdicts_open = any(
            steps[code].shown_to_customer for code in customer_actions.JUDGED_STEPS if code in steps
        )
        deciding = self.verdicts_open and customer_actions.may_decide(self.claim, self.user)
        for link in links:
            link.verdict_form = None
            if deciding and customer_actions.is_judged(link):
                prefix = f"verdict-{link.pk}"
                link.verdict_form = self.form(prefix, VerdictForm, prefix=prefix)

    def _remove_form(self, row: Containment):
        return self.form(f"remove-{row.pk}", forms.ContainmentRemoveForm, prefix=f"remove-{row.pk}")


def _neighbour(code: str, offset: int) -> str | None:
    index = CODES.index(code) + offset
    return CODES[index] if 0 <= index < len(CODES) else None
