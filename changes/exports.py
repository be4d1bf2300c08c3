"""The change list as CSV, streamed row by row in a constant number of queries.

UTF-8 with a byte-order mark so that Excel opens umlauts correctly. Customer users get the same
list without our internal columns (the cost), restricted to their own notified changes by the
queryset passed in.
"""

from __future__ import annotations

from functools import partial

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.csvexport import streamed_response

from .models import ChangeRequest


def export_columns(internal: bool) -> list[str]:
    columns = [
        _("Number"),
        _("Status"),
        _("Customer"),
        _("Title"),
        _("Type"),
        _("Origin"),
        _("Affected parts"),
        _("Customer approval required"),
        _("Customer decision"),
        _("PPAP required"),
        _("PPAP level"),
        _("PSW reason"),
        _("Effectivity date"),
        _("Break point"),
        _("Implemented on"),
        _("Created"),
    ]
    return [*columns, _("Cost"), _("Currency")] if internal else columns


def change_row(change: ChangeRequest, internal: bool) -> list:
    row = [
        change.number,
        change.get_status_display(),
        change.customer.name,
        change.title,
        change.get_change_type_display(),
        change.get_origin_display(),
        " ".join(
            f"{row.part.part_number} {row.current_revision}>{row.new_revision}"
            for row in change.parts.all()
        ),
        _("yes") if change.customer_approval_required else _("no"),
        change.get_customer_decision_display() if change.customer_decision else "",
        _("yes") if change.ppap_required else _("no"),
        change.ppap_level or "",
        change.get_psw_reason_display() if change.psw_reason else "",
        change.effectivity_date.isoformat() if change.effectivity_date else "",
        change.break_point,
        change.implemented_on.isoformat() if change.implemented_on else "",
        timezone.localtime(change.created_at).date().isoformat(),
    ]
    if internal:
        row += [change.cost_amount if change.cost_amount is not None else "", change.cost_currency]
    return row


def changes_csv_response(
    changes: QuerySet[ChangeRequest], *, internal: bool
) -> StreamingHttpResponse:
    # The affected parts are prefetched by the list's queryset: one query per chunk.
    row = partial(change_row, internal=internal)
    return streamed_response("changes", export_columns(internal), changes, row)
