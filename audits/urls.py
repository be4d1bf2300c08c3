from django.urls import path

from core.routes import RECORD_PAGES, register_pages

from . import views

app_name = "audits"

urlpatterns = [
    *register_pages(views, "audit", [*RECORD_PAGES, "report"]),
    path("programme/", views.programme_list, name="programme-list"),
    path("coverage/", views.coverage, name="coverage"),
    path("<int:pk>/conduct/", views.audit_conduct, name="audit-conduct"),
    path("<int:pk>/conduct/<int:question_pk>/", views.answer_save, name="answer-save"),
    path(
        "<int:pk>/answers/<int:answer_pk>/attachments/",
        views.answer_attachment_add,
        name="answer-attachment-add",
    ),
    path("<int:pk>/findings/", views.finding_add, name="finding-add"),
    *register_pages(
        views, "finding", ["list", "detail", "attachment_add", "transition"], prefix="findings/"
    ),
    path("findings/<int:pk>/actions/", views.finding_action_add, name="finding-action-add"),
    *register_pages(views, "catalogue", ["list", "detail"], prefix="catalogues/"),
    path("catalogues/import/", views.catalogue_import, name="catalogue-import"),
    path("catalogues/<int:pk>/export.<slug:fmt>", views.catalogue_export, name="catalogue-export"),
]
