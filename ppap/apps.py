from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PpapConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ppap"
    verbose_name = _("PPAP")
