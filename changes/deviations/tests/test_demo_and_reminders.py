"""Demo data in every status (idempotent) and the daily warnings to the owner."""

import datetime as dt

import pytest
import time_machine
from django.core import mail

from changes.deviations import demo, services, tasks
from changes.models import Deviation
from customers import demo as customers_demo

from .factories import approved_deviation

pytestmark = pytest.mark.django_db


def test_demo_seed_reaches_every_status_once():
    customers_demo.seed()
    demo.seed()
    demo.seed()
    statuses = set(Deviation.objects.values_list("status", flat=True))
    assert statuses == set(Deviation.Status.values)
    assert Deviation.objects.count() == len(demo.DEVIATIONS)


@time_machine.travel(dt.datetime(2026, 12, 6, 2, 30, tzinfo=dt.UTC), tick=True)
def test_demo_seed_uses_each_customers_calendar_when_utc_is_a_day_ahead():
    """At 02:30 UTC it is still the 5th in Detroit: a shipment dated the 6th would be refused."""
    customers_demo.seed()
    demo.seed()
    detroit = Deviation.objects.filter(customer__time_zone="America/Detroit")
    assert detroit.exists()
    assert set(Deviation.objects.values_list("status", flat=True)) == set(Deviation.Status.values)


def test_daily_warning_mails_the_owner_once_a_day(
    engineer, customer_a, user_a, django_capture_on_commit_callbacks
):
    requirements = customer_a.requirements
    requirements.deviation_expiry_warning_days = 5
    requirements.save()
    near = approved_deviation(
        actor=engineer,
        approver=user_a,
        customer=customer_a,
        expires_on=dt.date.today() + dt.timedelta(days=4),
    )
    approved_deviation(actor=engineer, approver=user_a, customer=customer_a)  # 60 days left
    full = approved_deviation(actor=engineer, approver=user_a, customer=customer_a, quantity_cap=10)
    services.shipment_record(
        deviation=full,
        actor=engineer,
        shipped_on=dt.date.today(),
        quantity=8,
        lot="L-100",
        shipping_reference="DN",
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_deviation_warnings() == {"mails": 1, "deviations": 2}
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_deviation_warnings()["deviations"] == 0
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [engineer.email]
    body = mail.outbox[0].body
    assert near.number in body and full.number in body and "8 of 10 parts shipped" in body
