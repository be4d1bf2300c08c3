"""What every module's pages share: lists with filters, and writes asked for from a page.

A page asks a service for a write and shows the outcome: a message after a redirect
(``run_service``), or the form again with the errors on it (``save_form``). A refusal changes
nothing, and nothing the user typed is lost. ``FormPage`` is the whole cycle of a page with one
form (create and edit pages), ``ListPage`` a list page, ``PageTransitions`` the workflow buttons
of a record's page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from .downloads import pdf_download
from .errors import DomainError
from .forms import add_domain_error, add_service_errors
from .locking import StaleVersion, parse_version
from .pagination import Paginator

SAVED = gettext_lazy("Saved.")
# Query parameters that choose a page or a sort order: they filter nothing.
NOT_FILTERS = ("page", "ordering")


def require_capability(user, capability: str) -> None:
    """403 for a user without ``capability``."""
    if not user.has_capability(capability):
        raise HttpForbidden


# --- lists ---------------------------------------------------------------------------------------


def is_filtered(request) -> bool:
    """Whether the list's query filters anything: the empty state and "Reset" follow this."""
    return any(value for key, value in request.GET.items() if key not in NOT_FILTERS)


def filter_records(request, filterset_class, records):
    """The list's filters bound to the query, and the records they let through."""
    filters = filterset_class(request.GET or None, queryset=records, request=request)
    return filters, (filters.qs if filters.is_bound else records)


def list_page(
    request, filterset_class, records, *, per_page: int, rows: str, paginator=Paginator
) -> dict:
    """The context a list page starts from.

    ``filters``, ``filtered``, ``page_obj`` and the page's records under the name ``rows``.
    """
    filters, records = filter_records(request, filterset_class, records)
    return {"filters": filters, **paged(request, records, per_page, rows, paginator=paginator)}


def paged(request, records, per_page: int, rows: str, *, paginator=Paginator) -> dict:
    """The page of ``records`` the query asks for: ``filtered``, ``page_obj`` and ``rows``."""
    page = paginator(records, per_page).get_page(request.GET.get("page"))
    return {"filtered": is_filtered(request), "page_obj": page, rows: page.object_list}


@dataclass(frozen=True)
class ListPage:
    """A list page: its template, its filters, the name its rows go by, how many a page shows.

    ``records(user)`` are what the list shows the user; ``extra(user)`` the page's own context
    (what the user may do there). With both, ``as_view()`` is the whole page.
    """

    template: str
    filterset_class: type
    rows: str
    records: Callable | None = None
    extra: Callable | None = None
    per_page: int = 25
    paginator: type = Paginator

    def as_view(self) -> Callable:
        """The list page as a view: read only, for signed-in users."""

        @login_required
        @require_GET
        def view(request):
            user = request.user
            return self.render(request, self.records(user), self.extra(user) if self.extra else {})

        return view

    def filtered(self, request):
        """The user's records through the list's filters as the query sets them (an export)."""
        return filter_records(request, self.filterset_class, self.records(request.user))[1]

    def context(self, request, records, *, per_page: int | None = None) -> dict:
        """``list_page`` of ``records``; ``per_page`` instead of the page's own number."""
        return list_page(
            request,
            self.filterset_class,
            records,
            per_page=per_page or self.per_page,
            rows=self.rows,
            paginator=self.paginator,
        )

    def render(self, request, records, context: dict | None = None, **options) -> HttpResponse:
        """The page of ``records`` with its own ``context``; ``options`` as for ``context``."""
        listing = self.context(request, records, **options)
        return render(request, self.template, {**listing, **(context or {})})


# --- record pages --------------------------------------------------------------------------------


def visible_record(request, model, pk, *related: str):
    """The record ``pk`` of ``model`` with what its page shows, if the user may see it.

    The page's rows come through ``with_related`` and ``related``. Another customer's record is
    a 404 exactly like a missing one (``visible_to``).
    """
    records = model.objects.visible_to(request.user).with_related()
    return get_object_or_404(records.select_related(*related) if related else records, pk=pk)


def fresh(record):
    """A separate copy of ``record`` for a form, so a refused edit leaves the page's heading."""
    return type(record)._default_manager.get(pk=record.pk)


def transition_buttons(workflow, names: Iterable[str]) -> list[dict]:
    """The buttons of the transitions ``names`` of ``workflow``: name, label, comment asked."""
    return [
        {"name": name, "label": workflow[name].label, "needs_comment": workflow[name].needs_comment}
        for name in names
    ]


def document_download(kind, record_of: Callable) -> Callable:
    """The view that downloads the document ``kind`` (a PDF) of ``record_of(request, pk)``."""

    @login_required
    @require_GET
    def download(request, pk):
        return pdf_download(request, kind, record_of(request, pk))

    return download


# --- forms ---------------------------------------------------------------------------------------


def form_status(form) -> int:
    """400 for a posted form with errors, else 200."""
    return 400 if form.is_bound and form.errors else 200


def form_messages(request, form, *, labelled: bool = True) -> None:
    """A form's errors as error messages, for a page that redirects instead of showing it."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if labelled and field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


# --- writes --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """How a write asked for from a page went; true when it was done."""

    done: bool
    result: Any = None
    # Someone else saved the record first: the page shows the posted form again (409).
    conflict: str = ""
    # The whole request was refused (a message says why): no change to the form would help.
    refused: bool = False

    def __bool__(self) -> bool:
        return self.done


def known_service(request, services: dict, action: str) -> Callable | None:
    """The service for the ``action`` a page posted, or None with an error message."""
    service = services.get(action)
    if service is None:
        messages.error(request, _("Unknown action “%s”.") % action)
    return service


def run_service(
    request,
    service: Callable,
    /,
    *,
    success_message=SAVED,
    posted_version: bool = False,
    keep_typed: Iterable[str] = (),
    invalid_intro: str = "",
    **kwargs,
) -> Outcome:
    """Call a write service for a page that redirects: its outcome becomes messages.

    ``posted_version``: the version the page posted (the one it showed) is the service's
    ``expected_version``. ``keep_typed``: when someone else saved first, the text the user typed
    into these inputs is given back, so that nothing is lost. ``invalid_intro`` comes before the
    reasons a ValidationError lists; ``success_message=None`` says nothing on success.
    """
    try:
        if posted_version:
            kwargs["expected_version"] = parse_version(request.POST.get("version"))
        result = service(**kwargs)
    except ValidationError as error:
        if invalid_intro:
            messages.error(request, invalid_intro)
        for message in error.messages:
            messages.error(request, message)
    except DomainError as error:
        messages.error(request, error.message)
        if isinstance(error, StaleVersion):
            _give_back_typed_text(request, kwargs, keep_typed)
    else:
        if success_message:
            messages.success(request, success_message)
        return Outcome(done=True, result=result)
    return Outcome(done=False)


def run_form(
    request, form, service: Callable, /, *, labelled: bool = True, invalid: str = "", **kwargs
) -> Outcome:
    """``run_service`` with a valid form's ``service_fields()`` and the user as ``actor``.

    A form with errors writes nothing: its errors become messages (``form_messages``), or the one
    message ``invalid`` says what the form needs.
    """
    if form.is_valid():
        return run_service(request, service, actor=request.user, **kwargs, **form.service_fields())
    if invalid:
        messages.error(request, invalid)
    else:
        form_messages(request, form, labelled=labelled)
    return Outcome(done=False)


@dataclass(frozen=True)
class PageTransitions:
    """The workflow transitions of one record kind, posted from the record's page.

    ``services`` maps each transition's name to its service; ``record`` is the services' keyword
    for the record (``claim``). ``posted_version`` and ``keep_typed`` as for ``run_service``.
    ``to_result``: when the service answers with a new record (a resubmitted revision), the page
    goes there rather than back.
    """

    services: dict
    record: str
    posted_version: bool = True
    keep_typed: tuple[str, ...] = ()
    to_result: type | None = None

    def run(self, request, record, action: str, /, *, to=None, **inputs) -> HttpResponse:
        """Run the transition ``action`` on ``record`` with ``inputs``, then back to its page.

        ``to``: another page to go back to. An unknown action is an error message, nothing more.
        """
        service = known_service(request, self.services, action)
        outcome = Outcome(done=False)
        if service is not None:
            outcome = run_service(
                request,
                service,
                posted_version=self.posted_version,
                keep_typed=self.keep_typed,
                actor=request.user,
                **{self.record: record},
                **inputs,
            )
        if self.to_result is not None and isinstance(outcome.result, self.to_result):
            return redirect(outcome.result)
        return redirect(record if to is None else to)


def _give_back_typed_text(request, inputs: dict, names: Iterable[str]) -> None:
    for name in names:
        text = inputs.get(name)
        if isinstance(text, str) and text.strip():
            messages.info(request, _("Not saved. What you entered: %s") % text.strip())


def save_form(
    request,
    form,
    service: Callable,
    /,
    *args,
    posted_version: bool = False,
    refuse: tuple[type[DomainError], ...] = (),
    refuse_unplaced: bool = False,
    conflict_page: bool = False,
    on_invalid: Callable = add_service_errors,
    **kwargs,
) -> Outcome:
    """Call a write service with a valid form's input; what the user can put right goes on it.

    A ValidationError goes on the form (``on_invalid``), a DomainError on the field it names
    (else above the fields). A DomainError of a kind in ``refuse`` — with ``refuse_unplaced``
    also one that names no field of the form — refuses the whole request instead: an error
    message, and ``refused`` in the outcome. When someone else saved first (``StaleVersion``),
    ``conflict`` holds the message; with ``conflict_page`` that is all, for a page that shows
    the posted form again with a reload link. ``posted_version`` as for ``run_service``.
    """
    try:
        if posted_version:
            kwargs["expected_version"] = parse_version(request.POST.get("version"))
        result = service(*args, **kwargs)
    except ValidationError as error:
        on_invalid(form, error)
    except DomainError as error:
        conflict = error.message if isinstance(error, StaleVersion) else ""
        if conflict and conflict_page:
            return Outcome(done=False, conflict=conflict)
        if isinstance(error, refuse) or (refuse_unplaced and error.field not in form.fields):
            messages.error(request, error.message)
            return Outcome(done=False, conflict=conflict, refused=True)
        add_domain_error(form, error)
        return Outcome(done=False, conflict=conflict)
    else:
        return Outcome(done=True, result=result)
    return Outcome(done=False)


# --- pages with a form ---------------------------------------------------------------------------


def _given(value, result):
    return value(result) if callable(value) else value


def after_save(request, outcome: Outcome, *, message=SAVED, to=None) -> HttpResponse | None:
    """The redirect after a write asked for with a form; None when the form is shown again.

    Done: ``message`` and a redirect to ``to``, each called with the result when callable (``to``
    None: the record the write returns). Refused as a whole: the redirect alone, since a message
    already says why.
    """
    if not (outcome or outcome.refused):
        return None
    if outcome:
        messages.success(request, _given(message, outcome.result))
    return redirect(outcome.result if to is None else _given(to, outcome.result))


def form_page(
    request,
    form,
    service: Callable,
    /,
    *,
    template: str,
    context: dict | None = None,
    message=SAVED,
    to=None,
    invalid_status: int = 400,
    **kwargs,
) -> HttpResponse:
    """A page with a form that ``service`` saves: showing it, saving it, answering.

    A valid posted form calls ``service`` through ``save_form`` with the user as ``actor``,
    ``kwargs`` (the service's own inputs and ``save_form``'s options) and the form's
    ``service_fields()``; ``after_save`` answers a write that was done or refused. Otherwise the
    page shows the form (``template``, the ``context`` and ``form``): with its errors
    (``invalid_status``), or as posted when someone else saved first (409; on a
    ``conflict_page`` the ``conflict`` message comes with it).
    """
    outcome = Outcome(done=False)
    if request.method == "POST" and form.is_valid():
        outcome = save_form(
            request, form, service, actor=request.user, **kwargs, **form.service_fields()
        )
        answer = after_save(request, outcome, message=message, to=to)
        if answer is not None:
            return answer
    page = {"form": form, **(context or {})}
    if outcome.conflict and kwargs.get("conflict_page"):
        page["conflict"] = outcome.conflict
    status = 409 if outcome.conflict else (invalid_status if form_status(form) == 400 else 200)
    return render(request, template, page, status=status)


@dataclass(frozen=True)
class FormPage:
    """The page on which one kind of record is created and edited with a form (``form_page``).

    ``template`` shows the form; ``record`` is the name the edited record goes by, in the template
    and for the edit service (``claim``, ``change``). ``created`` and ``saved`` are what the user
    reads once the record is saved (called with it when callable). An edit sends the version the
    page showed (``versioned``); on a ``conflict_page`` someone else's save shows the form as
    posted with a reload link. ``refuse`` and ``refuse_unplaced`` (as for ``save_form``) name the
    refusals of a whole edit: the record is no longer editable, no change to the form would help.
    ``invalid_status``: the status of the form shown again with its errors.
    """

    template: str
    record: str
    created: object = SAVED
    saved: object = SAVED
    versioned: bool = True
    conflict_page: bool = False
    refuse: tuple[type[DomainError], ...] = ()
    refuse_unplaced: bool = False
    invalid_status: int = 400

    def create(self, request, form, service, /, *, to=None, **kwargs) -> HttpResponse:
        """Show or save a new record's form; once saved, to the new record (or ``to``)."""
        kwargs.setdefault("message", self.created)
        return form_page(request, form, service, to=to, **self._page(kwargs))

    def edit(self, request, form, service, record, /, *, to=None, **kwargs) -> HttpResponse:
        """Show or save the form of ``record``; saved (or refused), back to it (or ``to``)."""
        context = {self.record: record, **kwargs.pop("context", {})}
        kwargs = {"context": context, self.record: record, "message": self.saved, **kwargs}
        kwargs.setdefault("posted_version", self.versioned)
        kwargs.setdefault("conflict_page", self.conflict_page)
        kwargs.setdefault("refuse", self.refuse)
        kwargs.setdefault("refuse_unplaced", self.refuse_unplaced)
        to = record if to is None else to
        return form_page(request, form, service, to=to, **self._page(kwargs))

    def _page(self, kwargs: dict) -> dict:
        return {"template": self.template, "invalid_status": self.invalid_status, **kwargs}
