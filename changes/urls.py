from django.urls import include, path

app_name = "changes"

urlpatterns = [
    # Deviations and concessions: names live in this namespace too (changes:deviation-list …).
    path("deviations/", include("changes.deviations.urls")),
]
