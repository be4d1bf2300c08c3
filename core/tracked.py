"""The product's tables: what ``core.data_version`` versions and ``core.reads`` looks for."""

from __future__ import annotations

from pathlib import Path

from django.apps import apps
from django.conf import settings

# The project's own apps hold product data, each module as it joins, except these: notifications
# are counted per person and never cached, and the bench only measures. History tables change with
# their records anyway.
UNTRACKED_APPS = frozenset({"notifications", "bench"})
# Tables written by every task run or API call that nothing cached is computed from.
UNTRACKED_TABLES = frozenset(
    {"core_datachange", "core_outboxmessage", "core_heartbeat", "accounts_apitoken"}
)
# Columns written on every sign-in: a user's role, company or name still move the version.
UNTRACKED_COLUMNS = {"accounts_user": frozenset({"last_login"})}


def tracked_tables() -> list[str]:
    """The product apps' tables and their many-to-many tables; not history, not bookkeeping."""
    return sorted(tracked_models())


def product_apps() -> list:
    """The project's apps (those in its folder, not installed packages), less the untracked."""
    base = Path(settings.BASE_DIR).resolve()
    return [
        app
        for app in apps.get_app_configs()
        if _is_ours(Path(app.path).resolve(), base) and app.label not in UNTRACKED_APPS
    ]


def _is_ours(path: Path, base: Path) -> bool:
    return path.is_relative_to(base) and "site-packages" not in path.parts


def tracked_models() -> dict:
    models = {}
    for app in product_apps():
        for model in app.get_models(include_auto_created=True):
            table = model._meta.db_table
            own_name = table.removeprefix(f"{model._meta.app_label}_")
            if model._meta.managed and not own_name.startswith("historical"):
                models[table] = model
    for table in UNTRACKED_TABLES:
        models.pop(table, None)
    return models
