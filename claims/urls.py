from django.urls import include, path

from . import cost_views, document_views, views

app_name = "claims"

urlpatterns = [
    path("", views.claim_list, name="claim-list"),
    path("inbox/", views.inbox, name="inbox"),
    path("export.csv", document_views.claim_export, name="claim-export"),
    path("new/", views.claim_create, name="claim-create"),
    path("<int:pk>/", views.claim_detail, name="claim-detail"),
    path("<int:pk>/report.pdf", document_views.claim_report, name="claim-report"),
    path("<int:pk>/edit/", views.claim_update, name="claim-update"),
    path("<int:pk>/assign/", views.claim_assign, name="claim-assign"),
    path("<int:pk>/comments/", views.comment_add, name="comment-add"),
    path("<int:pk>/attachments/", views.attachment_add, name="attachment-add"),
    path(
        "<int:pk>/steps/<str:code>/<slug:action>/",
        views.step_action,
        name="step-action",
    ),
    path("<int:pk>/8d/", include("claims.eightd.urls")),
    path("<int:pk>/do/<slug:action>/", views.claim_transition, name="claim-transition"),
    path("<int:pk>/costs/", cost_views.cost_card, name="cost-card"),
    path("<int:pk>/costs/lines/", cost_views.cost_line_add, name="cost-line-add"),
    path(
        "<int:pk>/costs/lines/<int:line_pk>/edit/",
        cost_views.cost_line_edit,
        name="cost-line-edit",
    ),
    path(
        "<int:pk>/costs/lines/<int:line_pk>/remove/",
        cost_views.cost_line_remove,
        name="cost-line-remove",
    ),
    path("<int:pk>/costs/<slug:action>/", cost_views.cost_transition, name="cost-transition"),
]
