"""The project's URLs plus core's API resources on a router of their own.

Core registers nothing in cqm_portal/api.py; these tests mount the viewsets the way the project
router is expected to (basenames "action" and "attachment"), plus an owner viewset using
AttachmentsMixin on parts.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.urls import include, path
from django.views.decorators.http import require_POST
from rest_framework.routers import DefaultRouter

from core.api.attachments import AttachmentsMixin, AttachmentViewSet
from core.api.base import TenantScopedReadOnlyViewSet
from core.api.views import ActionViewSet
from core.attachments import AttachmentPolicy
from core.views import handle_attachment_upload
from customers.models import Part


class PartWithAttachmentsViewSet(AttachmentsMixin, TenantScopedReadOnlyViewSet):
    queryset = Part.objects.all()

    def get_attachment_policy(self, owner):
        return part_policy(owner)

    def may_upload_attachment(self, owner):
        return self.request.user.is_internal


def part_policy(part) -> AttachmentPolicy:
    requirements = part.customer.requirements
    return AttachmentPolicy(
        allowed_types=tuple(requirements.allowed_attachment_types),
        max_bytes=requirements.max_attachment_mb * 1024 * 1024,
    )


@login_required
@require_POST
def part_attachment_upload(request, pk):
    """How an owning app wires its upload view (here on parts, for the tests)."""
    part = get_object_or_404(Part.objects.visible_to(request.user), pk=pk)
    return handle_attachment_upload(request, owner=part, policy=part_policy(part), redirect_to="/")


router = DefaultRouter()
router.register("actions", ActionViewSet, basename="action")
router.register("attachments", AttachmentViewSet, basename="attachment")
router.register("parts", PartWithAttachmentsViewSet, basename="test-part")

urlpatterns = [
    path("api/v1/", include(router.urls)),
    path("test-parts/<int:pk>/attachments/", part_attachment_upload, name="test-part-upload"),
    path("", include("cqm_portal.urls")),
]
