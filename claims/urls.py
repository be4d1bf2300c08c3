from django.urls import include, path

from core.routes import register_pages

from . import cost_views, document_views, import_views, link_views, views

app_name = "claims"

urlpatterns = [
    *register_pages(views, "claim"),
    *register_pages(document_views, "claim", ["export", "report"]),
    *views.routes.patterns,
    # Many claims at once from a customer's own system: the upload, its template, the mapping.
    *register_pages(import_views, "claim", ["import", "import_template"]),
    *import_views.routes.patterns,
    path("<int:pk>/8d/", include("claims.eightd.urls")),
    # One claim's cost card and its lines.
    *cost_views.routes.patterns,
    # Following another claim's 8D: attach and detach.
    *link_views.routes.patterns,
]
