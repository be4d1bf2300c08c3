"""The REST API under /api/v1/: one router, each app registers its resources here."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from accounts.api.views import ObtainTokenView
from audits.api.views import AuditViewSet, CatalogueViewSet, FindingViewSet
from changes.api.views import ChangeViewSet
from changes.deviations.api import DeviationViewSet
from claims.api.views import ClaimViewSet
from core.api.attachments import AttachmentViewSet
from core.api.views import ActionViewSet
from customers.api.views import CustomerViewSet, PartViewSet, PlantViewSet
from metrics.api.metrics import KpisView, PpmView
from metrics.api.rating import (
    CertificateViewSet,
    CustomerRatingViewSet,
    ScorecardSettingsViewSet,
    ScorecardView,
)
from metrics.api.reports import ReportViewSet
from metrics.api.views import DeliveryViewSet
from notifications.api.views import NotificationPreferencesView, NotificationViewSet
from ppap.api.views import PpapSubmissionViewSet
from special_status.api.views import SpecialStatusViewSet
from surveys.api.views import (
    EightDRatingViewSet,
    SurveyCampaignViewSet,
    SurveyInvitationViewSet,
    SurveyResponseViewSet,
)

router = DefaultRouter()
router.register("customers", CustomerViewSet, basename="customer")
router.register("plants", PlantViewSet, basename="plant")
router.register("parts", PartViewSet, basename="part")
router.register("actions", ActionViewSet, basename="action")
router.register("attachments", AttachmentViewSet, basename="attachment")
router.register("claims", ClaimViewSet, basename="claim")
router.register("changes", ChangeViewSet, basename="change")
router.register("deliveries", DeliveryViewSet, basename="delivery")
router.register("reports", ReportViewSet, basename="report")
router.register("audits", AuditViewSet, basename="audit")
router.register("findings", FindingViewSet, basename="finding")
router.register("audit-catalogues", CatalogueViewSet, basename="audit-catalogue")
router.register("deviations", DeviationViewSet, basename="deviation")
router.register("ppap/submissions", PpapSubmissionViewSet, basename="ppap-submission")
router.register("notifications", NotificationViewSet, basename="notification")
router.register(
    "metrics/scorecard-settings", ScorecardSettingsViewSet, basename="scorecard-settings"
)
router.register("metrics/certificates", CertificateViewSet, basename="certificate")
router.register("metrics/customer-ratings", CustomerRatingViewSet, basename="customer-rating")
router.register("surveys/campaigns", SurveyCampaignViewSet, basename="survey-campaign")
router.register("surveys/invitations", SurveyInvitationViewSet, basename="survey-invitation")
router.register("surveys/responses", SurveyResponseViewSet, basename="survey-response")
router.register("surveys/8d-ratings", EightDRatingViewSet, basename="eightd-rating")
router.register("special-statuses", SpecialStatusViewSet, basename="special-status")

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("metrics/ppm/", PpmView.as_view(), name="metrics-ppm"),
    path("metrics/kpis/", KpisView.as_view(), name="metrics-kpis"),
    path("metrics/scorecard/", ScorecardView.as_view(), name="metrics-scorecard"),
    path(
        "notifications/preferences/",
        NotificationPreferencesView.as_view(),
        name="notification-preferences",
    ),
    *router.urls,
]
