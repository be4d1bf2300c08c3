"""The REST API under /api/v1/: one router, each app registers its resources here."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from accounts.api.views import ObtainTokenView
from claims.api.views import ClaimViewSet
from core.api.attachments import AttachmentViewSet
from core.api.views import ActionViewSet
from customers.api.views import CustomerViewSet, PartViewSet, PlantViewSet
from metrics.api.views import DeliveryViewSet

router = DefaultRouter()
router.register("customers", CustomerViewSet, basename="customer")
router.register("plants", PlantViewSet, basename="plant")
router.register("parts", PartViewSet, basename="part")
router.register("actions", ActionViewSet, basename="action")
router.register("attachments", AttachmentViewSet, basename="attachment")
router.register("claims", ClaimViewSet, basename="claim")
router.register("deliveries", DeliveryViewSet, basename="delivery")

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    *router.urls,
]
