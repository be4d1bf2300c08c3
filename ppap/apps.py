from django.utils.translation import gettext_lazy as _

from core import app_config


class PpapConfig(app_config.ModuleAppConfig):
    name = "ppap"
    verbose_name = _("PPAP")
    home_cards = "ppap.home.ppap_cards"
