from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChangesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "changes"
    verbose_name = _("Changes and concessions")

    def ready(self):
        from core.home import register_home_cards

        from .home import change_cards
        from .notification_kinds import register_kinds

        register_home_cards(change_cards)
        register_kinds()
