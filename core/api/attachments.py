"""Attachments over the API.

``AttachmentsMixin`` gives an owner viewset ``GET/POST /<owner>/{id}/attachments/``; the owner is
fetched through the viewset's own scoped queryset (another customer's record is a 404) and the
upload policy comes from the viewset's ``get_attachment_policy(owner)``. ``AttachmentViewSet``
serves ``/attachments/{id}/`` and ``/attachments/{id}/download/``, scoped through the owner.
"""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action as endpoint
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from core.api.base import TenantScopedReadOnlyViewSet
from core.attachments import KNOWN_TYPES, AttachmentPolicy
from core.errors import PermissionDenied
from core.models import Attachment
from core.services import attachments_add
from core.tenancy import is_internal
from core.views import attachment_response

# The route of AttachmentViewSet.download when registered with basename "attachment".
API_DOWNLOAD_URL_NAME = "attachment-download"
SERVED_TYPES = [*KNOWN_TYPES, "application/octet-stream"]


class UploaderSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="__str__", read_only=True)


class AttachmentSerializer(serializers.ModelSerializer):
    type_label = serializers.CharField(read_only=True)
    uploaded_by = UploaderSerializer(read_only=True, allow_null=True)
    owner_type = serializers.SerializerMethodField()
    owner_id = serializers.IntegerField(source="object_id", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = [
            "id",
            "original_name",
            "mime_type",
            "type_label",
            "size",
            "sha256",
            "description",
            "internal_only",
            "uploaded_by",
            "uploaded_at",
            "owner_type",
            "owner_id",
            "download_url",
        ]
        read_only_fields = fields

    def get_owner_type(self, attachment) -> str:
        content_type = attachment.content_type
        return f"{content_type.app_label}.{content_type.model}"

    def get_download_url(self, attachment) -> str:
        try:
            url = reverse(API_DOWNLOAD_URL_NAME, args=[attachment.pk])
        except NoReverseMatch:
            url = reverse("core:attachment-download", args=[attachment.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.ListField(
        child=serializers.FileField(allow_empty_file=True),
        allow_empty=False,
        min_length=1,  # the same, stated in the schema (minItems)
        help_text="One or several files (repeat the field); all are stored or none.",
    )
    description = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=255
    )
    internal_only = serializers.BooleanField(required=False, default=False)


def _scoped_attachments(user):
    return Attachment.objects.visible_to(user).select_related("uploaded_by", "content_type")


def attachments_response(request, owner, context: dict) -> Response:
    """The files on ``owner`` that the user may see."""
    attachments = _scoped_attachments(request.user).for_owner(owner)
    return Response(AttachmentSerializer(attachments, many=True, context=context).data)


def upload_response(request, owner, policy: AttachmentPolicy, context: dict) -> Response:
    """Stores the uploaded files on ``owner``, all or none, and answers 201 with them."""
    upload = AttachmentUploadSerializer(data=request.data)
    upload.is_valid(raise_exception=True)
    stored = attachments_add(
        owner=owner,
        uploads=upload.validated_data["file"],
        actor=request.user,
        policy=policy,
        description=upload.validated_data["description"],
        internal_only=upload.validated_data["internal_only"] and is_internal(request.user),
    )
    serializer = AttachmentSerializer(stored, many=True, context=context)
    return Response(serializer.data, status=status.HTTP_201_CREATED)


class AttachmentsMixin:
    """For an owner viewset (a TenantScoped viewset): list and upload the record's files.

    The viewset implements ``get_attachment_policy(owner) -> AttachmentPolicy`` and may override
    ``may_upload_attachment(owner)`` (default: anyone who may see the record).
    """

    def get_attachment_policy(self, owner) -> AttachmentPolicy:
        raise NotImplementedError("Owner viewsets using AttachmentsMixin define the upload policy.")

    def may_upload_attachment(self, owner) -> bool:
        return True

    @extend_schema(
        methods=["GET"],
        request=None,
        responses={
            200: AttachmentSerializer(many=True),
            404: OpenApiResponse(description="Not found."),
        },
    )
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={
            201: AttachmentSerializer(many=True),
            400: OpenApiResponse(description="A file was refused; none was stored."),
            403: OpenApiResponse(description="You may not add files to this record."),
            404: OpenApiResponse(description="Not found."),
        },
    )
    @endpoint(
        detail=True,
        methods=["get", "post"],
        parser_classes=[MultiPartParser, FormParser],
        pagination_class=None,
        filter_backends=[],
    )
    def attachments(self, request, *args, **kwargs):
        owner = self.get_object()
        context = self.get_serializer_context()
        if request.method == "POST":
            if not self.may_upload_attachment(owner):
                raise PermissionDenied(_("You may not add files to this record."))
            return upload_response(request, owner, self.get_attachment_policy(owner), context)
        return attachments_response(request, owner, context)


class AttachmentViewSet(TenantScopedReadOnlyViewSet):
    """Files on records you may see; internal-only files are hidden from customer users."""

    queryset = Attachment.objects.all()
    serializer_class = AttachmentSerializer
    search_fields = ["original_name", "description"]
    ordering_fields = ["uploaded_at", "original_name", "size"]

    def scope_queryset(self, queryset):
        return queryset.select_related("uploaded_by", "content_type")

    @extend_schema(
        responses={
            # Sent as the type its content was proven to be, else as application/octet-stream.
            **{(200, media_type): OpenApiTypes.BINARY for media_type in SERVED_TYPES},
            404: OpenApiResponse(description="No such file, or not visible to you."),
        }
    )
    @endpoint(detail=True, methods=["get"])
    def download(self, request, pk=None):
        return attachment_response(self.get_object())
