"""When each discipline of a claim's 8D is due (REFERENCE §1 deadlines).

The customer's agreed deadlines (``CustomerRequirements.deadline``) count from the moment the
customer notified us, in calendar or working days of the customer's zone and holidays. Read when
a claim's steps are created (``services.claim_acknowledge``) and when a claim that followed
another claim's 8D gets its own 8D back (``linking.claim_unlink``).
"""

from __future__ import annotations

import datetime as dt

from core.calendar import due_at
from customers.selectors import holidays_for

from .models import Claim, EightDStep


def step_deadlines(claim: Claim) -> dict[str, dt.datetime]:
    """Discipline code (``"D0"`` … ``"D8"``) → when it is due for ``claim``."""
    requirements = claim.customer.requirements
    holidays = holidays_for(claim.customer)
    by_deadline = {}
    for key in requirements.STEPS:
        days, basis = requirements.deadline(key)
        by_deadline[key] = due_at(
            claim.notified_at, days, basis, holidays, claim.customer.time_zone
        )
    return {code: by_deadline[EightDStep.DEADLINE_OF[code]] for code in EightDStep.Code.values}
