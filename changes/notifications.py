"""E-mails about change notices, sent by tasks (queued through the outbox after commit).

The customer hears about a change notice once it waits for their decision: their active users
and the report recipients of their requirements. Links are absolute (``PORTAL_BASE_URL``) because
the mails are sent outside a request.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.roles import Role

from .models import ChangeRequest


def portal_url(path: str) -> str:
    return f"{settings.PORTAL_BASE_URL.rstrip('/')}/{path.lstrip('/')}"


def change_url(change: ChangeRequest) -> str:
    return portal_url(reverse("changes:change-detail", args=[change.pk]))


def customer_recipients(change: ChangeRequest) -> list[str]:
    """The customer's active users and report recipients, each address once."""
    users = (
        get_user_model()
        .objects.filter(customer_id=change.customer_id, role=Role.CUSTOMER, is_active=True)
        .exclude(email="")
    )
    addresses = {user.email for user in users}
    addresses.update(change.customer.requirements.recipients)
    return sorted(addresses)


def change_notice_message(change: ChangeRequest, *, reminder: bool = False) -> EmailMessage | None:
    """The mail asking the customer to decide on ``change``; None when nobody can receive it."""
    recipients = customer_recipients(change)
    if not recipients:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        template = "reminder" if reminder else "notice"
        subject = (
            _("Reminder: %(number)s waits for your decision")
            if reminder
            else _("%(number)s: change notice for your approval")
        ) % {"number": change.number}
        body = render_to_string(
            f"changes/email/{template}.txt", {"change": change, "url": change_url(change)}
        )
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)


def send_change_notice(change_id: int) -> bool:
    change = ChangeRequest.objects.select_related("customer__requirements").get(pk=change_id)
    if change.status != ChangeRequest.Status.CUSTOMER_APPROVAL:
        return False  # decided meanwhile: nothing to ask any more
    message = change_notice_message(change)
    if message is None:
        return False
    message.send()
    return True
