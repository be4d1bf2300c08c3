"""What a module app (claims, changes, PPAP, audits) does once the app registry is ready.

A module app puts its cards on the home page (``home_cards``: the dotted path of its card
provider) and registers its kinds of notification (``register_kinds()`` in its
``notification_kinds`` module). Both modules read models, hence ``ready()`` and not import time.

An app's ``apps.py`` imports this module, not the class: Django takes the one ``AppConfig``
subclass that ``apps.py`` holds, and a second one there (this base) would leave it guessing.
"""

from importlib import import_module

from django.apps import AppConfig
from django.utils.module_loading import import_string


class ModuleAppConfig(AppConfig):
    home_cards: str

    def ready(self):
        from core.home import register_home_cards

        register_home_cards(import_string(self.home_cards))
        import_module(f"{self.name}.notification_kinds").register_kinds()
