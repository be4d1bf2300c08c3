from django.urls import include, path

from core.routes import register_pages

from . import views

app_name = "ppap"

# One element of a submission: its form, its files and what is done to it.
_element = [
    path("", views.element_update, name="element-update"),
    path("files/", views.element_attachment_add, name="element-attachment-add"),
    # After "files/": an action is any slug.
    path("<slug:action>/", views.element_action, name="element-action"),
]

urlpatterns = [
    *register_pages(views, "submission"),
    path("<int:pk>/dispose/", views.submission_dispose, name="submission-dispose"),
    path("<int:pk>/warrant/", views.warrant_edit, name="warrant-edit"),
    path("<int:pk>/warrant/sign/", views.warrant_sign, name="warrant-sign"),
    path("<int:pk>/psw.pdf", views.psw_pdf, name="psw-pdf"),
    path("<int:pk>/package.zip", views.package, name="package"),
    path("<int:pk>/studies/", views.study_add, name="study-add"),
    path("<int:pk>/elements/<int:element_pk>/", include(_element)),
]
