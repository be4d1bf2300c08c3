from django.utils.translation import gettext_lazy as _

from core import app_config


class AuditsConfig(app_config.ModuleAppConfig):
    name = "audits"
    verbose_name = _("Audits")
    home_cards = "audits.home.audit_cards"
