from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CsrConfig(AppConfig):
    name = "csr"
    verbose_name = _("Customer-specific requirements")
