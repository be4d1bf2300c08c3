"""Deviation pages, included under /changes/deviations/ in the ``changes`` namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.deviation_list, name="deviation-list"),
    path("export.csv", views.deviation_export, name="deviation-export"),
    path("new/", views.deviation_create, name="deviation-create"),
    path("<int:pk>/", views.deviation_detail, name="deviation-detail"),
    path("<int:pk>/edit/", views.deviation_update, name="deviation-update"),
    path("<int:pk>/deviation.pdf", views.deviation_pdf, name="deviation-pdf"),
    path("<int:pk>/shipments/", views.shipment_add, name="deviation-shipment-add"),
    path("<int:pk>/attachments/", views.attachment_add, name="deviation-attachment-add"),
    path("<int:pk>/decide/<slug:decision>/", views.deviation_decide, name="deviation-decide"),
    path("<int:pk>/do/<slug:action>/", views.deviation_transition, name="deviation-transition"),
]
