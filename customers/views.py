"""Master-data pages. Staff pages need ``customers.view``; customer users only see their parts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from core.attachments import KNOWN_TYPES
from core.history import timeline
from core.models import Attachment
from core.pagination import Paginator
from core.services import attachment_add

from . import forms, imports, selectors, services
from .filters import PartListFilter
from .models import Contact, Customer, Holiday, Part, Plant
from .permissions import MANAGE, PARTS_IMPORT, PARTS_MANAGE, VIEW, capability_required, has

CUSTOMERS_PER_PAGE = 25
PLANTS_PER_PAGE = 25
PARTS_PER_PAGE = 50


# --- customers -----------------------------------------------------------------------------------


@capability_required(VIEW)
def customer_list(request):
    search = forms.CustomerSearchForm(request.GET)
    search.is_valid()
    customers = selectors.customer_list(
        request.user,
        search=search.cleaned_data.get("q", ""),
        status=search.cleaned_data.get("status", ""),
    )
    page = Paginator(customers, CUSTOMERS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "search": search,
        "filtered": any(search.cleaned_data.values()),
        "page_obj": page,
        "customers": page.object_list,
        "can_manage": has(request.user, MANAGE),
    }
    return render(request, "customers/customer_list.html", context)


@capability_required(MANAGE)
@require_http_methods(["GET", "POST"])
def customer_create(request):
    form = forms.CustomerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        customer = _run(form, services.customer_create, actor=request.user, **form.cleaned_data)
        if customer:
            messages.success(request, _("Customer “%s” created.") % customer)
            return redirect("customers:customer-detail", customer.pk)
    return render(request, "customers/customer_form.html", {"form": form})


@capability_required(VIEW)
def customer_detail(request, pk):
    customer = get_object_or_404(
        Customer.objects.visible_to(request.user).select_related("requirements"), pk=pk
    )
    year = _year(request)
    context = {
        "customer": customer,
        "requirements": customer.requirements,
        "type_labels": _type_labels(customer.requirements.allowed_attachment_types),
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
    customer = get_object_or_404(Customer.objects.visible_to(request.user), pk=pk)
    form = forms.CustomerForm(request.POST or None, instance=_fresh(customer))
    if request.method == "POST" and form.is_valid():
        fields = form.cleaned_data
        if _run(form, services.customer_update, customer=customer, actor=request.user, **fields):
            messages.success(request, _("Customer “%s” saved.") % fields["name"])
            return redirect("customers:customer-detail", customer.pk)
    return render(request, "customers/customer_form.html", {"form": form, "customer": customer})


@capability_required(MANAGE)
@require_http_methods(["GET", "POST"])
def requirements_update(request, pk):
    customer = get_object_or_404(
        Customer.objects.visible_to(request.user).select_related("requirements"), pk=pk
    )
    requirements = customer.requirements
    form = forms.RequirementsForm(request.POST or None, instance=_fresh(requirements))
    if request.method == "POST" and form.is_valid():
        saved = _run(
            form,
            services.requirements_update,
            requirements=requirements,
            actor=request.user,
            **form.cleaned_data,
        )
        if saved:
            messages.success(request, _("Requirements of “%s” saved.") % customer)
            return redirect("customers:customer-detail", customer.pk)
    context = {"form": form, "customer": customer, "history": timeline(requirements)}
    return render(request, "customers/requirements_form.html", context)


# --- contacts and holidays -----------------------------------------------------------------------


@capability_required(MANAGE)
@require_http_methods(["GET", "POST"])
def contact_create(request, pk):
    customer = get_object_or_404(Customer.objects.visible_to(request.user), pk=pk)
    form = forms.ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        contact = _run(
            form,
            services.contact_create,
            customer=customer,
            actor=request.user,
            **form.cleaned_data,
        )
        if contact:
            messages.success(request, _("Contact “%s” added.") % contact)
            return redirect("customers:customer-detail", customer.pk)
    return render(request, "customers/contact_form.html", {"form": form, "customer": customer})


@capability_required(MANAGE)
@require_http_methods(["GET", "POST"])
def contact_update(request, pk, contact_pk):
    customer = get_object_or_404(Customer.objects.visible_to(request.user), pk=pk)
    contact = get_object_or_404(
        Contact.objects.visible_to(request.user), pk=contact_pk, customer=customer
    )
    form = forms.ContactForm(request.POST or None, instance=_fresh(contact))
    if request.method == "POST" and form.is_valid():
        fields = form.cleaned_data
        if _run(form, services.contact_update, contact=contact, actor=request.user, **fields):
            messages.success(request, _("Contact “%s” saved.") % fields["name"])
            return redirect("customers:customer-detail", customer.pk)
    context = {"form": form, "customer": customer, "contact": contact}
    return render(request, "customers/contact_form.html", context)


@capability_required(MANAGE)
@require_http_methods(["GET", "POST"])
def holiday_add(request, pk):
    customer = get_object_or_404(Customer.objects.visible_to(request.user), pk=pk)
    form = forms.HolidayForm(request.POST or None, instance=Holiday(customer=customer))
    if request.method == "POST" and form.is_valid():
        holiday = _run(
            form,
            services.holiday_add,
            customer=customer,
            actor=request.user,
            **form.cleaned_data,
        )
        if holiday:
            messages.success(request, _("Holiday “%s” added.") % holiday)
            return redirect(_holiday_url(customer, holiday.date.year))
    return render(request, "customers/holiday_form.html", {"form": form, "customer": customer})


@capability_required(MANAGE)
@require_http_methods(["GET", "POST"])
def holiday_remove(request, pk, holiday_pk):
    customer = get_object_or_404(Customer.objects.visible_to(request.user), pk=pk)
    holiday = get_object_or_404(
        Holiday.objects.visible_to(request.user), pk=holiday_pk, customer=customer
    )
    if request.method == "POST":
        services.holiday_remove(holiday=holiday, actor=request.user)
        messages.success(request, _("Holiday “%s” removed.") % holiday)
        return redirect(_holiday_url(customer, holiday.date.year))
    context = {"customer": customer, "holiday": holiday}
    return render(request, "customers/holiday_confirm_remove.html", context)


def _holiday_url(customer: Customer, year: int) -> str:
    return f"{reverse('customers:customer-detail', args=[customer.pk])}?year={year}#holidays"


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 1900 <= year <= 2999 else timezone.localdate().year


def _type_labels(types: list[str]) -> list[str]:
    return [str(KNOWN_TYPES[t][0]) if t in KNOWN_TYPES else t for t in types]


# --- plants --------------------------------------------------------------------------------------


@capability_required(VIEW)
def plant_list(request):
    search = forms.CustomerSearchForm(request.GET)
    search.is_valid()
    plants = Plant.objects.visible_to(request.user).annotate(part_count=Count("parts"))
    term = search.cleaned_data.get("q", "").strip()
    if term:
        plants = plants.filter(Q(code__icontains=term) | Q(name__icontains=term))
    status = search.cleaned_data.get("status")
    if status:
        plants = plants.filter(is_active=status == "active")
    page = Paginator(plants.order_by("code"), PLANTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "search": search,
        "filtered": bool(term or status),
        "page_obj": page,
        "plants": page.object_list,
        "can_manage": has(request.user, MANAGE),
    }
    return render(request, "customers/plant_list.html", context)


@capability_required(MANAGE)
@require_http_methods(["GET", "POST"])
def plant_create(request):
    form = forms.PlantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        plant = _run(form, services.plant_create, actor=request.user, **form.cleaned_data)
        if plant:
            messages.success(request, _("Plant “%s” created.") % plant)
            return redirect("customers:plant-detail", plant.pk)
    return render(request, "customers/plant_form.html", {"form": form})


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
    form = forms.PlantForm(request.POST or None, instance=_fresh(plant))
    if request.method == "POST" and form.is_valid():
        fields = form.cleaned_data
        saved = _run(form, services.plant_update, plant=plant, actor=request.user, **fields)
        if saved:
            messages.success(request, _("Plant “%s” saved.") % fields["code"])
            return redirect("customers:plant-detail", plant.pk)
    return render(request, "customers/plant_form.html", {"form": form, "plant": plant})


# --- parts ---------------------------------------------------------------------------------------


@login_required
def part_list(request):
    parts = Part.objects.visible_to(request.user).with_related()
    filters = PartListFilter(request.GET or None, queryset=parts, request=request)
    filtered = filters.qs if filters.is_bound else parts
    page = Paginator(filtered, PARTS_PER_PAGE).get_page(request.GET.get("page"))
    is_staff = has(request.user, VIEW)
    context = {
        "filters": filters,
        "filtered": _has_filters(request),
        "page_obj": page,
        "parts": page.object_list,
        "show_customer": is_staff,
        "can_manage": has(request.user, PARTS_MANAGE),
        "can_import": has(request.user, PARTS_IMPORT),
    }
    return render(request, "customers/part_list.html", context)


def _has_filters(request) -> bool:
    return any(value for key, value in request.GET.items() if key not in ("page", "ordering"))


@login_required
def part_detail(request, pk):
    part = _visible_part(request, pk)
    return _render_part_detail(request, part, forms.PartAttachmentForm())


def _visible_part(request, pk) -> Part:
    parts = Part.objects.visible_to(request.user).with_related()
    return get_object_or_404(parts.select_related("customer__requirements"), pk=pk)


def _render_part_detail(request, part: Part, upload_form, status: int = 200):
    may_upload = has(request.user, PARTS_MANAGE)
    policy = part.customer.requirements.attachment_policy
    context = {
        "part": part,
        "attachments": Attachment.objects.visible_to(request.user)
        .for_owner(part)
        .select_related("uploaded_by"),
        "upload_form": upload_form if may_upload else None,
        "policy_hint": _policy_hint(policy) if may_upload else "",
        "history": timeline(part),
        "is_staff": has(request.user, VIEW),
        "can_manage": may_upload,
    }
    return render(request, "customers/part_detail.html", context, status=status)


def _policy_hint(policy) -> str:
    return _("Allowed: %(types)s; at most %(size)s per file.") % {
        "types": ", ".join(_type_labels(list(policy.allowed_types))),
        "size": filesizeformat(policy.max_bytes),
    }


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
    if request.method == "POST" and form.is_valid():
        part = _run(form, services.part_create, actor=request.user, **form.cleaned_data)
        if part:
            messages.success(request, _("Part “%s” created.") % part)
            return redirect("customers:part-detail", part.pk)
    return render(request, "customers/part_form.html", {"form": form})


@capability_required(PARTS_MANAGE)
@require_http_methods(["GET", "POST"])
def part_update(request, pk):
    part = get_object_or_404(Part.objects.visible_to(request.user), pk=pk)
    form = forms.PartForm(request.POST or None, instance=_fresh(part))
    if request.method == "POST" and form.is_valid():
        saved = _run(form, services.part_update, part=part, actor=request.user, **form.cleaned_data)
        if saved:
            messages.success(request, _("Part “%s” saved.") % part.part_number)
            return redirect("customers:part-detail", part.pk)
    return render(request, "customers/part_form.html", {"form": form, "part": part})


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


# --- helpers -------------------------------------------------------------------------------------


def _run(form, service, **kwargs):
    """Call a write service; its validation errors show on the form and the result is None."""
    try:
        return service(**kwargs)
    except ValidationError as error:
        forms.add_service_errors(form, error)
    return None


def _fresh(record):
    """A separate copy for the form, so a rejected edit does not alter the page's heading."""
    return type(record)._default_manager.get(pk=record.pk)
