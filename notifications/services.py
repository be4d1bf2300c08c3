"""Every write to notifications goes through here (DESIGN §4, §7).

``notify`` is called inside the business transaction that causes the notification: the rows and
the outbox message that mails them commit together with the change, or not at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import outbox
from core.errors import DomainError

from . import kinds as kind_registry
from .kinds import Audience, Delivery
from .models import BODY_MAX_LENGTH, TITLE_MAX_LENGTH, Notification, NotificationPreference
from .recipients import customer_users, report_addresses

# The task that mails immediate notifications (``notifications.tasks``), queued by its name.
DELIVER_TASK = "notifications.deliver"


@dataclass(frozen=True)
class Text:
    """A translatable text and its parameters, rendered in each recipient's language.

    ``Text(gettext_lazy("%(number)s: new claim"), number="CL-2026-00042")``
    """

    message: object
    params: Mapping = field(default_factory=dict)

    def __init__(self, message, /, **params):
        object.__setattr__(self, "message", message)
        object.__setattr__(self, "params", params)

    def render(self, language: str) -> str:
        with translation.override(language):
            text = str(self.message)
            params = {key: _rendered(value) for key, value in self.params.items()}
            return text % params if params else text


def _rendered(value):
    """Numbers stay numbers (``%(count)d``); lazy texts and objects become text now."""
    return value if isinstance(value, int | float | Decimal) else str(value)


@transaction.atomic
def notify(
    *,
    kind: str,
    recipients: Iterable = (),
    addresses: Iterable[str] = (),
    record=None,
    url: str = "",
    title: Text,
    body: Text | None = None,
    actor=None,
    urgent: bool = False,
) -> list[Notification]:
    """Tell ``recipients`` (users) and ``addresses`` (mail only) about ``record``.

    The actor is never told of their own act; inactive users and, for internal kinds, customer
    users are dropped; each person or address is told once. Immediate mails are queued through
    the outbox in this same transaction.
    """
    spec = kind_registry.get(kind)
    recipients = [person for person in recipients if person is not None]
    people = _eligible(spec, recipients, actor)
    # A mail-only address of someone passed as a user (or of the actor) is not told again, nor
    # told what their account may not receive.
    known = {person.email.lower() for person in [*recipients, actor] if person and person.email}
    extra = [] if spec.audience == Audience.INTERNAL else _addresses(addresses, known)
    if not people and not extra:
        return []
    preferences = _preferences(people, kind)
    common = _common_fields(spec, record, url, actor, urgent)
    rows = [
        _build(common, title, body, recipient=person, language=person.language,
               delivery=_delivery(spec, preferences.get(person.pk)))
        for person in people
    ] + [
        _build(common, title, body, email=address, language=settings.LANGUAGE_CODE,
               delivery=Delivery.IMMEDIATE)
        for address in extra
    ]  # fmt: skip
    created = Notification.objects.bulk_create(rows)
    immediate = [row.pk for row in created if row.delivery == Delivery.IMMEDIATE]
    if immediate:
        outbox.enqueue(DELIVER_TASK, immediate)
    return created


# ``to`` of a notice: the record's customer, their portal users and, by mail, the report
# recipients of their requirements.
THE_CUSTOMER = "the customer"
_PARAMETER = re.compile(r"%\((\w+)\)")


@dataclass(frozen=True)
class Notices:
    """How a module tells people about one kind of record: a table of notices, one a moment.

    ``url(record)`` is the record's page (by default its ``get_absolute_url()``). A notice's
    texts say what they use of the record by name (``%(number)s``): ``says`` tells how a name is
    read off a record, and a name it does not list is the record's attribute of that name.
    """

    says: Mapping[str, Callable] = field(default_factory=dict)
    url: Callable = field(default=lambda record: record.get_absolute_url())

    def said(self, record, name: str):
        reader = self.says.get(name)
        return reader(record) if reader is not None else getattr(record, name)

    def notice(self, kind: str, title, body=None, *, to, mail_only: Callable | None = None):
        """``send(record, actor=None, **said)``: tells ``to(record)`` (users, or
        ``THE_CUSTOMER``) and ``mail_only(record)`` (addresses) about ``record``, in the texts
        ``title`` and ``body``; the notifications made. ``said`` gives parameters the record
        does not hold (the comment of a transition)."""

        def send(record, actor=None, **said) -> list[Notification]:
            params = {
                name: said[name] if name in said else self.said(record, name)
                for message in (title, body)
                if message
                for name in _PARAMETER.findall(str(message))
            }
            recipients, addresses = _recipients(record, to, mail_only)
            return notify(
                kind=kind,
                recipients=recipients,
                addresses=addresses,
                record=record,
                url=self.url(record),
                title=Text(title, **params),
                body=Text(body, **params) if body else None,
                actor=actor,
            )

        return send


def _recipients(record, to, mail_only) -> tuple[Iterable, Iterable[str]]:
    if to == THE_CUSTOMER:
        return customer_users(record.customer_id), report_addresses(record.customer)
    return to(record), mail_only(record) if mail_only else ()


def _eligible(spec: kind_registry.Kind, recipients: Iterable, actor) -> list:
    people, seen = [], set()
    for person in recipients:
        if person is None or not person.is_active or person.pk in seen:
            continue
        if actor is not None and person.pk == actor.pk:
            continue
        internal = bool(person.is_internal)
        if (spec.audience == Audience.INTERNAL and not internal) or (
            spec.audience == Audience.CUSTOMER and internal
        ):
            continue
        seen.add(person.pk)
        people.append(person)
    return people


def _addresses(addresses: Iterable[str], known: set[str]) -> list[str]:
    result = []
    for address in addresses:
        normalised = (address or "").strip()
        if normalised and normalised.lower() not in known:
            known.add(normalised.lower())
            result.append(normalised)
    return result


def _preferences(people: list, kind: str) -> dict[int, str]:
    rows = NotificationPreference.objects.filter(user__in=[p.pk for p in people], kind=kind)
    return dict(rows.values_list("user_id", "delivery"))


def _delivery(spec: kind_registry.Kind, chosen: str | None) -> str:
    if spec.mandatory:
        return Delivery.IMMEDIATE
    return chosen or spec.default_delivery


def _common_fields(spec, record, url: str, actor, urgent: bool) -> dict:
    fields = {
        "kind": spec.key,
        "url": url[:500],
        "actor": actor,
        "urgent": urgent or spec.mandatory,
        "created_at": timezone.now(),
    }
    if record is not None:
        fields["record_type"] = ContentType.objects.get_for_model(record)
        fields["record_id"] = record.pk
        fields["customer_id"] = getattr(record, "customer_id", None)
    return fields


def _build(common: dict, title: Text, body: Text | None, **fields) -> Notification:
    language = fields["language"]
    return Notification(
        **common,
        **fields,
        title=title.render(language)[:TITLE_MAX_LENGTH],
        body=body.render(language)[:BODY_MAX_LENGTH] if body else "",
    )


class PreferenceError(DomainError, ValueError):
    """A preference that cannot be stored: an unknown kind or way, or a mandatory kind."""


def notification_mark_read(*, notification: Notification, actor) -> Notification:
    if notification.recipient_id != actor.pk:
        raise Notification.DoesNotExist
    if notification.read_at is None:
        notification.read_at = timezone.now()
        # Only if still unread: a second tab marking it at the same time changes nothing.
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def notifications_mark_all_read(*, actor) -> int:
    return Notification.objects.visible_to(actor).unread().update(read_at=timezone.now())


@transaction.atomic
def preferences_set(*, actor, choices: Mapping[str, str]) -> None:
    """Store ``actor``'s choice per kind.

    Unknown kinds (or kinds ``actor`` cannot receive) and unknown ways are refused; a mandatory
    kind accepts only its fixed way (so a client may send back what it read) and stores nothing.
    Nothing is stored unless every choice is valid.
    """
    allowed = {kind.key: kind for kind in kind_registry.kinds_for(actor)}
    changes = {}
    for key, delivery in choices.items():
        spec = allowed.get(key)
        if spec is None:
            raise PreferenceError(
                _("Unknown kind of notification: “%(kind)s”.") % {"kind": key}, field=key
            )
        if delivery not in Delivery.values:
            raise PreferenceError(
                _("“%(delivery)s” is not a way of being notified.") % {"delivery": delivery},
                field=key,
            )
        if spec.mandatory:
            if delivery != Delivery.IMMEDIATE:
                raise PreferenceError(
                    _("“%(kind)s” is always sent at once by e-mail; this cannot be changed.")
                    % {"kind": spec.label},
                    field=key,
                )
            continue
        changes[key] = delivery
    for key, delivery in changes.items():
        NotificationPreference.objects.update_or_create(
            user=actor, kind=key, defaults={"delivery": delivery}
        )
