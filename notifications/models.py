"""In-app notifications and each person's choice of how to hear of them."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .kinds import Delivery

TITLE_MAX_LENGTH = 300
BODY_MAX_LENGTH = 4000


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A person sees their own notifications, nobody else's (staff included)."""
        if not (user and user.is_authenticated and user.is_active):
            return self.none()
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)

    def digest_due(self):
        return self.filter(delivery=Delivery.DIGEST, emailed_at__isnull=True)


class Notification(models.Model):
    """One message to one person (or, for mail-only recipients, one address) about one record.

    Title and body are rendered in the recipient's language when the notification is created, so
    the bell, the page and the mail read the same. ``emailed_at`` makes mail delivery idempotent.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
        null=True,
        blank=True,
    )
    # Only for recipients without a portal account (a customer's report recipients).
    email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(_("language"), max_length=8, default="en")
    kind = models.CharField(_("kind"), max_length=60)
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    body = models.TextField(_("message"), blank=True, max_length=BODY_MAX_LENGTH)
    url = models.CharField(_("link"), max_length=500, blank=True)
    record_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    record_id = models.PositiveBigIntegerField(null=True, blank=True)
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    delivery = models.CharField(
        _("delivery"), max_length=12, choices=Delivery.choices, default=Delivery.IMMEDIATE
    )
    urgent = models.BooleanField(_("urgent"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notif_recipient_newest"),
            # The bell counts a person's unread notifications on every page.
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notif_recipient_unread",
            ),
            models.Index(
                fields=["recipient"],
                condition=models.Q(delivery="digest", emailed_at__isnull=True),
                name="notif_digest_due",
            ),
        ]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self):
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def address(self) -> str:
        return self.recipient.email if self.recipient_id else self.email


class NotificationPreference(models.Model):
    """How one person wants to hear of one kind; without a row the kind's default applies."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=60)
    delivery = models.CharField(_("delivery"), max_length=12, choices=Delivery.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notif_preference_unique")
        ]
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return f"{self.user}: {self.kind} → {self.delivery}"
