"""Claims, their 8D answer and its chargeback; one module per concern, imported from here."""

from .claim import (
    COUNTED_IN_PPM,
    EVENT_LABELS,
    Claim,
    ClaimComment,
    ClaimCommentQuerySet,
    ClaimEscalation,
    ClaimEvent,
    ClaimQuerySet,
    EightDStep,
    ProvisionalReminder,
    ReminderLog,
)
from .costs import COSTS_SHOWN_TO_CUSTOMER, ClaimCost, ClaimCostSheet
from .eightd import (
    Cause,
    Containment,
    CorrectiveAction,
    CustomerVerdict,
    ReadAcross,
    TeamMember,
)
from .imports import ClaimImport, ClaimImportMapping

__all__ = [
    "COSTS_SHOWN_TO_CUSTOMER",
    "COUNTED_IN_PPM",
    "EVENT_LABELS",
    "Cause",
    "Claim",
    "ClaimComment",
    "ClaimCommentQuerySet",
    "ClaimCost",
    "ClaimCostSheet",
    "ClaimEscalation",
    "ClaimEvent",
    "ClaimImport",
    "ClaimImportMapping",
    "ClaimQuerySet",
    "Containment",
    "CorrectiveAction",
    "CustomerVerdict",
    "EightDStep",
    "ProvisionalReminder",
    "ReadAcross",
    "ReminderLog",
    "TeamMember",
]
