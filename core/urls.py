from django.urls import path

from . import health, views

app_name = "core"

urlpatterns = [
    *views.routes.patterns,
    # Answered by ServiceUnavailableMiddleware before sessions; the route names and documents it.
    path(health.HEALTH_PATH.lstrip("/"), health.healthz, name="healthz"),
]
