"""Two people taking the same transition at the same moment: exactly one wins.

Each racer runs in its own thread with its own database connection and transaction; a barrier
releases both into the service together. The services lock the claim row (select_for_update), so
the second racer waits, then finds the record already moved on and is refused with a domain error.
SQLite has no row locks (select_for_update is a no-op there), so the race runs on PostgreSQL only.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from accounts.models import User
from accounts.tests.factories import CustomerUserFactory
from claims import services
from claims.models import Claim, ClaimEvent, EightDStep
from claims.tests.factories import file_claim, fill_step
from core.errors import InvalidTransition
from core.locking import StaleVersion

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="select_for_update is a no-op on SQLite: the race needs PostgreSQL's row locks",
    ),
]

# Long enough for a stuck racer to show up as a failure instead of hanging the suite.
BARRIER_TIMEOUT = 30


def race(*attempts) -> list:
    """Run each attempt in its own thread, released together; what each returned or raised."""
    barrier = threading.Barrier(len(attempts), timeout=BARRIER_TIMEOUT)
    outcomes: list = [None] * len(attempts)

    def run(index, attempt):
        try:
            barrier.wait()
            outcomes[index] = attempt()
        except Exception as error:  # kept for the test to judge: a domain error or a defect
            outcomes[index] = error
        finally:
            connections.close_all()  # this thread's own connection

    threads = [
        threading.Thread(target=run, args=(index, attempt))
        for index, attempt in enumerate(attempts)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(BARRIER_TIMEOUT * 2)
    assert not any(thread.is_alive() for thread in threads), "a racer never finished"
    return outcomes


def winners_and_losers(outcomes) -> tuple[list, list]:
    losers = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    winners = [outcome for outcome in outcomes if not isinstance(outcome, Exception)]
    return winners, losers


def fresh(model, pk):
    """A racer's own copy of a row, read on its own connection."""
    return model.objects.get(pk=pk)


@pytest.fixture
def submitted_claim(user_a):
    return file_claim(actor=user_a)


def test_two_engineers_acknowledge_the_same_claim_at_once(submitted_claim, engineer):
    def acknowledge():
        return services.claim_acknowledge(
            claim=fresh(Claim, submitted_claim.pk), actor=fresh(User, engineer.pk)
        )

    winners, losers = winners_and_losers(race(acknowledge, acknowledge))

    assert len(winners) == 1 and len(losers) == 1
    assert isinstance(losers[0], InvalidTransition), repr(losers[0])
    assert ClaimEvent.objects.filter(claim=submitted_claim, action="acknowledge").count() == 1
    assert EightDStep.objects.filter(claim=submitted_claim).count() == 9  # one set of steps


def test_stating_the_version_read_refuses_the_loser_as_stale(submitted_claim, engineer):
    read = submitted_claim.version

    def acknowledge():
        return services.claim_acknowledge(
            claim=fresh(Claim, submitted_claim.pk),
            actor=fresh(User, engineer.pk),
            expected_version=read,
        )

    winners, losers = winners_and_losers(race(acknowledge, acknowledge))

    assert len(winners) == 1 and len(losers) == 1
    assert isinstance(losers[0], StaleVersion), repr(losers[0])
    assert ClaimEvent.objects.filter(claim=submitted_claim, action="acknowledge").count() == 1
    submitted_claim.refresh_from_db()
    assert submitted_claim.version == read + 1


def test_two_customer_users_approve_the_same_step_at_once(
    submitted_claim, engineer, user_a, customer_a
):
    services.claim_acknowledge(claim=submitted_claim, actor=engineer)
    services.claim_start_review(claim=submitted_claim, actor=engineer)
    services.claim_accept_responsibility(claim=submitted_claim, actor=engineer)
    fill_step(submitted_claim, "D0", engineer)
    d0 = services.step_submit(step=submitted_claim.steps.get(code="D0"), actor=engineer)
    colleague = CustomerUserFactory(email="second@autowerk.example", customer=customer_a)

    def approve_as(user):
        def approve():
            step = EightDStep.objects.select_related("claim").get(pk=d0.pk)
            return services.step_approve(step=step, actor=fresh(User, user.pk), comment="OK")

        return approve

    winners, losers = winners_and_losers(race(approve_as(user_a), approve_as(colleague)))

    assert len(winners) == 1 and len(losers) == 1
    assert isinstance(losers[0], InvalidTransition), repr(losers[0])
    assert (
        ClaimEvent.objects.filter(
            claim=submitted_claim, action="step_approve", step_code="D0"
        ).count()
        == 1
    )
    d0.refresh_from_db()
    assert d0.status == EightDStep.Status.APPROVED
