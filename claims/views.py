"""Claim pages for customers (file, my claims) and engineers (inbox, workbench controls).

Every read goes through ``Claim.objects.visible_to``: another customer's claim is a 404. Writes go
through ``claims.services``; domain errors become messages and change nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.attachments import KNOWN_TYPES
from core.errors import DomainError
from core.forms import AttachmentUploadForm
from core.history import timeline
from core.locking import StaleVersion, parse_version
from core.models import Attachment
from core.pagination import HorizonPaginator
from core.tenancy import is_internal
from core.views import handle_attachment_upload
from customers.forms import add_service_errors

from . import forms, selectors, services, similarity
from .filters import ClaimListFilter
from .models import Claim, EightDStep
from .workflow import CLAIM_WORKFLOW, STEP_WORKFLOW, WORK, claim_actions_for, step_actions_for

CLAIMS_PER_PAGE = 25
# Fields of our own that a customer's view of the claim's history leaves out.
INTERNAL_CLAIM_FIELDS = ("defect_source",)


def _require(user, capability: str) -> None:
    if not user.has_capability(capability):
        raise HttpForbidden


def _visible_claim(request, pk, *, next_due: bool = False) -> Claim:
    claims = Claim.objects.visible_to(request.user).with_related()
    if next_due:
        claims = selectors.with_next_due(claims)  # by when it is our turn (claims.waiting)
    return get_object_or_404(claims.select_related("customer__requirements"), pk=pk)


# --- lists ---------------------------------------------------------------------------------------


@login_required
def claim_list(request):
    return _render_list(request, selectors.claims_for_list(request.user), inbox=False)


@login_required
def inbox(request):
    _require(request.user, WORK)
    return _render_list(request, selectors.inbox_for(request.user), inbox=True)


def _render_list(request, claims, *, inbox: bool):
    filters = ClaimListFilter(request.GET or None, queryset=claims, request=request)
    filtered = filters.qs if filters.is_bound else claims
    page = HorizonPaginator(filtered, CLAIMS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "filters": filters,
        # Sorting alone filters nothing: the empty state and "Reset" follow real filters only.
        "filtered": any(
            value for key, value in request.GET.items() if key not in ("page", "ordering")
        ),
        "page_obj": page,
        "claims": page.object_list,
        "inbox": inbox,
        "show_customer": is_internal(request.user),
        "can_file": request.user.has_capability("claims.file"),
    }
    return render(request, "claims/claim_list.html", context)


# --- filing and editing --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def claim_create(request):
    _require(request.user, "claims.file")
    form = forms.ClaimForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        part = form.cleaned_data["part"]
        fields = form.service_fields()
        fields.pop("part")
        try:
            claim = services.claim_file(
                actor=request.user,
                customer=part.customer,
                part=part,
                uploads=form.cleaned_data["files"],
                submit="save_draft" not in request.POST,
                **fields,
            )
        except ValidationError as error:
            _form_errors(form, error)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Claim %s filed.") % claim.number)
            return redirect("claims:claim-detail", claim.pk)
    return render(request, "claims/claim_form.html", {"form": form}, status=_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def claim_update(request, pk):
    claim = _visible_claim(request, pk)
    _require(request.user, "claims.file")
    form = forms.ClaimForm(
        request.POST or None,
        instance=Claim.objects.get(pk=claim.pk),
        user=request.user,
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.claim_update(
                claim=claim,
                actor=request.user,
                expected_version=form.cleaned_data.get("version"),
                **form.service_fields(),
            )
        except ValidationError as error:
            _form_errors(form, error)
        except StaleVersion as error:
            # Someone saved first: show what this user typed, save nothing, offer a reload.
            context = {"form": form, "claim": claim, "conflict": error.message}
            return render(request, "claims/claim_form.html", context, status=409)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("claims:claim-detail", claim.pk)
        else:
            messages.success(request, _("Claim %s saved.") % claim.number)
            return redirect("claims:claim-detail", claim.pk)
    context = {"form": form, "claim": claim}
    return render(request, "claims/claim_form.html", context, status=_status(form))


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict") and "file" in error.error_dict:
        error = ValidationError({"files": error.error_dict["file"]})
    if not hasattr(error, "error_dict"):
        form.add_error("files" if "files" in form.fields else None, error)
        return
    add_service_errors(form, error)


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


# --- the claim page ------------------------------------------------------------------------------


@login_required
def claim_detail(request, pk):
    claim = _visible_claim(request, pk, next_due=True)
    user = request.user
    internal = is_internal(user)
    # The page's content is cached per browser and data version (claim_detail.html): what only
    # the content shows is read when it is rendered, not when it comes from the cache.
    context = {
        "claim": claim,
        "internal": internal,
        "actions": SimpleLazyObject(lambda: _action_buttons(claim, user)),
        "steps": SimpleLazyObject(
            lambda: [_step_row(step, claim, user, internal) for step in selectors.steps_for(claim)]
        ),
        "comments": selectors.comments_for(claim, user),
        "comment_form": forms.CommentForm(user=user),
        "events": selectors.events_for(claim),
        "history": SimpleLazyObject(
            lambda: timeline(claim, hide=() if internal else INTERNAL_CLAIM_FIELDS)
        ),
        "attachments": Attachment.objects.visible_to(user)
        .for_owner(claim)
        .select_related("uploaded_by"),
        "upload_form": AttachmentUploadForm(user=user) if claim.is_open_for_files else None,
        "policy_hint": _policy_hint(claim.customer.requirements.attachment_policy),
        "assign_form": _assign_form(claim) if internal and user.has_capability(WORK) else None,
        "classify_form": forms.ClassifyForm(initial={"defect_source": claim.defect_source})
        if internal and user.has_capability(WORK) and claim.status != Claim.Status.CANCELLED
        else None,
        "reject_form": forms.RejectResponsibilityForm(),
        "reason_form": forms.ReasonForm(),
        "may_edit": claim.status == Claim.Status.DRAFT and user.has_capability("claims.file"),
        **similarity.claim_page_context(claim, user),
    }
    return render(request, "claims/claim_detail.html", context)


def _action_buttons(claim: Claim, user) -> list[dict]:
    return [
        {
            "name": name,
            "label": CLAIM_WORKFLOW[name].label,
            "needs_comment": CLAIM_WORKFLOW[name].needs_comment,
        }
        for name in claim_actions_for(claim, user)
    ]


def _step_row(step: EightDStep, claim: Claim, user, internal: bool) -> dict:
    """One line of the claim page's 8D table; the discipline's own page holds its editor."""
    actions = step_actions_for(step, claim, user)
    return {
        "step": step,
        "actions": actions,
        "labels": {name: STEP_WORKFLOW[name].label for name in actions},
    }


def _assign_form(claim: Claim):
    engineers = selectors.assignable_engineers()
    return forms.AssignForm(initial={"engineer": claim.assigned_engineer_id}, engineers=engineers)


def _policy_hint(policy) -> str:
    labels = [str(KNOWN_TYPES[t][0]) for t in policy.allowed_types if t in KNOWN_TYPES]
    return _("Allowed: %(types)s; at most %(size)s per file.") % {
        "types": ", ".join(labels),
        "size": filesizeformat(policy.max_bytes),
    }


# --- writes --------------------------------------------------------------------------------------


@login_required
@require_POST
def claim_transition(request, pk, action):
    claim = _visible_claim(request, pk)
    service = services.CLAIM_SERVICES.get(action)
    if service is None:
        messages.error(request, _("Unknown action “%s”.") % action)
        return redirect("claims:claim-detail", claim.pk)
    run_service(
        request,
        with_posted_version(service, request),
        claim=claim,
        actor=request.user,
        **_transition_inputs(action, request),
    )
    return redirect("claims:claim-detail", claim.pk)


def _transition_inputs(action: str, request) -> dict:
    post = request.POST
    if action == "reject_responsibility":
        return {"reason_code": post.get("reason_code", ""), "reason": post.get("reason", "")}
    if action in ("customer_reject_8d", "reopen", "cancel"):
        return {"reason": post.get("reason", "")}
    if action == "customer_accept_8d":
        return {"comment": post.get("reason", "")}
    if action == "classify":
        return {"defect_source": post.get("defect_source", "")}
    return {}


@login_required
@require_POST
def claim_assign(request, pk):
    claim = _visible_claim(request, pk)
    _require(request.user, WORK)
    engineers = selectors.assignable_engineers()
    form = forms.AssignForm(request.POST, engineers=engineers)
    if form.is_valid():
        engineer = form.cleaned_data["engineer"]
        run_service(
            request,
            with_posted_version(services.claim_assign, request),
            claim=claim,
            engineer=engineer,
            actor=request.user,
        )
    else:
        messages.error(request, _("Choose an engineer from the list."))
    return redirect("claims:claim-detail", claim.pk)


@login_required
@require_POST
def step_action(request, pk, code, action):
    claim = _visible_claim(request, pk)
    step = get_object_or_404(EightDStep.objects.visible_to(request.user), claim=claim, code=code)
    service = services.STEP_SERVICES.get(action)
    if service is None:
        messages.error(request, _("Unknown action “%s”.") % action)
        return redirect("claims:claim-detail", claim.pk)
    inputs = _step_inputs(action, request, step)
    service = with_posted_version(service, request)
    run_service(request, service, step=step, actor=request.user, **inputs)
    return redirect(f"{claim.get_absolute_url()}#step-{step.code}")


def _step_inputs(action: str, request, step: EightDStep) -> dict:
    post = request.POST
    if action == "save":
        return {
            "summary": post.get(f"{step.code}-summary", ""),
            "internal_note": post.get(f"{step.code}-internal_note", ""),
        }
    if action in ("approve", "send_back"):
        return {"comment": post.get("comment", "")}
    return {}


@login_required
@require_POST
def comment_add(request, pk):
    claim = _visible_claim(request, pk)
    form = forms.CommentForm(request.POST, user=request.user)
    if not form.is_valid():
        errors = form.errors.get("body")
        messages.error(request, errors[0] if errors else _("Write a comment."))
    else:
        run_service(
            request,
            services.comment_add,
            claim=claim,
            actor=request.user,
            body=form.cleaned_data["body"],
            internal=form.cleaned_data.get("internal", False),
        )
    return redirect(f"{claim.get_absolute_url()}#comments")


@login_required
@require_POST
def attachment_add(request, pk):
    claim = _visible_claim(request, pk)
    if not claim.is_open_for_files:
        messages.error(request, _("Files cannot be added to a closed claim."))
        return redirect("claims:claim-detail", claim.pk)
    return handle_attachment_upload(
        request,
        owner=claim,
        policy=claim.customer.requirements.attachment_policy,
        redirect_to=claim.get_absolute_url(),
    )


def with_posted_version(service, request):
    """``service`` checking the record's version that the page posted (the one it showed)."""

    def call(**kwargs):
        expected_version = parse_version(request.POST.get("version"))
        return service(expected_version=expected_version, **kwargs)

    return call


# What a user may have typed into a transition's form: given back when the write was refused.
TYPED_FIELDS = ("reason", "comment", "summary", "internal_note")


def run_service(request, service, **kwargs) -> bool:
    """Call a service and turn its outcome into a message; True when it succeeded."""
    try:
        service(**kwargs)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except StaleVersion as error:
        messages.error(request, error.message)
        _give_back_typed_text(request, kwargs)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Saved."))
        return True
    return False


def _give_back_typed_text(request, inputs: dict) -> None:
    """After a refused write, show the text the user typed so that nothing is lost."""
    for name in TYPED_FIELDS:
        text = inputs.get(name)
        if isinstance(text, str) and text.strip():
            messages.info(request, _("Not saved. What you entered: %s") % text.strip())
