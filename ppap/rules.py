"""Pure PPAP rules: capability classes and what still stops a submission from going out."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# REFERENCE §2: > 1.67 acceptable; 1.33–1.67 conditionally acceptable; < 1.33 not acceptable.
ACCEPTABLE_ABOVE = Decimal("1.67")
CONDITIONAL_FROM = Decimal("1.33")


class Capability(models.TextChoices):
    ACCEPTABLE = "acceptable", gettext_lazy("Acceptable")
    CONDITIONAL = "conditional", gettext_lazy("Conditionally acceptable (contact the customer)")
    NOT_ACCEPTABLE = "not_acceptable", gettext_lazy("Not acceptable")


def classify_capability(value) -> str:
    """The class of a Ppk/Cpk value; both ends of 1.33–1.67 are conditional."""
    value = Decimal(str(value))
    if value > ACCEPTABLE_ABOVE:
        return Capability.ACCEPTABLE
    if value >= CONDITIONAL_FROM:
        return Capability.CONDITIONAL
    return Capability.NOT_ACCEPTABLE


def run_problems(submission, requirements) -> list[str]:
    """What is wrong with the recorded significant production run (empty when it is fine)."""
    problems = []
    if submission.run_date is None:
        problems.append(_("Record the date of the significant production run."))
    hours = submission.run_hours
    if hours is None or hours < 1 or hours > requirements.ppap_run_max_hours:
        problems.append(
            _("The significant production run must last from 1 to %(hours)s hours.")
            % {"hours": requirements.ppap_run_max_hours}
        )
    minimum = requirements.ppap_run_min_quantity
    if submission.run_quantity is None or submission.run_quantity < minimum:
        problems.append(
            _("The significant production run must produce at least %(quantity)s parts.")
            % {"quantity": minimum}
        )
    return problems


def send_problems(submission, elements, warrant, studies, requirements) -> list[str]:
    """Every reason the submission cannot be sent yet, in the order a user would fix them."""
    from .editions import edition

    psw_number = edition(submission.edition).PSW
    problems = []
    for element in elements:
        if element.number == psw_number or not element.is_submitted_element:
            continue
        if element.status != element.Status.READY:
            problems.append(
                _("Element %(number)s “%(title)s” is not ready (or marked not applicable).")
                % {"number": element.number, "title": element.title}
            )
    missing = warrant.missing_fields()
    if missing:
        problems.append(_("The warrant is incomplete: %s.") % ", ".join(missing))
    elif not warrant.is_signed:
        problems.append(_("The warrant is not signed."))
    problems.extend(run_problems(submission, requirements))
    failing = [s for s in studies if classify_capability(s.value) == Capability.NOT_ACCEPTABLE]
    if failing:
        problems.append(
            _("Initial process studies below 1.33: %s. Improve the process first.")
            % ", ".join(s.characteristic for s in failing)
        )
    if submission.is_vda and not (submission.vda_trigger and submission.vda_scope.strip()):
        problems.append(_("State the VDA 2 trigger and the agreed scope of the sampling."))
    return problems
