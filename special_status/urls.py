from core.routes import MASTER_DATA_PAGES, register_pages

from . import views

app_name = "special_status"

urlpatterns = [
    *register_pages(views, "status", [*MASTER_DATA_PAGES, "transition"]),
    *views.routes.patterns,
]
