from rest_framework import serializers

from core.api.base import TenantScopedReadOnlyViewSet
from core.models import Action


class ActionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Action
        fields = ["id", "title", "kind", "status", "due_date"]


class ActionViewSet(TenantScopedReadOnlyViewSet):
    queryset = Action.objects.all()
    serializer_class = ActionSerializer
