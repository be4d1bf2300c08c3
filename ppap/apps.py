from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PpapConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ppap"
    verbose_name = _("PPAP")

    def ready(self):
        from core.home import register_home_cards

        from .home import ppap_cards
        from .notification_kinds import register_kinds

        register_home_cards(ppap_cards)
        register_kinds()
