"""Document cards and "whose turn it is" on the home pages (registered in DocumentsConfig.ready
and by ``register_home_waiting``)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.home import (
    CountCard,
    HomeCard,
    HomeWaiting,
    item_for,
    ours,
    persona,
    register_home_waiting,
)
from core.waiting import Party, waiting_filter

from . import selectors
from .models import Document, Revision
from .workflow import may_approve

REVIEWS_DUE = CountCard(
    "document_reviews_due",
    gettext_lazy("Periodic document reviews due"),
    "bi-journal-check",
    "documents:document-list",
    "review_due=on",
)
RELEASED = CountCard(
    "documents_released",
    gettext_lazy("Controlled documents released to you"),
    "bi-journal-text",
    "documents:document-list",
    "",
    alert=False,
)


def document_cards(user) -> list[HomeCard]:
    documents = Document.objects.visible_to(user)
    if persona(user) == "customer":
        return [RELEASED.of(documents.count())]
    return [REVIEWS_DUE.of(documents.review_due(timezone.localdate()).count())]


@register_home_waiting
def document_waiting(user) -> HomeWaiting:
    if persona(user) == "customer":
        return HomeWaiting()
    count = waiting_filter(Revision.objects.visible_to(user), Party.US).count()
    waiting = HomeWaiting(
        for_us=[ours("documents", _("Document revisions"), count, "documents:document-list")]
    )
    if may_approve(user):
        ready = selectors.approvals_waiting().exclude(author=user).select_related("document")
        waiting.my_signature = [
            item_for("documents", revision, str(revision)) for revision in ready.order_by("pk")[:10]
        ]
    return waiting
