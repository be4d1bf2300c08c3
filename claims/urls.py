from django.urls import include, path

from core.routes import register_pages

from . import cost_views, document_views, views

app_name = "claims"

# One claim's cost card and its lines, under /claims/<pk>/costs/.
_cost_card = [
    path("", cost_views.cost_card, name="cost-card"),
    path("lines/", cost_views.cost_line_add, name="cost-line-add"),
    path("lines/<int:line_pk>/edit/", cost_views.cost_line_edit, name="cost-line-edit"),
    path("lines/<int:line_pk>/remove/", cost_views.cost_line_remove, name="cost-line-remove"),
    path("<slug:action>/", cost_views.cost_transition, name="cost-transition"),
]

urlpatterns = [
    *register_pages(views, "claim"),
    *register_pages(document_views, "claim", ["export", "report"]),
    path("inbox/", views.inbox, name="inbox"),
    path("<int:pk>/assign/", views.claim_assign, name="claim-assign"),
    path("<int:pk>/comments/", views.comment_add, name="comment-add"),
    path("<int:pk>/attachments/", views.attachment_add, name="attachment-add"),
    path("<int:pk>/steps/<str:code>/<slug:action>/", views.step_action, name="step-action"),
    path("<int:pk>/8d/", include("claims.eightd.urls")),
    path("<int:pk>/costs/", include(_cost_card)),
]
