from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = _("Claims and 8D")

    def ready(self):
        from core.home import register_home_cards

        from .home import claim_cards
        from .notification_kinds import register_kinds

        register_home_cards(claim_cards)
        register_kinds()
