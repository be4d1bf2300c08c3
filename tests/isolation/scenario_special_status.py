"""One customer's special status: the isolation sweep keeps it in ``side.extra``."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from core.services import attachments_add
from special_status import services

from .routes import png_upload


def build(side, *, engineer, manager) -> None:
    """A CS2 on the side's part with exit criteria, one met with its evidence file, and costs."""
    marker = side.secret
    special_status = services.special_status_open(
        actor=manager,
        customer=side.customer,
        parts=[side.part],
        criteria=[f"{marker} 0 rejects for 30 days", f"{marker} audit passed"],
        kind="cs2",
        started_on=timezone.localdate() - dt.timedelta(days=20),
        customer_reference=f"{marker}-CS2",
        reason=f"{marker} repeated burr claims",
        owner=engineer,
    )
    criterion = special_status.criteria.get(position=1)
    services.criterion_meet(
        criterion=criterion,
        actor=engineer,
        met_on=timezone.localdate(),
        evidence=f"{marker} inspection records",
    )
    policy = side.customer.requirements.attachment_policy
    for owner, name in ((criterion, "evidence"), (special_status, "letter")):
        attachments_add(
            owner=owner, uploads=[png_upload(f"{side.slug}-{name}.png")], actor=engineer,
            policy=policy,
        )  # fmt: skip
    special_status = services.special_status_costs_save(
        special_status=special_status, actor=engineer, inspection_hours=12, hourly_rate=90
    )
    side.extra["special_status"] = special_status
    side.extra["special_status_criterion"] = criterion
