import factory
from django.utils import timezone

from notifications.models import Notification


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = None
    kind = "tests.anyone"
    title = factory.Sequence(lambda n: f"Notification {n}")
    body = "Something happened on the claim."
    url = "/claims/7/"
    created_at = factory.LazyFunction(timezone.now)
