"""Training register pages: the matrix, training records, qualifications, assignments.

The register is internal: every page answers a customer user with 404, as if it were not there.
Writes go through ``services``; refusals become inline form errors and change nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.errors import DomainError
from core.forms import add_domain_error
from core.history import timeline
from core.pages import ListPage
from core.tenancy import is_internal

from . import forms, selectors, services
from .filters import AssignmentFilter, QualificationFilter, RequirementFilter, TrainingRecordFilter
from .models import TrainingRecord


def _require_staff(request) -> None:
    if not is_internal(request.user):
        raise Http404


def _staff_list(page: ListPage):
    @login_required
    @require_GET
    def view(request):
        _require_staff(request)
        return page.render(request, page.records(request.user))

    return view


requirement_list = _staff_list(
    ListPage(
        "training/requirement_list.html",
        RequirementFilter,
        "requirements",
        records=selectors.requirements_for_list,
    )
)
record_list = _staff_list(
    ListPage(
        "training/record_list.html",
        TrainingRecordFilter,
        "training_records",
        records=selectors.records_for_list,
    )
)
qualification_list = _staff_list(
    ListPage(
        "training/qualification_list.html",
        QualificationFilter,
        "qualifications",
        records=selectors.qualifications_for_list,
    )
)
assignment_list = _staff_list(
    ListPage(
        "training/assignment_list.html",
        AssignmentFilter,
        "assignments",
        records=selectors.assignments_for_list,
    )
)


def _form_page(request, form, service, *, title: str, done: str, back: str):
    """A create page: the form, or the service's record and a message once it accepted it."""
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        try:
            created = service(actor=request.user, **fields)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, done)
            return redirect(created.get_absolute_url())
    return render(request, "training/form.html", {"form": form, "title": title, "back": back})


@login_required
@require_http_methods(["GET", "POST"])
def requirement_create(request):
    _require_staff(request)
    form = forms.RequirementForm(request.POST or None)
    return _form_page(
        request,
        form,
        services.requirement_create,
        title=_("New training matrix row"),
        done=_("Matrix row added."),
        back="training:requirement-list",
    )


@login_required
@require_http_methods(["GET", "POST"])
def skill_create(request):
    _require_staff(request)
    form = forms.SkillForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.skill_create(actor=request.user, name=form.cleaned_data["name"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Skill added."))
            return redirect("training:requirement-list")
    context = {"form": form, "title": _("New skill"), "back": "training:requirement-list"}
    return render(request, "training/form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def record_create(request):
    _require_staff(request)
    form = forms.TrainingRecordForm(request.POST or None, request.FILES or None)
    return _form_page(
        request,
        form,
        services.training_record_create,
        title=_("Record a training"),
        done=_("Training recorded."),
        back="training:record-list",
    )


@login_required
@require_GET
def record_detail(request, pk):
    _require_staff(request)
    record = get_object_or_404(
        TrainingRecord.objects.visible_to(request.user).with_related(), pk=pk
    )
    context = {"record": record, "history": timeline(record)}
    return render(request, "training/record_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def qualification_create(request):
    _require_staff(request)
    form = forms.QualificationForm(request.POST or None, request.FILES or None)
    return _form_page(
        request,
        form,
        services.qualification_create,
        title=_("Record a qualification"),
        done=_("Qualification recorded."),
        back="training:qualification-list",
    )
