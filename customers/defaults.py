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
# Significant production run (REFERENCE §2): 1–8 hours, at least 300 consecutive parts.
PPAP_RUN_MIN_QUANTITY = 300
PPAP_RUN_MAX_HOURS = 8
# Reminder e-mails this many days before an interim PPAP approval expires.
PPAP_INTERIM_REMINDER_DAYS = 14
# Our own targets until the customer states theirs; typical automotive agreements.
PPM_TARGET_0KM = Decimal("50")
PPM_TARGET_FIELD = Decimal("10")
MAX_ATTACHMENT_MB = 20
# Claim similarity (REFERENCE §1 repeat failures): how much of their symptom words two claims
# share (Jaccard index, in percent), and how far back similar claims are looked for.
REPEAT_SYMPTOM_PERCENT = 50
SIMILAR_SYMPTOM_PERCENT = 30
SIMILAR_LOOKBACK_DAYS = 730
# Change notices (REFERENCE §3): remind the customer of a decision pending this many days.
CHANGE_DECISION_REMINDER_DAYS = 5
# Deviations and concessions (REFERENCE §3): warn this many days before the expiry date and
# once this share of the quantity cap has been shipped.
DEVIATION_EXPIRY_WARNING_DAYS = 14
DEVIATION_CAP_WARNING_PERCENT = 80
# Audit findings (REFERENCE §4): how long we have to answer a nonconformity, counted from when it
# was raised. Observations and opportunities for improvement have no mandatory response.
FINDING_MAJOR_CONTAINMENT_HOURS = 48
FINDING_MAJOR_PLAN_DAYS = 30
FINDING_MAJOR_IMPLEMENTATION_DAYS = 90
FINDING_MINOR_PLAN_DAYS = 30
FINDING_MINOR_IMPLEMENTATION_DAYS = 90
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
