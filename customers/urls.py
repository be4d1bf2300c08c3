from django.urls import path

from . import views

app_name = "customers"

urlpatterns = [
    path("customers/", views.customer_list, name="customer-list"),
    path("customers/new/", views.customer_create, name="customer-create"),
    path("customers/<int:pk>/", views.customer_detail, name="customer-detail"),
    path("customers/<int:pk>/edit/", views.customer_update, name="customer-update"),
    path(
        "customers/<int:pk>/requirements/",
        views.requirements_update,
        name="requirements-update",
    ),
    path("customers/<int:pk>/contacts/new/", views.contact_create, name="contact-create"),
    path(
        "customers/<int:pk>/contacts/<int:contact_pk>/edit/",
        views.contact_update,
        name="contact-update",
    ),
    path("customers/<int:pk>/holidays/new/", views.holiday_add, name="holiday-add"),
    path(
        "customers/<int:pk>/holidays/<int:holiday_pk>/remove/",
        views.holiday_remove,
        name="holiday-remove",
    ),
    path("plants/", views.plant_list, name="plant-list"),
    path("plants/new/", views.plant_create, name="plant-create"),
    path("plants/<int:pk>/", views.plant_detail, name="plant-detail"),
    path("plants/<int:pk>/edit/", views.plant_update, name="plant-update"),
    path("parts/", views.part_list, name="part-list"),
    path("parts/new/", views.part_create, name="part-create"),
    path("parts/import/", views.part_import, name="part-import"),
    path(
        "parts/import/template.csv",
        views.part_import_template,
        name="part-import-template",
    ),
    path("parts/<int:pk>/", views.part_detail, name="part-detail"),
    path("parts/<int:pk>/edit/", views.part_update, name="part-update"),
    path(
        "parts/<int:pk>/attachments/",
        views.part_attachment_add,
        name="part-attachment-add",
    ),
]
