"""One customer's controlled document: the isolation sweep keeps it in ``side.extra``."""

from __future__ import annotations

from accounts.tests.factories import DEFAULT_PASSWORD
from documents import services
from documents.tests.factories import pdf_upload


def build(side, *, engineer, manager) -> None:
    """A PFMEA released to the side's customer for its part: revision A superseded, B in effect
    (named by the claim's D7 and by a change), C in review."""
    marker = side.secret
    document = services.document_create(
        actor=engineer,
        kind="pfmea",
        title=f"{marker} PFMEA bracket",
        customer=side.customer,
        parts=[side.part],
        process=f"{marker} punching",
    )
    revisions = []
    for change in ("First issue", "Burr added as failure mode", "New gauge"):
        revision = services.revision_start(
            document=document,
            actor=engineer,
            change_description=f"{marker} {change}",
            reviewers=[manager],
            upload=pdf_upload(f"{side.slug}-pfmea.pdf", pages=1),
        )
        revision = services.revision_submit(revision=revision, actor=engineer)
        services.review_record(revision=revision, actor=manager, decision="approved")
        if len(revisions) < 2:
            revision = services.revision_approve(
                revision=revision, actor=manager, password=DEFAULT_PASSWORD
            )
        revisions.append(revision)
    in_effect = revisions[1]
    eightd_link = services.eightd_link_add(claim=side.claim, revision=in_effect, actor=engineer)
    side.extra["document"] = document
    side.extra["document_revision"] = in_effect
    side.extra["document_eightd_link"] = eightd_link
    change = side.extra.get("change")
    if change is not None:
        side.extra["document_change_link"] = services.change_link_add(
            change=change, revision=in_effect, actor=engineer
        )
