"""The standard pages of a register, as URL patterns named after their views.

Every register (claims, changes, deviations, PPAP submissions, audits, findings; customers, plants,
parts and deliveries) has the same pages at the same places: the list, the form for a new one, the
record, its edit form, its workflow actions, its files, its CSV export, its PDF report, and the CSV
import of many at once with its template. The views module names them ``<noun>_list``,
``<noun>_create`` …; the URLs are named ``<noun>-list``, ``<noun>-create`` …, which templates and
tests reverse (``claims:claim-detail``). A register lists the pages it has, in any order: no two
routes of the table match the same URL.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import ModuleType

from django.core.exceptions import ImproperlyConfigured
from django.urls import URLPattern, path

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
