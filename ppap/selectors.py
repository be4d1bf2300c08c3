"""Reads of PPAP records for pages, the API and sibling apps (changes, parts)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import CharField, Count, Q, TextField
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.figures import Figure, percent
from core.models import Attachment
from core.selectors import count_per_row
from core.waiting import WAITING_ITEMS, Party, count_waiting_for, first_waiting_for, waiting_filter

from .models import PpapElement, PpapEvent, PpapSubmission, ProcessStudy, Warrant
from .workflow import SIGN

Status = PpapSubmission.Status


@dataclass(frozen=True)
class PartPpapStatus:
    """A part's PPAP state: the latest customer decision on any of its submissions."""

    state: str  # approved, approved_deviations, interim, interim_expired, rejected or none
    submission: PpapSubmission | None = None

    @property
    def until(self):
        return self.submission.interim_expires_on if self.state == Status.INTERIM else None

    @property
    def label(self) -> str:
        if self.state == "none":
            return _("No PPAP decision")
        if self.state == Status.INTERIM and self.until:
            return _("Interim approval until %(date)s") % {
                "date": date_format(self.until, "SHORT_DATE_FORMAT")
            }
        return str(Status(self.state).label)


NO_PPAP = PartPpapStatus("none")


def submissions_for_list(user):
    return (
        PpapSubmission.objects.visible_to(user)
        .with_related()
        .annotate(
            open_elements=count_per_row(
                PpapElement.objects.filter(
                    requirement="submit",
                    not_applicable=False,
                    status__in=("open", "in_progress"),
                ),
                link="submission",
            )
        )
        .order_by("-created_at", "-pk")
    )


def submissions_for_change(change):
    """The submissions opened for a change request, newest first: the latest revision of each.

    Earlier revisions of a resubmitted PPAP are history; what counts for the change is the latest.
    """
    if change is None:
        return PpapSubmission.objects.none()
    submissions = PpapSubmission.objects.filter(change=change, is_current=True)
    return submissions.with_related().order_by("-created_at")


def part_ppap_status(part) -> PartPpapStatus:
    return part_ppap_statuses([part]).get(part.pk, NO_PPAP)


def part_ppap_statuses(parts) -> dict[int, PartPpapStatus]:
    """The status of each part in one query (for part lists): part id → PartPpapStatus."""
    ids = [getattr(part, "pk", part) for part in parts]
    decided = (
        PpapSubmission.objects.filter(part_id__in=ids, status__in=PpapSubmission.DECIDED)
        .order_by("part_id", "-decided_at", "-pk")
        .only("pk", "part_id", "number", "revision", "status", "interim_expires_on", "decided_at")
    )
    statuses: dict[int, PartPpapStatus] = {}
    for submission in decided:
        if submission.part_id not in statuses:
            statuses[submission.part_id] = PartPpapStatus(submission.shown_status, submission)
    return statuses


def elements_for(submission, user):
    """The checklist with each element's visible files, in two queries."""
    elements = list(
        PpapElement.objects.visible_to(user).filter(submission=submission).select_related("owner")
    )
    files = Attachment.objects.visible_to(user).filter(
        content_type__app_label="ppap",
        content_type__model="ppapelement",
        object_id__in=[e.pk for e in elements],
    )
    by_element: dict[int, list] = {}
    for attachment in files.select_related("uploaded_by"):
        by_element.setdefault(attachment.object_id, []).append(attachment)
    for element in elements:
        element.files = by_element.get(element.pk, [])
    return elements


def events_for(submission):
    return PpapEvent.objects.filter(submission=submission).select_related("actor")


def studies_for(submission):
    return ProcessStudy.objects.filter(submission=submission)


def revisions_of(submission, user):
    return (
        PpapSubmission.objects.visible_to(user)
        .filter(number=submission.number)
        .order_by("-revision")
        .only("pk", "number", "revision", "status", "is_current", "interim_expires_on")
    )


def kpi_figures(start, end, *, customer_id=None, plant_id=None, today=None) -> list[Figure]:
    """PPAP key figures for the dashboard and the monthly report (REFERENCE §5).

    First-time approval rate: of the first submissions (revision 1) the customer decided in the
    period, the share approved outright (with or without deviations); interim approvals and
    rejections count against it.
    """
    today = today or timezone.localdate()
    submissions = PpapSubmission.objects.all()
    if customer_id is not None:
        submissions = submissions.filter(customer_id=customer_id)
    if plant_id is not None:
        submissions = submissions.filter(part__plant_id=plant_id)
    approved = (Status.APPROVED, Status.APPROVED_WITH_DEVIATIONS)
    counts = submissions.aggregate(
        first_decided=Count("pk", filter=Q(revision=1, decided_at__gte=start, decided_at__lt=end)),
        first_approved=Count(
            "pk",
            filter=Q(revision=1, decided_at__gte=start, decided_at__lt=end, status__in=approved),
        ),
        waiting=Count("pk", filter=Q(is_current=True, status=Status.SUBMITTED)),
        interim=Count(
            "pk",
            filter=Q(is_current=True, status=Status.INTERIM)
            & (Q(interim_expires_on__isnull=True) | Q(interim_expires_on__gte=today)),
        ),
    )
    return [
        Figure(
            "first_time_approval_rate",
            _("First-time approval rate"),
            percent(counts["first_approved"], counts["first_decided"]),
            "%",
        ),
        Figure(
            "first_submissions_decided", _("First submissions decided"), counts["first_decided"]
        ),
        Figure("waiting_for_decision", _("Waiting for the customer's decision"), counts["waiting"]),
        Figure("interim_approvals", _("Interim approvals in force"), counts["interim"]),
    ]


# --- whose turn it is (ppap.waiting), for the home pages -----------------------------------------


def count_waiting(user, party: str) -> int:
    return count_waiting_for(PpapSubmission, user, party)


def submissions_waiting(user, party: str, limit: int = WAITING_ITEMS) -> list[PpapSubmission]:
    submissions = PpapSubmission.objects.visible_to(user).with_related()
    return first_waiting_for(submissions, party, limit=limit)


def _warrant_ready_to_sign() -> Q:
    """Unsigned and complete: nothing that ``Warrant.missing_fields`` would name is blank."""
    condition = Q(warrant__signed_at__isnull=True)
    for name in Warrant.REQUIRED_FIELDS:
        condition &= Q(**{f"warrant__{name}__isnull": False})
        if isinstance(Warrant._meta.get_field(name), CharField | TextField):
            condition &= ~Q(**{f"warrant__{name}": ""})
    return condition


def warrants_to_sign(user, limit: int = WAITING_ITEMS) -> list[PpapSubmission]:
    """Our drafts whose warrant is filled in and waits for the organisation's signature."""
    if not user.has_capability(SIGN):
        return []
    drafts = waiting_filter(PpapSubmission.objects.visible_to(user).with_related(), Party.US)
    drafts = drafts.filter(Q(status=Status.DRAFT) & _warrant_ready_to_sign())
    return list(drafts.select_related("warrant").order_by("due_date", "pk")[:limit])
