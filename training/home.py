"""'My training' on a staff member's home: open assignments and qualifications that expire soon
(registered in TrainingConfig.ready)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy

from core.home import CountCard, HomeCard, persona

from . import selectors

MY_ASSIGNMENTS = CountCard(
    "my_training_due",
    gettext_lazy("My training due"),
    "bi-mortarboard",
    "training:assignment-list",
    "mine=on",
)
MY_EXPIRING = CountCard(
    "my_qualifications_expiring",
    gettext_lazy("My qualifications expiring within 60 days"),
    "bi-patch-exclamation",
    "training:qualification-list",
    "mine=on&expiring=on",
)


def training_cards(user) -> list[HomeCard]:
    if persona(user) == "customer":
        return []
    today = timezone.localdate()
    return [
        MY_ASSIGNMENTS.of(selectors.my_open_assignments(user).count()),
        MY_EXPIRING.of(selectors.my_expiring_qualifications(user, today).count()),
    ]
