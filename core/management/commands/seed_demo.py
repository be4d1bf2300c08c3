"""Load the demo data of every installed app that has a ``demo`` module.

Apps are seeded in INSTALLED_APPS order, so each finds the records of the apps it depends on.
A demo module provides ``seed(*, today=None, stdout=None)`` and may provide ``summary(*, stdout)``,
printed once everything is committed. Core knows no app by name: the dependency direction stays
core ← accounts ← customers ← claims.
"""

import datetime as dt
import importlib
import importlib.util
from types import ModuleType

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

# The demo addresses are made up: notifications of demo claims go nowhere.
QUIET_MAIL = "django.core.mail.backends.dummy.EmailBackend"


class Command(BaseCommand):
    help = (
        "Load the demo data (customers, plants, parts, users, actions, claims). Safe to run "
        "again: only what is missing is created."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            default=None,
            help="Date the demo is built around (YYYY-MM-DD); default: today.",
        )

    def handle(self, *args, today=None, **options):
        modules = demo_modules()
        with override_settings(EMAIL_BACKEND=QUIET_MAIL), transaction.atomic():
            for module in modules:
                module.seed(today=today, stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        for module in modules:
            if hasattr(module, "summary"):
                module.summary(stdout=self.stdout)


def demo_modules() -> list[ModuleType]:
    """The ``<app>.demo`` modules, in INSTALLED_APPS order."""
    names = [f"{app.name}.demo" for app in apps.get_app_configs()]
    return [importlib.import_module(name) for name in names if importlib.util.find_spec(name)]
