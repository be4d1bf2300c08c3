from django.urls import path

from . import health, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    # Answered by ServiceUnavailableMiddleware before sessions; the route names and documents it.
    path(health.HEALTH_PATH.lstrip("/"), health.healthz, name="healthz"),
    path("actions/", views.my_actions, name="my-actions"),
    path("actions/<int:pk>/transition/", views.action_transition, name="action-transition"),
    path("attachments/<int:pk>/download/", views.attachment_download, name="attachment-download"),
    path(
        "attachments/<int:pk>/picture/<int:size>/",
        views.attachment_picture,
        name="attachment-picture",
    ),
]
