"""The 8D editor and reader, mounted under /claims/<pk>/8d/ (see claims/urls.py).

The names live in the "claims" namespace: reverse("claims:eightd-step", args=[pk, "D4"]).
"""

from django.urls import include, path

from . import row_views, views


def _row_form(segment: str, row: str, save_view) -> list:
    """A row added at ``<segment>/`` and edited at ``<segment>/<row>/``, by the same view."""
    return [
        path(f"{segment}/", save_view, name=f"eightd-{row}-add"),
        path(f"{segment}/<int:row>/", save_view, name=f"eightd-{row}-edit"),
    ]


# One page per discipline, and what is done to the discipline as a whole.
_discipline = [
    path("", views.step_page, name="eightd-step"),
    path("save/", views.step_save, name="eightd-save"),
    path("submit/", views.step_submit, name="eightd-submit"),
    path("decide/<slug:decision>/", views.step_decide, name="eightd-decide"),
]

urlpatterns = [
    path("", views.eightd_start, name="eightd"),
    # Rows of the disciplines (POST only).
    *_row_form("team", "team", row_views.team_save),
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
    *_row_form("causes", "cause", row_views.cause_save),
    path("causes/<int:row>/verify/", row_views.cause_verify, name="eightd-cause-verify"),
    path("causes/<int:row>/rule-out/", row_views.cause_rule_out, name="eightd-cause-rule-out"),
    path("actions/new/<slug:kind>/", row_views.action_save, name="eightd-action-add"),
    path("actions/<int:row>/", row_views.action_save, name="eightd-action-edit"),
    path(
        "actions/<int:row>/implement/",
        row_views.action_implement,
        name="eightd-action-implement",
    ),
    *_row_form("read-across", "read-across", row_views.read_across_save),
    path("<slug:kind>/<int:row>/delete/", row_views.row_delete, name="eightd-row-delete"),
    # Last: a discipline's code is any string, so the row routes above must match first.
    path("<str:code>/", include(_discipline)),
]
