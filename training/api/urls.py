from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("skills", views.SkillViewSet, basename="training-skill")
router.register("requirements", views.RequirementViewSet, basename="training-requirement")
router.register("records", views.TrainingRecordViewSet, basename="training-record")
router.register("qualifications", views.QualificationViewSet, basename="training-qualification")
router.register("assignments", views.AssignmentViewSet, basename="training-assignment")

urlpatterns = router.urls
