"""The notifications of surveys (registered in apps.py)."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import Audience, Kind, register

GROUP = _("Surveys")

INVITATION = "surveys.invitation"
REMINDER = "surveys.reminder"
LOW_ANSWER = "surveys.low_answer"
LOW_RATING = "surveys.low_rating"

KINDS = (
    Kind(INVITATION, _("A satisfaction survey asks for your opinion"), Audience.CUSTOMER),
    Kind(REMINDER, _("Reminder of a survey you have not answered"), Audience.CUSTOMER),
    Kind(LOW_ANSWER, _("A low survey answer to follow up"), Audience.INTERNAL),
    Kind(LOW_RATING, _("A customer rated an 8D low"), Audience.INTERNAL),
)


def register_kinds() -> None:
    register(*KINDS, group=GROUP)
