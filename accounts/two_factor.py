"""Two-factor sign-in: an authenticator app (TOTP) plus one-time backup codes.

Who must use it, the devices a user has, and every write to them. Devices are django-otp's:
one ``TOTPDevice`` (the app) and one ``StaticDevice`` holding the backup codes.
"""

from __future__ import annotations

import base64
import logging
import math
import re
from dataclasses import dataclass

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.errors import PermissionDenied

logger = logging.getLogger(__name__)

BACKUP_CODE_COUNT = 10
APP_DEVICE_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"
# The app shows 6 digits; backup codes are 8 letters and digits (django-otp's random_token).
_APP_CODE = re.compile(r"^\d{6}$")


@dataclass(frozen=True)
class CodeCheck:
    """The outcome of checking a code: the device that accepted it, or why none did."""

    device: TOTPDevice | StaticDevice | None = None
    wait_seconds: int = 0

    @property
    def accepted(self) -> bool:
        return self.device is not None

    @property
    def used_backup_code(self) -> bool:
        return isinstance(self.device, StaticDevice)

    def error_message(self) -> str:
        if self.wait_seconds:
            return ngettext(
                "Too many wrong codes. Wait %(seconds)d second and try again.",
                "Too many wrong codes. Wait %(seconds)d seconds and try again.",
                self.wait_seconds,
            ) % {"seconds": self.wait_seconds}
        return _(
            "This code is not right. Enter the current code from your authenticator app (check "
            "that your phone's clock is correct) or one of your unused backup codes."
        )


# --- who and what -------------------------------------------------------------------------------


def is_staff_account(user) -> bool:
    """Our own people and anyone with access to the admin site."""
    return bool(user.is_internal or user.is_staff or user.is_superuser)


def requires_two_factor(user) -> bool:
    """Whether ``user`` may use the portal only after a second factor."""
    return bool(settings.CQM_STAFF_2FA_REQUIRED) and is_staff_account(user)


def may_disable(user) -> bool:
    return not requires_two_factor(user)


def app_device(user) -> TOTPDevice | None:
    """The confirmed authenticator app, if two-factor sign-in is on."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def has_two_factor(user) -> bool:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def is_session_verified(user) -> bool:
    """Whether this request's session passed the second factor (set by django-otp's middleware)."""
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def secret_for_manual_entry(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, as authenticator apps ask for it."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// link as an SVG QR code, as a data: URI (allowed for images by our CSP)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathFillImage)
    svg = image.to_string(encoding="unicode")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


# --- checking a code ----------------------------------------------------------------------------


def normalise_code(code: str) -> str:
    """People type codes with spaces or dashes, and backup codes in either case."""
    return re.sub(r"[\s-]", "", code or "").lower()


def check_code(user, code: str) -> CodeCheck:
    """Check a code from the app, or a backup code (used up when it matches).

    A wrong code counts against the device it was meant for (django-otp doubles the wait after
    each failure), so guessing is slow.
    """
    code = normalise_code(code)
    model = TOTPDevice if _APP_CODE.match(code) else StaticDevice
    with transaction.atomic():
        device = model.objects.devices_for_user(user, confirmed=True).select_for_update().first()
        if device is None:
            return CodeCheck()
        return _verify(device, code)


def check_setup_code(device: TOTPDevice, code: str) -> CodeCheck:
    """Check the first code from a newly added app before it is switched on."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        return _verify(device, normalise_code(code))


def _verify(device, code: str) -> CodeCheck:
    allowed, details = device.verify_is_allowed()
    if not allowed:
        return CodeCheck(wait_seconds=_seconds_until(details.get("locked_until")))
    if device.verify_token(code):
        return CodeCheck(device=device)
    logger.warning("Wrong two-factor code for user %s (%s)", device.user_id, device.name)
    return CodeCheck()


def _seconds_until(moment) -> int:
    if moment is None:
        return 1
    return max(1, math.ceil((moment - timezone.now()).total_seconds()))


# --- writes ---------------------------------------------------------------------------------------


def setup_device(user) -> TOTPDevice:
    """The app being added: the same key until it is confirmed, so a reload shows the same code."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


@transaction.atomic
def two_factor_enable(*, device: TOTPDevice) -> list[str]:
    """Switch on the confirmed app (replacing an earlier one) and issue fresh backup codes."""
    user = device.user
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _issue_backup_codes(user)
    logger.info("Two-factor sign-in switched on for user %s", user.pk)
    return codes


@transaction.atomic
def backup_codes_renew(*, user) -> list[str]:
    """New backup codes; the old ones stop working."""
    if not has_two_factor(user):
        raise PermissionDenied(_("Two-factor sign-in is not switched on."))
    codes = _issue_backup_codes(user)
    logger.info("Backup codes renewed for user %s", user.pk)
    return codes


@transaction.atomic
def two_factor_disable(*, user) -> None:
    if not may_disable(user):
        raise PermissionDenied(
            _("Your role requires two-factor sign-in: it cannot be switched off.")
        )
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    logger.info("Two-factor sign-in switched off for user %s", user.pk)


def _issue_backup_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes
