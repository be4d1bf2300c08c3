"""Deliveries, the dashboard and the management reports, mounted under /metrics/."""

from django.urls import path

from . import dashboard, report_views, views

app_name = "metrics"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("scorecard/", dashboard.scorecard, name="scorecard"),
    path("deliveries/", views.delivery_list, name="delivery-list"),
    path("deliveries/import/", views.delivery_import, name="delivery-import"),
    path(
        "deliveries/import/template.csv",
        views.delivery_import_template,
        name="delivery-import-template",
    ),
    path("reports/", report_views.report_list, name="report-list"),
    path("reports/generate/", report_views.report_create, name="report-generate"),
    path("reports/<int:pk>/", report_views.report_detail, name="report-detail"),
    path("reports/<int:pk>/progress/", report_views.report_progress, name="report-progress"),
    path("reports/<int:pk>/download/", report_views.report_download, name="report-download"),
]
