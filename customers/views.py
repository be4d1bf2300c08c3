"""Master-data pages. Staff pages need ``customers.view``; customer users only see their parts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from core.forms import policy_hint, type_labels
from core.history import timeline
from core.models import Attachment
from core.pages import FormPage, filter_records, fresh, paged, visible_record
from core.routes import Routes
from core.services import attachment_add

from . import forms, imports, selectors, services
from .filters import PartListFilter
from .models import Contact, Customer, Holiday, Part, Plant
from .permissions import MANAGE, PARTS_IMPORT, PARTS_MANAGE, VIEW, capability_required, has

CUSTOMERS_PER_PAGE = 25
PLANTS_PER_PAGE = 25
PARTS_PER_PAGE = 50
routes = Routes()


def _form_page(record: str, **messages) -> FormPage:
    """Master data keeps no versions; a form with errors comes back as a page like any other."""
    template = f"customers/{record}_form.html"
    return FormPage(template, record, versioned=False, invalid_status=200, **messages)


CUSTOMER_FORM = _form_page(
    "customer",
    created=lambda customer: _("Customer “%s” created.") % customer,
    saved=lambda customer: _("Customer “%s” saved.") % customer.name,
)
REQUIREMENTS_FORM = _form_page(
    "requirements",
    saved=lambda requirements: _("Requirements of “%s” saved.") % requirements.customer,
)
CONTACT_FORM = _form_page(
    "contact",
    created=lambda contact: _("Contact “%s” added.") % contact,
    saved=lambda contact: _("Contact “%s” saved.") % contact.name,
)
HOLIDAY_FORM = _form_page("holiday", created=lambda holiday: _("Holiday “%s” added.") % holiday)
PLANT_FORM = _form_page(
    "plant",
    created=lambda plant: _("Plant “%s” created.") % plant,
    saved=lambda plant: _("Plant “%s” saved.") % plant.code,
)
PART_FORM = _form_page(
    "part",
    created=lambda part: _("Part “%s” created.") % part,
    saved=lambda part: _("Part “%s” saved.") % part.part_number,
)


# --- customers -----------------------------------------------------------------------------------


@capability_required(VIEW)
def customer_list(request):
    search = _search(request)
    searched = search.cleaned_data
    customers = selectors.customer_list(
        request.user, search=searched.get("q", ""), status=searched.get("status", "")
    )
    context = {
        **paged(request, customers, CUSTOMERS_PER_PAGE, "customers"),
        "search": search,
        "filtered": any(searched.values()),
        "can_manage": has(request.user, MANAGE),
    }
    return render(request, "customers/customer_list.html", context)


@capability_required(MANAGE)
@require_http_methods(["GET", "POST"])
def customer_create(request):
    form = forms.CustomerForm(request.POST or None)
    return CUSTOMER_FORM.create(request, form, services.customer_create)


@capability_required(VIEW)
def customer_detail(request, pk):
    customer = _visible_customer(request, pk)
    year = _year(request)
    context = {
        "customer": customer,
        "requirements": customer.requirements,
        "type_labels": type_labels(customer.requirements.allowed_attachment_types),
        "contacts": customer.contacts.all(),
        "holiday_years": sorted({*selectors.holiday_years(customer), year}),
        "year": year,
        "holidays": selectors.holidays_in_year(customer, year),
        "part_count": selectors.part_count(customer),
        "history": timeline(customer),
        "can_manage": has(request.user, MANAGE),
    }
    return render(request, "customers/customer_detail.html", context)


@capability_required(MANAGE)
@require_http_methods(["GET", "POST"])
def customer_update(request, pk):
    customer = _visible_customer(request, pk)
    form = forms.CustomerForm(request.POST or None, instance=fresh(customer))
    return CUSTOMER_FORM.edit(request, form, services.customer_update, customer)


@routes("customers/<int:pk>/requirements/")
@capability_required(MANAGE)
@require_http_methods(["GET", "POST"])
def requirements_update(request, pk):
    customer = _visible_customer(request, pk)
    requirements = customer.requirements
    form = forms.RequirementsForm(request.POST or None, instance=fresh(requirements))
    context = {"customer": customer, "history": timeline(requirements)}
    return REQUIREMENTS_FORM.edit(
        request, form, services.requirements_update, requirements, to=customer, context=context
    )


# --- contacts and holidays -----------------------------------------------------------------------


@routes("customers/<int:pk>/contacts/new/")
@capability_required(MANAGE)
@require_http_methods(["GET", "POST"])
def contact_create(request, pk):
    customer = _visible_customer(request, pk)
    form = forms.ContactForm(request.POST or None)
    return CONTACT_FORM.create(
        request, form, services.contact_create, customer=customer, **_back_to(customer)
    )


@routes("customers/<int:pk>/contacts/<int:contact_pk>/edit/")
@capability_required(MANAGE)
@require_http_methods(["GET", "POST"])
def contact_update(request, pk, contact_pk):
    customer = _visible_customer(request, pk)
    contact = get_object_or_404(
        Contact.objects.visible_to(request.user), pk=contact_pk, customer=customer
    )
    form = forms.ContactForm(request.POST or None, instance=fresh(contact))
    return CONTACT_FORM.edit(request, form, services.contact_update, contact, **_back_to(customer))


@routes("customers/<int:pk>/holidays/new/")
@capability_required(MANAGE)
@require_http_methods(["GET", "POST"])
def holiday_add(request, pk):
    customer = _visible_customer(request, pk)
    form = forms.HolidayForm(request.POST or None, instance=Holiday(customer=customer))
    return HOLIDAY_FORM.create(
        request,
        form,
        services.holiday_add,
        customer=customer,
        context={"customer": customer},
        to=lambda holiday: _holiday_url(customer, holiday.date.year),
    )


@routes("customers/<int:pk>/holidays/<int:holiday_pk>/remove/")
@capability_required(MANAGE)
@require_http_methods(["GET", "POST"])
def holiday_remove(request, pk, holiday_pk):
    customer = _visible_customer(request, pk)
    holiday = get_object_or_404(
        Holiday.objects.visible_to(request.user), pk=holiday_pk, customer=customer
    )
    if request.method == "POST":
        services.holiday_remove(holiday=holiday, actor=request.user)
        messages.success(request, _("Holiday “%s” removed.") % holiday)
        return redirect(_holiday_url(customer, holiday.date.year))
    context = {"customer": customer, "holiday": holiday}
    return render(request, "customers/holiday_confirm_remove.html", context)


def _visible_customer(request, pk) -> Customer:
    customers = Customer.objects.visible_to(request.user).select_related("requirements")
    return get_object_or_404(customers, pk=pk)


def _back_to(customer: Customer) -> dict:
    """A contact's page is its customer's: shown with it, and back to it once saved."""
    return {"context": {"customer": customer}, "to": customer}


def _holiday_url(customer: Customer, year: int) -> str:
    return f"{reverse('customers:customer-detail', args=[customer.pk])}?year={year}#holidays"


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 1900 <= year <= 2999 else timezone.localdate().year


# --- plants --------------------------------------------------------------------------------------


@capability_required(VIEW)
def plant_list(request):
    search = _search(request)
    plants = Plant.objects.visible_to(request.user).annotate(part_count=Count("parts"))
    term = search.cleaned_data.get("q", "").strip()
    if term:
        plants = plants.filter(Q(code__icontains=term) | Q(name__icontains=term))
    status = search.cleaned_data.get("status")
    if status:
        plants = plants.filter(is_active=status == "active")
    return render(
        request,
        "customers/plant_list.html",
        {
            **paged(request, plants.order_by("code"), PLANTS_PER_PAGE, "plants"),
            "search": search,
            "filtered": bool(term or status),
            "can_manage": has(request.user, MANAGE),
        },
    )


def _search(request) -> forms.CustomerSearchForm:
    """The search box of the customer and plant lists, read from the query."""
    search = forms.CustomerSearchForm(request.GET)
    search.is_valid()
    return search


@capability_required(MANAGE)
@require_http_methods(["GET", "POST"])
def plant_create(request):
    form = forms.PlantForm(request.POST or None)
    return PLANT_FORM.create(request, form, services.plant_create)


@capability_required(VIEW)
def plant_detail(request, pk):
    plant = get_object_or_404(Plant.objects.visible_to(request.user), pk=pk)
    context = {
        "plant": plant,
        "part_count": plant.parts.count(),
        "history": timeline(plant),
        "can_manage": has(request.user, MANAGE),
    }
    return render(request, "customers/plant_detail.html", context)


@capability_required(MANAGE)
@require_http_methods(["GET", "POST"])
def plant_update(request, pk):
    plant = get_object_or_404(Plant.objects.visible_to(request.user), pk=pk)
    form = forms.PlantForm(request.POST or None, instance=fresh(plant))
    return PLANT_FORM.edit(request, form, services.plant_update, plant)


# --- parts ---------------------------------------------------------------------------------------


@login_required
def part_list(request):
    parts = Part.objects.visible_to(request.user).with_related()
    filters, parts = filter_records(request, PartListFilter, parts)
    context = {
        "filters": filters,
        **paged(request, parts, PARTS_PER_PAGE, "parts"),
        "show_customer": has(request.user, VIEW),
        "can_manage": has(request.user, PARTS_MANAGE),
        "can_import": has(request.user, PARTS_IMPORT),
    }
    return render(request, "customers/part_list.html", context)


@login_required
def part_detail(request, pk):
    part = _visible_part(request, pk)
    return _render_part_detail(request, part, forms.PartAttachmentForm())


def _visible_part(request, pk) -> Part:
    return visible_record(request, Part, pk, "customer__requirements")


def _render_part_detail(request, part: Part, upload_form, status: int = 200):
    may_upload = has(request.user, PARTS_MANAGE)
    policy = part.customer.requirements.attachment_policy
    context = {
        "part": part,
        "attachments": Attachment.objects.visible_to(request.user)
        .for_owner(part)
        .select_related("uploaded_by"),
        "upload_form": upload_form if may_upload else None,
        "policy_hint": policy_hint(policy) if may_upload else "",
        "history": timeline(part),
        "is_staff": has(request.user, VIEW),
        "can_manage": may_upload,
    }
    return render(request, "customers/part_detail.html", context, status=status)


@capability_required(PARTS_MANAGE)
@require_POST
def part_attachment_add(request, pk):
    part = _visible_part(request, pk)
    form = forms.PartAttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment = attachment_add(
                owner=part,
                upload=form.cleaned_data["file"],
                actor=request.user,
                policy=part.customer.requirements.attachment_policy,
                description=form.cleaned_data["description"],
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, _("“%s” attached.") % attachment)
            return redirect("customers:part-detail", part.pk)
    return _render_part_detail(request, part, form, status=400)


@capability_required(PARTS_MANAGE)
@require_http_methods(["GET", "POST"])
def part_create(request):
    initial = {"customer": request.GET.get("customer")} if request.GET.get("customer") else None
    form = forms.PartForm(request.POST or None, initial=initial)
    return PART_FORM.create(request, form, services.part_create)


@capability_required(PARTS_MANAGE)
@require_http_methods(["GET", "POST"])
def part_update(request, pk):
    part = get_object_or_404(Part.objects.visible_to(request.user), pk=pk)
    form = forms.PartForm(request.POST or None, instance=fresh(part))
    return PART_FORM.edit(request, form, services.part_update, part)


@capability_required(PARTS_IMPORT)
@require_http_methods(["GET", "POST"])
def part_import(request):
    form = forms.PartImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = services.parts_import_csv(file=form.cleaned_data["file"], actor=request.user)
        if result.ok:
            messages.success(
                request,
                ngettext("%(count)d part imported.", "%(count)d parts imported.", result.created)
                % {"count": result.created},
            )
            return redirect("customers:part-list")
    context = {"form": form, "result": result, "columns": imports.COLUMNS}
    return render(request, "customers/part_import.html", context, status=400 if result else 200)


@capability_required(PARTS_IMPORT)
def part_import_template(request):
    response = HttpResponse(imports.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="parts-import-template.csv"'
    return response
