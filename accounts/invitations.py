"""The invitation mail: a link to choose a password, like a password reset but valid for longer.

An invitation reuses Django's password-reset token with a salt of its own, so a reset link is no
invitation and the other way round. The token changes with the password: once the invited person
has chosen one, the link stops working.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode

from core.links import portal_url

from .models import User

# An invitation may wait over a holiday; a reset link (PASSWORD_RESET_TIMEOUT) need not.
INVITATION_VALID_DAYS = getattr(settings, "CQM_INVITATION_VALID_DAYS", 14)


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """Django's reset token, salted apart and valid for ``INVITATION_VALID_DAYS``."""

    key_salt = "accounts.invitations.InvitationTokenGenerator"
    valid_seconds = INVITATION_VALID_DAYS * 24 * 3600

    def check_token(self, user, token):
        # Django's own check measures the age against PASSWORD_RESET_TIMEOUT: same signature
        # check, with the invitation's validity instead.
        if not (user and token):
            return False
        try:
            timestamp = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        if self._num_seconds(self._now()) - timestamp > self.valid_seconds:
            return False
        return any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        )


invitation_tokens = InvitationTokenGenerator()


def invitation_link(user: User) -> str:
    """The absolute address at which ``user`` chooses their first password."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = invitation_tokens.make_token(user)
    path = reverse("accounts:invitation-accept", kwargs={"uidb64": uid, "token": token})
    return portal_url(path)


def send_invitation(user_id: int, inviter_id: int | None = None) -> bool:
    """Mail the invitation; nothing for a user who is gone, deactivated or has a password now.

    Safe to run twice (the outbox delivers at least once): the second mail carries a link that
    works just as well, and none goes out once the invitation has been accepted.
    """
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or user.has_usable_password():
        return False
    inviter = User.objects.filter(pk=inviter_id).first() if inviter_id else None
    with translation.override(user.language or settings.LANGUAGE_CODE):
        context = {
            "user": user,
            "inviter": inviter,
            "link": invitation_link(user),
            "valid_days": INVITATION_VALID_DAYS,
            "sign_in": portal_url(reverse("accounts:login")),
        }
        subject = render_to_string("accounts/users/email/invitation_subject.txt", context)
        body = render_to_string("accounts/users/email/invitation_body.txt", context)
    message = EmailMultiAlternatives(" ".join(subject.split()), body, to=[user.email])
    message.send()
    return True
