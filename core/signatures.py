"""Electronic signatures: an approval that the signer confirms by entering their password again.

Changes, concessions and PPAP warrants are approved by signature (IATF 16949 7.5.3 asks for
records that prove who approved what). A signature is a ``Signature`` row on the signed record
with the signer's name, role and organisation as they were, the meaning of the signature in
words ("Approved for the review board"), the time, and the record's version.

Call ``sign`` inside the service that makes the approval, in the same transaction: a wrong
password raises ``DomainError`` and, with the transaction, leaves nothing behind.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import DomainError
from .models import Signature


def sign(
    *,
    owner,
    actor,
    password: str,
    meaning: str,
    role: str = "",
    organisation: str = "",
    comment: str = "",
) -> Signature:
    """Re-authenticate ``actor`` with ``password`` and record their signature on ``owner``.

    ``role`` and ``organisation`` default to the actor's role label and customer (or nothing for
    our own staff). Raises ``DomainError`` (field ``password``) when the password is wrong.
    """
    if not password or not actor.check_password(password):
        raise DomainError(
            _("The password is not correct. Nothing was signed; enter your password again."),
            field="password",
        )
    return Signature.objects.create(
        content_type=ContentType.objects.get_for_model(owner),
        object_id=owner.pk,
        signer=actor,
        signer_name=_display_name(actor),
        signer_role=role or _role_label(actor),
        signer_organisation=organisation or _organisation(actor),
        meaning=meaning,
        comment=comment,
        record_version=getattr(owner, "version", None),
        signed_at=timezone.now(),
    )


def signatures_of(owner):
    """The signatures on ``owner``, oldest first, with their signers."""
    return Signature.objects.for_owner(owner).select_related("signer")


def _display_name(user) -> str:
    return getattr(user, "full_name", "") or user.get_username()


def _role_label(user) -> str:
    label = getattr(user, "get_role_display", None)
    return str(label()) if callable(label) else ""


def _organisation(user) -> str:
    customer = getattr(user, "customer", None)
    return customer.name if customer is not None else ""
