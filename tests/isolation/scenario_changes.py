"""One customer's change requests (ECR/ECN): the isolation sweep keeps them in ``side.extra``."""

from __future__ import annotations

from accounts.tests.factories import DEFAULT_PASSWORD
from changes import services as changes


def build(side, *, engineer, manager) -> None:
    """Create one record of every kind of the module for ``side`` through the real services.

    The change waits for the customer's approval: the customer has been notified, so its own users
    see it (a draft would be hidden from them as well as from everyone else).
    """
    secret = side.secret
    change = changes.change_create(
        actor=engineer,
        customer=side.customer,
        title=f"{secret} change of the punch material",
        change_type="process",
        origin="internal",
        reason=f"{secret} reason",
        description_before=f"{secret} before",
        description_after=f"{secret} after",
        internal_notes=f"{secret} internal note",
        cost_amount="100.00",
        customer_approval_required=True,
    )
    extra = side.extra
    extra["change_part"] = changes.affected_part_add(
        change=change, actor=engineer, part=side.part, new_revision="B"
    )
    extra["change_document"] = changes.affected_document_add(
        change=change, actor=engineer, kind="drawing", identifier=f"{secret}-DRW", new_revision="B"
    )
    extra["change_disposition"] = changes.disposition_add(
        change=change,
        actor=engineer,
        location=f"{secret} warehouse",
        quantity=10,
        disposition="scrap",
    )
    extra["change_assessor"] = changes.assessor_add(
        change=change, actor=engineer, function="quality", user=engineer
    )
    extra["change_approver"] = changes.approver_add(
        change=change, actor=engineer, function="quality", user=manager
    )
    changes.change_submit(change=change, actor=engineer)
    changes.change_start_assessment(change=change, actor=engineer)
    changes.assessment_record(
        assessor=extra["change_assessor"], actor=engineer, assessment=f"{secret} assessment"
    )
    changes.board_approve(
        approver=extra["change_approver"], actor=manager, password=DEFAULT_PASSWORD
    )
    change.refresh_from_db()
    extra["change"] = change
