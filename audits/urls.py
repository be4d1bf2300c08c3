from django.urls import path

from . import views

app_name = "audits"

urlpatterns = [
    path("", views.audit_list, name="audit-list"),
    path("new/", views.audit_create, name="audit-create"),
    path("programme/", views.programme_list, name="programme-list"),
    path("coverage/", views.coverage, name="coverage"),
    path("findings/", views.finding_list, name="finding-list"),
    path("findings/<int:pk>/", views.finding_detail, name="finding-detail"),
    path("findings/<int:pk>/actions/", views.finding_action_add, name="finding-action-add"),
    path(
        "findings/<int:pk>/attachments/",
        views.finding_attachment_add,
        name="finding-attachment-add",
    ),
    path(
        "findings/<int:pk>/do/<slug:action>/", views.finding_transition, name="finding-transition"
    ),
    path("catalogues/", views.catalogue_list, name="catalogue-list"),
    path("catalogues/import/", views.catalogue_import, name="catalogue-import"),
    path("catalogues/<int:pk>/", views.catalogue_detail, name="catalogue-detail"),
    path("catalogues/<int:pk>/export.<slug:fmt>", views.catalogue_export, name="catalogue-export"),
    path("<int:pk>/", views.audit_detail, name="audit-detail"),
    path("<int:pk>/edit/", views.audit_update, name="audit-update"),
    path("<int:pk>/report.pdf", views.audit_report, name="audit-report"),
    path("<int:pk>/conduct/", views.audit_conduct, name="audit-conduct"),
    path("<int:pk>/conduct/<int:question_pk>/", views.answer_save, name="answer-save"),
    path(
        "<int:pk>/answers/<int:answer_pk>/attachments/",
        views.answer_attachment_add,
        name="answer-attachment-add",
    ),
    path("<int:pk>/findings/", views.finding_add, name="finding-add"),
    path("<int:pk>/do/<slug:action>/", views.audit_transition, name="audit-transition"),
]
