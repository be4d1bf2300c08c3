"""The timeline of a quality record: one event row for every transition (DESIGN §6).

A record's event model subclasses ``RecordEvent``, names the foreign key to its record
(``record_field``) and its action labels, and adds only what is its own: that foreign key, any
extra columns, its manager, ``Meta`` and the fields whose size differs::

    class ClaimEvent(RecordEvent, record_field="claim", labels=EVENT_LABELS):
        claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="events")

        class Meta(RecordEvent.Meta):
            indexes = [models.Index(fields=["claim", "created_at"])]
"""

from __future__ import annotations

from collections.abc import Mapping

from django.apps import apps
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import limits
from core.tenancy import TenantQuerySet

from .fields import customer_key, user_key


class RecordEvent(models.Model):
    """Who did what to a record and when, from which state to which, and why."""

    # The name of the subclass's foreign key to the record the event belongs to.
    record_field: str = ""
    # Action name → what the timeline shows for it; an unknown action shows as its name.
    labels: Mapping[str, object] = {}
    # Actions on a part of the record (a finding of an audit, the cost sheet of a claim) move the
    # part's status, not the record's: action prefix → the part's model ("app_label.Model"), so
    # the from/to states are shown with the part's labels.
    part_states: Mapping[str, str] = {}

    customer = customer_key()
    actor = user_key(null=True, blank=True)
    action = models.CharField(_("action"), max_length=40)
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20, blank=True)
    comment = models.TextField(_("comment"), blank=True, max_length=limits.COMMENT)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    objects = TenantQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    def __init_subclass__(cls, record_field: str = "", labels=None, part_states=None, **kwargs):
        super().__init_subclass__(**kwargs)
        if record_field:
            cls.record_field = record_field
        if labels is not None:
            cls.labels = labels
        if part_states is not None:
            cls.part_states = part_states

    def __str__(self):
        return f"{getattr(self, f'{self.record_field}_id')} {self.action}"

    @property
    def label(self) -> str:
        return str(self.labels.get(self.action, self.action))

    @property
    def from_status_label(self) -> str:
        return self.state_label(self.from_status)

    @property
    def to_status_label(self) -> str:
        return self.state_label(self.to_status)

    def state_label(self, state: str) -> str:
        """What the pages call ``state`` (``review_board`` reads "Review board")."""
        if not state:
            return ""
        status_field = self._state_model()._meta.get_field("status")
        return str(dict(status_field.flatchoices).get(state, state))

    def _state_model(self) -> type[models.Model]:
        for prefix, model_name in self.part_states.items():
            if self.action.startswith(prefix):
                return apps.get_model(model_name)
        return self._meta.get_field(self.record_field).related_model
