from core.routes import MASTER_DATA_PAGES, register_pages

from . import views

app_name = "customers"

urlpatterns = [
    *register_pages(views, "customer", MASTER_DATA_PAGES, prefix="customers/"),
    # A customer's requirements, contacts and holidays.
    *views.routes.patterns,
    *register_pages(views, "plant", MASTER_DATA_PAGES, prefix="plants/"),
    *register_pages(
        views,
        "part",
        [*MASTER_DATA_PAGES, "attachment_add", "import", "import_template"],
        prefix="parts/",
    ),
]
