from core.routes import RECORD_PAGES, register_pages

from . import views

app_name = "audits"

urlpatterns = [
    *register_pages(views, "audit", [*RECORD_PAGES, "report"]),
    *register_pages(
        views, "finding", ["list", "detail", "attachment_add", "transition"], prefix="findings/"
    ),
    *register_pages(views, "catalogue", ["list", "detail"], prefix="catalogues/"),
    *views.routes.patterns,
]
