import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import ApiToken, User
from accounts.roles import Role
from accounts.services import (
    profile_update,
    token_create,
    token_create_for_sign_in,
    token_revoke,
    user_create,
)
from core.errors import PermissionDenied


def test_user_create_internal_user_with_password(db):
    user = user_create(
        email=" Ada.Lovelace@Example.COM ",
        full_name="Ada Lovelace",
        role=Role.MANAGER,
        password="analytical-engine-1843",
        job_title="Quality manager",
    )

    assert user.email == "ada.lovelace@example.com"
    assert user.check_password("analytical-engine-1843")
    assert user.job_title == "Quality manager"
    assert user.history.count() == 1


def test_user_create_without_password_cannot_sign_in_until_reset(db):
    user = user_create(email="new@example.com", full_name="New Person", role=Role.ENGINEER)

    assert not user.has_usable_password()


def test_user_create_customer_user_needs_a_customer(db, customer_a):
    with pytest.raises(ValidationError) as error:
        user_create(email="c@example.com", full_name="C", role=Role.CUSTOMER)
    assert "customer" in error.value.message_dict

    user = user_create(
        email="c@example.com", full_name="C", role=Role.CUSTOMER, customer=customer_a
    )
    assert user.customer == customer_a


def test_user_create_internal_user_must_not_have_a_customer(db, customer_a):
    with pytest.raises(ValidationError) as error:
        user_create(email="e@example.com", full_name="E", role=Role.ENGINEER, customer=customer_a)

    assert "customer" in error.value.message_dict
    assert not User.objects.filter(email="e@example.com").exists()


def test_user_create_rejects_weak_password_duplicate_email_and_unknown_role(db, engineer):
    with pytest.raises(ValidationError):
        user_create(email="w@example.com", full_name="W", role=Role.ENGINEER, password="123")
    with pytest.raises(ValidationError) as error:
        user_create(email="ENGINEER@example.com", full_name="Twin", role=Role.ENGINEER)
    assert "email" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        user_create(email="r@example.com", full_name="R", role="superhero")
    assert "role" in error.value.message_dict


@pytest.mark.parametrize(
    ("role", "with_customer"),
    [(Role.CUSTOMER, False), (Role.ENGINEER, True), (Role.ADMIN, True)],
)
def test_database_enforces_customer_iff_customer_role(customer_a, role, with_customer):
    user = User(email="x@example.com", full_name="X", role=role)
    if with_customer:
        user.customer = customer_a

    with pytest.raises(IntegrityError), transaction.atomic():
        user.save()


def test_database_enforces_unique_active_token_names(engineer):
    token, _key = token_create(user=engineer, name="Script")
    duplicate = ApiToken(user=engineer, name="Script", prefix="x", key_hash="0" * 64)

    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()

    token_revoke(token=token, actor=engineer)
    duplicate.save()


def test_profile_update_only_touches_profile_fields(engineer):
    with pytest.raises(TypeError):
        profile_update(user=engineer, actor=engineer, role=Role.ADMIN)

    user = profile_update(user=engineer, actor=engineer, full_name="  Erika M.  ", language="de")

    assert user.full_name == "Erika M."
    assert user.language == "de"
    assert user.history.first().history_change_reason == "Profile updated"


def test_profile_update_of_someone_else_needs_accounts_manage(engineer, manager, admin_user):
    with pytest.raises(PermissionDenied):
        profile_update(user=manager, actor=engineer, phone="1")

    profile_update(user=manager, actor=admin_user, phone="1")
    manager.refresh_from_db()
    assert manager.phone == "1"


def test_token_revoke_is_idempotent_and_owner_only(engineer, manager):
    token, _key = token_create(user=engineer, name="Script")
    with pytest.raises(PermissionDenied):
        token_revoke(token=token, actor=manager)

    first = token_revoke(token=token, actor=engineer).revoked_at
    second = token_revoke(token=token, actor=engineer).revoked_at

    assert first is not None
    assert first == second


def test_sign_in_tokens_are_named_after_the_moment_in_the_users_zone(engineer):
    engineer.time_zone = "Asia/Tokyo"
    engineer.save(update_fields=["time_zone"])

    before = tokyo_stamp()
    token, key = token_create_for_sign_in(user=engineer)
    again, _ = token_create_for_sign_in(user=engineer)
    after = tokyo_stamp()

    assert token.name in {f"API sign-in {before}", f"API sign-in {after}"}
    assert again.name in {f"{token.name} (2)", f"API sign-in {after}"}
    assert again.name != token.name
    assert ApiToken.hash_key(key) == token.key_hash


def tokyo_stamp() -> str:
    return timezone.now().astimezone(zoneinfo.ZoneInfo("Asia/Tokyo")).strftime("%Y-%m-%d %H:%M")
