from __future__ import annotations

from rest_framework import serializers

from metrics.imports import MAX_ROWS
from metrics.models import Delivery


class DeliverySerializer(serializers.ModelSerializer):
    customer_code = serializers.CharField(source="customer.code", read_only=True)
    part_number = serializers.CharField(source="part.part_number", read_only=True)
    revision = serializers.CharField(source="part.revision", read_only=True)
    plant_code = serializers.CharField(source="plant.code", read_only=True)

    class Meta:
        model = Delivery
        fields = [
            "id",
            "delivery_note",
            "customer",
            "customer_code",
            "part",
            "part_number",
            "revision",
            "plant",
            "plant_code",
            "ship_date",
            "quantity",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


# --- bulk import: these describe the request and answers; the service checks the rows ---------


class DeliveryRowSerializer(serializers.Serializer):
    delivery_note = serializers.CharField(max_length=50, help_text="Identifies the delivery.")
    customer_code = serializers.CharField()
    part_number = serializers.CharField(max_length=50, help_text="Our part number.")
    revision = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="Needed only when the part number has several revisions.",
    )
    plant_code = serializers.CharField(
        required=False, allow_blank=True, help_text="Shipping plant; default: the part's plant."
    )
    ship_date = serializers.CharField(help_text="YYYY-MM-DD or DD.MM.YYYY.")
    quantity = serializers.IntegerField(min_value=1)


class DeliveryBulkSerializer(serializers.Serializer):
    rows = DeliveryRowSerializer(
        many=True, help_text=f"At most {MAX_ROWS} rows; errors name them from 1 in this order."
    )


class DeliveryImportCountsSerializer(serializers.Serializer):
    rows = serializers.IntegerField(help_text="Rows received.")
    created = serializers.IntegerField(help_text="New delivery notes.")
    updated = serializers.IntegerField(help_text="Stored delivery notes corrected by this import.")
    unchanged = serializers.IntegerField(help_text="Stored delivery notes with the same data.")


class DeliveryImportErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(
        allow_null=True, help_text="Position of the row, from 1; null for the request as a whole."
    )
    column = serializers.CharField(help_text="The field at fault; empty for the whole row.")
    message = serializers.CharField()


class DeliveryImportErrorsSerializer(serializers.Serializer):
    errors = DeliveryImportErrorSerializer(many=True)
