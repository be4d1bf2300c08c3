from django.urls import include, path

from core.routes import RECORD_PAGES, register_pages

from . import views

app_name = "changes"

urlpatterns = [
    *register_pages(views, "change", [*RECORD_PAGES, "export"]),
    path("<int:pk>/notice.pdf", views.change_notice_pdf, name="change-notice"),
    path("<int:pk>/board/<int:row>/approve/", views.board_approve, name="board-approve"),
    path("<int:pk>/assessors/<int:row>/assess/", views.assessment_record, name="assessment"),
    path("<int:pk>/rows/<slug:kind>/", views.row_add, name="row-add"),
    path("<int:pk>/rows/<slug:kind>/<int:row>/remove/", views.row_remove, name="row-remove"),
    path("<int:pk>/attachments/", views.attachment_add, name="attachment-add"),
    # Deviations and concessions: names live in this namespace too (changes:deviation-list …).
    path("deviations/", include("changes.deviations.urls")),
]
