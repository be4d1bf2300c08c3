from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("", views.assignment_list, name="assignment-list"),
    path("matrix/", views.requirement_list, name="requirement-list"),
    path("matrix/new/", views.requirement_create, name="requirement-create"),
    path("skills/new/", views.skill_create, name="skill-create"),
    path("records/", views.record_list, name="record-list"),
    path("records/new/", views.record_create, name="record-create"),
    path("records/<int:pk>/", views.record_detail, name="record-detail"),
    path("qualifications/", views.qualification_list, name="qualification-list"),
    path("qualifications/new/", views.qualification_create, name="qualification-create"),
]
