"""Where each page answers: its route declared once, beside the view that answers it.

A views module keeps a ``Routes`` table and puts each view's route on the view itself::

    routes = Routes()

    @routes.get("<int:pk>/conduct/")
    def audit_conduct(request, pk): ...

and its ``urls.py`` mounts ``views.routes.patterns``. The address of a page and the code that
answers it are one place to read and change, with no second table to keep in step. A URL is
named after its view with hyphens for underscores (``audit_conduct`` -> ``audit-conduct``), which
templates and tests reverse (``audits:audit-conduct``); ``name=`` gives another name where the
URL's name differs. Routes resolve in the order the views are defined: where two routes could
match the same URL, the one that must win is defined first.

Nearly every page is for signed-in users and answers only some methods: ``routes.get`` (reading),
``routes.post`` (a write posted from a page) and ``routes.form`` (a form: shown, then posted) say
both with the route, in place of ``login_required`` and ``require_GET`` and so on below it. A
page that needs other checks (a capability, no caching), or answers every method, keeps its own
decorators under a plain ``routes(...)``.

Every register (claims, changes, deviations, PPAP submissions, audits, findings; customers, plants,
parts and deliveries) has the same pages at the same places: the list, the form for a new one, the
record, its edit form, its workflow actions, its files, its CSV export, its PDF report, and the CSV
import of many at once with its template. The views module names them ``<noun>_list``,
``<noun>_create`` …; ``register_pages`` gives them their standard routes, named ``<noun>-list``,
``<noun>-create`` … (``claims:claim-detail``). A register lists the pages it has, in any order: no
two routes of the table match the same URL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from types import ModuleType

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ImproperlyConfigured
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET, require_http_methods, require_POST


class Routes:
    """The routes of one views module, in the order its views declare them."""

    def __init__(self) -> None:
        self.patterns: list[URLPattern] = []

    def __call__(self, route: str, *, name: str | None = None) -> Callable:
        """Decorate a view (a function, or a class-based view) to answer at ``route``; the URL is
        named after the view unless ``name`` says otherwise. A view with two routes takes two
        decorators (the lower one resolves first)."""

        def register(view):
            return self.add(route, view, name=name or view.__name__.replace("_", "-"))

        return register

    def get(self, route: str, *, name: str | None = None) -> Callable:
        """A page for signed-in users that only reads: GET."""
        return self._signed_in(route, name, require_GET)

    def post(self, route: str, *, name: str | None = None) -> Callable:
        """A write for signed-in users, posted from a page: POST."""
        return self._signed_in(route, name, require_POST)

    def form(self, route: str, *, name: str | None = None) -> Callable:
        """A page for signed-in users with a form: GET shows it, POST saves it."""
        return self._signed_in(route, name, require_http_methods(["GET", "POST"]))

    def _signed_in(self, route: str, name: str | None, methods: Callable) -> Callable:
        def register(view):
            return self(route, name=name)(login_required(methods(view)))

        return register

    def add(self, route: str, view, *, name: str):
        """Register a view made by a factory rather than defined here; returns it unchanged."""
        callback = view.as_view() if isinstance(view, type) else view
        self.patterns.append(path(route, callback, name=name))
        return view


# Page -> its route below the register's prefix. ``pk`` is always the record's id.
PAGE_ROUTES = {
    "list": "",
    "export": "export.csv",
    "create": "new/",
    "detail": "<int:pk>/",
    "update": "<int:pk>/edit/",
    "transition": "<int:pk>/do/<slug:action>/",
    "attachment_add": "<int:pk>/attachments/",
    "report": "<int:pk>/report.pdf",
    "import": "import/",
    "import_template": "import/template.csv",
}
# Master data is kept up to date by hand; records also move through a workflow.
MASTER_DATA_PAGES = ("list", "create", "detail", "update")
RECORD_PAGES = (*MASTER_DATA_PAGES, "transition")


def register_pages(
    views: ModuleType,
    noun: str,
    pages: Iterable[str] = RECORD_PAGES,
    *,
    prefix: str = "",
) -> list[URLPattern]:
    """One ``path()`` per page: the view ``views.<noun>_<page>`` at ``prefix`` + the page's route,
    named ``<noun>-<page>`` (with hyphens: ``part-attachment-add``)."""
    return [
        path(
            prefix + PAGE_ROUTES[page],
            _view(views, f"{noun}_{page}"),
            name=f"{noun}-{page}".replace("_", "-"),
        )
        for page in pages
    ]


def _view(views: ModuleType, name: str):
    try:
        return getattr(views, name)
    except AttributeError:
        raise ImproperlyConfigured(f"{views.__name__} has no view {name}()") from None
