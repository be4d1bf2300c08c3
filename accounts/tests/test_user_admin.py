"""User administration: administrators manage every account, a customer administrator the customer
users of their own company; invitations, changes and deactivations all land in the history."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts import services
from accounts.invitations import INVITATION_VALID_DAYS, invitation_tokens, send_invitation
from accounts.models import ApiToken, User
from accounts.roles import Role
from accounts.tests.factories import CustomerUserFactory
from core.errors import DomainError, PermissionDenied
from core.models import OutboxMessage
from customers.demo import seed_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def company_admin(customer_a):
    return CustomerUserFactory(
        email="lead@autowerk.example",
        full_name="Lena Lead",
        customer=customer_a,
        is_company_admin=True,
    )


def _invite(actor, **fields):
    fields.setdefault("email", "new.colleague@autowerk.example")
    fields.setdefault("full_name", "Nina Neu")
    return services.user_invite(actor=actor, **fields)


def _link_from(message) -> str:
    return re.search(r"https?://\S+/accounts/invitation/\S+/", message.body).group(0)


# --- the invitation ------------------------------------------------------------------------------


def test_invitation_mails_a_link_that_sets_the_first_password(
    client, company_admin, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user = _invite(company_admin, language="de")
    assert (user.role, user.customer, user.has_usable_password()) == (
        Role.CUSTOMER,
        company_admin.customer,
        False,
    )
    assert OutboxMessage.objects.filter(
        task=services.INVITATION_TASK, args=[user.pk, company_admin.pk]
    ).exists()
    [message] = mailoutbox
    assert message.to == ["new.colleague@autowerk.example"]
    assert "Lena Lead" in message.body
    assert message.body.startswith("Hallo Nina Neu")  # in the language chosen for her

    link = _link_from(message)
    page = client.get(link, follow=True)
    assert page.status_code == 200 and page.context["validlink"]
    new_password = "a-long-new-password-42"
    response = client.post(
        page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)
    # Used once: the link is dead now, and a second delivery of the task mails nothing.
    assert not client.get(link, follow=True).context["validlink"]
    assert send_invitation(user.pk, company_admin.pk) is False
    assert len(mailoutbox) == 1


def test_invitation_outlives_a_reset_link_but_not_its_own_validity(company_admin, settings):
    user = _invite(company_admin)
    token = invitation_tokens.make_token(user)
    settings.PASSWORD_RESET_TIMEOUT = 60  # reset links would be dead already
    now = invitation_tokens._now()

    def checked_after(days: float) -> bool:
        invitation_tokens._now = lambda: now + dt.timedelta(days=days)
        try:
            return invitation_tokens.check_token(user, token)
        finally:
            del invitation_tokens._now

    assert checked_after(INVITATION_VALID_DAYS - 1)
    assert not checked_after(INVITATION_VALID_DAYS + 1)


def test_reset_token_is_no_invitation(company_admin):
    user = _invite(company_admin)
    assert not invitation_tokens.check_token(user, default_token_generator.make_token(user))


def test_an_address_is_invited_once(company_admin, user_a):
    with pytest.raises(ValidationError) as error:
        _invite(company_admin, email="QUALITY@autowerk.example")
    assert "email" in error.value.message_dict


def test_resending_an_invitation_queues_it_again_until_accepted(company_admin, user_a):
    user = _invite(company_admin)
    services.user_invitation_resend(user=user, actor=company_admin)
    assert (
        OutboxMessage.objects.filter(
            task=services.INVITATION_TASK, args=[user.pk, company_admin.pk]
        ).count()
        == 2
    )
    with pytest.raises(DomainError):
        services.user_invitation_resend(user=user_a, actor=company_admin)  # has a password


# --- what a customer administrator may do -------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [{"role": Role.ENGINEER}, {"role": Role.ADMIN}, {"role": Role.CUSTOMER, "customer": "B"}],
    ids=["engineer", "admin", "other company"],
)
def test_customer_administrator_invites_only_their_companys_customer_users(
    company_admin, customer_b, fields
):
    if fields.get("customer") == "B":
        fields = {**fields, "customer": customer_b}
    with pytest.raises(PermissionDenied):
        _invite(company_admin, **fields)
    assert not User.objects.filter(email="new.colleague@autowerk.example").exists()


def test_customer_administrator_manages_only_their_companys_customer_users(
    company_admin, user_a, user_b, engineer, admin_user
):
    assert set(User.objects.manageable_by(company_admin)) == {company_admin, user_a}
    for stranger in (user_b, engineer, admin_user):
        for service in (services.user_deactivate, services.user_reactivate):
            with pytest.raises(PermissionDenied):
                service(user=stranger, actor=company_admin)
        with pytest.raises(PermissionDenied):
            services.user_update(user=stranger, actor=company_admin, full_name="Taken over")
    with pytest.raises(PermissionDenied):
        services.user_update(user=user_a, actor=company_admin, role=Role.ADMIN)
    user_b.refresh_from_db()
    assert user_b.is_active and user_b.full_name != "Taken over"


def test_plain_customer_user_manages_nobody(user_a, user_b):
    assert not User.objects.manageable_by(user_a).exists()
    assert not services.may_manage_users(user_a)
    with pytest.raises(PermissionDenied):
        _invite(user_a)


def test_customer_administrator_keeps_their_own_rights_and_account(company_admin):
    with pytest.raises(DomainError) as error:
        services.user_update(user=company_admin, actor=company_admin, is_company_admin=False)
    assert error.value.field == "is_company_admin"
    with pytest.raises(DomainError):
        services.user_deactivate(user=company_admin, actor=company_admin)
    company_admin.refresh_from_db()
    assert company_admin.is_company_admin and company_admin.is_active


def test_administrator_keeps_their_own_role(admin_user):
    with pytest.raises(DomainError):
        services.user_update(user=admin_user, actor=admin_user, role=Role.ENGINEER)


def test_only_a_customer_user_can_be_a_customer_administrator(admin_user, engineer):
    with pytest.raises(ValidationError):
        services.user_invite(
            actor=admin_user,
            email="x@example.com",
            full_name="X",
            role=Role.ENGINEER,
            is_company_admin=True,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=engineer.pk).update(is_company_admin=True)


def test_administrator_moves_a_customer_user_to_our_staff(admin_user, user_a):
    user_a.is_company_admin = True
    user_a.save(update_fields=["is_company_admin"])
    user = services.user_update(user=user_a, actor=admin_user, role=Role.ENGINEER)
    assert (user.role, user.customer, user.is_company_admin) == (Role.ENGINEER, None, False)


# --- deactivation and the history ----------------------------------------------------------------


def test_deactivation_shuts_the_user_out_and_reactivation_lets_them_back(
    client, company_admin, user_a
):
    services.token_create(user=user_a, name="ERP")
    client.force_login(user_a)
    services.user_deactivate(user=user_a, actor=company_admin)
    user_a.refresh_from_db()
    assert not user_a.is_active
    assert not ApiToken.objects.active().filter(user=user_a).exists()
    assert client.get(reverse("core:home")).status_code == 302  # signed out
    services.user_reactivate(user=user_a, actor=company_admin)
    user_a.refresh_from_db()
    assert user_a.is_active


def test_every_change_is_in_the_history_with_who_and_labels(client_for, company_admin):
    user = _invite(company_admin, job_title="Buyer")
    services.user_update(user=user, actor=company_admin, job_title="Lead buyer")
    services.user_deactivate(user=user, actor=company_admin)
    rows = list(user.history.order_by("history_date", "history_id"))
    assert [row.history_change_reason for row in rows] == [
        "Created",
        "Account changed",
        "Deactivated",
    ]
    assert {row.history_user for row in rows} == {company_admin}

    page = client_for(company_admin).get(reverse("accounts:user-history", args=[user.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "job title" in text and "Lead buyer" in text and "Deactivated" in text


# --- pages ---------------------------------------------------------------------------------------


def test_user_list_searches_and_filters_within_the_company(
    client_for, company_admin, user_a, user_b, django_assert_max_num_queries
):
    client = client_for(company_admin)
    url = reverse("accounts:user-list")
    with django_assert_max_num_queries(12):
        page = client.get(url)
    assert set(page.context["users"]) == {company_admin, user_a}
    assert "Customer administrator" in page.content.decode()
    assert list(client.get(url, {"q": "lead@"}).context["users"]) == [company_admin]
    assert list(client.get(url, {"role": "company_admin"}).context["users"]) == [company_admin]
    assert list(client.get(url, {"q": "brenner"}).context["users"]) == []
    services.user_deactivate(user=user_a, actor=company_admin)
    assert list(client.get(url, {"status": "inactive"}).context["users"]) == [user_a]
    empty = client.get(url, {"q": "nobody-here"})
    assert "No user matches these filters" in empty.content.decode()
    # A search past its limit is refused on the field and filters nothing; the company wall holds.
    too_long = client.get(url, {"q": "x" * 5_000})
    assert too_long.status_code == 200
    assert too_long.context["search"].errors["q"]
    assert set(too_long.context["users"]) == {company_admin, user_a}


def test_administrator_filters_by_company_and_role(
    client_for, admin_user, user_a, user_b, engineer
):
    client = client_for(admin_user)
    url = reverse("accounts:user-list")
    by_company = client.get(url, {"customer": user_b.customer_id}).context["users"]
    assert list(by_company) == [user_b]
    assert list(client.get(url, {"role": Role.ENGINEER}).context["users"]) == [engineer]


def test_user_list_pages(client_for, admin_user, customer_a):
    CustomerUserFactory.create_batch(30, customer=customer_a)
    page = client_for(admin_user).get(reverse("accounts:user-list"), {"page": 2})
    assert page.context["page_obj"].number == 2
    assert len(page.context["users"]) == 31 - 25


def test_invite_page_sends_the_invitation(
    client_for, company_admin, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_for(company_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:user-invite"),
            {
                "email": "Neu@Autowerk.example",
                "full_name": "Nina Neu",
                "language": "en",
                "is_company_admin": "on",
            },
        )
    user = User.objects.get(email="neu@autowerk.example")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:user-update", args=[user.pk])
    assert (user.customer, user.is_company_admin) == (company_admin.customer, True)
    assert len(mailoutbox) == 1
    # The company's users only: the page offers no role and no company to choose.
    form = client.get(reverse("accounts:user-invite")).context["form"]
    assert "role" not in form.fields and "customer" not in form.fields


def test_invite_page_shows_a_taken_address_on_the_field(client_for, company_admin, user_a):
    response = client_for(company_admin).post(
        reverse("accounts:user-invite"),
        {"email": user_a.email, "full_name": "Twin", "language": "en"},
    )
    assert response.status_code == 200
    assert "email" in response.context["form"].errors


def test_edit_page_saves_and_refuses_own_demotion_on_the_field(client_for, company_admin, user_a):
    client = client_for(company_admin)
    fields = {"full_name": "Renamed", "language": "de", "time_zone": "Europe/Berlin"}
    response = client.post(reverse("accounts:user-update", args=[user_a.pk]), fields)
    assert response.status_code == 302
    user_a.refresh_from_db()
    assert (user_a.full_name, user_a.language) == ("Renamed", "de")
    own = client.post(reverse("accounts:user-update", args=[company_admin.pk]), fields)
    assert own.status_code == 200
    assert "is_company_admin" in own.context["form"].errors


def test_deactivation_asks_first(client_for, company_admin, user_a):
    client = client_for(company_admin)
    url = reverse("accounts:user-deactivate", args=[user_a.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200 and user_a.email in confirm.content.decode()
    user_a.refresh_from_db()
    assert user_a.is_active
    assert client.post(url).status_code == 302
    user_a.refresh_from_db()
    assert not user_a.is_active
    client.post(reverse("accounts:user-reactivate", args=[user_a.pk]))
    user_a.refresh_from_db()
    assert user_a.is_active


def test_menus_show_users_to_those_who_manage_them(
    client_for, company_admin, admin_user, user_b, engineer
):
    url = reverse("accounts:user-list")
    for user, shown in (
        (company_admin, True),
        (admin_user, True),
        (user_b, False),
        (engineer, False),
    ):
        home = client_for(user).get(reverse("core:home"))
        assert (f'href="{url}"' in home.content.decode()) is shown, user.email


def test_engineers_and_managers_are_refused(client_for, engineer, manager, user_a):
    for user in (engineer, manager):
        client = client_for(user)
        assert client.get(reverse("accounts:user-list")).status_code == 403
        assert client.get(reverse("accounts:user-update", args=[user_a.pk])).status_code == 403


def test_demo_quality_contacts_administer_their_company(db):
    seed_demo(today=dt.date(2026, 3, 10))
    seed_demo(today=dt.date(2026, 3, 10))  # idempotent: no second history row
    lead = User.objects.get(email="quality@autowerk.example")
    assert lead.is_company_admin and lead.has_capability("accounts.manage_company")
    assert set(User.objects.manageable_by(lead)) == set(User.objects.filter(customer=lead.customer))
    assert lead.history.filter(is_company_admin=True).count() == 1
