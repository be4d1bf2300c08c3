"""The notifications page, opening a notification, marking read and the preferences page.

Thin: reads through ``selectors``, writes through ``services``. Another person's notification
is a 404, like a missing one.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.routes import Routes

from . import selectors, services
from .forms import PreferencesForm
from .models import Notification

PER_PAGE = 25
FILTERS = ("all", "unread")
routes = Routes()


def _filter_of(request) -> str:
    value = request.GET.get("filter", "all")
    return value if value in FILTERS else "all"


@routes.get("", name="list")
def notification_list(request):
    show = _filter_of(request)
    rows = selectors.notifications_for(request.user, unread_only=show == "unread")
    # Django's own paginator: the cached count of ``core.pagination`` follows the data version,
    # which notifications do not move.
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "filter": show,
        "filters": [("all", _("All")), ("unread", _("Unread"))],
        "page_obj": page,
        "notifications": page.object_list,
    }
    return render(request, "notifications/list.html", context)


@routes.get("<int:pk>/open/", name="open")
def notification_open(request, pk):
    """Mark the notification read and go to its record: only ever to a path of this site."""
    notification = get_object_or_404(Notification.objects.visible_to(request.user), pk=pk)
    services.notification_mark_read(notification=notification, actor=request.user)
    return redirect(local_path(notification.url) or reverse("notifications:list"))


def local_path(url: str) -> str:
    """``url`` if it is a path on this site (``/claims/7/``), else ""."""
    if not url or not url.startswith("/") or url.startswith(("//", "/\\")):
        return ""
    return url if url_has_allowed_host_and_scheme(url, allowed_hosts=None) else ""


@routes.post("<int:pk>/read/", name="read")
def notification_read(request, pk):
    notification = get_object_or_404(Notification.objects.visible_to(request.user), pk=pk)
    services.notification_mark_read(notification=notification, actor=request.user)
    if request.htmx:
        return render(
            request,
            "notifications/partials/item_read.html",
            {"notification": notification, "oob": True},
        )
    return redirect(_back(request))


@routes.post("read-all/", name="read-all")
def notification_read_all(request):
    count = services.notifications_mark_all_read(actor=request.user)
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)d notification marked as read.",
                "%(count)d notifications marked as read.",
                count,
            )
            % {"count": count},
        )
    return redirect(_back(request))


def _back(request) -> str:
    """Back to the list the button was on (its filter and page), never elsewhere."""
    target = request.POST.get("next", "")
    list_url = reverse("notifications:list")
    if target.startswith(list_url) and local_path(target):
        return target
    return list_url


@routes.form("preferences/")
def preferences(request):
    rows = selectors.preferences_for(request.user)
    form = PreferencesForm(request.POST or None, rows=rows)
    if request.method == "POST" and form.is_valid():
        try:
            services.preferences_set(actor=request.user, choices=form.choices())
        except services.PreferenceError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Your notification settings have been saved."))
            return redirect("notifications:preferences")
    status = 400 if form.errors else 200
    return render(request, "notifications/preferences.html", {"form": form}, status=status)
