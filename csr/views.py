"""CSR register pages: the register (all customers' or one customer's, with the parameters
configured in the portal beside it), a CSR document with its clause table and mapping forms, a
new document and a new revision.

Every read goes through ``visible_to``: another customer's register or document is a 404. Writes
are our staff's; they go through ``services`` and their refusals become messages.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as HttpForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.history import timeline
from core.pages import (
    FormPage,
    ListPage,
    form_messages,
    form_page,
    run_form,
    run_service,
    visible_record,
)
from core.routes import Routes
from core.tenancy import is_internal
from customers.models import Customer

from . import forms, selectors, services
from .filters import CsrDocumentListFilter
from .models import Clause, CsrDocument
from .permissions import may_work

REGISTER = ListPage(
    "csr/csr_list.html",
    CsrDocumentListFilter,
    "csr_documents",
    records=selectors.csr_documents_for_list,
    extra=lambda user: {"internal": is_internal(user), "can_create": may_work(user)},
)
CSR_FORM = FormPage(
    "csr/csr_form.html",
    "csr_document",
    created=lambda document: _("%(reference)s created.") % {"reference": document.reference},
)
routes = Routes()


def _require_work(user) -> None:
    if not may_work(user):
        raise HttpForbidden


def _visible(request, pk) -> CsrDocument:
    return visible_record(request, CsrDocument, pk)


csr_list = REGISTER.as_view()


@routes.get("customers/<int:customer_pk>/", name="customer-register")
def customer_register(request, customer_pk):
    """One customer's register, with what the portal already applies for them."""
    customer = get_object_or_404(Customer.objects.visible_to(request.user), pk=customer_pk)
    user = request.user
    records = selectors.csr_documents_for_list(user).filter(customer=customer)
    context = {
        "customer": customer,
        "configured": selectors.configured_requirements(customer),
        "internal": is_internal(user),
        "can_create": may_work(user),
    }
    return REGISTER.render(request, records, context)


@routes.form("new/", name="csr-create")
def csr_create(request):
    _require_work(request.user)
    initial = {"customer": request.GET.get("customer"), "owner": request.user.pk}
    form = forms.CsrDocumentForm(
        request.POST or None, request.FILES or None, user=request.user, initial=initial
    )
    return CSR_FORM.create(request, form, services.csr_create)


@routes.get("<int:pk>/", name="csr-detail")
def csr_detail(request, pk):
    document = _visible(request, pk)
    user = request.user
    working = may_work(user) and not document.is_superseded
    clauses = selectors.clauses_of(document, user)
    if working:
        choices = _mapping_choices(user)
        for clause in clauses:
            clause.form = _mapping_form(clause, user, choices)
    context = {
        "csr_document": document,
        "internal": is_internal(user),
        "may_edit": working,
        "clauses": clauses,
        "changes": selectors.changes_since_previous(document),
        "revisions": selectors.revisions_of(document, user),
        "configured": selectors.configured_requirements(document.customer),
        "clause_form": forms.ClauseForm(),
        "history": timeline(document) if is_internal(user) else [],
    }
    return render(request, "csr/csr_detail.html", context)


def _mapping_choices(user) -> dict[str, list]:
    """The documents and owners to choose from, read once for every clause's form."""
    form = forms.ClauseMappingForm(user=user)
    return {name: list(form.fields[name].choices) for name in ("fulfilled_by", "owner")}


def _mapping_form(clause: Clause, user, choices: dict[str, list]):
    initial = {
        "status": clause.status,
        "fulfilled_by": clause.fulfilled_by_id,
        "process": clause.process,
        "owner": clause.owner_id,
        "not_applicable_reason": clause.not_applicable_reason,
        "version": clause.version,
    }
    form = forms.ClauseMappingForm(initial=initial, user=user, prefix=f"clause-{clause.pk}")
    for name, listed in choices.items():
        form.fields[name].choices = listed
    return form


@routes.form("<int:pk>/revise/", name="csr-revise")
def csr_revise(request, pk):
    document = _visible(request, pk)
    _require_work(request.user)
    form = forms.CsrReviseForm(request.POST or None, request.FILES or None)
    return form_page(
        request,
        form,
        services.csr_revise,
        template="csr/csr_revise.html",
        context={"csr_document": document},
        message=lambda new: _("Revision %(revision)s created.") % {"revision": new.revision},
        document=document,
        refuse_unplaced=True,
    )


@routes.post("<int:pk>/clauses/", name="clause-add")
def clause_add(request, pk):
    document = _visible(request, pk)
    _require_work(request.user)
    form = forms.ClauseForm(request.POST)
    run_form(
        request, form, services.clause_add, document=document, success_message=_("Clause added.")
    )
    return redirect(document)


@routes.post("<int:pk>/clauses/<int:clause_pk>/", name="clause-map")
def clause_map(request, pk, clause_pk):
    document = _visible(request, pk)
    clause = get_object_or_404(
        Clause.objects.visible_to(request.user).filter(document=document), pk=clause_pk
    )
    _require_work(request.user)
    form = forms.ClauseMappingForm(request.POST, user=request.user, prefix=f"clause-{clause.pk}")
    if form.is_valid():
        run_service(
            request,
            services.clause_map,
            clause=clause,
            actor=request.user,
            expected_version=form.cleaned_data.get("version"),
            success_message=_("Clause %(number)s saved.") % {"number": clause.number},
            **form.service_fields(),
        )
    else:
        form_messages(request, form)
    return redirect(f"{document.get_absolute_url()}#clause-{clause.pk}")
