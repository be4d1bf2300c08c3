"""The 8D editor and reader, mounted under /claims/<pk>/8d/ (see claims/urls.py).

The names live in the "claims" namespace: reverse("claims:eightd-step", args=[pk, "D4"]).
"""

from django.urls import path

from . import row_views, views

urlpatterns = [
    path("", views.eightd_start, name="eightd"),
    # Rows of the disciplines (POST only).
    path("team/", row_views.team_save, name="eightd-team-add"),
    path("team/<int:row>/", row_views.team_save, name="eightd-team-edit"),
    path(
        "containment/<slug:location>/",
        row_views.containment_save,
        name="eightd-containment-save",
    ),
    path(
        "containment/<int:row>/remove/",
        row_views.containment_remove,
        name="eightd-containment-remove",
    ),
    path("causes/", row_views.cause_save, name="eightd-cause-add"),
    path("causes/<int:row>/", row_views.cause_save, name="eightd-cause-edit"),
    path("causes/<int:row>/verify/", row_views.cause_verify, name="eightd-cause-verify"),
    path("causes/<int:row>/rule-out/", row_views.cause_rule_out, name="eightd-cause-rule-out"),
    path("actions/new/<slug:kind>/", row_views.action_save, name="eightd-action-add"),
    path("actions/<int:row>/", row_views.action_save, name="eightd-action-edit"),
    path(
        "actions/<int:row>/implement/",
        row_views.action_implement,
        name="eightd-action-implement",
    ),
    path("read-across/", row_views.read_across_save, name="eightd-read-across-add"),
    path("read-across/<int:row>/", row_views.read_across_save, name="eightd-read-across-edit"),
    path("<slug:kind>/<int:row>/delete/", row_views.row_delete, name="eightd-row-delete"),
    # One page per discipline, and what is done to the discipline as a whole.
    path("<str:code>/", views.step_page, name="eightd-step"),
    path("<str:code>/save/", views.step_save, name="eightd-save"),
    path("<str:code>/submit/", views.step_submit, name="eightd-submit"),
    path("<str:code>/decide/<slug:decision>/", views.step_decide, name="eightd-decide"),
]
