from django.urls import path

from . import views

app_name = "ppap"

urlpatterns = [
    path("", views.submission_list, name="submission-list"),
    path("new/", views.submission_create, name="submission-create"),
    path("<int:pk>/", views.submission_detail, name="submission-detail"),
    path("<int:pk>/edit/", views.submission_update, name="submission-update"),
    path("<int:pk>/do/<slug:action>/", views.submission_transition, name="submission-transition"),
    path("<int:pk>/dispose/", views.submission_dispose, name="submission-dispose"),
    path("<int:pk>/warrant/", views.warrant_edit, name="warrant-edit"),
    path("<int:pk>/warrant/sign/", views.warrant_sign, name="warrant-sign"),
    path("<int:pk>/psw.pdf", views.psw_pdf, name="psw-pdf"),
    path("<int:pk>/package.zip", views.package, name="package"),
    path("<int:pk>/studies/", views.study_add, name="study-add"),
    path("<int:pk>/elements/<int:element_pk>/", views.element_update, name="element-update"),
    path(
        "<int:pk>/elements/<int:element_pk>/files/",
        views.element_attachment_add,
        name="element-attachment-add",
    ),
    path(
        "<int:pk>/elements/<int:element_pk>/<slug:action>/",
        views.element_action,
        name="element-action",
    ),
]
