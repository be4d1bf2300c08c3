from django.urls import path

from core.routes import MASTER_DATA_PAGES, register_pages

from . import views

app_name = "customers"

urlpatterns = [
    *register_pages(views, "customer", MASTER_DATA_PAGES, prefix="customers/"),
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
    *register_pages(views, "plant", MASTER_DATA_PAGES, prefix="plants/"),
    *register_pages(
        views,
        "part",
        [*MASTER_DATA_PAGES, "attachment_add", "import", "import_template"],
        prefix="parts/",
    ),
]
