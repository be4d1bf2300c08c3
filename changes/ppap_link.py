"""The link from a change to the PPAP submissions it requires (REFERENCE §3).

A change that requires PPAP opens one submission per affected part when its ECN is released (or
links the part's submission already open for this change), with the change's PSW reason and
level. Validation then waits for all of them to be approved. The PPAP module is read only through
its services and selectors; a submission refers back to its change by a string foreign key.
"""

from __future__ import annotations

from django.utils.translation import gettext as _


def submissions_for(change):
    """The PPAP submissions linked to ``change`` (a queryset), or an empty list without PPAP."""
    from ppap import selectors

    return selectors.submissions_for_change(change)


def open_submissions(change, actor) -> list:
    """One submission per affected part, reusing those already linked to this change."""
    from ppap import services

    linked = {submission.part_id for submission in submissions_for(change)}
    opened = []
    for row in change.parts.select_related("part").order_by("pk"):
        if row.part_id in linked:
            continue
        opened.append(
            services.submission_create(
                actor=actor,
                part=row.part,
                reason=change.psw_reason,
                level=change.ppap_level,
                due_date=change.effectivity_date,
                change=change,
                reason_detail=_("%(number)s: %(title)s")
                % {
                    "number": change.number,
                    "title": change.title,
                },
            )
        )
    return opened


def all_approved(change) -> bool:
    """True when the change has PPAP submissions and every one of them is approved.

    VDA 2's "approved with deviations" counts as approved; an interim approval does not (it needs
    a resubmission to reach approved, REFERENCE §2).
    """
    from ppap.models import PpapSubmission

    approved = {
        PpapSubmission.Status.APPROVED,
        getattr(PpapSubmission.Status, "APPROVED_WITH_DEVIATIONS", PpapSubmission.Status.APPROVED),
    }
    statuses = [submission.status for submission in submissions_for(change)]
    return bool(statuses) and all(status in approved for status in statuses)
