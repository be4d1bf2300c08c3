from django.utils.translation import gettext_lazy as _

from core import app_config


class SpecialStatusConfig(app_config.ModuleAppConfig):
    name = "special_status"
    verbose_name = _("Special status")
    home_cards = "special_status.home.status_cards"
