from core.routes import register_pages

from . import views

app_name = "ppap"

urlpatterns = [*register_pages(views, "submission"), *views.routes.patterns]
