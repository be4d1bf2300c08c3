"""Optimistic locking: a record's version says whether someone changed it since it was read.

A page or an API client reads a record together with its ``version`` and sends that number back
with its write. The service locks the row (``select_for_update``), compares the number with the
locked row's and refuses the write with ``Conflict`` when they differ; every write of the record
counts the version up, so the next writer who read the old state is refused too.

A write that states no version is not checked: internal callers (tasks, other services) and API
scripts that do not send one keep "last writer wins". Nobody is silently overwritten who said what
they saw: every page form sends the version it rendered.

Use it on a record model by inheriting ``Versioned`` (leave ``version`` out of the record's history:
it is bookkeeping, not evidence), then in its services::

    obj = Model.objects.select_for_update().get(pk=obj.pk)
    check_version(obj, expected_version)
    …
    obj.save(update_fields=[…, *bump_version(obj)])
"""

from __future__ import annotations

import re

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .errors import Conflict, DomainError

VERSION_HELP = gettext_lazy(
    "Counts the saved changes of this record. Send it back with a write (or as If-Match) to be "
    "refused with 409 if someone else changed the record in the meantime."
)


class Versioned(models.Model):
    """Gives a record the ``version`` that every write counts up."""

    version = models.PositiveIntegerField(
        gettext_lazy("version"), default=1, editable=False, help_text=VERSION_HELP
    )

    class Meta:
        abstract = True


class StaleVersion(Conflict):
    """The record was changed after the client read it: reload, then apply the change again."""

    def __init__(self, *, expected_version: int, current_version: int):
        super().__init__(
            _(
                "Someone else changed this record after you opened it. Reload to see their "
                "changes, then apply yours again."
            )
        )
        self.expected_version = expected_version
        self.current_version = current_version


def check_version(obj, expected_version: int | None) -> None:
    """Refuse the write when ``expected_version`` is given and ``obj`` (locked) has moved on."""
    if expected_version is None:
        return
    if int(expected_version) != obj.version:
        raise StaleVersion(expected_version=int(expected_version), current_version=obj.version)


def bump_version(obj) -> tuple[str, ...]:
    """Count one more write of ``obj``; the names of the fields to add to ``update_fields``.

    ``obj`` must be the row locked by the caller's transaction, so the count cannot skip or repeat.
    Records without a version are left alone.
    """
    if not isinstance(obj, Versioned):
        return ()
    obj.version = (obj.version or 0) + 1
    return ("version",)


def parse_version(value) -> int | None:
    """The version a form or request body sent: None when left out, else a positive number."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        number = 0
    if number < 1:
        raise DomainError(_("The version must be a whole number from 1 up."), field="version")
    return number


# What If-Match may hold, as the API schema documents it: ``*`` (any version), a record's ETag
# (``"3"``, weak ``W/"3"``) or the bare version (``3``); empty is as if left out. A version has at
# most ten digits (the largest a version can reach), so no header becomes a huge number.
IF_MATCH_PATTERN = r'^(\*|(W/)?"0{0,9}[1-9][0-9]{0,9}"|0{0,9}[1-9][0-9]{0,9})?$'
_IF_MATCH = re.compile(IF_MATCH_PATTERN)


def etag_of(obj) -> str:
    """The ``ETag`` header value of a versioned record: its version, quoted."""
    return f'"{obj.version}"'


def parse_if_match(header: str | None) -> int | None:
    """The version an ``If-Match`` header names: None when absent or ``*`` (any version)."""
    header = (header or "").strip()
    if not _IF_MATCH.fullmatch(header):
        raise DomainError(
            _('If-Match must be the single ETag of the record, for example "3".'),
            field="If-Match",
        )
    if not header or header == "*":
        return None
    return parse_version(header.removeprefix("W/").strip('"'))


def expected_version_of(body_version: int | None, if_match: str | None) -> int | None:
    """Combine a request body's ``version`` with its ``If-Match`` header; they must agree."""
    header_version = parse_if_match(if_match)
    if body_version is not None and header_version is not None and body_version != header_version:
        raise DomainError(
            _("The version in the body and the If-Match header name different versions."),
            field="version",
        )
    return body_version if body_version is not None else header_version
