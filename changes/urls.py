from django.urls import include, path

from core.routes import RECORD_PAGES, register_pages

from . import views

app_name = "changes"

urlpatterns = [
    *register_pages(views, "change", [*RECORD_PAGES, "export"]),
    *views.routes.patterns,
    # Deviations and concessions: names live in this namespace too (changes:deviation-list …).
    path("deviations/", include("changes.deviations.urls")),
]
