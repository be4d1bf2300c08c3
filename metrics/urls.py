"""Deliveries, the dashboard and the management reports, mounted under /metrics/."""

from django.urls import path

from core.routes import register_pages

from . import dashboard, report_views, views

app_name = "metrics"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("scorecard/", dashboard.scorecard, name="scorecard"),
    *register_pages(views, "delivery", ["list", "import", "import_template"], prefix="deliveries/"),
    *register_pages(report_views, "report", ["list", "detail"], prefix="reports/"),
    path("reports/generate/", report_views.report_create, name="report-generate"),
    path("reports/<int:pk>/progress/", report_views.report_progress, name="report-progress"),
    path("reports/<int:pk>/download/", report_views.report_download, name="report-download"),
]
