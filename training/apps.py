from django.utils.translation import gettext_lazy as _

from core import app_config


class TrainingConfig(app_config.ModuleAppConfig):
    name = "training"
    verbose_name = _("Training and qualifications")
    home_cards = "training.home.training_cards"
