"""Notices sent once: "this reminder or escalation went out for this record" (DESIGN §7).

Scheduled runs (deadline reminders, overdue escalations) may run twice on one day, or on two
workers at the same moment; a notice must still reach people once. A notice model subclasses
``RecordNotice`` (or ``DailyNotice``, once per record and day) and adds the foreign key to its
record (named by ``record_field``), any columns of its own and a unique constraint over what makes
two notices the same one::

    class FindingEscalation(DailyNotice):
        record_field = "finding"

        finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="escalations")

        class Meta:
            constraints = [
                models.UniqueConstraint(fields=["finding", "sent_on"], name="…_once_per_day")
            ]

Inside the run's transaction, before anybody is told, the module records its notices:
``FindingEscalation.objects.record_for(findings, sent_on=today)`` returns the findings this call
recorded, the ones to tell. Notices recorded earlier are skipped by a query; notices a concurrent
run records at the same moment collide on the unique constraint (the insert waits for the other
transaction) and are skipped too. The module keeps its own rules: which records are due, who is
told, in which words.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _

from core.tenancy import TenantQuerySet


class NoticeQuerySet(models.QuerySet):
    """Notices of one model: which records have one, and recording the missing ones once."""

    def unsent(self, records, **key):
        """The ``records`` with no notice matching ``key`` (a queryset stays a queryset)."""
        sent = self.filter(**key).values_list(self.model.record_field, flat=True)
        if isinstance(records, models.QuerySet):
            return records.exclude(pk__in=sent)
        sent_ids = set(sent)
        return [record for record in records if record.pk not in sent_ids]

    def record_for(self, records, **fields) -> list:
        """Record a notice with ``fields`` for each record that has none yet; return the records
        this call recorded, in their order: the ones to tell."""
        key = {name: value for name, value in fields.items() if name in self.model.notice_key()}
        candidates = list(self.unsent(records, **key))
        notices = [
            self.model(**{self.model.record_field: record}, **fields) for record in candidates
        ]
        recorded = {id(notice) for notice in self.record_once(notices)}
        return [
            record
            for record, notice in zip(candidates, notices, strict=True)
            if id(notice) in recorded
        ]

    def record_once(self, notices: Iterable[models.Model]) -> list[models.Model]:
        """Insert the notices not recorded yet; return those this call inserted.

        All at once when none is recorded (the usual case); when one collides (a concurrent run
        recorded it first), one at a time, each in a savepoint of its own.
        """
        notices = list(notices)
        if not notices:
            return []
        try:
            with transaction.atomic(using=self.db):
                return self.bulk_create(notices)
        except IntegrityError:
            return [notice for notice in notices if self._insert_unless_recorded(notice)]

    def _insert_unless_recorded(self, notice: models.Model) -> bool:
        notice.pk = None  # a rolled-back batch may have numbered it
        try:
            with transaction.atomic(using=self.db):
                notice.save(force_insert=True, using=self.db)
        except IntegrityError:
            if self.model._default_manager.using(self.db).filter(**notice.key_values()).exists():
                return False
            raise  # not a duplicate: a real error
        return True


class RecordNotice(models.Model):
    """A notice sent once for a record; the unique constraint says what "once" means."""

    # The name of the subclass's foreign key to the record the notice is about.
    record_field: str = ""

    objects = NoticeQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self):
        return str(getattr(self, f"{self.record_field}_id"))

    @classmethod
    def notice_key(cls) -> tuple[str, ...]:
        """The fields of the unique constraint that makes two notices the same one."""
        for constraint in cls._meta.total_unique_constraints:
            if cls.record_field in constraint.fields:
                return tuple(constraint.fields)
        raise ImproperlyConfigured(
            f"{cls.__name__} needs a unique constraint over {cls.record_field!r} and its key."
        )

    def key_values(self) -> dict:
        """This notice's values of ``notice_key``, by column (no record is fetched)."""
        columns = [self._meta.get_field(name).attname for name in self.notice_key()]
        return {column: getattr(self, column) for column in columns}


class DailyNotice(RecordNotice):
    """A notice sent once per record (and kind, where the subclass has kinds) and day."""

    sent_on = models.DateField(_("sent on"))

    class Meta:
        abstract = True

    def __str__(self):
        return f"{getattr(self, f'{self.record_field}_id')} {self.sent_on}"


class TenantNoticeQuerySet(NoticeQuerySet, TenantQuerySet):
    """Notices that carry the customer of their record, and are read per customer."""
