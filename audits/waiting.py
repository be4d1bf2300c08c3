"""Whose turn it is on an audit and on a finding (``core.waiting``).

Audits are ours throughout: the lead auditor prepares, conducts and drafts the report, a quality
manager approves it (a signature). Findings: we respond to an open one; the response is checked
by the auditing customer (a customer's audit of us) or by our audit planners (our own audits).
Nothing waits on a finding of a cancelled audit.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from accounts.roles import ENGINEERS_LABEL, MANAGERS_LABEL
from core.waiting import WaitingTable, customer_turn, our_turn, person, role

from .models import Audit, Finding

A = Audit.Status
LEAD_AUDITOR = person("lead_auditor", ENGINEERS_LABEL)
MANAGERS = role(MANAGERS_LABEL)

AUDIT_WAITING = WaitingTable(
    Audit,
    [
        our_turn(
            A.PLANNED,
            LEAD_AUDITOR,
            gettext_lazy("prepare the audit"),
            since="created_at",
            due="planned_date",
        ),
        our_turn(
            A.IN_PREPARATION,
            LEAD_AUDITOR,
            gettext_lazy("conduct the audit"),
            since="updated_at",
            due="planned_date",
        ),
        our_turn(A.IN_PROGRESS, LEAD_AUDITOR, gettext_lazy("draft the report"), since="started_at"),
        our_turn(A.REPORT_DRAFT, MANAGERS, gettext_lazy("approve the report"), since="updated_at"),
    ],
)

F = Finding.Status
_LIVE = {"audit__status__in": [str(status) for status in A if status != A.CANCELLED]}

FINDING_WAITING = WaitingTable(
    Finding,
    [
        our_turn(
            F.OPEN,
            role(ENGINEERS_LABEL),
            gettext_lazy("respond to the finding"),
            since="raised_at",
            due="next_due",
            when=_LIVE,
        ),
        customer_turn(
            F.SUBMITTED,
            gettext_lazy("confirm the closure"),
            since="responded_at",
            when={**_LIVE, "audit__type": str(Audit.Type.CUSTOMER)},
        ),
        our_turn(
            F.SUBMITTED,
            MANAGERS,
            gettext_lazy("check the response and close the finding"),
            since="responded_at",
            when=_LIVE,
        ),
    ],
)
