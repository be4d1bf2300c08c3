"""Reasons for submission on the Part Submission Warrant (AIAG PPAP 4th edition, REFERENCE §2).

Kept apart from the models so the changes module can suggest a reason without reading PPAP records.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SubmissionReason(models.TextChoices):
    INITIAL = "initial", _("Initial submission")
    ENGINEERING_CHANGE = "engineering_change", _("Engineering change(s)")
    TOOLING = "tooling", _("Tooling: transfer, replacement, refurbishment, or additional")
    CORRECTION = "correction", _("Correction of discrepancy")
    TOOLING_INACTIVE = "tooling_inactive", _("Tooling inactive > 1 year")
    OPTIONAL_CONSTRUCTION = (
        "optional_construction",
        _("Change to optional construction or material"),
    )
    SUB_SUPPLIER = "sub_supplier", _("Sub-supplier or material source change")
    PROCESSING = "processing", _("Change in part processing")
    ADDITIONAL_LOCATION = "additional_location", _("Parts produced at additional location")
    OTHER = "other", _("Other (specify)")


class PpapLevel(models.IntegerChoices):
    LEVEL_1 = 1, _("Level 1: warrant only (and appearance approval report where required)")
    LEVEL_2 = 2, _("Level 2: warrant with product samples and limited supporting data")
    LEVEL_3 = 3, _("Level 3: warrant with product samples and complete supporting data")
    LEVEL_4 = 4, _("Level 4: warrant and other requirements as defined by the customer")
    LEVEL_5 = 5, _("Level 5: warrant with samples and complete data reviewed at our site")
