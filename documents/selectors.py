"""Reads of controlled documents: the register, a document's page, downloads, and what other
modules ask (the 8D's D7 guard and page, the change page).

The contract other modules use: ``d7_update_evidence``, ``eightd_links`` and ``change_links``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.signatures import signatures_of

from .models import (
    ChangeDocumentRevision,
    Document,
    DocumentEvent,
    EightDDocumentUpdate,
    Review,
    Revision,
)

# --- the register and the page -------------------------------------------------------------------


def documents_for_list(user) -> QuerySet[Document]:
    """The documents ``user`` may see, with what the register shows (no query per row)."""
    return Document.objects.visible_to(user).with_related().prefetch_related("parts")


def revisions_of(document: Document, user) -> list[Revision]:
    """The revisions ``user`` may read, newest first, with their reviews and files."""
    reviews = Review.objects.select_related("reviewer").order_by("pk")
    revisions = (
        Revision.objects.visible_to(user)
        .filter(document=document)
        .select_related("author", "approved_by", "withdrawn_by", "file")
        .prefetch_related(Prefetch("reviews", queryset=reviews))
        .order_by("-created_at", "-pk")
    )
    rows = list(revisions)
    for revision in rows:
        revision.document = document
    return rows


def visible_revision(document: Document, user, revision_pk: int) -> Revision | None:
    revision = (
        Revision.objects.visible_to(user)
        .select_related("file")
        .filter(document=document, pk=revision_pk)
        .first()
    )
    if revision is not None:
        revision.document = document
    return revision


def events_for(document: Document, user) -> QuerySet[DocumentEvent]:
    return (
        DocumentEvent.objects.visible_to(user)
        .filter(document=document)
        .select_related("actor", "revision")
    )


def signatures_for(revision: Revision):
    return signatures_of(revision)


def reviews_waiting_for(user) -> QuerySet[Review]:
    """The reviews ``user`` is asked for and has not answered."""
    return Review.objects.filter(
        reviewer=user,
        decision=Review.Decision.PENDING,
        revision__status=Revision.Status.UNDER_REVIEW,
    )


def approvals_waiting() -> QuerySet[Revision]:
    """Revisions in review that every reviewer approved: they wait for a signature."""
    not_approved = Review.objects.exclude(decision=Review.Decision.APPROVED)
    return Revision.objects.filter(status=Revision.Status.UNDER_REVIEW).exclude(
        pk__in=not_approved.values("revision_id")
    )


def reviews_due(user, today: dt.date) -> QuerySet[Document]:
    return Document.objects.visible_to(user).review_due(today)


# --- links from other records --------------------------------------------------------------------


def eightd_links(claim, user) -> list[EightDDocumentUpdate]:
    """The revisions named as the D7 updates of ``claim`` that ``user`` may read."""
    visible = Revision.objects.visible_to(user).values("pk")
    links = EightDDocumentUpdate.objects.filter(claim=claim, revision__in=visible)
    return list(links.select_related("revision__document").order_by("pk"))


def change_links(change, user) -> list[ChangeDocumentRevision]:
    """The revisions a change brings into effect, as far as ``user`` may read them."""
    visible = Revision.objects.visible_to(user).values("pk")
    links = ChangeDocumentRevision.objects.filter(change=change, revision__in=visible)
    return list(links.select_related("revision__document").order_by("pk"))


def linkable_revisions(customer_id, kinds=None) -> QuerySet[Revision]:
    """Revisions a record of ``customer_id`` may name: ours or released to that customer, not
    withdrawn, newest document first."""
    ours_or_theirs = Q(document__customer__isnull=True) | Q(document__customer_id=customer_id)
    revisions = Revision.objects.exclude(status=Revision.Status.OBSOLETE).filter(ours_or_theirs)
    if kinds:
        revisions = revisions.filter(document__kind__in=kinds)
    return revisions.select_related("document").order_by("document__number", "-letter")


@dataclass(frozen=True)
class UpdateEvidence:
    """What the documents register says about an 8D's "PFMEA / control plan updated".

    ``linked``: a revision of that type in effect on or after the claim's notification is linked.
    ``problem``: why the answer is refused (a controlled document without such a revision).
    Neither: the document is not kept in the register; the text reference stands for it.
    """

    linked: bool = False
    problem: str = ""


def notification_day(claim) -> dt.date:
    """The day the customer notified the claim, in the customer's calendar."""
    zone = ZoneInfo(claim.customer.time_zone)
    return timezone.localtime(claim.notified_at, zone).date()


def d7_update_evidence(claim, kind: str) -> UpdateEvidence:
    """Whether the claim's D7 may say the ``kind`` (``pfmea``, ``control_plan``) was updated.

    Once the register keeps that document (a revision of that type is linked, or the claim's part
    has a document of that type), the update is accepted only with a linked revision of that
    type that came into effect on or after the claim's notification.
    """
    day = notification_day(claim)
    links = EightDDocumentUpdate.objects.filter(claim=claim, revision__document__kind=kind)
    if links.filter(revision__in=Revision.objects.in_force_since(day)).exists():
        return UpdateEvidence(linked=True)
    controlled = links.exists() or (
        claim.part_id is not None
        and Document.objects.filter(kind=kind, parts=claim.part_id)
        .exclude(status=Document.Status.OBSOLETE)
        .exists()
    )
    if not controlled:
        return UpdateEvidence()
    label = Document.Kind(kind).label
    return UpdateEvidence(
        problem=_(
            "D7: link the updated %(document)s revision: one in effect on or after the claim's "
            "notification on %(date)s."
        )
        % {"document": label, "date": date_format(day, "SHORT_DATE_FORMAT")}
    )
