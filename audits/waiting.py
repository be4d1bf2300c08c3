"""Whose turn it is on an audit and on a finding (``core.waiting``).

Audits are ours throughout: the lead auditor prepares, conducts and drafts the report, a quality
manager approves it (a signature). Findings: we respond to an open one; the response is checked
by the auditing customer (a customer's audit of us) or by our audit planners (our own audits).
Nothing waits on a finding of a cancelled audit.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from accounts.roles import ENGINEERS_LABEL, MANAGERS_LABEL
from core.waiting import Party, Turn, WaitingTable, company, person, role

from .models import Audit, Finding

A = Audit.Status
LEAD_AUDITOR = person("lead_auditor", ENGINEERS_LABEL)

AUDIT_WAITING = WaitingTable(
    Audit,
    [
        Turn(
            A.PLANNED,
            Party.US,
            LEAD_AUDITOR,
            gettext_lazy("prepare the audit"),
            since="created_at",
            due="planned_date",
        ),
        Turn(
            A.IN_PREPARATION,
            Party.US,
            LEAD_AUDITOR,
            gettext_lazy("conduct the audit"),
            since="updated_at",
            due="planned_date",
        ),
        Turn(
            A.IN_PROGRESS,
            Party.US,
            LEAD_AUDITOR,
            gettext_lazy("draft the report"),
            since="started_at",
        ),
        Turn(
            A.REPORT_DRAFT,
            Party.US,
            role(MANAGERS_LABEL),
            gettext_lazy("approve the report"),
            since="updated_at",
        ),
    ],
)

F = Finding.Status
_LIVE = {"audit__status__in": [str(status) for status in A if status != A.CANCELLED]}

FINDING_WAITING = WaitingTable(
    Finding,
    [
        Turn(
            F.OPEN,
            Party.US,
            role(ENGINEERS_LABEL),
            gettext_lazy("respond to the finding"),
            since="raised_at",
            due="next_due",
            when=_LIVE,
        ),
        Turn(
            F.SUBMITTED,
            Party.CUSTOMER,
            company(),
            gettext_lazy("confirm the closure"),
            since="responded_at",
            when={**_LIVE, "audit__type": str(Audit.Type.CUSTOMER)},
        ),
        Turn(
            F.SUBMITTED,
            Party.US,
            role(MANAGERS_LABEL),
            gettext_lazy("check the response and close the finding"),
            since="responded_at",
            when=_LIVE,
        ),
    ],
)
