"""Electronic signatures: an approval that the signer confirms by entering their password again.

Changes, concessions and PPAP warrants are approved by signature (IATF 16949 7.5.3 asks for
records that prove who approved what). A signature is a ``Signature`` row on the signed record
with the signer's name, role and organisation as they were, the meaning of the signature in
words ("Approved for the review board"), the time, and the record's version.

Call ``sign`` inside the service that makes the approval, in the same transaction: a wrong
password raises ``DomainError`` and, with the transaction, leaves nothing behind.

Guessing a password by signing is as hard as guessing it by signing in: a wrong signature password
counts towards django-axes' sign-in lockout of the same account at the same client address (same
``AXES_FAILURE_LIMIT`` and cool-off), and a locked account cannot sign, not even with the right
password, until the cool-off ends. A correct signature resets no failure count (only a sign-in
does). The client is named by ``signature_attempts(ip_address=…)``, an explicit context that the
HTTP layer opens around every request (``core.middleware``); services stay free of HTTP. The
failures are written when that context closes, after the service's transaction has rolled back
(written inside it, they would roll back with it). Outside such a context (demo data, shell) the
password is checked without counting.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import (
    get_client_http_accept,
    get_client_ip_address,
    get_client_path_info,
    get_client_user_agent,
    get_failure_limit,
)
from django.contrib.auth.signals import user_login_failed
from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import DomainError
from .lockout import attempts_left_message, lockout_message
from .models import Signature


@dataclass
class SignatureClient:
    """Where signatures come from: the client address and agent axes counts failures by."""

    ip_address: str | None
    user_agent: str = "<unknown>"
    path: str = "<unknown>"
    http_accept: str = "<unknown>"
    failed_usernames: list[str] = field(default_factory=list)

    def axes_request(self) -> HttpRequest:
        """A stand-in request carrying exactly what axes reads (its ``update_request`` fields)."""
        request = HttpRequest()
        request.path = request.path_info = self.path
        request.axes_locked_out = False
        request.axes_attempt_time = timezone.now()
        request.axes_ip_address = self.ip_address
        request.axes_user_agent = self.user_agent
        request.axes_path_info = self.path
        request.axes_http_accept = self.http_accept
        request.axes_failures_since_start = None
        request.axes_credentials = None
        request.axes_updated = True
        return request

    def record_failures(self) -> None:
        """Hand the wrong signature passwords to axes as failed sign-ins (outside transactions)."""
        failed, self.failed_usernames = self.failed_usernames, []
        for username in failed:
            user_login_failed.send(
                sender=__name__, credentials=_credentials(username), request=self.axes_request()
            )


_current_client: ContextVar[SignatureClient | None] = ContextVar("signature_client", default=None)


@contextmanager
def signature_attempts(
    *, ip_address: str | None, user_agent: str = "<unknown>", path: str = "<unknown>"
) -> Iterator[SignatureClient]:
    """Count the wrong signature passwords given inside towards the lockout of ``ip_address``.

    Open it around a whole request (or job), outside any transaction: the failures are recorded
    when it closes.
    """
    client = SignatureClient(ip_address=ip_address, user_agent=user_agent, path=path)
    token = _current_client.set(client)
    try:
        yield client
    finally:
        _current_client.reset(token)
        client.record_failures()


@contextmanager
def signature_attempts_for(request) -> Iterator[SignatureClient]:
    """``signature_attempts`` for an HTTP request: the address as axes resolves it for sign-in."""
    with signature_attempts(
        ip_address=get_client_ip_address(request),
        user_agent=get_client_user_agent(request),
        path=get_client_path_info(request),
    ) as client:
        client.http_accept = get_client_http_accept(request)
        yield client


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
    _check_password(actor, password)
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


def _check_password(actor, password: str) -> None:
    """The signer's password, refused while the account is locked at this client (axes)."""
    client = _current_client.get()
    username = actor.get_username()
    if client is not None and not AxesProxyHandler.is_allowed(
        client.axes_request(), _credentials(username)
    ):
        raise DomainError(lockout_message(), field="password")
    if password and actor.check_password(password):
        return
    message = _("The password is not correct. Nothing was signed; enter your password again.")
    if client is not None and password:
        axes_request, credentials = client.axes_request(), _credentials(username)
        client.failed_usernames.append(username)
        failures = AxesProxyHandler.get_failures(axes_request, credentials) + sum(
            1 for name in client.failed_usernames if name == username
        )
        left = get_failure_limit(axes_request, credentials) - failures
        message = lockout_message() if left <= 0 else f"{message} {attempts_left_message(left)}"
    raise DomainError(message, field="password")


def _credentials(username: str) -> dict:
    return {"username": username}


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
