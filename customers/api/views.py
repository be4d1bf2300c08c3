from rest_framework import serializers

from core.api.base import TenantScopedReadOnlyViewSet
from customers.models import Customer, Part, Plant


class CustomerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Customer
        fields = ["id", "name", "code"]


class CustomerViewSet(TenantScopedReadOnlyViewSet):
    queryset = Customer.objects.all()
    serializer_class = CustomerSerializer


class PlantSerializer(serializers.ModelSerializer):
    class Meta:
        model = Plant
        fields = ["id", "code", "name"]


class PlantViewSet(TenantScopedReadOnlyViewSet):
    queryset = Plant.objects.all()
    serializer_class = PlantSerializer


class PartSerializer(serializers.ModelSerializer):
    class Meta:
        model = Part
        fields = ["id", "part_number"]


class PartViewSet(TenantScopedReadOnlyViewSet):
    queryset = Part.objects.all()
    serializer_class = PartSerializer
