"""The shipped questionnaire, in English and German: four 1–5 questions (quality, delivery,
communication, 8D handling), the NPS question and "What should we do better?".

Created on demand (the questionnaires page, the demo) rather than by a data migration: a freshly
migrated database stays empty, as a restore of a backup needs it.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from core.records import services as records

from .models import Question, SurveyTemplate

NAME = "Customer satisfaction (standard)"
DESCRIPTION = (
    "Quarterly survey of our customers' satisfaction: quality, delivery, communication and 8D "
    "handling (1–5), the net promoter score (0–10) and what we should do better."
)
# (kind, required, English, German), in the order they are asked.
QUESTIONS = [
    (
        Question.Kind.SCALE_5,
        True,
        "How satisfied are you with the quality of our parts?",
        "Wie zufrieden sind Sie mit der Qualität unserer Teile?",
    ),
    (
        Question.Kind.SCALE_5,
        True,
        "How satisfied are you with our delivery performance (on time, complete)?",
        "Wie zufrieden sind Sie mit unserer Liefertreue (pünktlich, vollständig)?",
    ),
    (
        Question.Kind.SCALE_5,
        True,
        "How satisfied are you with our communication?",
        "Wie zufrieden sind Sie mit unserer Kommunikation?",
    ),
    (
        Question.Kind.SCALE_5,
        False,
        "How satisfied are you with how we handle your claims and 8D reports?",
        "Wie zufrieden sind Sie mit unserer Bearbeitung Ihrer Reklamationen und 8D-Reports?",
    ),
    (
        Question.Kind.NPS,
        True,
        "How likely are you to recommend us to a colleague or another company?",
        "Wie wahrscheinlich ist es, dass Sie uns einem Kollegen oder einem anderen Unternehmen "
        "weiterempfehlen?",
    ),
    (Question.Kind.TEXT, False, "What should we do better?", "Was sollten wir besser machen?"),
]


@transaction.atomic
def default_template(actor=None) -> SurveyTemplate:
    """The standard questionnaire, created with its questions the first time it is asked for."""
    template = SurveyTemplate.objects.select_for_update().filter(name=NAME).first()
    if template is not None:
        return template
    template = SurveyTemplate(name=NAME, description=DESCRIPTION, is_active=True)
    records.save_new(template, actor, _("Standard questionnaire created"))
    for position, (kind, required, text_en, text_de) in enumerate(QUESTIONS, start=1):
        question = Question(
            template=template,
            position=position,
            kind=kind,
            required=required,
            text_en=text_en,
            text_de=text_de,
        )
        records.save_new(question, actor, _("Standard questionnaire created"))
    return template
