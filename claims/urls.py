from django.urls import include, path

from core.routes import register_pages

from . import cost_views, document_views, views

app_name = "claims"

urlpatterns = [
    *register_pages(views, "claim"),
    *register_pages(document_views, "claim", ["export", "report"]),
    *views.routes.patterns,
    path("<int:pk>/8d/", include("claims.eightd.urls")),
    # One claim's cost card and its lines.
    *cost_views.routes.patterns,
]
