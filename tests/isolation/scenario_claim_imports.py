"""One customer's claim import: the isolation sweep keeps it in ``side.extra``."""

from __future__ import annotations

from claims.models import ClaimImport


def build(side, *, engineer, manager) -> None:
    """A finished import log; its file name carries the side's marker (no claims: the log is the
    record the import's page and status endpoint show)."""
    side.extra["claim_import"] = ClaimImport.objects.create(
        customer=side.customer,
        file_name=f"{side.slug}-claims.csv",
        format=ClaimImport.Format.CSV,
        rows=1,
        position=1,
        skipped=1,
        status=ClaimImport.Status.DONE,
        created_by=side.user,
    )
