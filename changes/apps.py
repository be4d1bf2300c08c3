from django.utils.translation import gettext_lazy as _

from core import app_config


class ChangesConfig(app_config.ModuleAppConfig):
    name = "changes"
    verbose_name = _("Changes and concessions")
    home_cards = "changes.home.change_cards"
