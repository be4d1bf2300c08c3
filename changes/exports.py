"""The change list as CSV, streamed row by row: one query, and one per chunk for the parts.

UTF-8 with a byte-order mark so that Excel opens umlauts correctly. Customer users get the same
list without our internal columns (the cost), restricted to their own notified changes by the
queryset passed in. Rows are built from the plain values of ``FIELDS``
(``core.csvexport.value_chunks``), not from change requests.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.csvexport import choice_labels, streamed_rows, value_chunks, yes_no

from .models import AffectedPart, ChangeRequest

# What a row is made of, in the order ``change_rows`` unpacks it. The cost is read for every
# row and written only into our staff's file.
FIELDS = (
    "pk",
    "number",
    "status",
    "customer__name",
    "title",
    "change_type",
    "origin",
    "customer_approval_required",
    "customer_decision",
    "ppap_required",
    "ppap_level",
    "psw_reason",
    "effectivity_date",
    "break_point",
    "implemented_on",
    "created_at",
    "cost_amount",
    "cost_currency",
)


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


def change_rows(changes: QuerySet[ChangeRequest], internal: bool) -> Iterator[list]:
    """One CSV row per change of ``changes``, in its order; the cost only when ``internal``.

    The labels are translated once, when the first row is asked for.
    """
    statuses = choice_labels(ChangeRequest, "status")
    types = choice_labels(ChangeRequest, "change_type")
    origins = choice_labels(ChangeRequest, "origin")
    decisions = choice_labels(ChangeRequest, "customer_decision")
    psw_reasons = choice_labels(ChangeRequest, "psw_reason")
    answers = yes_no()
    for chunk in value_chunks(changes, FIELDS):
        parts = affected_parts([values[0] for values in chunk])
        for (
            pk,
            number,
            status,
            customer,
            title,
            change_type,
            origin,
            approval_required,
            decision,
            ppap_required,
            ppap_level,
            psw_reason,
            effectivity_date,
            break_point,
            implemented_on,
            created_at,
            cost_amount,
            cost_currency,
        ) in chunk:
            row = [
                number,
                statuses.get(status, status),
                customer,
                title,
                types.get(change_type, change_type),
                origins.get(origin, origin),
                parts.get(pk, ""),
                answers[approval_required],
                decisions.get(decision, decision) if decision else "",
                answers[ppap_required],
                ppap_level or "",
                psw_reasons.get(psw_reason, psw_reason) if psw_reason else "",
                effectivity_date.isoformat() if effectivity_date else "",
                break_point,
                implemented_on.isoformat() if implemented_on else "",
                timezone.localtime(created_at).date().isoformat(),
            ]
            if internal:
                row += ["" if cost_amount is None else cost_amount, cost_currency]
            yield row


def affected_parts(change_ids: list[int]) -> dict[int, str]:
    """Per change, its affected parts as ``<part number> <current>><new>`` in the order added."""
    rows = (
        AffectedPart.objects.filter(change_id__in=change_ids)
        .order_by("pk")
        .values_list("change_id", "part__part_number", "current_revision", "new_revision")
    )
    parts = defaultdict(list)
    for change_id, part_number, current_revision, new_revision in rows:
        parts[change_id].append(f"{part_number} {current_revision}>{new_revision}")
    return {change_id: " ".join(listed) for change_id, listed in parts.items()}


def changes_csv_response(
    changes: QuerySet[ChangeRequest], *, internal: bool
) -> StreamingHttpResponse:
    rows = change_rows(changes, internal)
    return streamed_rows("changes", export_columns(internal), rows)
