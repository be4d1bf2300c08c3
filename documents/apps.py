from django.utils.translation import gettext_lazy as _

from core import app_config


class DocumentsConfig(app_config.ModuleAppConfig):
    name = "documents"
    verbose_name = _("Controlled documents")
    home_cards = "documents.home.document_cards"
