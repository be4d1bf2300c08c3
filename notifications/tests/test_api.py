"""The notifications API: one's own only, read, read-all and preferences."""

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.kinds import Delivery
from notifications.models import Notification, NotificationPreference

from .conftest import ANYONE, INTERNAL, SAFETY
from .factories import NotificationFactory

pytestmark = pytest.mark.django_db

LIST = reverse("notification-list")
READ_ALL = reverse("notification-read-all")
PREFERENCES = reverse("notification-preferences")


def test_list_shows_own_only_newest_first(api_client_for, user_a, user_a2, engineer):
    older = NotificationFactory(recipient=user_a, title="Older")
    newer = NotificationFactory(recipient=user_a, title="Newer")
    NotificationFactory(recipient=user_a2, title="A colleague's")
    NotificationFactory(recipient=engineer, title="The engineer's")
    body = api_client_for(user_a).get(LIST).json()
    assert body["count"] == 2
    assert [row["id"] for row in body["results"]] == [newer.pk, older.pk]
    assert set(body["results"][0]) >= {"kind", "title", "body", "url", "created_at", "is_read"}


def test_unread_filter(api_client_for, engineer):
    unread = NotificationFactory(recipient=engineer)
    read = NotificationFactory(recipient=engineer, read_at=timezone.now())
    api = api_client_for(engineer)
    assert [r["id"] for r in api.get(LIST, {"unread": "true"}).json()["results"]] == [unread.pk]
    assert [r["id"] for r in api.get(LIST, {"unread": "false"}).json()["results"]] == [read.pk]
    assert api.get(LIST, {"unread": "perhaps"}).status_code == 400


def test_page_size_is_bounded(api_client_for, engineer):
    NotificationFactory.create_batch(105, recipient=engineer)
    body = api_client_for(engineer).get(LIST, {"page_size": 10_000}).json()
    assert body["count"] == 105 and len(body["results"]) == 100


def test_another_persons_notification_is_a_404(api_client_for, user_a, user_a2, engineer):
    theirs = NotificationFactory(recipient=user_a2)
    for user in (user_a, engineer):
        api = api_client_for(user)
        assert api.get(reverse("notification-detail", args=[theirs.pk])).status_code == 404
        assert api.post(reverse("notification-read", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_read_and_read_all(api_client_for, user_a, user_a2):
    first, _second, _third = NotificationFactory.create_batch(3, recipient=user_a)
    theirs = NotificationFactory(recipient=user_a2)
    api = api_client_for(user_a)
    response = api.post(reverse("notification-read", args=[first.pk]))
    assert response.status_code == 200 and response.json()["is_read"] is True
    assert api.post(READ_ALL).json() == {"marked": 2}
    assert not Notification.objects.filter(recipient=user_a, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_needs_authentication(client):
    assert client.get(LIST).status_code in (401, 403)
    assert client.get(PREFERENCES).status_code in (401, 403)


def test_preferences_read_and_write(api_client_for, engineer):
    api = api_client_for(engineer)
    rows = {row["kind"]: row for row in api.get(PREFERENCES).json()}
    assert rows[SAFETY] == {
        "kind": SAFETY,
        "label": "Safety test kind",
        "delivery": "immediate",
        "mandatory": True,
    }
    assert rows[ANYONE]["delivery"] == "immediate" and not rows[ANYONE]["mandatory"]
    body = [
        {"kind": ANYONE, "delivery": "digest"},
        {"kind": SAFETY, "delivery": "immediate"},  # sending back what was read is fine
    ]
    response = api.put(PREFERENCES, body, format="json")
    assert response.status_code == 200
    assert {row["kind"]: row["delivery"] for row in response.json()}[ANYONE] == "digest"
    stored = NotificationPreference.objects.get(user=engineer, kind=ANYONE)
    assert stored.delivery == Delivery.DIGEST


@pytest.mark.parametrize(
    "body",
    [
        [{"kind": "tests.unknown", "delivery": "portal"}],
        [{"kind": SAFETY, "delivery": "portal"}],
        [{"kind": ANYONE, "delivery": "fax"}],
        [{"kind": ANYONE, "delivery": "portal"}, {"kind": ANYONE, "delivery": "digest"}],
        {"kind": ANYONE, "delivery": "portal"},
    ],
    ids=["unknown", "mandatory", "bad-delivery", "twice", "not-a-list"],
)
def test_preferences_refused(api_client_for, engineer, body):
    response = api_client_for(engineer).put(PREFERENCES, body, format="json")
    assert response.status_code == 400
    assert not NotificationPreference.objects.exists()


def test_preferences_bounded_to_known_kinds(api_client_for, engineer, test_kinds):
    body = [{"kind": f"tests.kind{n}", "delivery": "portal"} for n in range(500)]
    assert api_client_for(engineer).put(PREFERENCES, body, format="json").status_code == 400


def test_a_customer_cannot_set_internal_kinds(api_client_for, user_a):
    body = [{"kind": INTERNAL, "delivery": "portal"}]
    assert api_client_for(user_a).put(PREFERENCES, body, format="json").status_code == 400
