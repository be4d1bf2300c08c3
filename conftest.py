"""Personas shared by every suite: engineer, manager, admin, and users of customers A and B."""

import pytest
from django.conf import settings
from django.utils import translation

from accounts.roles import Role
from accounts.tests.factories import CustomerUserFactory, UserFactory
from customers.tests.factories import CustomerFactory
from tests import database_template

# The browser fixtures, shared by every suite that drives Chromium.
pytest_plugins = ["tests.browser"]


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix,
    django_db_blocker,
    django_db_use_migrations,
    django_db_keepdb,
    django_db_createdb,
):
    """On PostgreSQL each test database is a copy of one migrated template (see
    tests/database_template.py): one migration run per change of the migrations, not per worker."""
    if not django_db_use_migrations:
        return
    with django_db_blocker.unblock():
        database_template.prepare(keep_existing=django_db_keepdb and not django_db_createdb)


@pytest.fixture
def customer_a(db):
    return CustomerFactory(name="Autowerk AG", code="AUTOWERK")


@pytest.fixture
def customer_b(db):
    return CustomerFactory(name="Brenner Motors", code="BRENNER")


@pytest.fixture
def engineer(db):
    return UserFactory(email="engineer@example.com", full_name="Erika Engineer", role=Role.ENGINEER)


@pytest.fixture
def manager(db):
    return UserFactory(email="manager@example.com", full_name="Max Manager", role=Role.MANAGER)


@pytest.fixture
def admin_user(db):
    return UserFactory(
        email="admin@example.com",
        full_name="Ada Admin",
        role=Role.ADMIN,
        is_staff=True,
        is_superuser=True,
    )


@pytest.fixture
def user_a(customer_a):
    return CustomerUserFactory(email="quality@autowerk.example", customer=customer_a)


@pytest.fixture
def user_b(customer_b):
    return CustomerUserFactory(email="quality@brenner.example", customer=customer_b)


@pytest.fixture
def client_for(client):
    """``client_for(user)``: a test client signed in as ``user``.

    With CQM_STAFF_2FA_REQUIRED on (switch it on before signing in), a staff user's session has
    also passed the second factor, as after the code page.
    """

    def sign_in(user):
        client.force_login(user)
        if _second_factor_required(user):
            _mark_session_verified(client, user)
        return client

    return sign_in


def _second_factor_required(user) -> bool:
    from accounts.two_factor import requires_two_factor

    return requires_two_factor(user)


def _mark_session_verified(client, user) -> None:
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture
def api_client_for():
    """``api_client_for(user)``: a DRF client authenticated as ``user``."""
    from rest_framework.test import APIClient

    def sign_in(user):
        api = APIClient()
        api.force_authenticate(user)
        return api

    return sign_in


@pytest.fixture(autouse=True)
def _language_reset():
    """A page rendered in German leaves German active in this thread: the next test starts in
    the default language again."""
    yield
    translation.activate(settings.LANGUAGE_CODE)
