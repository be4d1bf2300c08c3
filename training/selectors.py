"""Reads of the training register: the lists, who needs a revision, valid qualifications."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.roles import INTERNAL_ROLES
from core.templatetags.core_tags import plain_date

from .models import Assignment, Qualification, QualificationKind, Requirement, TrainingRecord

# Qualifications shown as expiring on a person's home this many days ahead.
EXPIRING_WITHIN_DAYS = 60

# The qualification an auditor needs for an audit type (``audits.models.Audit.Type`` values).
AUDITOR_QUALIFICATION = {
    "process": QualificationKind.VDA63_PROCESS_AUDITOR,
    "system": QualificationKind.ISO9001_INTERNAL_AUDITOR,
}


def requirements_for_list(user):
    return Requirement.objects.visible_to(user).with_related().order_by("pk")


def records_for_list(user):
    return TrainingRecord.objects.visible_to(user).with_related()


def qualifications_for_list(user):
    return Qualification.objects.visible_to(user).with_related()


def assignments_for_list(user):
    return Assignment.objects.visible_to(user).with_related()


def people_needing(document) -> list:
    """The active staff whom the matrix asks to know ``document``: named, or by their role."""
    rows = Requirement.objects.filter(document=document)
    people = set(rows.exclude(person=None).values_list("person_id", flat=True))
    roles = set(rows.exclude(role="").values_list("role", flat=True))
    users = get_user_model().objects.filter(is_active=True, role__in=INTERNAL_ROLES)
    return list(users.filter(Q(pk__in=people) | Q(role__in=roles)).order_by("pk"))


def auditor_refusal(person, audit_type: str, day: dt.date) -> str | None:
    """Why ``person`` may not audit an audit of ``audit_type`` on ``day``; None when they may.

    The rule applies to a kind of qualification only once the register is in use for it (at
    least one such qualification is on record): before that, nobody's qualifications are
    recorded and every auditor would be refused.
    """
    kind = AUDITOR_QUALIFICATION.get(audit_type)
    if kind is None or person is None or day is None or not register_in_use(kind):
        return None
    held = Qualification.objects.filter(person=person, kind=kind)
    if held.valid_on(day).exists():
        return None
    values = {"person": person, "kind": QualificationKind(kind).label, "day": plain_date(day)}
    latest = held.filter(valid_from__lte=day).order_by("-valid_until", "-pk").first()
    if latest is not None and latest.valid_until is not None:
        values["ended"] = plain_date(latest.valid_until)
        return (
            _("%(person)s has no valid %(kind)s qualification on %(day)s (expired %(ended)s).")
            % values
        )
    return _("%(person)s has no valid %(kind)s qualification on %(day)s.") % values


def register_in_use(kind: str) -> bool:
    """Whether anyone's qualification of ``kind`` is on record at all."""
    return Qualification.objects.filter(kind=kind).exists()


def my_open_assignments(user):
    return Assignment.objects.filter(person=user).open().with_related().order_by("due_on", "pk")


def my_expiring_qualifications(user, today: dt.date):
    """The user's qualifications that end within ``EXPIRING_WITHIN_DAYS`` from today."""
    horizon = today + dt.timedelta(days=EXPIRING_WITHIN_DAYS)
    ending = Qualification.objects.filter(
        person=user, valid_until__isnull=False, valid_until__lte=horizon, valid_until__gte=today
    )
    return ending.order_by("valid_until")
