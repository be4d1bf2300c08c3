"""notify(): who is told, in which language, how, and that each mail goes out once."""

import pytest
from django.core import mail
from django.utils.translation import gettext_lazy as _

from core.models import OutboxMessage
from notifications import delivery, services
from notifications.kinds import Delivery
from notifications.models import Notification, NotificationPreference
from notifications.services import Text, notify

from .conftest import ANYONE, CUSTOMER, DIGEST, INTERNAL, SAFETY

pytestmark = pytest.mark.django_db


def _notify(capture, **kwargs):
    with capture(execute=True):
        return notify(**{"url": "/claims/7/", **kwargs})


def test_title_and_body_in_each_recipients_language(
    django_capture_on_commit_callbacks, engineer, german_engineer, title
):
    body = Text(_("%(number)s saved."), number="CL-2026-00042")
    rows = _notify(
        django_capture_on_commit_callbacks,
        kind=ANYONE,
        recipients=[engineer, german_engineer],
        title=title,
        body=body,
    )
    by_user = {row.recipient_id: row for row in rows}
    assert by_user[engineer.pk].title == "CL-2026-00042 created."
    assert by_user[german_engineer.pk].title == "CL-2026-00042 angelegt."
    assert by_user[german_engineer.pk].language == "de"
    german_mail = next(m for m in mail.outbox if m.to == [german_engineer.email])
    assert german_mail.subject == "CL-2026-00042 angelegt."


def test_the_actor_is_not_told_of_their_own_act(
    django_capture_on_commit_callbacks, engineer, manager, title
):
    rows = _notify(
        django_capture_on_commit_callbacks,
        kind=ANYONE,
        recipients=[engineer, manager, manager],
        addresses=[engineer.email.upper()],
        title=title,
        actor=engineer,
    )
    assert [row.recipient for row in rows] == [manager]
    assert [m.to for m in mail.outbox] == [[manager.email]]


def test_internal_kinds_reach_neither_customer_users_nor_mail_only_addresses(
    django_capture_on_commit_callbacks, engineer, user_a, title
):
    rows = _notify(
        django_capture_on_commit_callbacks,
        kind=INTERNAL,
        recipients=[engineer, user_a],
        addresses=["outside@example.com"],
        title=title,
    )
    assert [row.recipient for row in rows] == [engineer]
    assert [m.to for m in mail.outbox] == [[engineer.email]]


def test_customer_kinds_reach_customer_users_and_addresses_not_staff(
    django_capture_on_commit_callbacks, engineer, user_a, title
):
    rows = _notify(
        django_capture_on_commit_callbacks,
        kind=CUSTOMER,
        recipients=[engineer, user_a],
        addresses=["reports@autowerk.example", user_a.email],
        title=title,
    )
    assert {(row.recipient, row.email) for row in rows} == {
        (user_a, ""),
        (None, "reports@autowerk.example"),
    }
    addresses = sorted(m.to[0] for m in mail.outbox)
    assert addresses == ["quality@autowerk.example", "reports@autowerk.example"]


def test_inactive_users_are_dropped(django_capture_on_commit_callbacks, engineer, manager, title):
    manager.is_active = False
    manager.save(update_fields=["is_active"])
    rows = _notify(
        django_capture_on_commit_callbacks, kind=ANYONE, recipients=[engineer, manager], title=title
    )
    assert [row.recipient for row in rows] == [engineer]


def test_delivery_follows_the_preference(
    django_capture_on_commit_callbacks, engineer, manager, admin_user, title
):
    services.preferences_set(actor=manager, choices={ANYONE: Delivery.DIGEST})
    services.preferences_set(actor=admin_user, choices={ANYONE: Delivery.PORTAL})
    rows = _notify(
        django_capture_on_commit_callbacks,
        kind=ANYONE,
        recipients=[engineer, manager, admin_user],
        title=title,
    )
    assert {row.recipient: row.delivery for row in rows} == {
        engineer: Delivery.IMMEDIATE,
        manager: Delivery.DIGEST,
        admin_user: Delivery.PORTAL,
    }
    assert [m.to for m in mail.outbox] == [[engineer.email]]
    emailed = Notification.objects.filter(emailed_at__isnull=False)
    assert [row.recipient for row in emailed] == [engineer]


def test_a_kinds_default_delivery_applies_without_a_preference(
    django_capture_on_commit_callbacks, engineer, title
):
    (row,) = _notify(
        django_capture_on_commit_callbacks, kind=DIGEST, recipients=[engineer], title=title
    )
    assert row.delivery == Delivery.DIGEST
    assert mail.outbox == []
    assert not OutboxMessage.objects.exists()


def test_mandatory_kinds_ignore_the_preference(django_capture_on_commit_callbacks, engineer, title):
    NotificationPreference.objects.create(user=engineer, kind=SAFETY, delivery=Delivery.PORTAL)
    (row,) = _notify(
        django_capture_on_commit_callbacks, kind=SAFETY, recipients=[engineer], title=title
    )
    assert (row.delivery, row.urgent) == (Delivery.IMMEDIATE, True)
    assert [m.to for m in mail.outbox] == [[engineer.email]]


def test_unknown_kinds_are_refused(engineer, title):
    with pytest.raises(LookupError):
        notify(kind="tests.unknown", recipients=[engineer], title=title)


def test_mail_is_html_and_text_with_an_absolute_deep_link(
    django_capture_on_commit_callbacks, settings, engineer, title
):
    settings.PORTAL_BASE_URL = "https://quality.example.com"
    _notify(
        django_capture_on_commit_callbacks,
        kind=ANYONE,
        recipients=[engineer],
        title=title,
        body=Text("Burr <on> the mounting hole"),
        url="/claims/42/",
    )
    (message,) = mail.outbox
    link = "https://quality.example.com/claims/42/"
    assert message.subject == "CL-2026-00042 created."
    assert link in message.body and "Burr <on> the mounting hole" in message.body
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    assert f'href="{link}"' in html
    assert "Burr &lt;on&gt; the mounting hole" in html
    assert "https://quality.example.com/notifications/preferences/" in html


def test_notify_queues_through_the_outbox_and_mails_only_after_the_commit(
    django_capture_on_commit_callbacks, engineer, title
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(kind=ANYONE, recipients=[engineer], title=title)
        assert OutboxMessage.objects.filter(task="notifications.deliver").count() == 1
    assert mail.outbox == [] and len(callbacks) == 1


def test_delivering_twice_mails_once(engineer, title):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("core.outbox.enqueue", lambda *args, **kwargs: None)
        (row,) = notify(kind=ANYONE, recipients=[engineer], title=title)
    assert delivery.deliver([row.pk]) == 1
    assert delivery.deliver([row.pk]) == 0
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.emailed_at is not None


def test_nobody_to_tell_creates_nothing(engineer, user_a, title):
    rows = notify(kind=INTERNAL, recipients=[user_a], addresses=["x@example.com"], title=title)
    assert rows == []
    assert not Notification.objects.exists()
    assert not OutboxMessage.objects.exists()
