"""``core.records.services.writes``: a service on one record, locked at the version read."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from changes.deviations.tests.factories import draft_deviation
from changes.models import Deviation
from core.locking import StaleVersion
from core.records.services import locked, writes
from core.tasks import retried_task

pytestmark = pytest.mark.django_db

seen = []


def _lock(deviation, expected_version=None):
    seen.append(("lock", deviation.pk, expected_version))
    return locked(Deviation, deviation.pk, expected_version)


@writes("deviation", _lock)
def retitle(*, deviation: Deviation, actor, title: str) -> Deviation:
    """Give the deviation another title."""
    seen.append(("service", connection.in_atomic_block, type(deviation), title))
    deviation.title = title
    deviation.save(update_fields=["title"])
    return deviation


@pytest.fixture
def deviation(engineer, customer_a):
    seen.clear()
    return draft_deviation(actor=engineer, customer=customer_a)


def test_the_service_gets_its_record_locked_inside_a_transaction(deviation, engineer):
    retitled = retitle(deviation=deviation, actor=engineer, title="New title")

    assert seen == [
        ("lock", deviation.pk, None),
        ("service", True, Deviation, "New title"),
    ]
    assert retitled.pk == deviation.pk
    assert Deviation.objects.get(pk=deviation.pk).title == "New title"


def test_the_version_the_caller_read_goes_to_the_lock_not_to_the_service(deviation, engineer):
    retitle(
        deviation=deviation, actor=engineer, title="Checked", expected_version=deviation.version
    )

    assert seen[0] == ("lock", deviation.pk, deviation.version)
    assert Deviation.objects.get(pk=deviation.pk).title == "Checked"


def test_a_stale_version_is_refused_before_the_service_runs(deviation, engineer):
    with pytest.raises(StaleVersion):
        retitle(deviation=deviation, actor=engineer, title="Late", expected_version=99)

    assert [entry[0] for entry in seen] == ["lock"]
    assert Deviation.objects.get(pk=deviation.pk).title != "Late"


def test_a_refusal_inside_the_service_rolls_its_writes_back(deviation, engineer):
    @writes("deviation", _lock)
    def retitle_then_fail(*, deviation, actor):
        deviation.title = "Half done"
        deviation.save(update_fields=["title"])
        raise ValueError("refused")

    with transaction.atomic(), pytest.raises(ValueError):
        retitle_then_fail(deviation=deviation, actor=engineer)
    assert Deviation.objects.get(pk=deviation.pk).title != "Half done"


def test_the_service_keeps_its_name_and_documentation():
    assert retitle.__name__ == "retitle"
    assert retitle.__doc__ == "Give the deviation another title."


def test_a_retried_task_is_acknowledged_late_and_retried_with_backoff():
    @retried_task("core.tests.sample_retried_task", max_retries=5, ignore_result=True)
    def sample() -> int:
        return 1

    assert sample.name == "core.tests.sample_retried_task"
    assert sample.acks_late is True
    assert sample.autoretry_for == (Exception,)
    assert sample.retry_backoff is True
    assert sample.max_retries == 5
    assert sample.ignore_result is True
    assert sample() == 1
