"""Claims imported in bulk over the API: the file as multipart, and the customer's column mapping.

``POST /claims/import/`` files every new row of a CSV or JSON file or nothing (``claims.imports``);
``GET|PUT /claims/import-mapping/`` reads and replaces the customer's column mapping. Customer
users work on their own company; our staff name the customer (its id). Another customer's id is a
404 like a missing one.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action as endpoint
from rest_framework.exceptions import ParseError
from rest_framework.exceptions import ValidationError as RequestInvalid
from rest_framework.response import Response

from core.api.endpoints import FORBIDDEN, NOT_FOUND
from core.api.parsers import JSONParser, MultiPartParser
from core.errors import PermissionDenied
from core.filters import BIGINT_MAX
from core.tenancy import is_internal
from customers.models import Customer

from .. import imports
from ..models import ClaimImportMapping

_CUSTOMER_HELP = (
    "The customer's id: our staff name it; customer users import for their own company and may "
    "leave it out (another customer's id is a 404)."
)


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text=(
            "CSV (UTF-8 with or without BOM, comma or semicolon separated, the first line naming "
            "the columns) or JSON (a list of claims, or an object with the list in `claims`), "
            "named .csv or .json. Limits: CQM_CLAIM_IMPORT_MAX_ROWS claims (1,000) and "
            "CQM_CLAIM_IMPORT_MAX_BYTES (5 MB)."
        )
    )
    customer = serializers.IntegerField(
        required=False, min_value=1, max_value=BIGINT_MAX, help_text=_CUSTOMER_HELP
    )


class ImportResultSerializer(serializers.Serializer):
    rows = serializers.IntegerField(help_text="Claims in the file.")
    created = serializers.IntegerField(help_text="Claims filed.")
    skipped = serializers.IntegerField(
        help_text="Rows whose customer reference the customer already has: left alone."
    )
    claims = serializers.ListField(
        child=serializers.CharField(), help_text="The numbers of the claims filed, in file order."
    )


class ImportErrorsSerializer(serializers.Serializer):
    errors = serializers.ListField(
        child=serializers.CharField(),
        help_text=(
            'Nothing was imported. One message per bad row ("Line 3: …" for CSV, the first line '
            'being the header; "Item 3: …" for JSON) or for the file as a whole.'
        ),
    )


class ImportColumnsSerializer(serializers.Serializer):
    """The header of the customer's column for each field (one property per importable field)."""

    def get_fields(self):
        required = imports.required_fields()
        return {
            name: serializers.CharField(
                required=False,
                max_length=imports.MAX_HEADER_LENGTH,
                help_text=f"{imports.field_label(name).capitalize()} (default column: `{name}`"
                + ("; every claim needs it)." if name in required else ")."),
            )
            for name in imports.IMPORTABLE_FIELDS
        }

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = [str(name) for name in data if name not in self.fields]
            if unknown:
                message = _("Not a field of the import.")
                raise RequestInvalid({name: [message] for name in unknown})
        return super().to_internal_value(data)


class ImportMappingSerializer(serializers.Serializer):
    customer = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=BIGINT_MAX,
        help_text="The customer's id. A PUT may name it here instead of in the query.",
    )
    columns = ImportColumnsSerializer(
        help_text=(
            "Field → header of the customer's column. Read: every field. Written (PUT): the "
            "mapping is replaced; a field left out is read from a column of its own name."
        )
    )
    required = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="The fields every claim needs."
    )
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True)


class CustomerQuerySerializer(serializers.Serializer):
    customer = serializers.IntegerField(
        required=False, min_value=1, max_value=BIGINT_MAX, help_text=_CUSTOMER_HELP
    )


def _customer(user, customer_id) -> Customer:
    """The customer the request is about: a customer user's own company unless they name another
    (a 404, like a missing one); our staff must name one."""
    visible = Customer.objects.visible_to(user)
    if customer_id is None:
        if is_internal(user):
            raise RequestInvalid({"customer": [_("Name the customer (its id).")]})
        customer = visible.first()
    else:
        customer = visible.filter(pk=customer_id).first()
    if customer is None:
        raise Http404
    return customer


def _refused(errors: list[str]) -> Response:
    return Response({"errors": errors}, status=status.HTTP_400_BAD_REQUEST)


_IMPORT_EXAMPLES = [
    OpenApiExample(
        "Imported",
        value={"rows": 3, "created": 2, "skipped": 1, "claims": ["CL-2026-00042", "CL-2026-00043"]},
        response_only=True,
        status_codes=["201"],
    ),
    OpenApiExample(
        "Refused: nothing imported",
        value={
            "errors": [
                "Line 3: “part”: “A 123 456” is not a part number of Autowerk AG",
                "Line 7: “detection_date”: not a date; write YYYY-MM-DD or DD.MM.YYYY",
            ]
        },
        response_only=True,
        status_codes=["400"],
    ),
]


class ClaimImportMixin:
    """The bulk import and the column mapping on the claims' collection."""

    @extend_schema(
        summary="Import claims from a CSV or JSON file: every new row, or nothing",
        description=(
            "Every row is checked first; when any is bad nothing is imported and every bad row "
            "is listed. The customer's reference identifies a claim: a row whose reference the "
            "customer already has is skipped, so sending a file again changes nothing. Columns "
            "are read through the customer's mapping (`/claims/import-mapping/`). Kind, "
            "severity and detection location by code or English or German name; dates "
            "YYYY-MM-DD or DD.MM.YYYY. Photos by URL are refused: add them to the claim. New "
            "claims are submitted as if filed by hand; our team is told once per file."
        ),
        request={"multipart/form-data": ImportUploadSerializer},
        responses={
            201: ImportResultSerializer,
            400: ImportErrorsSerializer,
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
        examples=_IMPORT_EXAMPLES,
    )
    @endpoint(
        detail=False,
        methods=["post"],
        url_path="import",
        url_name="import",
        parser_classes=[MultiPartParser, JSONParser],
        filter_backends=[],
        pagination_class=None,
    )
    def import_file(self, request):
        try:
            data, files = request.data, request.FILES
        except ParseError as error:
            return _refused([str(error.detail)])
        named = data.get("customer") if isinstance(data, Mapping) else None
        given = CustomerQuerySerializer(data={} if named in (None, "") else {"customer": named})
        if not given.is_valid():
            return _refused([f"customer: {message}" for message in given.errors["customer"]])
        try:
            customer = _customer(request.user, given.validated_data.get("customer"))
        except RequestInvalid as error:
            return _refused([f"customer: {message}" for message in error.detail["customer"]])
        if not imports.may_import(request.user, customer):
            raise PermissionDenied(_("You may import claims only for your own company."))
        upload = files.get("file")
        if upload is None:
            return _refused([_("Send the file as multipart/form-data in the field “file”.")])
        try:
            imports.check_size(upload.size)
            done = imports.claims_import(
                actor=request.user, customer=customer, content=upload.read(), file_name=upload.name
            )
        except ValidationError as error:
            return _refused(error.messages)
        body = {
            "rows": done.log.rows,
            "created": done.log.created,
            "skipped": done.log.skipped,
            "claims": done.numbers,
        }
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        summary="Read a customer's column mapping of the claim import",
        parameters=[CustomerQuerySerializer],
        responses={200: ImportMappingSerializer, 404: NOT_FOUND},
    )
    @extend_schema(
        methods=["PUT"],
        summary="Replace a customer's column mapping of the claim import",
        parameters=[CustomerQuerySerializer],
        request=ImportMappingSerializer,
        responses={200: ImportMappingSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @endpoint(
        detail=False,
        methods=["get", "put"],
        url_path="import-mapping",
        url_name="import-mapping",
        # The claims themselves are never replaced by PUT: only this route takes it.
        http_method_names=["get", "put", "head", "options"],
        filter_backends=[],
        pagination_class=None,
    )
    def import_mapping(self, request):
        query = CustomerQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        named = query.validated_data.get("customer")
        given = None
        if request.method == "PUT":
            given = ImportMappingSerializer(data=request.data)
            given.is_valid(raise_exception=True)
            in_body = given.validated_data.get("customer")
            if named and in_body and named != in_body:
                message = _("The query and the body name different customers.")
                raise RequestInvalid({"customer": [message]})
            named = named or in_body
        customer = _customer(request.user, named)
        if given is not None:
            try:
                imports.mapping_save(
                    actor=request.user, customer=customer, columns=given.validated_data["columns"]
                )
            except ValidationError as error:
                problems = getattr(error, "message_dict", None) or error.messages
                raise RequestInvalid({"columns": problems}) from None
        mapping = ClaimImportMapping.objects.filter(customer=customer).first()
        body = {
            "customer": customer.pk,
            "columns": imports.mapping_for(customer),
            "required": list(imports.required_fields()),
            "updated_at": mapping.updated_at if mapping else None,
        }
        return Response(ImportMappingSerializer(body).data)
