"""The notifications page and API list cost the same queries for 3 or 30 notifications."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .factories import NotificationFactory

pytestmark = pytest.mark.django_db

FEW, MANY = 3, 30


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = call()
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "url, api",
    [(reverse("notifications:list"), False), (reverse("notification-list"), True)],
    ids=["page", "api"],
)
def test_list_queries_do_not_grow_with_rows(
    client_for, api_client_for, engineer, django_assert_max_num_queries, url, api
):
    client = api_client_for(engineer) if api else client_for(engineer)
    NotificationFactory.create_batch(FEW, recipient=engineer)
    client.get(url)  # warm up: content types, session
    few = _queries(lambda: client.get(url))
    NotificationFactory.create_batch(MANY - FEW, recipient=engineer)
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert response.status_code == 200


def test_the_count_is_read_once_and_only_where_shown(client_for, engineer):
    """Lazy: a visitor's sign-in page never counts; a signed-in page counts once."""
    from django.test import Client

    NotificationFactory.create_batch(3, recipient=engineer)
    with CaptureQueriesContext(connection) as captured:
        Client().get(reverse("accounts:login"))
    assert not any("notifications_notification" in q["sql"] for q in captured)
    client = client_for(engineer)
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("core:home"))
    counts = [q["sql"] for q in captured if "notifications_notification" in q["sql"]]
    assert len(counts) == 1
