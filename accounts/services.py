"""Every write to users and API tokens goes through here."""

from __future__ import annotations

import hashlib
import zoneinfo

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import outbox
from core.errors import DomainError, PermissionDenied
from core.records.services import known_fields, note_history
from core.time_zones import validate_time_zone

from .models import ApiToken, User
from .roles import Role

MAX_ACTIVE_TOKENS = 20

PROFILE_FIELDS = frozenset({"full_name", "job_title", "phone", "language", "time_zone"})


@transaction.atomic
def user_create(
    *,
    email: str,
    full_name: str,
    role: str,
    password: str | None = None,
    customer=None,
    actor=None,
    **fields,
) -> User:
    """Create a user; without a password the account can only be entered through a reset link."""
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role “%(role)s”.") % {"role": role}})
    if role == Role.CUSTOMER and customer is None:
        raise ValidationError({"customer": _("A customer user must belong to a customer.")})
    if role != Role.CUSTOMER and customer is not None:
        raise ValidationError({"customer": _("Internal users do not belong to a customer.")})
    _validate_preferences(fields)
    user = User(
        email=User.objects.normalize_email(email).strip().lower(),
        full_name=full_name,
        role=role,
        customer=customer,
        **fields,
    )
    if password:
        validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    if actor is None:  # a script: the history keeps whoever the request says, if any
        user._change_reason = _("Created")
    else:
        note_history(user, actor, _("Created"))
    user.save()
    return user


@transaction.atomic
def profile_update(*, user: User, actor: User, **fields) -> User:
    """Change what a person may edit about themselves: name, contact data and preferences."""
    known_fields(fields, PROFILE_FIELDS)
    if actor.pk != user.pk and not actor.has_capability("accounts.manage"):
        raise PermissionDenied(_("You may only edit your own profile."))
    _validate_preferences(fields)
    user = User.objects.select_for_update().get(pk=user.pk)
    for name, value in fields.items():
        setattr(user, name, value.strip() if isinstance(value, str) else value)
    user.full_clean(exclude=["password"])
    user._change_reason = _("Profile updated")
    user.save(update_fields=sorted(fields))
    return user


def _validate_preferences(fields: dict) -> None:
    language = fields.get("language")
    if language is not None and language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose one of the offered languages.")})
    time_zone = fields.get("time_zone")
    if time_zone is not None:
        try:
            validate_time_zone(time_zone)
        except ValidationError as error:
            raise ValidationError({"time_zone": error.messages}) from error


@transaction.atomic
def token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Issue a named API token; the raw key is returned once and only its hash is kept."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name.")})
    # Lock the owner so two simultaneous requests cannot both pass the limit and name checks.
    User.objects.select_for_update().get(pk=user.pk)
    active = ApiToken.objects.active().filter(user=user)
    if active.count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            _(
                "You already have %(limit)d active API tokens. "
                "Revoke one you no longer use before creating another."
            )
            % {"limit": MAX_ACTIVE_TOKENS}
        )
    if active.filter(name__iexact=name).exists():
        raise ValidationError(
            {"name": _("You already have an active token named “%(name)s”.") % {"name": name}}
        )
    key = ApiToken.generate_key()
    token = ApiToken(
        user=user, name=name, prefix=key[: ApiToken.PREFIX_LENGTH], key_hash=ApiToken.hash_key(key)
    )
    token.full_clean()
    token.save()
    return token, key


@transaction.atomic
def token_create_for_sign_in(*, user: User) -> tuple[ApiToken, str]:
    """A token for ``POST /api/v1/auth/token/``, named after the moment it was issued."""
    name = _unique_token_name(user, _("API sign-in %(when)s") % {"when": _local_stamp(user)})
    return token_create(user=user, name=name)


def _local_stamp(user: User) -> str:
    try:
        zone = zoneinfo.ZoneInfo(user.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    return timezone.now().astimezone(zone).strftime("%Y-%m-%d %H:%M")


def _unique_token_name(user: User, base: str) -> str:
    taken = set(
        ApiToken.objects.active()
        .filter(user=user, name__istartswith=base)
        .values_list("name", flat=True)
    )
    taken = {name.lower() for name in taken}
    name, counter = base, 1
    while name.lower() in taken:
        counter += 1
        name = f"{base} ({counter})"
    return name


@transaction.atomic
def token_revoke(*, token: ApiToken, actor: User) -> ApiToken:
    """Revoke a token for good; revoking an already revoked token changes nothing."""
    if token.user_id != actor.pk and not actor.has_capability("accounts.manage"):
        raise PermissionDenied(_("You may only revoke your own tokens."))
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


@transaction.atomic
def tokens_revoke_all(*, user: User) -> int:
    """Revoke every active API token of ``user``: how many.

    A password change does it by itself (``User.save``); this is for shutting a user out.
    """
    return ApiToken.objects.filter(user=user).revoke()


def sessions_end_all(*, user: User) -> int:
    """Sign ``user`` out of every browser session (database sessions): how many ended."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get(SESSION_KEY)) == str(user.pk):
            session.delete()
            ended += 1
    return ended


def user_sign_out_everywhere(*, user: User, actor: User) -> tuple[int, int]:
    """An administrator shuts ``user`` out of the API and every session: (tokens, sessions)."""
    if not actor.has_capability("accounts.manage"):
        raise PermissionDenied(_("Only an administrator may sign other users out."))
    return tokens_revoke_all(user=user), sessions_end_all(user=user)


# Password reset mails: at most this many per e-mail address and per client address an hour, so
# a script cannot flood a mailbox or our mail relay. Settings may override these (see below).
PASSWORD_RESET_MAILS_PER_ADDRESS = getattr(settings, "CQM_PASSWORD_RESET_MAILS_PER_ADDRESS", 3)
PASSWORD_RESET_MAILS_PER_CLIENT = getattr(settings, "CQM_PASSWORD_RESET_MAILS_PER_CLIENT", 10)
PASSWORD_RESET_WINDOW_SECONDS = getattr(settings, "CQM_PASSWORD_RESET_WINDOW_SECONDS", 3600)


def password_reset_allowed(*, email: str, client_address: str | None) -> bool:
    """Count one reset request; False once the address or the client has had its share.

    Counted whether or not an account has the address, so the answer reveals nothing.
    """
    address = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    within_address = _count_within_window(f"password-reset:address:{address}")
    within_client = _count_within_window(f"password-reset:client:{client_address or 'unknown'}")
    return (
        within_address <= PASSWORD_RESET_MAILS_PER_ADDRESS
        and within_client <= PASSWORD_RESET_MAILS_PER_CLIENT
    )


def _count_within_window(key: str) -> int:
    cache.add(key, 0, timeout=PASSWORD_RESET_WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=PASSWORD_RESET_WINDOW_SECONDS)
        return 1


# --- user administration -------------------------------------------------------------------------

# The task that mails an invitation (``accounts.tasks``), queued by its name.
INVITATION_TASK = "accounts.send_invitation"
# What an administrator may set on a user's account; the e-mail address is the sign-in name.
ADMINISTERED_FIELDS = frozenset({*PROFILE_FIELDS, "role", "customer", "is_company_admin"})


def may_manage_users(actor) -> bool:
    """Whether ``actor`` administers users at all: an administrator or a customer administrator."""
    return actor.has_capability("accounts.manage") or actor.has_capability(
        "accounts.manage_company"
    )


def _require_manageable(actor: User, user: User) -> None:
    if not User.objects.manageable_by(actor).filter(pk=user.pk).exists():
        raise PermissionDenied(_("You may not manage this user."))


def _scoped_membership(actor: User, fields: dict) -> dict:
    """The role and customer a customer administrator may give: their own company's, only.

    An administrator's choice passes as it is; a customer administrator asking for another role
    or another company is refused, not silently corrected.
    """
    if actor.has_capability("accounts.manage"):
        return fields
    if not actor.has_capability("accounts.manage_company"):
        raise PermissionDenied(_("You may not manage users."))
    role = fields.get("role", Role.CUSTOMER)
    customer = fields.get("customer", actor.customer)
    if role != Role.CUSTOMER or getattr(customer, "pk", customer) != actor.customer_id:
        raise PermissionDenied(
            _("A customer administrator manages the customer users of their own company only.")
        )
    return {**fields, "role": Role.CUSTOMER, "customer": actor.customer}


@transaction.atomic
def user_invite(*, actor: User, email: str, full_name: str, **fields) -> User:
    """Create an account without a password and mail its owner a link to choose one."""
    fields = _scoped_membership(actor, {"role": Role.CUSTOMER, **fields})
    email = User.objects.normalize_email(email).strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("A user with this e-mail address exists already.")})
    user = user_create(email=email, full_name=full_name.strip(), actor=actor, **fields)
    outbox.enqueue(INVITATION_TASK, user.pk, actor.pk)
    return user


@transaction.atomic
def user_invitation_resend(*, user: User, actor: User) -> User:
    """Mail the invitation again, for a user who has not chosen a password yet."""
    _require_manageable(actor, user)
    if not user.is_active:
        raise DomainError(_("Reactivate %(user)s before inviting them again.") % {"user": user})
    if user.has_usable_password():
        raise DomainError(_("%(user)s has accepted the invitation already.") % {"user": user})
    outbox.enqueue(INVITATION_TASK, user.pk, actor.pk)
    return user


@transaction.atomic
def user_update(*, user: User, actor: User, **fields) -> User:
    """Change a user's name, contact data, preferences, role and company; in the history."""
    known_fields(fields, ADMINISTERED_FIELDS)
    _require_manageable(actor, user)
    fields = _scoped_membership(actor, fields)
    _validate_preferences(fields)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.pk == actor.pk:
        _refuse_own_demotion(user, fields)
    changed = [name for name, value in fields.items() if getattr(user, name) != value]
    for name in changed:
        value = fields[name]
        setattr(user, name, value.strip() if isinstance(value, str) else value)
    if user.role != Role.CUSTOMER:
        # Staff belong to no company and administer no company's users.
        changed += _cleared(user, customer=None, is_company_admin=False)
    user.full_clean(exclude=["password"])
    if changed:
        note_history(user, actor, _("Account changed"))
        user.save(update_fields=sorted(set(changed)))
    return user


def _cleared(user: User, **defaults) -> list[str]:
    cleared = [name for name, value in defaults.items() if getattr(user, name) != value]
    for name in cleared:
        setattr(user, name, defaults[name])
    return cleared


def _refuse_own_demotion(user: User, fields: dict) -> None:
    """Nobody takes away their own right to manage users: someone else must do it."""
    if user.role == Role.ADMIN and fields.get("role", user.role) != Role.ADMIN:
        raise DomainError(_("You cannot remove your own administrator role."), field="role")
    if user.is_company_admin and not fields.get("is_company_admin", True):
        raise DomainError(
            _("You cannot remove your own customer administrator rights."),
            field="is_company_admin",
        )


@transaction.atomic
def user_deactivate(*, user: User, actor: User) -> User:
    """Shut a user out: no sign-in, no session, no API token. The account and its history stay."""
    _require_manageable(actor, user)
    if user.pk == actor.pk:
        raise DomainError(_("You cannot deactivate your own account."))
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active:
        user.is_active = False
        note_history(user, actor, _("Deactivated"))
        user.save(update_fields=["is_active"])
        tokens_revoke_all(user=user)
        sessions_end_all(user=user)
    return user


@transaction.atomic
def user_reactivate(*, user: User, actor: User) -> User:
    """Let a deactivated user sign in again (revoked API tokens stay revoked)."""
    _require_manageable(actor, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        user.is_active = True
        note_history(user, actor, _("Reactivated"))
        user.save(update_fields=["is_active"])
    return user
