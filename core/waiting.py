"""Whose turn it is: who must act next on a workflow record, since when and by when (DESIGN §7).

Each module declares, once per model in its ``waiting.py``, a ``WaitingTable``: one ``Turn`` per
status (or several, told apart by ``when``) saying which party acts (our team or the customer),
who (a person, else a role), which field says since when, which says by when, and what the action
is. A status without a turn means nobody has to act (closed, cancelled, final).

The same rows answer both questions, so they can never disagree:

- ``waiting_for(record)`` evaluates the rows on the record (for its page and the API);
- ``waiting_filter(queryset, party)`` turns the same rows into one ``Q`` (for lists and counts).

``when`` holds plain lookups (``{"is_current": True}``, ``{"claim__status__in": [...]}``) that
are read both ways: as ``Q(**when)`` by the database and attribute by attribute on a record.
Rows of one status are tried in order; the first whose ``when`` holds is the turn.

``who``, ``since`` and ``due`` read only what the record's list already loads (its
``select_related`` and annotations): a list shows whose turn it is without one query per row.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace

from django.db import models
from django.db.models import Q
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy


class Party(models.TextChoices):
    # Read after "Waiting for:" (German: "Wartet auf: den Kunden"), hence the context.
    US = "us", pgettext_lazy("waiting for", "our team")
    CUSTOMER = "customer", pgettext_lazy("waiting for", "the customer")


# The ``?waiting=`` choices of every list and list endpoint.
FILTER_CHOICES = [
    (Party.US.value, gettext_lazy("Waiting for us")),
    (Party.CUSTOMER.value, gettext_lazy("Waiting for the customer")),
]

Resolver = Callable[[object], str]


@dataclass(frozen=True)
class WaitingFor:
    """Who must act next on one record; ``None`` instead of this means nobody.

    ``who`` names the person (or the role when nobody is named); ``team`` only ever the role.
    """

    party: str
    who: str
    since: dt.datetime | None
    due: dt.datetime | dt.date | None
    action: str
    team: str = ""

    def seen_by(self, internal: bool) -> WaitingFor:
        """What a viewer may read: customers learn which of our teams acts, not who of us."""
        if internal or self.party != Party.US or not self.team:
            return self
        return replace(self, who=self.team)

    @property
    def party_label(self) -> str:
        return str(Party(self.party).label)

    @property
    def is_customer(self) -> bool:
        return self.party == Party.CUSTOMER

    @property
    def label(self) -> str:
        return _("Waiting for: %(party)s (%(who)s)") % {"party": self.party_label, "who": self.who}


# --- who: a person, else a role -------------------------------------------------------------------


def person(path: str, role_label) -> Resolver:
    """The full name of the user at ``path`` (e.g. ``"assigned_engineer"``), else ``role_label``."""

    def resolve(record) -> str:
        user = read(record, path)
        return str(user) if user is not None else str(role_label)

    resolve.team = role_label  # what a customer reads instead of one of our names
    return resolve


def role(label) -> Resolver:
    def resolve(record) -> str:
        return str(label)

    resolve.team = label
    return resolve


def company(path: str = "customer") -> Resolver:
    """The customer company's name: who decides on the customer's side."""

    def resolve(record) -> str:
        customer = read(record, path)
        return customer.name if customer is not None else str(Party.CUSTOMER.label)

    return resolve


# --- reading lookups on a record -----------------------------------------------------------------

_OPERATORS = ("in", "isnull", "exact")


def read(record, path: str):
    """The value at a lookup path (``claim__assigned_engineer``); None once a hop is None.

    A name the record lacks (an annotation its queryset did not add) reads as None, and so
    does no path at all (a turn without a "due" field).
    """
    if not path:
        return None
    value = record
    for name in path.split("__"):
        value = getattr(value, name, None)
        if value is None:
            return None
    return value


def _holds(record, lookup: str, expected) -> bool:
    path, _sep, operator = lookup.rpartition("__")
    if operator not in _OPERATORS:
        path, operator = lookup, "exact"
    value = read(record, path)
    if operator == "in":
        return value is not None and value in expected
    if operator == "isnull":
        return (value is None) == bool(expected)
    return value is not None and value == expected


# --- the table -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Turn:
    """One row: in ``status`` (and where ``when`` holds), ``party`` must do ``action``."""

    status: str
    party: str
    who: Resolver
    action: object  # a (lazy) text, or a callable(record) -> text
    since: str = ""
    due: str = ""
    when: Mapping[str, object] = field(default_factory=dict)

    def holds_for(self, record) -> bool:
        return all(_holds(record, lookup, value) for lookup, value in self.when.items())

    def condition(self) -> Q:
        return Q(**self.when)

    def describe(self, record) -> WaitingFor:
        action = self.action(record) if callable(self.action) else self.action
        team = getattr(self.who, "team", None)
        return WaitingFor(
            party=str(self.party),
            who=self.who(record),
            since=read(record, self.since),
            due=read(record, self.due),
            action=str(action),
            team=str(team) if team is not None else "",
        )


def our_turn(status: str, who: Resolver, action, **kwargs) -> Turn:
    """In ``status`` it is our team's turn: ``who`` of us must do ``action`` (``Turn``)."""
    return Turn(status, Party.US, who, action, **kwargs)


def customer_turn(status: str, action, *, who: Resolver | None = None, **kwargs) -> Turn:
    """In ``status`` it is the customer's turn: their company (or ``who``) must do ``action``."""
    return Turn(status, Party.CUSTOMER, who or company(), action, **kwargs)


class WaitingTable:
    """Every non-final status of one model and whose turn it is there."""

    def __init__(
        self, model, turns: Iterable[Turn], *, status_field: str = "status", register: bool = True
    ):
        self.model = model
        self.status_field = status_field
        self.turns = tuple(turns)
        self._by_status: dict[str, list[Turn]] = {}
        for turn in self.turns:
            self._by_status.setdefault(str(turn.status), []).append(turn)
        if register:  # one table per model, found by ``waiting_for`` and ``waiting_filter``
            _register(self)

    @property
    def statuses(self) -> list[str]:
        """The statuses in which somebody has to act."""
        return list(self._by_status)

    def turn_of(self, record) -> Turn | None:
        status = getattr(record, self.status_field)
        return next((t for t in self._by_status.get(status, ()) if t.holds_for(record)), None)

    def waiting_for(self, record) -> WaitingFor | None:
        turn = self.turn_of(record)
        return turn.describe(record) if turn is not None else None

    def condition(self, party: str) -> Q | None:
        """Records whose turn is ``party``'s, as one ``Q``; None when no row names the party."""
        plain, matches = [], []
        for status, turns in self._by_status.items():
            for index, turn in enumerate(turns):
                earlier = turns[:index]
                if turn.party != party or any(not row.when for row in earlier):
                    continue  # not this party's, or never reached: an earlier row always holds
                if not turn.when and not earlier:
                    plain.append(status)  # the whole status: one IN (…) for all of them
                    continue
                here = Q(**{self.status_field: status}) & turn.condition()
                # An earlier row of the same status wins, exactly as in ``turn_of``.
                for row in earlier:
                    here &= ~row.condition()
                matches.append(here)
        if plain:
            matches.insert(0, Q(**{f"{self.status_field}__in": plain}))
        if not matches:
            return None
        combined = matches[0]
        for match in matches[1:]:
            combined |= match
        return combined

    def filter(self, queryset, party: str):
        condition = self.condition(party)
        return queryset.none() if condition is None else queryset.filter(condition)


# --- the registry: one table per model, found by the model --------------------------------------

_tables: dict[type, WaitingTable] = {}
_discovered = threading.Event()
_discovering = threading.Lock()


def _register(table: WaitingTable) -> None:
    _tables[table.model._meta.concrete_model] = table


def _discover() -> None:
    # The apps' ``waiting`` modules register their tables on import; read once, on first use.
    if _discovered.is_set():
        return
    with _discovering:
        if not _discovered.is_set():
            autodiscover_modules("waiting")
            _discovered.set()


def table_for(model) -> WaitingTable:
    _discover()
    try:
        return _tables[model._meta.concrete_model]
    except KeyError:
        raise LookupError(f"No waiting table for {model._meta.label}.") from None


def tables() -> list[WaitingTable]:
    _discover()
    return list(_tables.values())


def waiting_for(record, *, internal: bool = True) -> WaitingFor | None:
    """Who must act next on ``record``, or None when nobody has to.

    ``internal=False`` for a customer viewer: our side is named by its team, not by person.
    """
    waiting = table_for(type(record)).waiting_for(record)
    return waiting.seen_by(internal) if waiting is not None else None


def waiting_filter(queryset, party: str):
    """The records of ``queryset`` waiting for ``party`` ("us" or "customer")."""
    if party not in Party.values:
        return queryset
    return table_for(queryset.model).filter(queryset, party)


# A home page lists at most this many records of a kind; the lists show the rest.
WAITING_ITEMS = 10


def count_waiting_for(model, user, party: str) -> int:
    """How many of the ``model`` records ``user`` sees wait for ``party``."""
    return waiting_filter(model.objects.visible_to(user), party).count()


def first_waiting_for(queryset, party: str, order: str = "updated_at", limit: int = WAITING_ITEMS):
    """The first ``limit`` records of ``queryset`` (scoped and loaded by the caller) that wait for
    ``party``, by ``order``, for a home page."""
    return list(waiting_filter(queryset, party).order_by(order, "pk")[:limit])
