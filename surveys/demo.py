"""Demo surveys: per demo customer two finished quarterly campaigns with answers, one open, the
schedule of the next one, and the customers' ratings of a few of their closed 8Ds.

Everything goes through the services at the moments it would have happened (``core.demo_clock``):
invited when the campaign opened, answered over the following days, reminded after a week,
closed after four weeks. Seeding again changes nothing: a campaign of the same title, a rated
decision, a respondent of the same e-mail address are left as they are.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from accounts.services import user_create
from claims.models import ClaimEvent
from core import demo_clock
from customers.demo import DEMO_PASSWORD
from customers.models import Customer

from . import defaults, selectors, services
from .models import Campaign, EightDRating, SurveySchedule
from .selectors import ACCEPTED_8D

MANAGER = "manager@demo.example"
# Each customer's colleagues of the demo login who answer its surveys too:
# (e-mail, name, job title).
RESPONDENTS = {
    "AUTOWERK": [
        ("einkauf@autowerk.example", "Lena Braun", "Commodity buyer, chassis"),
        ("logistik@autowerk.example", "Jonas Wolf", "Supplier logistics"),
    ],
    "BRENNER": [
        ("purchasing@brenner.example", "David Miller", "Senior buyer"),
        ("plantquality@brenner.example", "Emily Davis", "Plant quality engineer"),
    ],
    "CALDERA": [
        ("compras@caldera.example", "Marta Ruiz", "Compradora"),
    ],
}
# (days before today the campaign opened, whether it is still open)
CAMPAIGNS = [(196, False), (105, False), (9, True)]
OPEN_DAYS = 28
# The answers of each respondent (demo login first) in each campaign, oldest campaign first:
# (quality, delivery, communication, 8D handling, NPS, comment) or None for no answer.
ANSWERS = {
    "AUTOWERK": [
        [
            (4, 3, 4, 3, 8, "Send the 8D reports in English and German."),
            (4, 2, 3, None, 7, "Two late deliveries in May, line nearly stopped."),
            (4, 3, 4, None, 8, ""),
        ],
        [
            (4, 4, 4, 4, 9, "Much faster 8D answers this quarter."),
            (5, 4, 4, None, 9, ""),
            (4, 4, 3, None, 8, "Advance shipping notices sometimes missing."),
        ],
        [
            None,  # the demo login has not answered yet: the portal asks them
            (5, 4, 5, None, 10, "Good support at the line stop in week 12."),
            (4, 4, 4, None, 9, ""),
        ],
    ],
    "BRENNER": [
        [
            (3, 4, 3, 2, 6, "Containment took too long on the field returns."),
            (3, 4, 4, None, 7, ""),
            (4, 3, 3, 3, 6, "We need the D3 evidence with photos."),
        ],
        [
            (4, 4, 4, 4, 8, "Better: containment within a day."),
            (4, 5, 4, None, 9, ""),
            (2, 4, 3, 3, 5, "The burr issue came back on the bracket."),
        ],
        [
            (4, 4, 5, 4, 9, "Thanks for the visit at Auburn Hills."),
            None,
            None,
        ],
    ],
    "CALDERA": [
        [(4, 4, 4, None, 8, ""), (3, 4, 4, None, 7, "Prices of the spare parts are high.")],
        [(4, 5, 4, 4, 9, ""), (4, 4, 4, None, 8, "")],
        [None, (5, 5, 4, None, 9, "Muy buen servicio.")],
    ],
}
# How each customer rates the 8Ds they accepted: (speed, analysis, communication).
RATINGS = {"AUTOWERK": (4, 4, 5), "BRENNER": (3, 4, 3), "CALDERA": (4, 5, 4)}
RATED_CLAIMS = 3


@transaction.atomic
def seed(*, today: dt.date | None = None, stdout=None) -> None:
    today = today or timezone.localdate()
    manager = User.objects.filter(email=MANAGER).first()
    if manager is None:
        return
    template = defaults.default_template()
    made = 0
    for code, answers in ANSWERS.items():
        customer = Customer.objects.filter(code=code).first()
        if customer is None:
            continue
        people = _respondents(customer, code)
        for (days_ago, still_open), given in zip(CAMPAIGNS, answers, strict=True):
            opens_on = today - dt.timedelta(days=days_ago)
            made += _campaign(customer, template, manager, opens_on, still_open, people, given)
        _schedule(customer, template, manager, today)
        _rate_closed_8ds(customer, RATINGS[code])
    if stdout is not None:
        stdout.write(f"Demo surveys: {made} campaigns created.")


def summary(*, stdout) -> None:
    stdout.write(
        f"{Campaign.objects.count()} survey campaigns, {EightDRating.objects.count()} 8D ratings."
    )


def _respondents(customer: Customer, code: str) -> list[User]:
    people = [User.objects.filter(email=f"quality@{code.lower()}.example").first()]
    for email, name, job_title in RESPONDENTS.get(code, []):
        user = User.objects.filter(email__iexact=email).first() or user_create(
            email=email,
            full_name=name,
            role=Role.CUSTOMER,
            password=DEMO_PASSWORD,
            customer=customer,
            actor=None,
            job_title=job_title,
            time_zone=customer.time_zone,
        )
        people.append(user)
    return [person for person in people if person is not None]


def _moment(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _campaign(customer, template, manager, opens_on, still_open, people, given) -> int:
    title = services.default_title(opens_on)
    if Campaign.objects.filter(customer=customer, title=title).exists():
        return 0
    closes_on = opens_on + dt.timedelta(days=OPEN_DAYS - 1)
    with demo_clock.at(_moment(opens_on - dt.timedelta(days=14))):
        campaign = services.campaign_create(
            actor=manager,
            customer=customer,
            template=template,
            title=title,
            opens_on=opens_on,
            closes_on=closes_on,
        )
    with demo_clock.at(_moment(opens_on, 7)):
        services.campaign_open(campaign=campaign, actor=None)
    questions = list(template.questions.order_by("position"))
    for offset, (person, answers) in enumerate(zip(people, given, strict=False)):
        if answers is None:
            continue
        with demo_clock.at(_moment(opens_on + dt.timedelta(days=2 + 3 * offset), 10 + offset)):
            services.response_submit(
                campaign=campaign, actor=person, answers=_mapping(questions, answers)
            )
    reminder = opens_on + dt.timedelta(days=campaign.reminder_after_days)
    with demo_clock.at(_moment(reminder, 7)):
        services.campaign_remind(campaign=campaign, actor=None)
    if not still_open:
        with demo_clock.at(_moment(closes_on + dt.timedelta(days=1), 7)):
            services.campaign_close(campaign=campaign, actor=None)
    return 1


def _mapping(questions, answers) -> dict:
    """The questionnaire's questions in order, each with its answer (None: left out)."""
    return {
        question.pk: value
        for question, value in zip(questions, answers, strict=True)
        if value not in (None, "")
    }


def _schedule(customer, template, manager, today: dt.date) -> None:
    if SurveySchedule.objects.filter(customer=customer).exists():
        return
    latest = Campaign.objects.filter(customer=customer).order_by("-opens_on").first()
    next_on = (latest.opens_on if latest else today) + dt.timedelta(days=91)
    services.schedule_save(actor=manager, customer=customer, template=template, next_on=next_on)


def _rate_closed_8ds(customer, values) -> None:
    """The customer rates the first few 8Ds they accepted, an hour after accepting."""
    accepted = (
        ClaimEvent.objects.filter(
            customer=customer, action__in=ACCEPTED_8D, actor__role=Role.CUSTOMER
        )
        .select_related("claim", "claim__customer", "claim__assigned_engineer", "actor")
        .order_by("created_at", "pk")
    )
    rated = set(EightDRating.objects.filter(customer=customer).values_list("claim_id", flat=True))
    for event in accepted[: RATED_CLAIMS * 2]:
        claim = event.claim
        if claim.pk in rated or len(rated) >= RATED_CLAIMS:
            continue
        speed, analysis, communication = values
        with demo_clock.at(event.created_at + dt.timedelta(hours=1)):
            if not selectors.rating_state(claim).open:
                continue
            services.eight_d_rate(
                claim=claim,
                actor=event.actor,
                speed=speed,
                analysis=analysis,
                communication=communication,
                comment="",
            )
        rated.add(claim.pk)
