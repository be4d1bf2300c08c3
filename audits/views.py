"""Audit pages: programme, lists, the audit page, conducting on a tablet, findings, coverage.

Reads go through ``visible_to``: another customer's audit or finding is a 404. Pages only staff
use check the capability before any record is read (403 for customer users). Writes go through
``audits.services``; domain errors become messages and change nothing.
"""

from __future__ import annotations

from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import DomainError
from core.forms import AttachmentUploadForm
from core.history import timeline
from core.locking import StaleVersion, parse_version
from core.models import Action, Attachment
from core.pages import (
    FormPage,
    ListPage,
    PageTransitions,
    document_download,
    form_page,
    form_status,
    require_capability,
    run_form,
    run_service,
    save_form,
    transition_buttons,
    visible_record,
)
from core.routes import Routes
from core.signatures import signatures_of
from core.tenancy import is_internal
from core.views import handle_attachment_upload

from . import catalogues, conduct, documents, forms, selectors, services
from .filters import AuditListFilter, FindingListFilter
from .models import Answer, Audit, AuditProgramme, Catalogue, Finding, Question
from .workflow import (
    AUDIT_WORKFLOW,
    FINDING_WORKFLOW,
    PLAN,
    WORK,
    audit_actions_for,
    finding_actions_for,
)

AUDIT_TRANSITIONS = PageTransitions(services.AUDIT_SERVICES, "audit")
FINDING_TRANSITIONS = PageTransitions(services.FINDING_SERVICES, "finding")
AUDIT_LIST = ListPage(
    "audits/audit_list.html",
    AuditListFilter,
    "audits",
    records=selectors.audits_for_list,
    extra=lambda user: {"internal": is_internal(user), "can_plan": user.has_capability(PLAN)},
)
FINDING_LIST = ListPage(
    "audits/finding_list.html",
    FindingListFilter,
    "findings",
    records=selectors.findings_for_list,
    extra=lambda user: {"internal": is_internal(user)},
)
AUDIT_FORM = FormPage(
    "audits/audit_form.html",
    "audit",
    created=lambda audit: _("Audit %s planned.") % audit.number,
    saved=lambda audit: _("Audit %s saved.") % audit.number,
)
SCORES = (0, 4, 6, 8, 10)
routes = Routes()


def _visible_audit(request, pk) -> Audit:
    return visible_record(request, Audit, pk, "catalogue", "approved_by")


def _visible_finding(request, pk) -> Finding:
    return visible_record(request, Finding, pk, "audit__customer", "closed_by")


# --- lists ---------------------------------------------------------------------------------------


audit_list = AUDIT_LIST.as_view()
finding_list = FINDING_LIST.as_view()


# --- planning ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def audit_create(request):
    require_capability(request.user, PLAN)
    form = forms.AuditForm(request.POST or None, user=request.user)
    return AUDIT_FORM.create(request, form, services.audit_plan)


@login_required
@require_http_methods(["GET", "POST"])
def audit_update(request, pk):
    require_capability(request.user, PLAN)
    audit = _visible_audit(request, pk)
    form = forms.AuditForm(request.POST or None, user=request.user, audit=audit)
    return AUDIT_FORM.edit(request, form, services.audit_update, audit)


@routes.form("programme/")
def programme_list(request):
    require_capability(request.user, WORK)
    form = forms.ProgrammeForm(request.POST or None)
    if request.method == "POST":
        require_capability(request.user, PLAN)
        saved = form.is_valid() and save_form(
            request, form, services.programme_create, actor=request.user, **form.cleaned_data
        )
        if saved:
            messages.success(request, _("Programme saved."))
            return redirect("audits:programme-list")
    programmes = AuditProgramme.objects.prefetch_related("audits__process").order_by("-year")
    context = {
        "form": form,
        "programmes": programmes,
        "can_plan": request.user.has_capability(PLAN),
    }
    return render(request, "audits/programme_list.html", context, status=form_status(form))


@routes.get("coverage/")
def coverage(request):
    require_capability(request.user, WORK)
    return render(request, "audits/coverage.html", {"rows": selectors.coverage()})


# --- the audit page ------------------------------------------------------------------------------


def _of_audit(findings, audit: Audit) -> list[Finding]:
    """The findings with their audit set: whose turn it is reads it, without a query per row."""
    findings = list(findings)
    for finding in findings:
        finding.audit = audit
    return findings


@login_required
@require_GET
def audit_detail(request, pk):
    audit = _visible_audit(request, pk)
    user = request.user
    internal = is_internal(user)
    result = selectors.audit_result(audit) if internal else None
    context = {
        "audit": audit,
        "internal": internal,
        "team": audit.team.all(),
        "actions": transition_buttons(AUDIT_WORKFLOW, audit_actions_for(audit, user)),
        "findings": _of_audit(selectors.findings_of(audit, user), audit),
        "events": selectors.events_for(audit, user)[:50],
        "signatures": signatures_of(audit),
        "history": timeline(audit) if internal else [],
        "result": result,
        "may_edit": audit.status in services.EDITABLE_WHILE and user.has_capability(PLAN),
        "may_conduct": audit.is_conducted and user.has_capability(WORK),
        "finding_form": forms.FindingForm()
        if audit.is_conducted and user.has_capability(WORK)
        else None,
    }
    return render(request, "audits/audit_detail.html", context)


@login_required
@require_POST
def audit_transition(request, pk, action):
    audit = _visible_audit(request, pk)
    if action == "summary":
        run_service(
            request,
            services.audit_summary_save,
            posted_version=True,
            audit=audit,
            actor=request.user,
            summary=request.POST.get("summary", ""),
        )
        return redirect(audit)
    post = request.POST
    inputs = {"comment": post.get("reason", ""), "password": post.get("password", "")}
    return AUDIT_TRANSITIONS.run(request, audit, action, **inputs)


audit_report = document_download(documents.AUDIT_REPORT, _visible_audit)


# --- conducting ----------------------------------------------------------------------------------


@routes.get("<int:pk>/conduct/")
def audit_conduct(request, pk):
    require_capability(request.user, WORK)
    audit = _visible_audit(request, pk)
    cards = selectors.conduct_cards(audit)
    is_vda = audit.catalogue_id is not None and audit.catalogue.is_vda63
    elements, steps = conduct.outline(cards, vda=is_vda)
    context = {
        "audit": audit,
        "cards": cards,
        "elements": elements,
        "steps": steps,
        "open_only": request.GET.get("show") == "open",  # answered questions folded away
        "result": selectors.audit_result(audit),
        "scores": SCORES,
        "editable": audit.is_conducted,
        "finding_classes": Finding.Classification.choices,
    }
    return render(request, "audits/audit_conduct.html", context)


@routes.post("<int:pk>/conduct/<int:question_pk>/")
def answer_save(request, pk, question_pk):
    """Save one answer (htmx): the card comes back, and the result panel out of band."""
    require_capability(request.user, WORK)
    audit = _visible_audit(request, pk)
    question = get_object_or_404(Question, pk=question_pk, catalogue_id=audit.catalogue_id)
    post = request.POST
    error, status = None, 200
    try:
        services.answer_save(
            audit=audit,
            question=question,
            actor=request.user,
            step=post.get("step", ""),
            score=post.get("score") or None,
            not_evaluated=post.get("not_evaluated") in ("1", "on", "true"),
            reason=post.get("reason", ""),
            note=post.get("note", ""),
            expected_version=_answer_version(post.get("version")),
        )
    except StaleVersion as failure:  # someone else answered since: show theirs
        error, status = failure.message, 409
    except DomainError as failure:
        error, status = failure.message, 400
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(f"{audit.get_absolute_url()}conduct/#q-{question.pk}")
    card = next(card for card in selectors.conduct_cards(audit) if card.question.pk == question.pk)
    if status == 400:
        _keep_typed(card, post)
    context = {
        "audit": audit,
        "card": card,
        "scores": SCORES,
        "editable": audit.is_conducted,
        "error": error,
        "finding_classes": Finding.Classification.choices,
        "result": selectors.audit_result(audit),
        "oob": True,
    }
    return render(request, "audits/_conduct_card.html", context, status=status)


def _keep_typed(card, post) -> None:
    """A refused answer: the card shows what was typed (not saved), nothing is lost."""
    for row in card.rows:
        if row["step"] != (post.get("step") or ""):
            continue
        saved = row["answer"]
        row["answer"] = SimpleNamespace(
            pk=getattr(saved, "pk", None),
            version=getattr(saved, "version", "new"),
            score=_int_or_none(post.get("score")),
            not_evaluated=post.get("not_evaluated") in ("1", "on", "true"),
            reason=post.get("reason", ""),
            note=post.get("note", ""),
            unsaved=True,
        )


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _answer_version(value) -> int | None:
    """The answer's version the page showed; "new" when it showed the question unanswered."""
    if value == "new":
        return 0
    return parse_version(value)


@routes.post("<int:pk>/answers/<int:answer_pk>/attachments/")
def answer_attachment_add(request, pk, answer_pk):
    require_capability(request.user, WORK)
    audit = _visible_audit(request, pk)
    answer = get_object_or_404(Answer, pk=answer_pk, audit=audit)
    not_now = "" if audit.is_conducted else _("Evidence is added while the audit is conducted.")
    policy = documents.attachment_policy(audit)
    return handle_attachment_upload(request, owner=answer, policy=policy, refused=not_now)


@routes.post("<int:pk>/findings/")
def finding_add(request, pk):
    require_capability(request.user, WORK)
    audit = _visible_audit(request, pk)
    form = forms.FindingForm(request.POST)
    back = request.POST.get("next") or audit.get_absolute_url()
    if not back.startswith("/"):
        back = audit.get_absolute_url()
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    data = form.cleaned_data
    question = None
    if data.get("question"):
        question = Question.objects.filter(
            pk=data["question"], catalogue_id=audit.catalogue_id
        ).first()
        if question is None:
            messages.error(request, _("This question is not in the audit's catalogue."))
            return redirect(back)
    run_service(
        request,
        services.finding_raise,
        audit=audit,
        actor=request.user,
        classification=data["classification"],
        description=data["description"],
        requirement=data.get("requirement", ""),
        question=question,
        step=data.get("step", ""),
        score=data.get("score"),
    )
    return redirect(back)


# --- findings ------------------------------------------------------------------------------------


@login_required
@require_GET
def finding_detail(request, pk):
    finding = _visible_finding(request, pk)
    user = request.user
    internal = is_internal(user)
    actions = Action.objects.visible_to(user).for_owner(finding).select_related("owner")
    actions_open = finding_actions_for(finding, user)
    respond = "respond" in actions_open
    context = {
        "finding": finding,
        "audit": finding.audit,
        "internal": internal,
        "buttons": transition_buttons(
            FINDING_WORKFLOW, [name for name in actions_open if name != "respond"]
        ),
        "response_form": forms.ResponseForm(initial=_response_initial(finding))
        if respond
        else None,
        "action_form": forms.FindingActionForm()
        if internal and not finding.is_final and user.has_capability(WORK)
        else None,
        "actions": actions,
        "problems": services.response_problems(finding) if respond else {},
        "upload_form": AttachmentUploadForm(user=user)
        if internal and not finding.is_final and user.has_capability(WORK)
        else None,
        "attachments": Attachment.objects.visible_to(user)
        .for_owner(finding)
        .select_related("uploaded_by"),
        "history": timeline(finding) if internal else [],
        "events": selectors.events_for(finding.audit, user).filter(finding=finding),
    }
    return render(request, "audits/finding_detail.html", context)


def _response_initial(finding: Finding) -> dict:
    return {name: getattr(finding, name) for name in forms.ResponseForm.base_fields}


@login_required
@require_POST
def finding_transition(request, pk, action):
    finding = _visible_finding(request, pk)
    post = request.POST
    if action == "respond":
        inputs = {name: post.get(name, "") for name in forms.ResponseForm.base_fields}
    elif action in ("send_back", "cancel"):
        inputs = {"reason": post.get("reason", "")}
    else:
        inputs = {"comment": post.get("reason", "")}
    return FINDING_TRANSITIONS.run(request, finding, action, **inputs)


@routes.post("findings/<int:pk>/actions/")
def finding_action_add(request, pk):
    require_capability(request.user, WORK)
    finding = _visible_finding(request, pk)
    invalid = _("Give the action a title, an owner and a due date.")
    form = forms.FindingActionForm(request.POST)
    run_form(request, form, services.finding_action_add, finding=finding, invalid=invalid)
    return redirect(finding)


@login_required
@require_POST
def finding_attachment_add(request, pk):
    require_capability(request.user, WORK)
    finding = _visible_finding(request, pk)
    read_only = _("A closed or cancelled finding is read-only.") if finding.is_final else ""
    policy = documents.attachment_policy(finding.audit)
    return handle_attachment_upload(request, owner=finding, policy=policy, refused=read_only)


# --- catalogues ----------------------------------------------------------------------------------


@login_required
@require_GET
def catalogue_list(request):
    require_capability(request.user, WORK)
    context = {
        "catalogues": Catalogue.objects.order_by("name", "-created_at"),
        "form": forms.CatalogueImportForm(),
        "can_import": request.user.has_capability(PLAN),
    }
    return render(request, "audits/catalogue_list.html", context)


def _catalogue_page(user, catalogue) -> dict:
    return {
        "catalogue": catalogue,
        "questions": catalogue.questions.order_by("position"),
        "can_plan": user.has_capability(PLAN),
    }


@login_required
@require_GET
def catalogue_detail(request, pk):
    require_capability(request.user, WORK)
    catalogue = get_object_or_404(Catalogue, pk=pk)
    context = _catalogue_page(request.user, catalogue)
    if context["can_plan"]:
        context["form"] = forms.CatalogueVersionForm()
    return render(request, "audits/catalogue_detail.html", context)


@routes.post("catalogues/<int:pk>/versions/")
def catalogue_new_version(request, pk):
    """A new version with the questions copied; a version that exists is refused on the form."""
    require_capability(request.user, PLAN)
    catalogue = get_object_or_404(Catalogue, pk=pk)
    return form_page(
        request,
        forms.CatalogueVersionForm(request.POST),
        catalogues.catalogue_new_version,
        template="audits/catalogue_detail.html",
        context=_catalogue_page(request.user, catalogue),
        message=lambda new: _("Catalogue %s created.") % new,
        catalogue=catalogue,
    )


@routes.post("catalogues/import/")
def catalogue_import(request):
    require_capability(request.user, PLAN)
    form = forms.CatalogueImportForm(request.POST, request.FILES)
    if form.is_valid():
        data, content = form.cleaned_data, form.cleaned_data["file"].read()
        try:
            if data["format"] == "json":
                catalogue = catalogues.import_json(actor=request.user, content=content)
            else:
                catalogue = catalogues.catalogue_import(
                    actor=request.user,
                    name=data["name"],
                    version=data["version"],
                    kind=data["kind"],
                    rows=catalogues.parse_csv(content),
                )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Catalogue %s imported.") % catalogue)
            return redirect(catalogue)
    context = {
        "catalogues": Catalogue.objects.order_by("name", "-created_at"),
        "form": form,
        "can_import": True,
    }
    return render(request, "audits/catalogue_list.html", context, status=400)


@routes.get("catalogues/<int:pk>/export.<slug:fmt>")
def catalogue_export(request, pk, fmt):
    require_capability(request.user, WORK)
    catalogue = get_object_or_404(Catalogue, pk=pk)
    if fmt not in ("csv", "json"):
        raise Http404
    if fmt == "csv":
        response = HttpResponse(
            catalogues.as_csv(catalogue), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(catalogues.as_json(catalogue), content_type="application/json")
    name = f"{catalogue.name}-{catalogue.version}".replace(" ", "_").replace('"', "")
    response["Content-Disposition"] = (
        f'attachment; filename="{name}.{"csv" if fmt == "csv" else "json"}"'
    )
    return response
