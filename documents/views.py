"""Controlled document pages: the register, a document with its revisions, the review and the
signed approval, downloads, and the links from an 8D's D7 and from a change request.

Every read goes through ``visible_to``: another customer's document, an internal document or a
revision a customer may not read is a 404. Pages only our staff use check the capability after
the record is looked up. Writes go through ``services``; refusals become messages or inline form
errors and change nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from changes.models import ChangeRequest
from claims.models import Claim
from core.history import timeline
from core.pages import (
    FormPage,
    ListPage,
    after_save,
    fresh,
    run_form,
    run_service,
    save_form,
    transition_buttons,
    visible_record,
)
from core.routes import Routes
from core.tenancy import is_internal

from . import downloads, forms, selectors, services
from .filters import DocumentListFilter
from .models import ChangeDocumentRevision, Document, EightDDocumentUpdate, Review, Revision
from .services import EIGHTD_KINDS
from .workflow import REVISION_WORKFLOW, actions_for, may_approve, may_work

DOCUMENT_LIST = ListPage(
    "documents/document_list.html",
    DocumentListFilter,
    "documents",
    records=selectors.documents_for_list,
    extra=lambda user: {"internal": is_internal(user), "can_create": may_work(user)},
)
DOCUMENT_FORM = FormPage(
    "documents/document_form.html",
    "document",
    created=lambda document: _("%(number)s created.") % {"number": document.number},
    saved=lambda document: _("%(number)s saved.") % {"number": document.number},
    conflict_page=True,
)
routes = Routes()


def _require_work(user) -> None:
    if not may_work(user):
        raise HttpForbidden


def _visible(request, pk) -> Document:
    return visible_record(request, Document, pk)


def _visible_revision(request, pk, revision_pk) -> Revision:
    document = _visible(request, pk)
    revision = selectors.visible_revision(document, request.user, revision_pk)
    if revision is None:
        raise Http404
    return revision


# --- the register --------------------------------------------------------------------------------

document_list = DOCUMENT_LIST.as_view()


@routes.form("new/", name="document-create")
def document_create(request):
    _require_work(request.user)
    form = forms.DocumentForm(request.POST or None, user=request.user)
    return DOCUMENT_FORM.create(request, form, services.document_create)


@routes.form("<int:pk>/edit/", name="document-update")
def document_update(request, pk):
    document = _visible(request, pk)
    _require_work(request.user)
    form = forms.DocumentForm(
        request.POST or None, instance=fresh(document), user=request.user, editing=True
    )
    return DOCUMENT_FORM.edit(request, form, services.document_update, document)


# --- the document page ---------------------------------------------------------------------------


@routes.get("<int:pk>/", name="document-detail")
def document_detail(request, pk):
    return _render_detail(request, _visible(request, pk))


def _render_detail(request, document: Document, *, status=200, **given):
    user = request.user
    internal = is_internal(user)
    working = may_work(user) and not document.is_final
    revisions = selectors.revisions_of(document, user)
    for revision in revisions:
        revision.actions = transition_buttons(REVISION_WORKFLOW, actions_for(revision, user))
        revision.my_review = _my_review(revision, user)
        revision.may_approve = _may_approve_now(revision, user)
        revision.signatures = (
            list(selectors.signatures_for(revision)) if revision.approved_at else []
        )
    open_revision = next((r for r in revisions if r.status in _OPEN), None)
    context = {
        "document": document,
        "internal": internal,
        "parts": document.parts.all(),
        "revisions": revisions,
        "current": document.current_revision if _readable(document, user) else None,
        "may_edit": working,
        "may_start_revision": working and open_revision is None,
        "review_form": given.get("review_form") or forms.ReviewForm(),
        "approve_form": given.get("approve_form") or forms.ApproveForm(),
        "reason_form": forms.ReasonForm(),
        "events": selectors.events_for(document, user) if internal else [],
        "history": timeline(document) if internal else [],
    }
    return render(request, "documents/document_detail.html", context, status=status)


_OPEN = (Revision.Status.DRAFT, Revision.Status.UNDER_REVIEW, Revision.Status.APPROVED)


def _readable(document: Document, user) -> bool:
    current = document.current_revision
    return current is not None and (
        is_internal(user) or current.status == Revision.Status.EFFECTIVE
    )


def _my_review(revision: Revision, user) -> Review | None:
    if revision.status != Revision.Status.UNDER_REVIEW:
        return None
    return next((r for r in revision.reviews.all() if r.reviewer_id == user.pk), None)


def _may_approve_now(revision: Revision, user) -> bool:
    return (
        revision.status == Revision.Status.UNDER_REVIEW
        and may_approve(user)
        and all(r.decision == Review.Decision.APPROVED for r in revision.reviews.all())
    )


@routes.post("<int:pk>/review-done/", name="document-review-done")
def document_review_done(request, pk):
    document = _visible(request, pk)
    _require_work(request.user)
    run_service(
        request,
        services.document_review_record,
        document=document,
        actor=request.user,
        comment=request.POST.get("comment", ""),
        posted_version=True,
        success_message=_("Periodic review recorded."),
    )
    return redirect(document)


# --- revisions -----------------------------------------------------------------------------------


@routes.form("<int:pk>/revisions/new/", name="revision-create")
def revision_create(request, pk):
    document = _visible(request, pk)
    _require_work(request.user)
    form = forms.RevisionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        outcome = save_form(
            request,
            form,
            services.revision_start,
            document=document,
            actor=request.user,
            refuse_unplaced=True,
            **form.service_fields(),
        )
        message = _("Revision started.")
        answer = after_save(
            request, outcome, message=message, to=lambda revision: revision or document
        )
        if answer is not None:
            return answer
    context = {"document": document, "form": form, "revision": None}
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "documents/revision_form.html", context, status=status)


@routes.form("<int:pk>/revisions/<int:revision_pk>/edit/", name="revision-update")
def revision_update(request, pk, revision_pk):
    revision = _visible_revision(request, pk, revision_pk)
    _require_work(request.user)
    initial = {
        "change_description": revision.change_description,
        "effective_on": revision.effective_on,
        "reviewers": [review.reviewer_id for review in revision.reviews.all()],
    }
    form = forms.RevisionForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        outcome = save_form(
            request,
            form,
            services.revision_update,
            revision=revision,
            actor=request.user,
            posted_version=True,
            refuse_unplaced=True,
            **form.service_fields(),
        )
        answer = after_save(request, outcome, message=_("Revision saved."), to=revision)
        if answer is not None:
            return answer
    context = {"document": revision.document, "form": form, "revision": revision}
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "documents/revision_form.html", context, status=status)


@routes.post("<int:pk>/revisions/<int:revision_pk>/do/<slug:action>/", name="revision-transition")
def revision_transition(request, pk, revision_pk, action):
    revision = _visible_revision(request, pk, revision_pk)
    _require_work(request.user)
    service = services.TRANSITION_SERVICES.get(action)
    if service is None:
        messages.error(request, _("Unknown action “%s”.") % action)
        return redirect(revision)
    inputs = {"reason": request.POST.get("reason", "")} if action == "withdraw" else {}
    run_service(
        request,
        service,
        revision=revision,
        actor=request.user,
        posted_version=True,
        success_message=REVISION_WORKFLOW[action].label,
        **inputs,
    )
    return redirect(revision)


@routes.post("<int:pk>/revisions/<int:revision_pk>/review/", name="revision-review")
def revision_review(request, pk, revision_pk):
    revision = _visible_revision(request, pk, revision_pk)
    _require_work(request.user)
    run_form(
        request,
        forms.ReviewForm(request.POST),
        services.review_record,
        revision=revision,
        success_message=_("Your review was recorded."),
    )
    return redirect(revision)


@routes.post("<int:pk>/revisions/<int:revision_pk>/approve/", name="revision-approve")
def revision_approve(request, pk, revision_pk):
    revision = _visible_revision(request, pk, revision_pk)
    _require_work(request.user)
    form = forms.ApproveForm(request.POST)
    if form.is_valid():
        outcome = save_form(
            request,
            form,
            services.revision_approve,
            revision=revision,
            actor=request.user,
            posted_version=True,
            refuse_unplaced=True,
            **form.service_fields(),
        )
        answer = after_save(request, outcome, message=_("Revision approved."), to=revision)
        if answer is not None:
            return answer
    document = _visible(request, pk)
    return _render_detail(request, document, status=400, approve_form=form)


# --- downloads -----------------------------------------------------------------------------------


@routes.get("<int:pk>/download/", name="document-download")
def document_download(request, pk):
    """The revision in effect (the one a reader should work to)."""
    document = _visible(request, pk)
    current = document.current_revision
    if current is None or not _readable(document, request.user):
        raise Http404
    return downloads.revision_response(_visible_revision(request, pk, current.pk))


@routes.get("<int:pk>/revisions/<int:revision_pk>/download/", name="revision-download")
def revision_download(request, pk, revision_pk):
    return downloads.revision_response(_visible_revision(request, pk, revision_pk))


# --- links from an 8D's D7 and from a change request ---------------------------------------------


def _visible_claim(request, claim_pk) -> Claim:
    return get_object_or_404(Claim.objects.visible_to(request.user), pk=claim_pk)


def _visible_change(request, change_pk) -> ChangeRequest:
    return get_object_or_404(ChangeRequest.objects.visible_to(request.user), pk=change_pk)


def _d7_page(claim) -> str:
    return reverse("claims:eightd-step", args=[claim.pk, "D7"]) + "#document-updates"


@routes.post("eightd/<int:claim_pk>/links/", name="eightd-link-add")
def eightd_link_add(request, claim_pk):
    claim = _visible_claim(request, claim_pk)
    _require_work(request.user)
    revisions = selectors.linkable_revisions(claim.customer_id, EIGHTD_KINDS)
    run_form(
        request,
        forms.LinkForm(request.POST, revisions=revisions),
        services.eightd_link_add,
        claim=claim,
        success_message=_("Document revision linked."),
    )
    return redirect(_d7_page(claim))


@routes.post("eightd/<int:claim_pk>/links/<int:link_pk>/remove/", name="eightd-link-remove")
def eightd_link_remove(request, claim_pk, link_pk):
    claim = _visible_claim(request, claim_pk)
    _require_work(request.user)
    link = get_object_or_404(EightDDocumentUpdate, claim=claim, pk=link_pk)
    run_service(
        request,
        services.eightd_link_remove,
        link=link,
        actor=request.user,
        success_message=_("Link removed."),
    )
    return redirect(_d7_page(claim))


@routes.post("changes/<int:change_pk>/links/", name="change-link-add")
def change_link_add(request, change_pk):
    change = _visible_change(request, change_pk)
    _require_work(request.user)
    revisions = selectors.linkable_revisions(change.customer_id)
    run_form(
        request,
        forms.LinkForm(request.POST, revisions=revisions),
        services.change_link_add,
        change=change,
        success_message=_("Document revision linked."),
    )
    return redirect(f"{change.get_absolute_url()}#document-revisions")


@routes.post("changes/<int:change_pk>/links/<int:link_pk>/remove/", name="change-link-remove")
def change_link_remove(request, change_pk, link_pk):
    change = _visible_change(request, change_pk)
    _require_work(request.user)
    link = get_object_or_404(ChangeDocumentRevision, change=change, pk=link_pk)
    run_service(
        request,
        services.change_link_remove,
        link=link,
        actor=request.user,
        success_message=_("Link removed."),
    )
    return redirect(f"{change.get_absolute_url()}#document-revisions")
