"""Reads for core's pages: action lists and the counts on the home page.

Core imports no app. Counts of other apps' records are read through the app registry
(``apps.get_model``), which keeps the import graph one-way; an app that is not installed simply
contributes no count. The user is duck-typed (``is_internal``, ``customer_id``, ``role``).
"""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Case, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import Action

ACTION_TABS = ("open", "overdue", "done", "all")


def _today() -> dt.date:
    return timezone.localdate()


def with_list_related(queryset):
    """Everything an action row shows, in a fixed number of queries whatever the row count."""
    return queryset.select_related("owner", "content_type").prefetch_related("record")


def overdue_first(queryset, today: dt.date | None = None):
    today = today or _today()
    late = Q(status__in=Action.OPEN_STATUSES, due_date__lt=today)
    return queryset.annotate(
        late_rank=Case(When(late, then=Value(0)), default=Value(1), output_field=IntegerField())
    ).order_by("late_rank", "due_date", "pk")


def actions_for_owner(user, *, tab: str = "open", query: str = ""):
    """The "My actions" list: the user's own actions in one tab, overdue first."""
    actions = Action.objects.filter(owner=user)
    actions = filter_tab(actions, tab)
    if query:
        actions = actions.filter(title__icontains=query)
    return with_list_related(overdue_first(actions))


def filter_tab(actions, tab: str):
    if tab == "overdue":
        return actions.overdue(_today())
    if tab == "done":
        return actions.filter(status=Action.Status.DONE)
    if tab == "all":
        return actions
    return actions.open()


def action_tab_counts(user) -> dict[str, int]:
    today = _today()
    counts = Action.objects.filter(owner=user).aggregate(
        open=models.Count("pk", filter=Q(status__in=Action.OPEN_STATUSES)),
        overdue=models.Count("pk", filter=Q(status__in=Action.OPEN_STATUSES, due_date__lt=today)),
        done=models.Count("pk", filter=Q(status=Action.Status.DONE)),
        all=models.Count("pk"),
    )
    return counts


def actions_needing_attention(user, *, everyone: bool = False, limit: int = 5) -> list[Action]:
    """Top open actions, overdue first: the user's own, or everyone's for a manager's overview."""
    actions = Action.objects.visible_to(user).open()
    if not everyone:
        actions = actions.filter(owner=user)
    return list(with_list_related(overdue_first(actions))[:limit])


# --- Home page counts ---------------------------------------------------------------------------


def _model(label: str):
    app_label, model_name = label.split(".")
    if not apps.is_installed(app_label):
        return None
    try:
        return apps.get_model(app_label, model_name)
    except LookupError:
        return None


def _visible(label: str, user):
    model = _model(label)
    return None if model is None else model._default_manager.visible_to(user)


def active_parts(user):
    parts = _visible("customers.Part", user)
    if parts is None:
        return None
    today = _today()
    return parts.filter(
        Q(active_from__isnull=True) | Q(active_from__lte=today),
        Q(active_to__isnull=True) | Q(active_to__gte=today),
        customer__is_active=True,
    )


def count_active_parts(user) -> int | None:
    parts = active_parts(user)
    return None if parts is None else parts.count()


def count_parts(user) -> int | None:
    parts = _visible("customers.Part", user)
    return None if parts is None else parts.count()


def count_parts_added_this_month(user) -> int | None:
    parts = _visible("customers.Part", user)
    if parts is None:
        return None
    start = timezone.localtime().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return parts.filter(created_at__gte=start).count()


def count_customers(user, *, active_only: bool = True) -> int | None:
    customers = _visible("customers.Customer", user)
    if customers is None:
        return None
    return (customers.filter(is_active=True) if active_only else customers).count()


def count_plants(user) -> int | None:
    plants = _visible("customers.Plant", user)
    return None if plants is None else plants.count()


def count_open_actions(user, *, mine: bool = False) -> int:
    actions = Action.objects.visible_to(user).open()
    return (actions.filter(owner=user) if mine else actions).count()


def count_overdue_actions(user, *, mine: bool = False) -> int:
    actions = Action.objects.visible_to(user).overdue(_today())
    return (actions.filter(owner=user) if mine else actions).count()


def count_active_users() -> int:
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    return user_model._default_manager.filter(is_active=True).count()


def count_locked_out_accounts() -> int | None:
    """Sign-in attempts currently locked by django-axes (account and address pairs)."""
    if not apps.is_installed("axes"):
        return None
    from axes.models import AccessAttempt

    limit = getattr(settings, "AXES_FAILURE_LIMIT", 3)
    attempts = AccessAttempt.objects.filter(failures_since_start__gte=limit)
    cool_off = getattr(settings, "AXES_COOLOFF_TIME", None)
    if isinstance(cool_off, int | float):
        attempts = attempts.filter(attempt_time__gte=timezone.now() - dt.timedelta(hours=cool_off))
    elif isinstance(cool_off, dt.timedelta):
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    return attempts.count()


def count_per_row(rows: QuerySet, *, link: str) -> Coalesce:
    """An annotation counting ``rows`` that point at each outer row through ``link``.

    A correlated subquery: with ``ORDER BY … LIMIT`` PostgreSQL counts for the rows of the page
    only, where ``Count`` over a join groups every row of the list before the first is returned.
    """
    counted = (
        rows.filter(**{link: OuterRef("pk")})
        .order_by()
        .values(link)
        .annotate(count=models.Count("*"))
        .values("count")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)
