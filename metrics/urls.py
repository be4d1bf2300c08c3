"""Deliveries, the dashboard and the management reports, mounted under /metrics/."""

from core.routes import register_pages

from . import dashboard, rating_views, report_views, views

app_name = "metrics"

urlpatterns = [
    *dashboard.routes.patterns,
    *register_pages(views, "delivery", ["list", "import", "import_template"], prefix="deliveries/"),
    *register_pages(report_views, "report", ["list", "detail"], prefix="reports/"),
    *report_views.routes.patterns,
    *rating_views.routes.patterns,
]
