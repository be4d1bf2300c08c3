"""Deviation pages, included under /changes/deviations/ in the ``changes`` namespace."""

from core.routes import RECORD_PAGES, register_pages

from . import views

urlpatterns = [
    *register_pages(views, "deviation", [*RECORD_PAGES, "export"]),
    *views.routes.patterns,
]
