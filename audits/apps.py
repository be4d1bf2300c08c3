from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "audits"
    verbose_name = _("Audits")

    def ready(self):
        from core.home import register_home_cards

        from .home import audit_cards
        from .notification_kinds import register_kinds

        register_home_cards(audit_cards)
        register_kinds()
