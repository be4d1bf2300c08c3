"""The framework floors: the least any page or API endpoint can cost on this stack.

The bare floor is a signed-out view that answers a few bytes: the middleware, the routing and
gunicorn, and nothing of the session, the user or the database.

Both read one claim through the same tenancy, authentication and middleware as the real views and
render it in the same layout (pages) or serialiser machinery (API). An endpoint's time divided by
its floor's is the cost of what the endpoint itself does.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from rest_framework import generics, serializers

from claims.models import Claim


def bare_floor(request):
    return HttpResponse("ok", content_type="text/plain")


@login_required
def page_floor(request, pk: int):
    claim = get_object_or_404(Claim.objects.visible_to(request.user), pk=pk)
    return render(request, "bench/floor.html", {"claim": claim})


class FloorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Claim
        fields = ["id", "number", "status", "severity", "notified_at"]


class ApiFloor(generics.RetrieveAPIView):
    serializer_class = FloorSerializer

    def get_queryset(self):
        return Claim.objects.visible_to(self.request.user)
