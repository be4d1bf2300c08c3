from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import User
from accounts.roles import INTERNAL_ROLES
from core.api.base import ScopedPrimaryKeyRelatedField
from core.attachments import KNOWN_TYPES
from core.calendar import DayBasis
from core.tenancy import is_internal
from customers.models import Customer, CustomerRequirements, Holiday, Part, Plant
from customers.services import REQUIREMENTS_FIELDS


class PartNumbersSerializer(serializers.Serializer):
    """Mixed into the serializer of a record of one part: its part numbers, ours and the
    customer's, read through its ``part``."""

    part_number = serializers.CharField(source="part.part_number", read_only=True)
    customer_part_number = serializers.CharField(source="part.customer_part_number", read_only=True)


class CustomerSerializer(serializers.ModelSerializer):
    address = serializers.CharField(read_only=True)
    responsible_engineers = serializers.PrimaryKeyRelatedField(
        many=True,
        required=False,
        queryset=User.objects.filter(role__in=sorted(INTERNAL_ROLES), is_active=True),
        help_text="Ids of our staff told first of this customer's new claims.",
    )

    class Meta:
        model = Customer
        fields = [
            "id",
            "code",
            "name",
            "supplier_number",
            "street",
            "postal_code",
            "city",
            "country",
            "address",
            "time_zone",
            "is_active",
            "responsible_engineers",
            "created_at",
        ]
        read_only_fields = ["created_at"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not is_internal(self.context["request"].user if "request" in self.context else None):
            # Who answers for a customer inside our company is not the customer's business.
            data.pop("responsible_engineers", None)
        return data


class PlantSerializer(serializers.ModelSerializer):
    class Meta:
        model = Plant
        fields = ["id", "code", "name", "city", "country", "time_zone", "is_active"]


class PartSerializer(serializers.ModelSerializer):
    customer = ScopedPrimaryKeyRelatedField(queryset=Customer.objects.all())
    customer_code = serializers.CharField(source="customer.code", read_only=True)
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    plant = ScopedPrimaryKeyRelatedField(queryset=Plant.objects.all())
    plant_code = serializers.CharField(source="plant.code", read_only=True)

    class Meta:
        model = Part
        fields = [
            "id",
            "part_number",
            "customer_part_number",
            "revision",
            "description",
            "customer",
            "customer_code",
            "customer_name",
            "plant",
            "plant_code",
            "commodity",
            "safety_relevant",
            "active_from",
            "active_to",
            "created_at",
        ]
        read_only_fields = ["created_at"]
        # Uniqueness is checked by the service's full_clean(), with the model's messages.
        validators = []


@extend_schema_field(
    {
        "type": "string",
        "enum": list(DayBasis.values),
        "description": "Whether a deadline counts calendar days or the customer's working days.",
    },
    component_name="DayBasisEnum",
)
class DayBasisField(serializers.ChoiceField):
    """One schema component for the day basis of all 8D deadlines, not one enum per step."""

    def __init__(self, **kwargs):
        super().__init__(choices=DayBasis.choices, **kwargs)


class CustomerRequirementsSerializer(serializers.ModelSerializer):
    """Every requirement agreed with one customer; a PATCH changes only the fields it names."""

    d3_basis = DayBasisField()
    d4_basis = DayBasisField()
    d6_basis = DayBasisField()
    d7_basis = DayBasisField()
    d8_basis = DayBasisField()

    allowed_attachment_types = serializers.ListField(
        child=serializers.ChoiceField(choices=sorted(KNOWN_TYPES)),
        allow_empty=False,
        help_text="File types accepted in this customer's attachments, checked by content.",
    )

    class Meta:
        model = CustomerRequirements
        fields = ["customer", *REQUIREMENTS_FIELDS]
        read_only_fields = ["customer"]


class HolidaySerializer(serializers.ModelSerializer):
    class Meta:
        model = Holiday
        fields = ["id", "date", "name"]
        # One holiday a day is checked by the service's full_clean(), with the model's message.
        validators = []
