"""Who hears of what: the managers on opening and as exit criteria are met, the customer on the
exit request, the responsible engineer and managers on the customer's decision."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import timezone

from accounts.roles import Role
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from notifications.models import Notification
from special_status import notification_kinds as kinds
from special_status import services

from .factories import exit_requested, meet_all, open_status

pytestmark = pytest.mark.django_db
REPORTS = "qm-reports@autowerk.example"


def told(kind: str) -> list[str]:
    rows = Notification.objects.filter(kind=kind).select_related("recipient").order_by("pk")
    return [row.recipient.email if row.recipient_id else row.email for row in rows]


@pytest.fixture
def managers(manager):
    return [manager, UserFactory(email="second-manager@example.com", role=Role.MANAGER)]


def test_opening_tells_every_quality_manager_at_once(
    engineer, managers, customer_a, user_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        special_status = open_status(actor=engineer, customer=customer_a, kind="cs2")
    assert sorted(told(kinds.OPENED)) == sorted(manager.email for manager in managers)
    assert sorted(to for message in mail.outbox for to in message.to) == sorted(
        manager.email for manager in managers
    )
    notification = Notification.objects.filter(kind=kinds.OPENED).first()
    assert special_status.number in notification.title and "CS2" in notification.title
    assert notification.url == special_status.get_absolute_url()
    assert not Notification.objects.filter(recipient=user_a).exists()
    assert not Notification.objects.filter(recipient=engineer).exists()  # their own act


def test_each_criterion_met_tells_the_managers_and_the_last_one_says_all_are_met(
    engineer, managers, customer_a
):
    special_status = open_status(actor=engineer, customer=customer_a)
    criteria = list(special_status.criteria.order_by("position"))
    for number, criterion in enumerate(criteria, start=1):
        services.criterion_meet(
            criterion=criterion,
            actor=engineer,
            met_on=timezone.localdate(),
            evidence=f"Evidence {number}",
        )
        assert len(told(kinds.CRITERION_MET)) == number * len(managers)
        all_met = told(kinds.ALL_CRITERIA_MET)
        assert all_met == ([] if number < len(criteria) else [m.email for m in managers])
    titles = list(
        Notification.objects.filter(kind=kinds.CRITERION_MET, recipient=managers[0])
        .order_by("pk")
        .values_list("title", flat=True)
    )
    assert titles == [f"{special_status.number}: exit criterion met ({n} of 3)" for n in (1, 2, 3)]
    body = Notification.objects.filter(kind=kinds.CRITERION_MET).order_by("pk").first().body
    assert criteria[0].text in body and "Evidence 1" in body


def test_a_criterion_met_again_after_a_reopening_tells_again(engineer, managers, customer_a):
    special_status = meet_all(open_status(actor=engineer, customer=customer_a), actor=engineer)
    criterion = special_status.criteria.get(position=3)
    services.criterion_reopen(criterion=criterion, actor=engineer, reason="Reject")
    before = len(told(kinds.ALL_CRITERIA_MET))
    services.criterion_meet(
        criterion=criterion, actor=engineer, met_on=timezone.localdate(), evidence="Again"
    )
    assert len(told(kinds.ALL_CRITERIA_MET)) == before + len(managers)


def test_the_exit_request_asks_the_customers_users_and_nothing_internal(
    engineer, manager, customer_a, customer_b, user_a, user_b, django_capture_on_commit_callbacks
):
    requirements = customer_a.requirements
    requirements.report_recipients = REPORTS
    requirements.save()
    special_status = meet_all(
        open_status(actor=engineer, customer=customer_a, kind="cs2"), actor=engineer
    )
    services.special_status_costs_save(
        special_status=special_status, actor=engineer, inspection_hours=9, hourly_rate=77
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.special_status_request_exit(special_status=special_status, actor=engineer)
    assert sorted(told(kinds.EXIT_REQUESTED)) == sorted([user_a.email, REPORTS])
    assert not Notification.objects.filter(recipient=user_b).exists()
    for message in mail.outbox:
        assert special_status.number in message.subject
        assert "77" not in message.body


@pytest.mark.parametrize("decision", ["sign", "decline"])
def test_the_customers_decision_goes_to_the_engineer_and_the_managers(
    decision, engineer, manager, customer_a, user_a
):
    special_status = exit_requested(actor=engineer, customer=customer_a)
    if decision == "sign":
        services.special_status_sign_exit(
            special_status=special_status, actor=user_a, password=DEFAULT_PASSWORD
        )
    else:
        services.special_status_decline_exit(
            special_status=special_status, actor=user_a, reason="Not yet"
        )
    assert sorted(told(kinds.EXIT_DECIDED)) == sorted([engineer.email, manager.email])
