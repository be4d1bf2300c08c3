"""Change requests built through the services, and helpers that drive them to a status."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from accounts.tests.factories import DEFAULT_PASSWORD
from changes import services
from changes.models import ChangeRequest
from customers.tests.factories import PartFactory

PASSWORD = DEFAULT_PASSWORD


def change_fields(**overrides) -> dict:
    fields = {
        "title": "Punch material changed to powder-metallurgical steel",
        "change_type": ChangeRequest.Type.PROCESS,
        "origin": ChangeRequest.Origin.INTERNAL,
        "reason": "Tool life of the punch too short",
        "description_before": "Punch in 1.2379",
        "description_after": "Punch in PM steel",
        "customer_approval_required": True,
        "customer_approval_basis": ChangeRequest.ApprovalBasis.CSR,
        "effectivity_date": dt.date(2026, 6, 1),
        "break_point": "Lot 2611",
        "cost_amount": "1200.00",
        "internal_notes": "Supplier quote 4711",
    }
    fields.update(overrides)
    return fields


def raise_change(*, actor, customer, part=None, **overrides) -> ChangeRequest:
    change = services.change_create(actor=actor, customer=customer, **change_fields(**overrides))
    part = part or PartFactory(customer=customer)
    services.affected_part_add(change=change, actor=actor, part=part, new_revision="B")
    return change


def to_review_board(change, *, engineer, manager) -> ChangeRequest:
    """Submit, name one assessor and the manager as approver, assess: at the review board."""
    services.assessor_add(change=change, actor=engineer, function="quality", user=engineer)
    services.approver_add(change=change, actor=engineer, function="quality", user=manager)
    services.change_submit(change=change, actor=engineer)
    services.change_start_assessment(change=change, actor=engineer)
    services.assessment_record(
        assessor=change.assessors.get(), actor=engineer, assessment="No effect on fit"
    )
    return _reload(change)


def to_customer_approval(change, *, engineer, manager) -> ChangeRequest:
    change = to_review_board(change, engineer=engineer, manager=manager)
    services.board_approve(approver=change.approvers.get(), actor=manager, password=PASSWORD)
    return _reload(change)


def to_approved(change, *, engineer, manager, customer_user) -> ChangeRequest:
    change = to_customer_approval(change, engineer=engineer, manager=manager)
    services.customer_approve(change=change, actor=customer_user, password=PASSWORD)
    return _reload(change)


def to_validated(change, *, engineer, manager, customer_user) -> ChangeRequest:
    change = to_approved(change, engineer=engineer, manager=manager, customer_user=customer_user)
    services.change_release(change=change, actor=manager, password=PASSWORD)
    services.change_validate(change=change, actor=engineer, results="3 lots measured, all OK")
    return _reload(change)


def today() -> dt.date:
    return timezone.localdate()


def _reload(change) -> ChangeRequest:
    return ChangeRequest.objects.get(pk=change.pk)
