"""The product's URLs plus the floors; only the bench's gunicorn uses this URL conf."""

from django.urls import include, path

from . import floors

urlpatterns = [
    path("bench/floor/bare/", floors.bare_floor, name="bench-bare-floor"),
    path("bench/floor/page/<int:pk>/", floors.page_floor, name="bench-page-floor"),
    path("bench/floor/api/<int:pk>/", floors.ApiFloor.as_view(), name="bench-api-floor"),
    path("", include("cqm_portal.urls")),
]
