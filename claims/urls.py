from django.urls import path

from . import views

app_name = "claims"

urlpatterns = [
    path("", views.claim_list, name="claim-list"),
    path("inbox/", views.inbox, name="inbox"),
    path("new/", views.claim_create, name="claim-create"),
    path("<int:pk>/", views.claim_detail, name="claim-detail"),
    path("<int:pk>/edit/", views.claim_update, name="claim-update"),
    path("<int:pk>/assign/", views.claim_assign, name="claim-assign"),
    path("<int:pk>/comments/", views.comment_add, name="comment-add"),
    path("<int:pk>/attachments/", views.attachment_add, name="attachment-add"),
    path(
        "<int:pk>/steps/<str:code>/<slug:action>/",
        views.step_action,
        name="step-action",
    ),
    path("<int:pk>/do/<slug:action>/", views.claim_transition, name="claim-transition"),
]
