"""Management reports over the API: the archive, one report, its PDF and "generate now"."""

from __future__ import annotations

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, status
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.reverse import reverse

from core.api.base import ScopedPrimaryKeyRelatedField, TenantScopedReadOnlyViewSet
from core.api.endpoints import (
    FORBIDDEN,
    INVALID,
    NOT_FOUND,
    collection_post,
    download_endpoint,
)
from core.api.parsers import JSONParser
from core.downloads import PdfDownloadRenderer
from core.filters import BIGINT_MAX, FilterSet, YearFilter
from customers.models import Customer
from customers.permissions import has
from metrics import reports
from metrics.documents import report_file_response, scope_label
from metrics.models import Report


class MayViewReports(BasePermission):
    message = "You are not allowed to read management reports."

    def has_permission(self, request, view):
        return has(request.user, reports.REPORTS_VIEW)


class MayGenerateReports(BasePermission):
    message = "You are not allowed to generate management reports."

    def has_permission(self, request, view):
        return has(request.user, reports.REPORTS_GENERATE)


class ReportSerializer(serializers.ModelSerializer):
    month = serializers.SerializerMethodField(help_text="The reported month, YYYY-MM.")
    scope = serializers.SerializerMethodField(help_text="The customer's name or the whole company.")
    customer_name = serializers.CharField(source="customer.name", read_only=True, allow_null=True)
    download_url = serializers.SerializerMethodField(
        allow_null=True, help_text="Where the PDF can be fetched; null until the report is ready."
    )
    notice = serializers.SerializerMethodField(
        allow_null=True,
        help_text="Something to know while waiting, e.g. that the task queue is unreachable and "
        "the report will be generated once it is back; null otherwise (and in lists).",
    )

    class Meta:
        model = Report
        fields = [
            "id",
            "kind",
            "period",
            "month",
            "customer",
            "customer_name",
            "scope",
            "version",
            "status",
            "progress",
            "size",
            "checksum",
            "generated_at",
            "error",
            "attempts",
            "emailed_at",
            "requested_by",
            "created_at",
            "download_url",
            "notice",
        ]
        read_only_fields = fields

    def get_month(self, report) -> str:
        return f"{report.period:%Y-%m}"

    def get_scope(self, report) -> str:
        return str(scope_label(report))

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, report):
        if not report.is_ready:
            return None
        return reverse("report-download", args=[report.pk], request=self.context.get("request"))

    def get_notice(self, report) -> str | None:
        # Looked up by the single-report answers only (``with_notice``): lists stay one query.
        if report.pk in self.context.get("waiting_for_queue", ()):
            return str(reports.QUEUE_UNREACHABLE_MESSAGE)
        return None


def with_notice(report: Report, request) -> dict:
    """The serialized report, saying so when its generation waits for the task queue."""
    waiting = {report.pk} if reports.report_waits_for_queue(report) else set()
    context = {"request": request, "waiting_for_queue": waiting}
    return ReportSerializer(report, context=context).data


class ReportGenerateSerializer(serializers.Serializer):
    period = serializers.RegexField(
        r"^\d{4}-(0[1-9]|1[0-2])$",
        help_text="The month to report, YYYY-MM: last month or earlier.",
    )
    customer = ScopedPrimaryKeyRelatedField(
        queryset=Customer.objects.all(),
        allow_null=True,
        required=False,
        help_text="A customer's id for that customer's report; null or left out for the company.",
    )


class ReportFilter(FilterSet):
    scope = django_filters.CharFilter(
        method="filter_scope", help_text='"company" for the company reports or a customer id.'
    )
    # Bounded: a year outside 1900–2200 is a 400, not a date range that cannot be (a 500).
    year = YearFilter(field_name="period__year", help_text="Year of the month.")
    status = django_filters.ChoiceFilter(choices=Report.Status.choices)

    class Meta:
        model = Report
        fields = ["scope", "year", "status"]

    def filter_scope(self, queryset, name, value):
        if value == "company":
            return queryset.filter(customer__isnull=True)
        if value.isascii() and value.isdigit() and len(value) < 20 and int(value) <= BIGINT_MAX:
            return queryset.filter(customer_id=int(value))
        return queryset.none()


_GENERATE_EXAMPLES = [
    OpenApiExample(
        "Customer report", value={"period": "2026-02", "customer": 3}, request_only=True
    ),
    OpenApiExample("Company report", value={"period": "2026-02"}, request_only=True),
]


@extend_schema_view(
    list=extend_schema(
        summary="List the management reports",
        description="Quality managers and administrators see every report; others get 403.",
        responses={200: ReportSerializer(many=True), 403: FORBIDDEN},
    ),
    retrieve=extend_schema(responses={200: ReportSerializer, 403: FORBIDDEN, 404: NOT_FOUND}),
)
class ReportViewSet(TenantScopedReadOnlyViewSet):
    """Monthly management reports: generated by the schedule or on request, then kept as sent."""

    queryset = Report.objects.all()
    serializer_class = ReportSerializer
    permission_classes = [IsAuthenticated, MayViewReports]
    filterset_class = ReportFilter
    ordering_fields = ["period", "version", "generated_at", "created_at"]
    ordering = ["-period", "customer__name", "-version", "-pk"]

    def scope_queryset(self, queryset):
        return queryset.select_related("customer")

    def retrieve(self, request, *args, **kwargs):
        return Response(with_notice(self.get_object(), request))

    @download_endpoint(
        "download",
        PdfDownloadRenderer,
        {(200, "application/pdf"): OpenApiTypes.BINARY, 403: FORBIDDEN, 404: NOT_FOUND},
        "The report's PDF (404 until it is ready)",
    )
    def download(self, request, pk=None):
        return report_file_response(self.get_object())

    @extend_schema(
        summary="Generate a report now",
        description=(
            "Queues the report of a month (last month or earlier) for the company or one "
            "customer and answers at once; poll the report until its status is done or failed. "
            "A month that already has a report gets its next version."
        ),
        request=ReportGenerateSerializer,
        responses={202: ReportSerializer, 400: INVALID, 403: FORBIDDEN},
        examples=_GENERATE_EXAMPLES,
    )
    @collection_post("generate", MayGenerateReports, JSONParser)
    def generate(self, request):
        incoming = ReportGenerateSerializer(data=request.data, context={"request": request})
        incoming.is_valid(raise_exception=True)
        report = reports.report_request(
            period=incoming.validated_data["period"],
            customer=incoming.validated_data.get("customer"),
            actor=request.user,
            new_version=True,
        )
        report.refresh_from_db()
        return Response(with_notice(report, request), status=status.HTTP_202_ACCEPTED)
