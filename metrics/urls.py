"""Deliveries, the dashboard and the management reports, mounted under /metrics/."""

from django.urls import path

from . import views

app_name = "metrics"

urlpatterns = [
    path("deliveries/", views.delivery_list, name="delivery-list"),
    path("deliveries/import/", views.delivery_import, name="delivery-import"),
    path(
        "deliveries/import/template.csv",
        views.delivery_import_template,
        name="delivery-import-template",
    ),
]
