"""Filing the claims of a checked import file, on a worker (``claims.import_claims``).

``import_accept`` keeps the checked file on its ``ClaimImport`` row (the rows as read, and the
column mapping they were read with) and queues the task through the outbox in the same
transaction: the request answers at once, and a file of a thousand claims (some 20 s of filing)
never holds up a web worker. A file of at most ``CQM_CLAIM_IMPORT_AT_ONCE_ROWS`` rows is filed at
once instead, within the request: the sender sees its result straight away, the way a claim filed
by hand is, and the work is under a second.

The task files the claims in batches. Each batch is one transaction: it locks the import's row,
takes the customer's import turn, checks the batch's rows again (a row whose reference the
customer has meanwhile is skipped), files its new claims and moves the row's position on. A worker
lost midway leaves the row where its last batch ended; the task delivered again (delivery is at
least once) goes on from there and never files a row twice. A finished import is left alone.

Each batch's safety and critical claims alert at once, as when filed by hand; the other claims are
told to our team in one notification when the file is done, and the importer hears that the
import is done or failed.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import outbox
from notifications.services import Text, notify

from . import imports
from . import notification_kinds as kinds
from .models import ClaimImport

TASK = "claims.import_claims"
# Default of the setting CQM_CLAIM_IMPORT_AT_ONCE_ROWS.
AT_ONCE_ROWS = 25
# Claims filed per transaction: about a second of work, after which the claim number counter and
# the customer's import turn are free for others for a moment and the page shows the progress.
BATCH_ROWS = 50
ERROR_MAX_LENGTH = 10_000


def claims_import(*, actor, customer, content: bytes, file_name: str) -> ClaimImport:
    """Check every row of the file, then have the claims of its new rows filed; or refuse the
    file: ValidationError lists every bad row and nothing is stored.

    The claims are filed by a worker (``import_accept`` below): the returned log is "queued"
    and tells the progress. A small file is filed at once: its log is "done". Rows whose
    customer reference the customer already has are skipped.
    """
    imports.require_may_import(actor, customer)
    if not customer.is_active:
        raise ValidationError(_("Claims cannot be filed for an inactive customer."))
    file_name = Path(file_name or "").name[: ClaimImport._meta.get_field("file_name").max_length]
    file_format, rows = imports.parse(content, file_name)
    columns = imports.mapping_for(customer)
    checked = imports.check_rows(customer, actor, columns, rows, file_format=file_format)
    if checked.problems:
        raise ValidationError(checked.problems)
    return import_accept(
        actor=actor,
        customer=customer,
        file_name=file_name or "-",
        file_format=file_format,
        columns=columns,
        rows=rows,
    )


def at_once_rows() -> int:
    return getattr(settings, "CQM_CLAIM_IMPORT_AT_ONCE_ROWS", AT_ONCE_ROWS)


@transaction.atomic
def import_accept(
    *, actor, customer, file_name: str, file_format: str, columns: dict, rows
) -> ClaimImport:
    """Log a checked file and have its claims filed: on a worker, or at once when it is small
    (then a row that the filing refuses raises ValidationError and nothing is stored)."""
    log = ClaimImport.objects.create(
        customer=customer,
        file_name=file_name,
        format=file_format,
        rows=len(rows),
        created_by=actor,
        pending={
            "columns": columns,
            "rows": [{"where": row.where, "values": row.values} for row in rows],
        },
    )
    if len(rows) <= at_once_rows():
        while import_file_batch(log.pk, tell_importer=False):
            pass
        log.refresh_from_db()
    else:
        outbox.enqueue(TASK, log.pk)
    return log


def import_file_claims(import_id: int) -> dict:
    """The task: file the claims of a queued import, batch after batch; safe to run again. A
    refused row is told in the importer's language, as the checks in their request were."""
    importer = ClaimImport.objects.values_list("created_by__language", flat=True).get(pk=import_id)
    with translation.override(importer or settings.LANGUAGE_CODE):
        try:
            while import_file_batch(import_id):
                pass
        except ValidationError as error:
            _fail(import_id, error.messages)
    log = ClaimImport.objects.get(pk=import_id)
    return {"status": log.status, "created": log.created, "skipped": log.skipped}


@transaction.atomic
def import_file_batch(import_id: int, *, tell_importer: bool = True) -> bool:
    """File the next batch of rows; True while rows are left. ValidationError: a row refused."""
    log = (
        ClaimImport.objects.select_for_update(of=("self",))
        .select_related("customer", "created_by")
        .get(pk=import_id)
    )
    if log.finished:
        return False
    imports.take_turn(log.customer)
    start = log.position
    rows = [
        imports.SourceRow(row["where"], row["values"])
        for row in log.pending["rows"][start : start + BATCH_ROWS]
    ]
    checked = imports.check_rows(log.customer, log.created_by, log.pending["columns"], rows)
    if checked.problems:
        raise ValidationError(checked.problems)
    claims = imports.file_rows(log, checked.new)
    imports.tell_our_team(log, [claim for claim in claims if imports.is_urgent(claim)], [])
    log.position = start + len(rows)
    log.created += len(claims)
    log.skipped += checked.skipped
    log.numbers = [*log.numbers, *(claim.number for claim in claims)]
    log.status = ClaimImport.Status.RUNNING
    if log.position < log.rows:
        # The rows to file stay as they are: not written again with every batch.
        log.save(update_fields=["position", "created", "skipped", "numbers", "status"])
        return True
    _finish(log, tell_importer=tell_importer)
    log.save()
    return False


def _finish(log: ClaimImport, *, tell_importer: bool) -> None:
    urgent = imports.urgent_numbers(log.customer, log.numbers)
    imports.tell_our_team(log, [], [number for number in log.numbers if number not in urgent])
    log.status = ClaimImport.Status.DONE
    log.finished_at = timezone.now()
    log.pending = {}
    if tell_importer:
        _tell_importer(
            log,
            Text(
                gettext_lazy(
                    "Claim import of %(file)s done: %(created)d claims created, "
                    "%(skipped)d already imported"
                ),
                file=log.file_name,
                created=log.created,
                skipped=log.skipped,
            ),
        )


@transaction.atomic
def _fail(import_id: int, messages: list[str]) -> None:
    """A row the filing refused (its part was deactivated meanwhile, say): the claims filed
    before stay, the rest is not filed, and the importer is told why."""
    log = ClaimImport.objects.select_for_update(of=("self",)).get(pk=import_id)
    if log.finished:
        return
    log.status = ClaimImport.Status.FAILED
    log.error = "\n".join(messages)[:ERROR_MAX_LENGTH]
    log.finished_at = timezone.now()
    log.pending = {}
    log.save()
    _tell_importer(
        log,
        Text(
            gettext_lazy("Claim import of %(file)s failed after %(created)d claims created"),
            file=log.file_name,
            created=log.created,
        ),
        body=Text("%(error)s", error=log.error),
    )


def _tell_importer(log: ClaimImport, title: Text, body: Text | None = None) -> None:
    notify(
        kind=kinds.IMPORT_FINISHED,
        recipients=[log.created_by],
        record=log,
        url=reverse("claims:claim-import-detail", args=[log.pk]),
        title=title,
        body=body,
    )
