"""The notifications of the training register (registered in apps.py)."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import Audience, Kind, register

GROUP = _("Training")

ASSIGNED = "training.assigned"

KINDS = (Kind(ASSIGNED, _("You are to be trained on a new document revision"), Audience.INTERNAL),)


def register_kinds() -> None:
    register(*KINDS, group=GROUP)
