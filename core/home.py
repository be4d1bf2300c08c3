"""The stat cards on the home page, per role.

Core's own cards (actions) and the master-data counts are built here from ``core.selectors``.
Domain apps that come later (claims, audits, …) add their own cards without core knowing them:
``register_home_cards(provider)`` in their ``AppConfig.ready()``, where ``provider(user)`` returns a
list of ``HomeCard`` (or an empty list for roles it has nothing for).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from . import selectors
from . import waiting as waiting_kernel
from .waiting import Party, waiting_filter


@dataclass(frozen=True)
class HomeCard:
    key: str
    label: str
    value: int | None
    icon: str = "bi-bar-chart"
    url: str | None = None
    alert: bool = False

    @property
    def shown(self) -> bool:
        return self.value is not None


CardProvider = Callable[[object], list[HomeCard]]
_providers: list[CardProvider] = []


def register_home_cards(provider: CardProvider) -> CardProvider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def url_or_none(name: str, query: str = "") -> str | None:
    try:
        url = reverse(name)
    except NoReverseMatch:
        return None
    return f"{url}?{query}" if query else url


@dataclass(frozen=True)
class CountCard:
    """A card that counts records and opens their list (``url_name``) filtered to exactly those.

    It shows once there is something to count: a zero card is noise at the top. ``alert`` marks
    a count above zero.
    """

    key: str
    label: str
    icon: str
    url_name: str
    query: str
    alert: bool = True

    def of(self, count: int) -> HomeCard:
        url = url_or_none(self.url_name, self.query)
        alert = self.alert and count > 0
        return HomeCard(self.key, self.label, count or None, self.icon, url, alert=alert)


def waiting_or_overdue(user, records, *, waiting: CountCard, overdue: CountCard) -> list[HomeCard]:
    """A kind of record's card: what waits for a customer user, what is overdue for our staff.

    Counted by the same table the list filters on (``core.waiting``): the card opens these.
    """
    if persona(user) == "customer":
        return [waiting.of(waiting_filter(records, Party.CUSTOMER).count())]
    return [overdue.of(records.overdue().count())]


def persona(user) -> str:
    """Which home page the user gets: "customer", "engineer", "manager" or "admin"."""
    if not getattr(user, "is_internal", False):
        return "customer"
    role = str(getattr(user, "role", ""))
    return role if role in ("manager", "admin") else "engineer"


def cards_for(user) -> list[HomeCard]:
    builders = {
        "customer": _customer_cards,
        "engineer": _engineer_cards,
        "manager": _manager_cards,
        "admin": _admin_cards,
    }
    cards = builders[persona(user)](user)
    for provider in _providers:
        cards.extend(provider(user))
    return [card for card in cards if card.shown]


def _customer_cards(user) -> list[HomeCard]:
    return [_active_parts(user), _open_actions(user, _("Open actions on your records"))]


def _engineer_cards(user) -> list[HomeCard]:
    overdue = selectors.count_overdue_actions(user, mine=True)
    return [
        HomeCard(
            "my_open_actions",
            _("My open actions"),
            selectors.count_open_actions(user, mine=True),
            "bi-check2-square",
            url_or_none("core:my-actions"),
        ),
        HomeCard(
            "my_overdue_actions",
            _("My overdue actions"),
            overdue,
            "bi-exclamation-octagon",
            url_or_none("core:my-actions", "tab=overdue"),
            alert=overdue > 0,
        ),
        *_master_data_cards(user),
    ]


def _manager_cards(user) -> list[HomeCard]:
    overdue = selectors.count_overdue_actions(user)
    return [
        HomeCard(
            "overdue_actions",
            _("Overdue actions, all owners"),
            overdue,
            "bi-exclamation-octagon",
            alert=overdue > 0,
        ),
        _open_actions(user, _("Open actions, all owners")),
        *_master_data_cards(user),
        HomeCard(
            "parts_this_month",
            _("Parts added this month"),
            selectors.count_parts_added_this_month(user),
            "bi-plus-square",
            url_or_none("customers:part-list"),
        ),
    ]


def _open_actions(user, label: str) -> HomeCard:
    """The open actions the user can see: a customer's on their records, a manager's all."""
    return HomeCard("open_actions", label, selectors.count_open_actions(user), "bi-check2-square")


def _active_parts(user) -> HomeCard:
    url = url_or_none("customers:part-list")
    return HomeCard(
        "active_parts", _("Active parts"), selectors.count_active_parts(user), "bi-gear", url
    )


def _master_data_cards(user) -> list[HomeCard]:
    return [
        _active_parts(user),
        HomeCard(
            "active_customers",
            _("Active customers"),
            selectors.count_customers(user),
            "bi-building",
            url_or_none("customers:customer-list"),
        ),
    ]


def _admin_cards(user) -> list[HomeCard]:
    locked = selectors.count_locked_out_accounts()
    return [
        HomeCard(
            "active_users",
            _("Active users"),
            selectors.count_active_users(),
            "bi-people",
            url_or_none("admin:accounts_user_changelist"),
        ),
        HomeCard(
            "locked_out",
            _("Sign-ins locked out"),
            locked,
            "bi-lock",
            url_or_none("admin:axes_accessattempt_changelist"),
            alert=bool(locked),
        ),
        HomeCard(
            "customers",
            _("Customers"),
            selectors.count_customers(user, active_only=False),
            "bi-building",
            url_or_none("customers:customer-list"),
        ),
        HomeCard(
            "parts",
            _("Parts"),
            selectors.count_parts(user),
            "bi-gear",
            url_or_none("customers:part-list"),
        ),
        HomeCard(
            "plants",
            _("Plants"),
            selectors.count_plants(user),
            "bi-buildings",
            url_or_none("customers:plant-list"),
        ),
    ]


# --- whose turn it is: "waiting for us", "waiting for my signature", "waiting for you" -----------


@dataclass(frozen=True)
class WaitingCount:
    """One line of "Waiting for us": how many records of a kind, linking to their list."""

    key: str
    label: str
    count: int
    url: str | None


@dataclass(frozen=True)
class WaitingItem:
    """One record to act on, as a deep link: ``title`` names it, ``action`` says what to do."""

    key: str
    title: str
    action: str
    url: str
    since: object = None
    due: object = None


@dataclass
class HomeWaiting:
    """What a home page lists of whose turn it is; each app adds its own part."""

    for_us: list[WaitingCount] = field(default_factory=list)
    my_signature: list[WaitingItem] = field(default_factory=list)
    for_customer: list[WaitingItem] = field(default_factory=list)

    def add(self, other: HomeWaiting) -> None:
        self.for_us += [count for count in other.for_us if count.count]
        self.my_signature += other.my_signature
        self.for_customer += other.for_customer


WaitingProvider = Callable[[object], HomeWaiting]
_waiting_providers: list[WaitingProvider] = []


def register_home_waiting(provider: WaitingProvider) -> WaitingProvider:
    """Decorate an app's ``provider(user) -> HomeWaiting`` (in its home module)."""
    if provider not in _waiting_providers:
        _waiting_providers.append(provider)
    return provider


def waiting_for(user) -> HomeWaiting:
    """Staff get what waits for our team and for their signature; customers what waits for them."""
    waiting = HomeWaiting()
    for provider in _waiting_providers:
        waiting.add(provider(user))
    return waiting


def item_for(key: str, record, title: str, url: str = "") -> WaitingItem:
    """A deep link to ``record`` (its page unless ``url``) with what its turn says."""
    waiting = waiting_kernel.waiting_for(record)
    url = url or record.get_absolute_url()
    return WaitingItem(key, title, waiting.action, url, waiting.since, waiting.due)


def items_for(key: str, records, title: Callable[[object], str]) -> list[WaitingItem]:
    """A deep link to each of ``records``, named by ``title(record)``."""
    return [item_for(key, record, title(record)) for record in records]


def ours(key: str, label: str, count: int, url_name: str) -> WaitingCount:
    """One line of "Waiting for us": ``count`` records, opening their list filtered to our turn."""
    return WaitingCount(key, label, count, url_or_none(url_name, "waiting=us"))
