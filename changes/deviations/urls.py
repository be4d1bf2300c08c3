"""Deviation pages, included under /changes/deviations/ in the ``changes`` namespace."""

from django.urls import path

from core.routes import RECORD_PAGES, register_pages

from . import views

urlpatterns = [
    *register_pages(views, "deviation", [*RECORD_PAGES, "export"]),
    path("<int:pk>/deviation.pdf", views.deviation_pdf, name="deviation-pdf"),
    path("<int:pk>/shipments/", views.shipment_add, name="deviation-shipment-add"),
    path("<int:pk>/attachments/", views.attachment_add, name="deviation-attachment-add"),
    path("<int:pk>/decide/<slug:decision>/", views.deviation_decide, name="deviation-decide"),
]
