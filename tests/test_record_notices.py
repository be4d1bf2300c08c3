"""The notices every module sends once (core.records.notices): recorded once, whoever runs first."""

import datetime as dt
import threading
import time

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, models, transaction

from claims import services
from claims.models import ReminderLog
from claims.tests.factories import file_claim
from core.records.notices import DailyNotice, RecordNotice

TODAY = dt.date(2026, 3, 2)
OVERDUE, DUE_SOON = ReminderLog.Kind.OVERDUE, ReminderLog.Kind.DUE_SOON


def test_every_notice_model_names_its_record_and_what_makes_it_the_same_notice():
    notices = {
        model.__name__: model for model in apps.get_models() if issubclass(model, RecordNotice)
    }

    assert set(notices) == {
        "ReminderLog",
        "ClaimEscalation",
        "ProvisionalReminder",
        "ChangeReminderLog",
        "DeviationReminderLog",
        "FindingEscalation",
    }
    for model in notices.values():
        assert isinstance(model._meta.get_field(model.record_field), models.ForeignKey)
        assert model.record_field in model.notice_key()
        if issubclass(model, DailyNotice):
            assert "sent_on" in model.notice_key()


def _steps(user, engineer) -> list:
    """The 8D steps of an acknowledged claim: records that get reminders."""
    claim = file_claim(actor=user)
    services.claim_acknowledge(claim=claim, actor=engineer)
    steps = list(claim.steps.order_by("pk"))
    assert len(steps) >= 4
    return steps


@pytest.fixture
def steps(user_a, engineer):
    return _steps(user_a, engineer)


@pytest.mark.django_db
def test_each_record_is_recorded_once_per_kind_and_day(steps):
    first = ReminderLog.objects.record_for(steps[:2], kind=OVERDUE, sent_on=TODAY)
    again = ReminderLog.objects.record_for(steps[:3], kind=OVERDUE, sent_on=TODAY)
    other_kind = ReminderLog.objects.record_for(steps[:1], kind=DUE_SOON, sent_on=TODAY)
    next_day = ReminderLog.objects.record_for(
        steps[:1], kind=OVERDUE, sent_on=TODAY + dt.timedelta(days=1)
    )

    assert (first, again, other_kind, next_day) == (steps[:2], [steps[2]], steps[:1], steps[:1])
    assert ReminderLog.objects.count() == 5


@pytest.mark.django_db
def test_a_queryset_of_records_is_filtered_in_the_database(steps, django_assert_num_queries):
    ReminderLog.objects.record_for(steps[:1], kind=OVERDUE, sent_on=TODAY)
    queryset = steps[0].claim.steps.order_by("pk")

    # The records not yet told in one query, then the insert inside its savepoint.
    with django_assert_num_queries(4):
        recorded = ReminderLog.objects.record_for(queryset, kind=OVERDUE, sent_on=TODAY)

    assert recorded == steps[1:]


@pytest.mark.django_db
def test_notices_recorded_meanwhile_are_skipped_and_the_others_recorded(steps):
    ReminderLog.objects.create(step=steps[1], kind=OVERDUE, sent_on=TODAY)
    notices = [ReminderLog(step=step, kind=OVERDUE, sent_on=TODAY) for step in steps[:3]]

    recorded = ReminderLog.objects.record_once(notices)

    assert [notice.step for notice in recorded] == [steps[0], steps[2]]
    assert ReminderLog.objects.count() == 3  # and the transaction goes on


@pytest.mark.django_db
def test_an_error_that_is_no_duplicate_is_raised(steps):
    ReminderLog.objects.create(step=steps[0], kind=OVERDUE, sent_on=TODAY)
    broken = ReminderLog(step=steps[1], kind=OVERDUE, sent_on=None)

    with pytest.raises(IntegrityError), transaction.atomic():
        ReminderLog.objects.record_once(
            [ReminderLog(step=steps[0], kind=OVERDUE, sent_on=TODAY), broken]
        )


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no row locks")
def test_a_run_at_the_same_moment_records_only_what_the_first_did_not(user_a, engineer):
    """Run B reads before run A commits, so it tries A's notices too: it waits and skips them."""
    steps = _steps(user_a, engineer)
    a_recorded, b_started = threading.Event(), threading.Event()
    results, errors = {}, []

    def run(name, records, wait_for, then_set, pause):
        try:
            if wait_for:
                wait_for.wait(timeout=10)
            with transaction.atomic():
                if then_set and name == "b":
                    then_set.set()
                results[name] = ReminderLog.objects.record_for(records, kind=OVERDUE, sent_on=TODAY)
                if then_set and name == "a":
                    then_set.set()
                    b_started.wait(timeout=10)
                    time.sleep(pause)  # B is now waiting for A's rows
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=("a", steps[:3], None, a_recorded, 0.5)),
        threading.Thread(target=run, args=("b", steps[:4], a_recorded, b_started, 0)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert results == {"a": steps[:3], "b": [steps[3]]}
    assert ReminderLog.objects.filter(sent_on=TODAY).count() == 4
