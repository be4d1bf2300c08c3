"""Demo change requests: one per status of the lifecycle, across the demo customers.

``seed()`` is idempotent: a change is looked up by its customer and title and only a missing one
is raised. Every status is reached through ``changes.services`` with the demo users as actors and
their demo password as electronic signature, so the demo shows what the portal would record.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from customers.demo import DEMO_PASSWORD
from customers.models import Part

from . import services
from .models import ChangeRequest

ENGINEER = "engineer@demo.example"
MANAGER = "manager@demo.example"
# The order in which a change passes the statuses (a side exit names where it leaves).
PROGRESSION = (
    "draft",
    "submitted",
    "impact_assessment",
    "review_board",
    "customer_approval",
    "approved",
    "released",
    "validated",
    "implemented",
    "closed",
)


@dataclass(frozen=True)
class DemoChange:
    part_number: str
    title: str
    change_type: str
    status: str
    reason: str
    before: str
    after: str
    ppap_required: bool = False
    # The customer agreed by e-mail: a manager records the documented waiver instead.
    waived: bool = False


CHANGES = [
    DemoChange("HN-21-1001", "Reamer supplier change for bore Ø42", "supplier", "draft",
               "Current reamer supplier discontinues the tool.", "Reamer from supplier A",
               "Reamer from supplier B, same geometry"),
    DemoChange("HN-21-1020", "New die insert material on press line 3", "process", "submitted",
               "Die insert wears out after 80,000 strokes.", "Insert in 1.2379",
               "Insert in powder-metallurgical steel"),
    DemoChange("HN-32-2040", "Weld sequence optimised on robot cell 5", "process",
               "impact_assessment", "Distortion of the bracket after welding.",
               "Sequence A-B-C", "Sequence B-A-C with cooling pause"),
    DemoChange("HN-32-2060", "Additional weld nut on parking brake lever", "product",
               "review_board", "Customer request for an extra fixing point.",
               "Two weld nuts", "Three weld nuts, drawing rev. C"),
    DemoChange("HN-45-3001", "Production of mounting plate at Brno plant", "site",
               "customer_approval", "Capacity in Heilbronn exhausted.",
               "Produced in Heilbronn", "Produced in Heilbronn and Brno", True),
    DemoChange("HN-45-3030", "Cab mount bracket coating change", "product", "approved",
               "Salt spray results below target.", "Zinc-iron coating",
               "Zinc-nickel coating", True, waived=True),
    DemoChange("HN-45-3040", "Fuel tank strap packaging change", "process", "released",
               "Damage in transit.", "Cardboard box", "Returnable plastic tray"),
    DemoChange("HN-45-3010", "Vacuum system upgrade on die-casting cell 2", "process",
               "validated", "Porosity claims.", "Single vacuum valve",
               "Redundant vacuum valves with monitoring"),
    DemoChange("HN-45-3020", "Forging die cooling change", "process", "implemented",
               "Die cracks.", "Water cooling", "Oil cooling"),
    DemoChange("HN-45-3090", "Thread rolling tool change for U-bolts", "process", "closed",
               "Thread damage claims.", "Rolling dies type R1", "Rolling dies type R2"),
    DemoChange("HN-32-2070", "Cross-car beam bracket sourcing change", "supplier", "rejected",
               "Cost reduction.", "Bracket from sub-supplier X", "Bracket from sub-supplier Y"),
    DemoChange("HN-32-2080", "Guide rail extrusion profile change", "product", "deferred",
               "Weight reduction.", "Profile 2.0 mm", "Profile 1.8 mm"),
    DemoChange("HN-45-3050", "Bracket drawing note clarification", "documentation", "cancelled",
               "Ambiguous drawing note.", "Note 4 unclear", "Note 4 reworded"),
]  # fmt: skip


def seed(*, today: dt.date | None = None, stdout=None) -> None:
    """Raise whatever demo change is missing and take it to its status."""
    users = {user.email: user for user in User.objects.filter(email__endswith=".example")}
    parts = {part.part_number: part for part in Part.objects.select_related("customer")}
    created = 0
    for spec in CHANGES:
        part = parts.get(spec.part_number)
        if part is None or ENGINEER not in users or MANAGER not in users:
            continue
        if ChangeRequest.objects.filter(customer=part.customer, title=spec.title).exists():
            continue
        with transaction.atomic():
            _stage(spec, _raise(spec, part, users), part, users)
        created += 1
    if stdout is not None:
        stdout.write(f"Demo changes: {created} raised, {len(CHANGES) - created} already there.")
    from changes.deviations import demo as deviations_demo

    deviations_demo.seed(today=today, stdout=stdout)


def summary(*, stdout) -> None:
    changes = ChangeRequest.objects.filter(title__in=[spec.title for spec in CHANGES])
    waiting = changes.filter(status=ChangeRequest.Status.CUSTOMER_APPROVAL).count()
    stdout.write(f"{changes.count()} demo changes, {waiting} waiting for the customer.")


def _raise(spec: DemoChange, part: Part, users: dict) -> ChangeRequest:
    engineer = users[ENGINEER]
    change = services.change_create(
        actor=engineer,
        customer=part.customer,
        title=spec.title,
        change_type=spec.change_type,
        origin=ChangeRequest.Origin.INTERNAL,
        reason=spec.reason,
        description_before=spec.before,
        description_after=spec.after,
        customer_approval_required=spec.change_type != ChangeRequest.Type.DOCUMENTATION,
        customer_approval_basis=ChangeRequest.ApprovalBasis.CSR,
        ppap_required=spec.ppap_required,
        impact_function=spec.change_type == ChangeRequest.Type.PRODUCT,
        validation_plan="Dimensional check of 3 × 5 parts, function test, capability study.",
        effectivity_date=timezone.localdate() + dt.timedelta(days=30),
        break_point="First lot after approval",
        interchangeability=ChangeRequest.Interchangeability.INTERCHANGEABLE,
        cost_amount="2500.00",
        internal_notes="Budget approved in the plant meeting.",
    )
    # The change's rows, all entered by the engineer who raised it.
    rows = {"change": change, "actor": engineer}
    services.affected_part_add(**rows, part=part, new_revision=_next_revision(part.revision))
    services.affected_document_add(
        **rows,
        kind="control_plan",
        identifier=f"CP-{part.part_number}",
        current_revision="3",
        new_revision="4",
    )
    services.disposition_add(
        **rows, location="Heilbronn finished goods", quantity=400, disposition="use_up"
    )
    services.assessor_add(**rows, function="quality", user=engineer)
    services.assessor_add(**rows, function="production", user=users[MANAGER])
    services.approver_add(**rows, function="quality", user=users[MANAGER])
    return change


def _stage(spec: DemoChange, change: ChangeRequest, part: Part, users: dict) -> None:
    engineer, manager = users[ENGINEER], users[MANAGER]
    customer_user = users.get(f"quality@{part.customer.code.lower()}.example")
    target = spec.status
    side_exit = target in ("rejected", "deferred", "cancelled")
    reach = {"rejected": "review_board", "deferred": "review_board", "cancelled": "submitted"}
    last = PROGRESSION.index(reach.get(target, target))
    steps = {
        "submitted": lambda: services.change_submit(change=change, actor=engineer),
        "impact_assessment": lambda: services.change_start_assessment(
            change=change, actor=engineer
        ),
        "review_board": lambda: _assess(change, engineer, manager),
        "customer_approval": lambda: services.board_approve(
            approver=change.approvers.get(), actor=manager, password=DEMO_PASSWORD
        ),
        "approved": lambda: _customer_consent(spec, change, customer_user, manager),
        "released": lambda: services.change_release(
            change=change, actor=manager, password=DEMO_PASSWORD
        ),
        "validated": lambda: services.change_validate(
            change=change, actor=engineer, results="All characteristics within tolerance."
        ),
        "implemented": lambda: services.change_implement(
            change=change,
            actor=engineer,
            implemented_on=timezone.localdate(),
            break_point="Lot 2611",
        ),
        "closed": lambda: services.change_close(change=change, actor=engineer),
    }
    for status in PROGRESSION[1 : last + 1]:
        steps[status]()
    if not side_exit:
        return
    if target == "rejected":
        services.board_reject(change=change, actor=manager, reason="Savings do not cover the risk.")
    elif target == "deferred":
        until = timezone.localdate() + dt.timedelta(days=60)
        services.board_defer(
            change=change, actor=manager, reason="Wait for the model year.", until=until
        )
    else:
        services.change_cancel(change=change, actor=engineer, reason="Covered by a drawing update.")


def _customer_consent(spec: DemoChange, change: ChangeRequest, customer_user, manager) -> None:
    if spec.waived:
        services.customer_waive(
            change=change,
            actor=manager,
            password=DEMO_PASSWORD,
            waived_by="Customer supplier quality engineer",
            basis="Approval by e-mail; the formal notice follows with the next PPAP.",
            waiver_date=timezone.localdate(),
            reference="E-mail of today",
        )
    else:
        services.customer_approve(
            change=change, actor=customer_user, password=DEMO_PASSWORD, comment="Agreed."
        )


def _assess(change: ChangeRequest, engineer, manager) -> None:
    for assessor in change.assessors.order_by("pk"):
        services.assessment_record(
            assessor=assessor,
            actor=assessor.user,
            assessment="No effect on fit and form; function verified by test.",
            internal_note="Cycle time +2 s.",
        )


def _next_revision(revision: str) -> str:
    return chr(ord(revision[-1]) + 1) if revision and revision[-1].isalpha() else f"{revision}1"
