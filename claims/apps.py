from django.utils.translation import gettext_lazy as _

from core import app_config


class ClaimsConfig(app_config.ModuleAppConfig):
    name = "claims"
    verbose_name = _("Claims and 8D")
    home_cards = "claims.home.claim_cards"
