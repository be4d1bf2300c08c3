from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.records.fields import customer_key
from core.time_zones import TimeZoneField

from .roles import INTERNAL_ROLES, Role, capabilities_for


class UserQuerySet(models.QuerySet):
    def manageable_by(self, actor):
        """The users ``actor`` may see and change on the user pages.

        Administrators: everyone. A customer administrator: the customer users of their own
        company, never another company's and never our staff. Anyone else: nobody.
        """
        if not getattr(actor, "is_authenticated", False) or not actor.is_active:
            return self.none()
        if actor.has_capability("accounts.manage"):
            return self
        if actor.has_capability("accounts.manage_company"):
            return self.filter(role=Role.CUSTOMER, customer_id=actor.customer_id)
        return self.none()


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def _create_user(self, email, password, **fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **fields):
        fields.setdefault("role", Role.ENGINEER)
        return self._create_user(email, password, **fields)

    def create_superuser(self, email, password=None, **fields):
        fields.update(role=Role.ADMIN, is_staff=True, is_superuser=True)
        return self._create_user(email, password, **fields)

    def get_by_natural_key(self, username):
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their e-mail address: one of ours, or one customer's employee."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    time_zone = TimeZoneField(_("time zone"), default="Europe/Berlin")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.ENGINEER)
    customer = customer_key(
        verbose_name=_("customer"),
        related_name="users",
        null=True,
        blank=True,
        help_text=_("Required for customer users, empty for internal users."),
    )
    is_company_admin = models.BooleanField(
        _("customer administrator"),
        default=False,
        help_text=_("May invite, change and deactivate the users of their own company."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("admin site access"), default=False, help_text=_("May sign in to the Django admin site.")
    )
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                name="accounts_user_customer_iff_customer_role",
                condition=(models.Q(role=Role.CUSTOMER, customer__isnull=False))
                | (~models.Q(role=Role.CUSTOMER) & models.Q(customer__isnull=True)),
            ),
            # Only a customer user administers a company's users: staff have their own role.
            models.CheckConstraint(
                name="accounts_user_company_admin_is_customer",
                condition=models.Q(is_company_admin=False) | models.Q(role=Role.CUSTOMER),
            ),
        ]

    # How many API tokens the last password change of this instance revoked (see save()).
    tokens_revoked_with_password = 0
    _password_withdrawn = False

    def __str__(self):
        return self.full_name or self.email

    def set_unusable_password(self):
        super().set_unusable_password()
        self._password_withdrawn = True

    def save(self, *args, **kwargs):
        # However the password changes (profile, reset link, the admin's form, `manage.py
        # changepassword`), the API tokens issued under the old one stop working with it: a
        # leaked token must not outlive the password. A hash upgrade at sign-in is no change
        # (Django clears ``_password`` for it); a new account has no tokens yet.
        update_fields = kwargs.get("update_fields")
        password_changed = (
            not self._state.adding
            and (self._password is not None or self._password_withdrawn)
            and (update_fields is None or "password" in update_fields)
        )
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using):
            super().save(*args, **kwargs)
            if password_changed:
                self.tokens_revoked_with_password = self.api_tokens.revoke()
        self._password_withdrawn = False

    def clean(self):
        super().clean()
        self.email = self.email.lower()
        if self.role == Role.CUSTOMER and not self.customer_id:
            raise ValidationError(
                {"customer": _("A customer user belongs to exactly one customer.")}
            )
        if self.role != Role.CUSTOMER and self.customer_id:
            raise ValidationError({"customer": _("Internal users do not belong to a customer.")})
        if self.is_company_admin and self.role != Role.CUSTOMER:
            raise ValidationError(
                {"is_company_admin": _("Only a customer user can be a customer administrator.")}
            )

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def is_internal(self) -> bool:
        return self.is_active and self.role in INTERNAL_ROLES

    @property
    def is_customer_user(self) -> bool:
        return self.role == Role.CUSTOMER

    @property
    def role_label(self) -> str:
        """The role as people read it: a customer administrator is named as such."""
        if self.is_company_admin and self.role == Role.CUSTOMER:
            return str(_("Customer administrator"))
        return str(self.get_role_display())

    def has_capability(self, capability: str) -> bool:
        granted = capabilities_for(self.role, company_admin=self.is_company_admin)
        return self.is_active and capability in granted


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)

    def revoke(self) -> int:
        """Revoke the active tokens among these: how many."""
        return self.active().update(revoked_at=timezone.now())


class ApiToken(models.Model):
    """A named key for a script or a customer's own system. Only its hash is stored."""

    PREFIX_LENGTH = 8

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=PREFIX_LENGTH, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            # A revoked token keeps its name for the record; only active names must be unambiguous.
            models.UniqueConstraint(
                fields=["user", "name"],
                condition=models.Q(revoked_at__isnull=True),
                name="accounts_apitoken_unique_active_name",
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def generate_key() -> str:
        return secrets.token_urlsafe(32)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
