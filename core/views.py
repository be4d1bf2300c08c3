from __future__ import annotations

import sys

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.core.exceptions import RequestDataTooBig
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from . import home as home_cards
from . import middleware, selectors
from .attachments import download_name, served_content_type
from .errors import DomainError
from .forms import ActionFilterForm, ActionTransitionForm, AttachmentUploadForm
from .models import Action, Attachment
from .pages import form_messages, run_service
from .renditions import rendition_for
from .routes import Routes
from .services import ACTION_SERVICES, attachments_add

ACTIONS_PER_PAGE = 25
routes = Routes()


def server_error(request):
    """``handler500``: a dead database or broker is a 503, anything else the plain 500 page.

    Django calls it while handling the exception, so ``sys.exc_info()`` holds the error.
    """
    return middleware.error_response(request, sys.exc_info()[1])


def bad_request(request, exception):
    """``handler400``: the portal's page (or JSON) for a request it could not read.

    A body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (Django's ``RequestDataTooBig``) is a 413.
    """
    if isinstance(exception, RequestDataTooBig):
        return middleware.request_too_large(request)
    return middleware.bad_request(request)


def _require_internal(user):
    if not user.has_capability("core.view_internal"):
        raise HttpForbidden


@routes("")
@login_required
def home(request):
    user = request.user
    persona = home_cards.persona(user)
    context = {
        "persona": persona,
        "cards": home_cards.cards_for(user),
        "waiting": home_cards.waiting_for(user),
        "today": timezone.localdate(),
        "first_name": user.get_short_name(),
    }
    if persona != "customer":
        context["attention"] = selectors.actions_needing_attention(
            user, everyone=persona == "manager"
        )
    return render(request, "core/home.html", context)


@routes("actions/")
@login_required
def my_actions(request):
    _require_internal(request.user)
    filters = ActionFilterForm(request.GET)
    tab, query = filters.cleaned_tab(), filters.cleaned_query()
    actions = selectors.actions_for_owner(request.user, tab=tab, query=query)
    page = Paginator(actions, ACTIONS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "filters": filters,
        "tab": tab,
        "query": query,
        "tabs": _tabs_with_counts(request.user),
        "page_obj": page,
        "actions": page.object_list,
    }
    return render(request, "core/my_actions.html", context)


def _tabs_with_counts(user) -> list[tuple[str, str, int]]:
    counts = selectors.action_tab_counts(user)
    return [(key, label, counts[key]) for key, label in ActionFilterForm.TABS]


@routes.post("actions/<int:pk>/transition/")
def action_transition(request, pk):
    _require_internal(request.user)
    action = get_object_or_404(Action.objects.visible_to(request.user), pk=pk)
    form = ActionTransitionForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    name = data.get("action", "")
    service = ACTION_SERVICES.get(name)
    if service is None:
        messages.error(request, _("Unknown action “%s”.") % name)
    else:
        try:
            service(action=action, actor=request.user, **_transition_inputs(name, data))
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("“%s” updated.") % action.title)
    return redirect(_safe_next(request, data.get("next")))


def _transition_inputs(name: str, data: dict) -> dict:
    if name == "complete":
        return {"note": data.get("note", "")}
    if name == "check_effectiveness":
        return {"effective": bool(data.get("effective")), "evidence": data.get("evidence", "")}
    if name == "cancel":
        return {"reason": data.get("reason", "")}
    if name == "reopen":
        return {"reason": data.get("reason", "")}
    return {}


def _safe_next(request, target) -> str:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("core:my-actions")


@routes("attachments/<int:pk>/download/")
@login_required
def attachment_download(request, pk):
    attachment = get_object_or_404(Attachment.objects.visible_to(request.user), pk=pk)
    return attachment_response(attachment)


def attachment_response(attachment: Attachment) -> FileResponse:
    """The file as a download, never shown inline, typed as stored (shared with the API)."""
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=download_name(attachment.original_name, attachment.extension),
        content_type=served_content_type(attachment.mime_type),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@routes("attachments/<int:pk>/picture/<int:size>/")
@login_required
@require_safe
def attachment_picture(request, pk, size):
    """A JPEG rendition of an image attachment: the page's thumbnail (320 px) or to view (1600 px).

    Behind the same check as the download (another customer's picture is a 404, like a missing
    one) and never by its storage name.
    """
    attachment = get_object_or_404(Attachment.objects.visible_to(request.user), pk=pk)
    name = rendition_for(attachment, size)
    if name is None:
        raise Http404
    try:
        handle = attachment.file.storage.open(name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    stem = download_name(attachment.original_name, attachment.extension).rpartition(".")[0]
    response = FileResponse(handle, filename=f"{stem}-{size}.jpg", content_type="image/jpeg")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def handle_attachment_upload(request, *, owner, policy, redirect_to: str = "", refused: str = ""):
    """Glue for an owning record's upload view: validate, store all files or none, report back.

    The owning app's view fetches ``owner`` through its ``visible_to`` (404 for other customers)
    and decides who may upload; ``refused`` says why no file may be added now (the record is
    closed). This stores and redirects with a message, to ``redirect_to`` or the owner's page.
    """
    redirect_to = redirect_to or owner.get_absolute_url()
    if refused:
        messages.error(request, refused)
        return redirect(redirect_to)
    form = AttachmentUploadForm(request.POST, request.FILES, user=request.user)
    if not form.is_valid():
        form_messages(request, form, labelled=False)
        return redirect(redirect_to)
    added = run_service(
        request,
        attachments_add,
        success_message=None,
        owner=owner,
        uploads=form.cleaned_data["files"],
        actor=request.user,
        policy=policy,
        description=form.cleaned_data.get("description", ""),
        internal_only=form.cleaned_data.get("internal_only", False),
    )
    if added:
        stored = added.result
        messages.success(
            request,
            ngettext("%(count)d file attached.", "%(count)d files attached.", len(stored))
            % {"count": len(stored)},
        )
    return redirect(redirect_to)
