"""Plain-text e-mails about deviations, sent by tasks once the change behind them is committed."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.roles import Role

from ..models import Deviation


def deviation_url(deviation: Deviation) -> str:
    path = reverse("changes:deviation-detail", args=[deviation.pk])
    return f"{settings.PORTAL_BASE_URL.rstrip('/')}/{path.lstrip('/')}"


def customer_recipients(deviation: Deviation) -> list[str]:
    """The customer's report recipients and their active portal users."""
    users = get_user_model().objects.filter(
        customer_id=deviation.customer_id, role=Role.CUSTOMER, is_active=True
    )
    addresses = set(deviation.customer.requirements.recipients)
    addresses.update(email for email in users.values_list("email", flat=True) if email)
    return sorted(addresses)


def send_requested(deviation_id: int) -> int:
    """Ask the customer for their decision; the number of mails sent."""
    deviation = _deviation(deviation_id)
    recipients = customer_recipients(deviation)
    if not recipients:
        return 0
    subject = _("%(number)s: %(kind)s requested for your approval") % {
        "number": deviation.number,
        "kind": deviation.get_kind_display(),
    }
    body = _(
        "We request your authorisation for %(number)s: %(title)s\n\n"
        "Please approve or reject it in the quality portal:\n%(url)s\n"
    ) % {"number": deviation.number, "title": deviation.title, "url": deviation_url(deviation)}
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)


def send_decided(deviation_id: int) -> int:
    """Tell the owner the customer's decision."""
    deviation = _deviation(deviation_id)
    owner = deviation.owner
    if not (owner.is_active and owner.email):
        return 0
    with translation.override(owner.language):
        subject = _("%(number)s: %(status)s by the customer") % {
            "number": deviation.number,
            "status": deviation.get_status_display(),
        }
        body = f"{deviation.decision_comment}\n\n{deviation_url(deviation)}\n"
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [owner.email])


def _deviation(deviation_id: int) -> Deviation:
    return Deviation.objects.select_related("customer__requirements", "owner").get(pk=deviation_id)
