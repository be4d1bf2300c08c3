"""Defaults for customer-specific requirements, from the domain reference (REFERENCE.md §1, §2).

Each customer gets its own copy when created; changing these values affects new customers only.
"""

from decimal import Decimal

from core.calendar import DayBasis

# 8D step deadlines, counted from the customer's notification (REFERENCE §1).
EIGHT_D_DEADLINES = {
    "d3": (1, DayBasis.WORKING),
    "d4": (7, DayBasis.CALENDAR),
    "d6": (14, DayBasis.CALENDAR),
    "d7": (25, DayBasis.CALENDAR),
    "d8": (30, DayBasis.CALENDAR),
}
DEFAULT_PPAP_LEVEL = 3  # REFERENCE §2: level 3 is the default
# Our own targets until the customer states theirs; typical automotive agreements.
PPM_TARGET_0KM = Decimal("50")
PPM_TARGET_FIELD = Decimal("10")
MAX_ATTACHMENT_MB = 20
# Claim similarity (REFERENCE §1 repeat failures): how much of their symptom words two claims
# share (Jaccard index, in percent), and how far back similar claims are looked for.
REPEAT_SYMPTOM_PERCENT = 50
SIMILAR_SYMPTOM_PERCENT = 30
SIMILAR_LOOKBACK_DAYS = 730
ALLOWED_ATTACHMENT_TYPES = [
    "image/jpeg",
    "image/png",
    "image/webp",
    "application/pdf",
    "text/csv",
    "text/plain",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
]


def default_allowed_attachment_types():
    return list(ALLOWED_ATTACHMENT_TYPES)
