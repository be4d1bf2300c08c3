"""The notifications page, opening and marking read, and the bell on every page."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification

from .factories import NotificationFactory

pytestmark = pytest.mark.django_db

LIST = reverse("notifications:list")


def test_list_shows_own_notifications_newest_first(client_for, engineer, manager):
    now = timezone.now()
    NotificationFactory(recipient=engineer, title="Older one", created_at=now - dt.timedelta(1))
    NotificationFactory(recipient=engineer, title="Newer one", body="Details of the change")
    NotificationFactory(recipient=manager, title="Not for the engineer")
    response = client_for(engineer).get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Newer one") < html.index("Older one")
    assert "Details of the change" in html
    assert "Not for the engineer" not in html
    assert "<title>Notifications" in html and 'class="breadcrumb' in html
    assert html.count("is-unread") == 2


def test_times_are_never_ambiguous(client_for, engineer):
    when = dt.datetime(2026, 12, 7, 9, 30, tzinfo=dt.UTC)
    NotificationFactory(recipient=engineer, created_at=when)
    html = client_for(engineer).get(LIST).content.decode()
    assert "7 Dec 2026, 10:30" in html  # the engineer's zone: Europe/Berlin
    assert "12/07/2026" not in html


def test_unread_filter(client_for, engineer):
    NotificationFactory(recipient=engineer, title="Still unread")
    NotificationFactory(recipient=engineer, title="Already read", read_at=timezone.now())
    html = client_for(engineer).get(LIST, {"filter": "unread"}).content.decode()
    assert "Still unread" in html and "Already read" not in html


def test_empty_states(client_for, engineer):
    client = client_for(engineer)
    assert "No notifications yet" in client.get(LIST).content.decode()
    assert "All read" in client.get(LIST, {"filter": "unread"}).content.decode()


def test_list_is_paginated(client_for, engineer):
    for number in range(30):
        NotificationFactory(recipient=engineer, title=f"Number {number:02d}")
    client = client_for(engineer)
    first = client.get(LIST).content.decode()
    assert first.count('class="list-group-item notification-item') == 25
    second = client.get(LIST, {"page": 2}).content.decode()
    assert second.count('class="list-group-item notification-item') == 5


def test_open_marks_read_and_goes_to_the_record(client_for, engineer):
    notification = NotificationFactory(recipient=engineer, url="/claims/7/")
    response = client_for(engineer).get(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302 and response["Location"] == "/claims/7/"
    notification.refresh_from_db()
    assert notification.read_at is not None


OUTSIDE = ["https://evil.example/", "//evil.example/claims/", "/\\evil.example", "javascript:x", ""]


@pytest.mark.parametrize("url", OUTSIDE)
def test_open_never_leaves_the_site(client_for, engineer, url):
    notification = NotificationFactory(recipient=engineer, url=url)
    response = client_for(engineer).get(reverse("notifications:open", args=[notification.pk]))
    assert response["Location"] == LIST


def test_another_persons_notification_is_a_404(client_for, engineer, manager, user_b):
    notification = NotificationFactory(recipient=manager)
    for user in (engineer, user_b):
        client = client_for(user)
        assert client.get(reverse("notifications:open", args=[notification.pk])).status_code == 404
        assert client.post(reverse("notifications:read", args=[notification.pk])).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_read(client_for, engineer):
    notification = NotificationFactory(recipient=engineer)
    response = client_for(engineer).post(
        reverse("notifications:read", args=[notification.pk]), {"next": f"{LIST}?page=2"}
    )
    assert response.status_code == 302 and response["Location"] == f"{LIST}?page=2"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_mark_read_with_htmx_answers_the_item_and_the_new_count(client_for, engineer):
    notification, _other = NotificationFactory.create_batch(2, recipient=engineer)
    response = client_for(engineer).post(
        reverse("notifications:read", args=[notification.pk]), HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert f'id="notification-{notification.pk}"' in html and "is-unread" not in html
    assert 'hx-swap-oob="true"' in html and 'data-testid="notification-count">1<' in html


def test_mark_read_refuses_get(client_for, engineer):
    notification = NotificationFactory(recipient=engineer)
    response = client_for(engineer).get(reverse("notifications:read", args=[notification.pk]))
    assert response.status_code == 405


def test_mark_all_read_marks_only_own(client_for, engineer, manager):
    NotificationFactory.create_batch(3, recipient=engineer)
    theirs = NotificationFactory(recipient=manager)
    response = client_for(engineer).post(
        reverse("notifications:read-all"), {"next": "https://evil.example/"}, follow=True
    )
    assert response.redirect_chain[-1][0] == LIST
    assert "3 notifications marked as read." in response.content.decode()
    assert not Notification.objects.filter(recipient=engineer, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_pages_need_signing_in(client):
    response = client.get(LIST)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("who", ["engineer", "user_a"])
def test_the_bell_with_its_count_is_on_every_page(client_for, request, who):
    user = request.getfixturevalue(who)
    client = client_for(user)
    html = client.get(reverse("core:home")).content.decode()
    assert html.count('data-testid="notification-bell"') == 1
    assert 'data-testid="notification-count"' not in html
    NotificationFactory.create_batch(3, recipient=user)
    NotificationFactory(recipient=user, read_at=timezone.now())
    for page in (reverse("core:home"), reverse("accounts:profile"), LIST):
        html = client.get(page).content.decode()
        assert html.count('data-testid="notification-bell"') == 1, page
        assert 'data-testid="notification-count">3<' in html, page


def test_the_bell_caps_its_count(client_for, engineer):
    NotificationFactory.create_batch(120, recipient=engineer)
    html = client_for(engineer).get(reverse("core:home")).content.decode()
    assert 'data-testid="notification-count">99+<' in html


def test_the_profile_links_to_the_settings(client_for, user_a):
    html = client_for(user_a).get(reverse("accounts:profile")).content.decode()
    assert reverse("notifications:preferences") in html
