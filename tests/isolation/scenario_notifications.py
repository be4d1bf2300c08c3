"""One customer user's notification: the isolation sweep keeps it in ``side.extra``.

Stored as ``notify`` stores it (one row per recipient, the record's customer on it), without a
registered kind of the sweep's own: the kinds belong to the apps that send them.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from notifications.models import Notification


def build(side, *, engineer, manager) -> None:
    side.extra["notification"] = Notification.objects.create(
        recipient=side.user,
        language=side.user.language,
        kind="claims.sweep",
        title=f"{side.secret} claim waiting for you",
        body=f"{side.secret} burr on the mounting hole",
        url=f"/claims/{side.claim.pk}/",
        record_type=ContentType.objects.get_for_model(side.claim),
        record_id=side.claim.pk,
        customer=side.customer,
        actor=engineer,
    )
