"""Linked claims on the claim page: the master's 8D a claim follows, its followers, attach, detach.

The claim page shows what ``link_panel`` reads (``templates/claims/_linked.html``): a claim that
follows another claim's 8D shows the master with its step statuses instead of its own steps, a
master lists the claims that follow it, and our staff attach a claim to a running 8D or detach
it. Customers read the same, without the forms. Writes go through ``claims.linking``; another
customer's claim is a 404, a customer user's write a 403.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.shortcuts import redirect
from django.utils.functional import SimpleLazyObject
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import limits
from core.forms import StyledForm, text_field, version_field
from core.pages import require_capability, run_form, visible_record
from core.routes import Routes
from core.tenancy import is_internal

from . import linking, selectors
from .models import Claim, EightDStep
from .workflow import WORK

routes = Routes()


class AttachForm(StyledForm):
    """Which running 8D the claim follows from now on."""

    master = forms.ModelChoiceField(
        label=gettext_lazy("Running 8D"),
        queryset=Claim.objects.none(),
        empty_label=None,
        help_text=gettext_lazy(
            "Claims of the same customer on the same part come first, then claims with a similar "
            "symptom."
        ),
    )
    version = version_field()

    def __init__(self, *args, claim: Claim, user, candidates=None, **kwargs):
        kwargs.setdefault("auto_id", "attach_%s")  # ids of its own beside the page's other forms
        super().__init__(*args, **kwargs)
        field = self.fields["master"]
        # Posted: any claim the user may see; the service says why one cannot be followed.
        field.queryset = Claim.objects.visible_to(user).exclude(pk=claim.pk)
        if candidates is not None:
            field.choices = [(other.pk, _candidate_label(other)) for other in candidates]
        self.fields["version"].initial = claim.version


class DetachForm(StyledForm):
    reason = text_field(
        gettext_lazy("Reason (optional)"), required=False, max_length=limits.COMMENT
    )
    version = version_field()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "detach_%s")
        super().__init__(*args, **kwargs)


def _candidate_label(claim: Claim) -> str:
    symptom = Truncator(claim.symptom).chars(60)
    return f"{claim.number} · {claim.part.part_number} · {claim.get_status_display()} · {symptom}"


# --- what the claim page shows --------------------------------------------------------------------


@dataclass
class LinkPanel:
    """The links of one claim as the page shows them to one user."""

    master: Claim | None = None
    master_steps: list[EightDStep] = field(default_factory=list)
    followers: list[Claim] = field(default_factory=list)
    # Staff only: the forms, and why a claim cannot be detached when it cannot.
    detach_form: DetachForm | None = None
    detach_refusal: str = ""
    attach_form: AttachForm | None = None


def link_panel(claim: Claim, user) -> LinkPanel:
    works = is_internal(user) and user.has_capability(WORK)
    master = claim.master
    if master is not None:
        steps = list(selectors.steps_for(master))
        panel = LinkPanel(master=master, master_steps=steps)
        if works:
            d4 = next((step.status for step in steps if step.code == "D4"), "")
            panel.detach_refusal = linking.detach_refusal(master, d4_status=d4)
            if not panel.detach_refusal:
                panel.detach_form = DetachForm(initial={"version": claim.version})
        return panel
    panel = LinkPanel(followers=list(linking.followers_of(claim, user)))
    if works and not linking.attach_refusal(claim, has_followers=bool(panel.followers)):
        candidates = linking.master_candidates(claim, user)
        if candidates:
            panel.attach_form = AttachForm(claim=claim, user=user, candidates=candidates)
    return panel


def claim_page_context(claim: Claim, user) -> dict:
    """The claim page's ``link``, read when the page's content is rendered (it may be cached)."""
    return {"link": SimpleLazyObject(lambda: link_panel(claim, user))}


# --- writes --------------------------------------------------------------------------------------


@routes.post("<int:pk>/link/")
def claim_link(request, pk):
    claim = visible_record(request, Claim, pk, "customer__requirements")
    require_capability(request.user, WORK)
    form = AttachForm(request.POST, claim=claim, user=request.user)
    run_form(
        request,
        form,
        linking.claim_link,
        claim=claim,
        posted_version=True,
        success_message=_("The claim now follows the chosen 8D."),
        invalid=_("Choose the claim whose 8D this one follows."),
    )
    return redirect(claim)


@routes.post("<int:pk>/unlink/")
def claim_unlink(request, pk):
    claim = visible_record(request, Claim, pk)
    require_capability(request.user, WORK)
    form = DetachForm(request.POST)
    run_form(
        request,
        form,
        linking.claim_unlink,
        claim=claim,
        posted_version=True,
        success_message=_("The claim has an 8D of its own again."),
    )
    return redirect(claim)
