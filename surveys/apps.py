from django.utils.translation import gettext_lazy as _

from core import app_config


class SurveysConfig(app_config.ModuleAppConfig):
    name = "surveys"
    verbose_name = _("Surveys")
    home_cards = "surveys.home.survey_cards"
