"""A large claim import is checked in the request and filed by a worker.

The request refuses a bad file at once with every bad row, as before; a good file is logged as
queued with its rows and the task ``claims.import_claims`` goes through the outbox in the same
transaction. The task (eager here, at the commit) files the claims in batches, can run again or
go on after an interruption without filing a row twice, and tells the importer. The page and the
API follow the import; another customer's import is a 404. A small file is filed at once.
"""

from __future__ import annotations

import datetime as dt
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from claims import import_filing
from claims.models import Claim, ClaimImport
from claims.tasks import import_claims
from core.models import OutboxMessage
from customers.tests.factories import PartFactory
from notifications.models import Notification

from .test_imports import _csv, _post_file, _rows, _upload

pytestmark = pytest.mark.django_db
ROWS = 30  # over CQM_CLAIM_IMPORT_AT_ONCE_ROWS (25): filed by the worker
FINISHED = "claims.import_finished"


@pytest.fixture
def part_a(customer_a):
    return PartFactory(customer=customer_a, customer_part_number="A 123 456 78 90")


def _queue(actor, customer, content: bytes, capture) -> tuple[ClaimImport, list]:
    """Import a file as a request does; the commit's callbacks (the task) are returned, not run."""
    with capture() as callbacks:
        log = import_filing.claims_import(
            actor=actor, customer=customer, content=content, file_name="claims.csv"
        )
    return log, callbacks


def _run(callbacks) -> None:
    """What the outbox does after the commit: publish, and (eager here) run the task."""
    for callback in callbacks:
        callback()


def test_a_large_file_is_checked_now_and_filed_by_the_worker(
    user_a, customer_a, part_a, manager, django_capture_on_commit_callbacks
):
    log, callbacks = _queue(
        user_a, customer_a, _csv(_rows(part_a, ROWS)), django_capture_on_commit_callbacks
    )

    assert (log.status, log.rows, log.position, log.created) == ("queued", ROWS, 0, 0)
    assert not Claim.objects.exists()
    message = OutboxMessage.objects.get(task="claims.import_claims")
    assert message.args == [log.pk]

    _run(callbacks)

    log.refresh_from_db()
    assert (log.status, log.position, log.created, log.skipped) == ("done", ROWS, ROWS, 0)
    assert log.pending == {} and log.finished_at is not None
    assert Claim.objects.filter(customer=customer_a).count() == ROWS
    assert log.numbers == list(
        Claim.objects.order_by("customer_reference").values_list("number", flat=True)
    )
    told = Notification.objects.get(recipient=user_a, kind=FINISHED)
    assert (
        told.title == f"Claim import of claims.csv done: {ROWS} claims created, 0 already imported"
    )
    assert told.url == reverse("claims:claim-import-detail", args=[log.pk])
    assert Notification.objects.filter(recipient=manager, kind="claims.submitted").count() == 1


def test_a_small_file_is_filed_at_once_in_the_request(
    user_a, customer_a, part_a, django_capture_on_commit_callbacks
):
    log, _callbacks = _queue(
        user_a, customer_a, _csv(_rows(part_a, 25)), django_capture_on_commit_callbacks
    )

    assert (log.status, log.created, log.progress) == ("done", 25, 100)
    assert not OutboxMessage.objects.filter(task="claims.import_claims").exists()
    assert not Notification.objects.filter(kind=FINISHED).exists()  # the page tells the result


def test_the_task_goes_on_where_it_stopped_and_run_again_files_nothing_twice(
    user_a, customer_a, part_a, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(import_filing, "BATCH_ROWS", 12)
    log, _callbacks = _queue(
        user_a, customer_a, _csv(_rows(part_a, ROWS)), django_capture_on_commit_callbacks
    )

    # A worker files one batch and is lost.
    assert import_filing.import_file_batch(log.pk) is True
    log.refresh_from_db()
    assert (log.status, log.position, log.created, log.progress) == ("running", 12, 12, 40)

    # The message comes back (at least once): the next worker goes on; a second run is a no-op.
    first = import_claims(log.pk)
    again = import_claims(log.pk)

    assert first == again == {"status": "done", "created": ROWS, "skipped": 0}
    assert Claim.objects.filter(customer=customer_a).count() == ROWS
    log.refresh_from_db()
    assert len(set(log.numbers)) == len(log.numbers) == ROWS
    assert Notification.objects.filter(recipient=user_a, kind=FINISHED).count() == 1


def test_rows_filed_meanwhile_are_skipped_by_the_worker(
    user_a, customer_a, part_a, django_capture_on_commit_callbacks
):
    first, first_callbacks = _queue(
        user_a, customer_a, _csv(_rows(part_a, ROWS)), django_capture_on_commit_callbacks
    )
    second, second_callbacks = _queue(
        user_a, customer_a, _csv(_rows(part_a, ROWS + 5)), django_capture_on_commit_callbacks
    )

    _run(first_callbacks)
    _run(second_callbacks)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.created, first.skipped) == (ROWS, 0)
    assert (second.created, second.skipped) == (5, ROWS)
    assert Claim.objects.filter(customer=customer_a).count() == ROWS + 5


def test_a_row_refused_when_filed_fails_the_import_and_the_importer_hears_why(
    user_a, customer_a, part_a, client_for, django_capture_on_commit_callbacks
):
    log, callbacks = _queue(
        user_a, customer_a, _csv(_rows(part_a, ROWS)), django_capture_on_commit_callbacks
    )
    # Between the check and the filing the part went out of production.
    type(part_a).objects.filter(pk=part_a.pk).update(
        active_to=timezone.localdate() - dt.timedelta(days=1)
    )

    _run(callbacks)

    log.refresh_from_db()
    assert (log.status, log.created, log.pending) == ("failed", 0, {})
    assert log.error.splitlines()[0] == (
        f"Line 2: “part”: part {part_a.customer_part_number} is not active"
    )
    assert not Claim.objects.exists()
    told = Notification.objects.get(recipient=user_a, kind=FINISHED)
    assert told.title == "Claim import of claims.csv failed after 0 claims created"
    assert "is not active" in told.body
    page = client_for(user_a).get(reverse("claims:claim-import-detail", args=[log.pk]))
    assert page.status_code == 200
    assert 'data-import-status="failed"' in page.content.decode()
    assert "is not active" in page.content.decode()


# --- the pages -----------------------------------------------------------------------------------


def test_the_page_follows_a_large_import_to_its_result(
    client_for, user_a, customer_a, part_a, django_capture_on_commit_callbacks
):
    client = client_for(user_a)
    with django_capture_on_commit_callbacks() as callbacks:
        posted = client.post(
            reverse("claims:claim-import"), {"file": _upload(_csv(_rows(part_a, ROWS)))}
        )
    log = ClaimImport.objects.get()
    detail_url = reverse("claims:claim-import-detail", args=[log.pk])
    progress_url = reverse("claims:claim-import-progress", args=[log.pk])

    assert posted.status_code == 302 and posted["Location"] == detail_url
    waiting = client.get(detail_url).content.decode()
    assert 'data-import-status="queued"' in waiting
    assert f'hx-get="{progress_url}"' in waiting  # the status polls itself
    assert 'data-testid="no-worker"' in waiting  # no worker heartbeat in this test

    _run(callbacks)

    done = client.get(progress_url)
    text = done.content.decode()
    assert done.status_code == 200
    assert 'data-import-status="done"' in text and "hx-get" not in text
    assert f"{ROWS} claims created." in text
    listed = client.get(reverse("claims:claim-import")).content.decode()
    assert detail_url in listed


def test_another_customers_import_is_a_404(
    client_for, api_client_for, user_a, user_b, engineer, customer_a, part_a,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    log, _callbacks = _queue(
        user_a, customer_a, _csv(_rows(part_a, ROWS)), django_capture_on_commit_callbacks
    )
    pages = [
        reverse("claims:claim-import-detail", args=[log.pk]),
        reverse("claims:claim-import-progress", args=[log.pk]),
    ]
    api_url = reverse("claim-import-status", kwargs={"import_id": log.pk})

    assert [client_for(user_b).get(url).status_code for url in pages] == [404, 404]
    assert api_client_for(user_b).get(api_url).status_code == 404
    assert [client_for(engineer).get(url).status_code for url in pages] == [200, 200]
    assert api_client_for(engineer).get(api_url).status_code == 200


# --- the API -------------------------------------------------------------------------------------


def test_api_answers_202_with_the_imports_address_then_tells_its_result(
    api_client_for, user_a, customer_a, part_a, django_capture_on_commit_callbacks
):
    api = api_client_for(user_a)
    with django_capture_on_commit_callbacks() as callbacks:
        accepted = _post_file(api, _csv(_rows(part_a, ROWS)))
    log = ClaimImport.objects.get()

    assert accepted.status_code == 202, accepted.content
    body = accepted.json()
    assert body["url"] == f"/api/v1/claims/import/{log.pk}/" == accepted["Location"]
    assert (body["status"], body["rows"], body["progress"], body["claims"]) == (
        "queued",
        ROWS,
        0,
        [],
    )
    assert api.get(body["url"]).json()["status"] == "queued"

    _run(callbacks)

    result = api.get(body["url"])
    assert result.status_code == 200
    assert result.json() == {
        "id": log.pk,
        "url": body["url"],
        "status": "done",
        "rows": ROWS,
        "progress": 100,
        "created": ROWS,
        "skipped": 0,
        "claims": list(
            Claim.objects.order_by("customer_reference").values_list("number", flat=True)
        ),
        "error": "",
    }


@override_settings(CQM_CLAIM_IMPORT_AT_ONCE_ROWS=0)
def test_with_no_file_filed_at_once_even_one_row_goes_to_the_worker(
    user_a, customer_a, part_a, django_capture_on_commit_callbacks
):
    log, callbacks = _queue(
        user_a, customer_a, _csv(_rows(part_a, 1)), django_capture_on_commit_callbacks
    )
    assert log.status == "queued"
    _run(callbacks)
    log.refresh_from_db()
    assert (log.status, log.created) == ("done", 1)


# --- imports logged before the worker filed them -------------------------------------------------


def test_imports_logged_before_are_done(user_a, customer_a):
    """Migration 0014: the status is added as "done" for the rows there are, then defaults to
    "queued"; every row of those was worked through when it was logged."""
    migration = import_module("claims.migrations.0014_claimimport_status")
    status_fields = [
        operation.field
        for operation in migration.Migration.operations
        if getattr(operation, "name", "") == "status"
    ]
    assert [field.default for field in status_fields] == ["done", "queued"]
    logged = ClaimImport.objects.create(
        customer=customer_a, file_name="old.csv", format="csv", rows=3, created=2, skipped=1,
        created_by=user_a, status="done",
    )  # fmt: skip

    migration.imports_before_were_finished(django_apps, None)

    logged.refresh_from_db()
    assert (logged.position, logged.progress) == (3, 100)
    assert logged.finished_at == logged.created_at
