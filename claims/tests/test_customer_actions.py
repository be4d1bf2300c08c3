"""The customer's side of an 8D's actions: their own actions and their verdict on ours.

Services, the D6 guard, the discipline pages and the API, each with who may and who may not.
"""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from claims import customer_actions, services
from claims import notification_kinds as kinds
from claims.eightd import services as eightd
from claims.eightd.rules import submit_problems
from claims.eightd.selectors import eight_d_for
from claims.models import Claim, ClaimEvent, CorrectiveAction, EightDStep
from core import services as core_services
from core.errors import Conflict, DomainError, PermissionDenied
from core.models import Action
from notifications.models import Notification

from .factories import file_claim, fill_step

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()
NEXT_WEEK = TODAY + dt.timedelta(days=7)


@pytest.fixture
def claim(user_a, engineer):
    """Customer A's claim, assigned to our engineer, its 8D being worked on (containment)."""
    claim = file_claim(actor=user_a)
    services.claim_assign(claim=claim, engineer=engineer, actor=engineer)
    services.claim_acknowledge(claim=claim, actor=engineer)
    services.claim_start_review(claim=claim, actor=engineer)
    services.claim_accept_responsibility(claim=claim, actor=engineer)
    return claim


@pytest.fixture
def ours(claim, engineer):
    """Our corrective actions chosen and D5 submitted to the customer: the first of them."""
    fill_step(claim, "D4", engineer)
    fill_step(claim, "D5", engineer)
    services.step_submit(step=step(claim, "D5"), actor=engineer)
    return claim.corrective_actions.select_related("action").order_by("pk").first()


def step(claim, code) -> EightDStep:
    return EightDStep.objects.select_related("claim").get(claim=claim, code=code)


def problems(claim, code) -> list[str]:
    return submit_problems(step(claim, code))


def add(claim, actor, step_code="D5", title="Gauge check at end of line", **fields):
    values = {"description": "Every part", "due_date": NEXT_WEEK, **fields}
    return customer_actions.customer_action_add(
        claim=claim, actor=actor, step_code=step_code, title=title, **values
    )


def decide(link, actor, verdict, comment=""):
    return customer_actions.customer_action_decide(
        link=link, actor=actor, verdict=verdict, comment=comment
    )


def revise(link, actor, **fields):
    values = {"title": "Go/no-go gauge on every part", "due_date": NEXT_WEEK, "note": "Gauge"}
    values.update(fields)
    return customer_actions.customer_action_revise(link=link, actor=actor, **values)


def internal_action(claim, engineer, customer_user) -> CorrectiveAction:
    """An action we keep to ourselves, added once the customer has sent D5 back."""
    services.step_send_back(step=step(claim, "D5"), actor=customer_user, comment="More")
    return eightd.corrective_action_save(
        claim=claim,
        actor=engineer,
        title="Internal audit",
        owner=engineer,
        due_date=NEXT_WEEK,
        causes=list(claim.causes.all()),
        internal_only=True,
    )


def fresh(link) -> CorrectiveAction:
    return CorrectiveAction.objects.select_related("action").get(pk=link.pk)


def events(claim, action) -> list[ClaimEvent]:
    return list(ClaimEvent.objects.filter(claim=claim, action=action).order_by("pk"))


# --- the customer adds actions -------------------------------------------------------------------


class TestCustomerAddsActions:
    @pytest.mark.parametrize(
        "code, kind",
        [("D3", Action.Kind.CONTAINMENT), ("D5", Action.Kind.CORRECTIVE), ("D6", "corrective")],
    )
    def test_an_action_in_d3_d5_or_d6(self, claim, user_a, engineer, code, kind):
        link = add(claim, user_a, code)
        link = fresh(link)
        assert link.action.kind == kind and link.created_by_customer
        assert link.action.created_by == user_a and link.action.owner == engineer
        assert link.customer_verdict == "accepted" and link.customer_decided_by == user_a
        assert not link.action.internal_only and link.customer_id == claim.customer_id
        [event] = events(claim, "action_customer_add")
        assert (event.actor, event.step_code, event.comment) == (user_a, code, link.action.title)
        # Theirs to read at once, while the disciplines are still our drafts.
        assert eight_d_for(claim, user_a).customer_actions == [link]
        assert step(claim, code).status == EightDStep.Status.OPEN

    def test_without_an_assigned_engineer_our_first_responder_owns_it(
        self, user_a, engineer, manager
    ):
        claim = file_claim(actor=user_a)
        services.claim_acknowledge(claim=claim, actor=engineer)
        assert add(claim, user_a).action.owner == manager

    @pytest.mark.parametrize("who", ["engineer", "manager"])
    def test_our_staff_cannot_use_the_customers_service(self, request, claim, who):
        with pytest.raises(PermissionDenied):
            add(claim, request.getfixturevalue(who))
        assert not CorrectiveAction.objects.exists() and not Action.objects.exists()

    def test_another_customers_user_is_refused(self, claim, user_b):
        with pytest.raises(PermissionDenied):
            add(claim, user_b)
        assert not CorrectiveAction.objects.exists()

    @pytest.mark.parametrize(
        "fields, field",
        [
            ({"title": "  "}, "title"),
            ({"title": "x" * 201}, "title"),
            ({"due_date": TODAY - dt.timedelta(days=1)}, "due_date"),
            ({"due_date": None}, "due_date"),
            ({"description": "x" * 10_001}, "description"),
            ({"step_code": "D4"}, "step_code"),
        ],
    )
    def test_what_is_refused_is_named_and_nothing_is_added(self, claim, user_a, fields, field):
        with pytest.raises(DomainError) as refused:
            add(claim, user_a, **fields)
        assert refused.value.field == field
        assert not CorrectiveAction.objects.exists() and not Action.objects.exists()

    def test_only_while_the_8d_runs_and_not_on_a_linked_claim(self, claim, user_a, engineer):
        draft = file_claim(actor=user_a, submit=False)
        with pytest.raises(Conflict):
            add(draft, user_a)
        follower = file_claim(actor=user_a)
        services.claim_acknowledge(claim=follower, actor=engineer)
        Claim.objects.filter(pk=follower.pk).update(master=claim)
        with pytest.raises(Conflict) as refused:
            add(follower, user_a)
        assert claim.number in refused.value.message
        assert not CorrectiveAction.objects.exists()

    def test_our_staff_neither_edit_nor_delete_it(self, claim, user_a, engineer):
        link = add(claim, user_a)
        fill_step(claim, "D4", engineer)
        with pytest.raises(Conflict):
            eightd.corrective_action_save(
                claim=claim,
                actor=engineer,
                link=link,
                title="Ours now",
                owner=engineer,
                due_date=NEXT_WEEK,
                causes=list(claim.causes.all()),
            )
        with pytest.raises(Conflict):
            eightd.row_delete(row=fresh(link), actor=engineer)
        assert fresh(link).action.title == "Gauge check at end of line"

    def test_the_engineer_is_told_by_mail(
        self, claim, user_a, engineer, user_b, django_capture_on_commit_callbacks
    ):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            add(claim, user_a, title="Gauge check at end of line")
        [told] = Notification.objects.filter(kind=kinds.CUSTOMER_ACTION)
        assert told.recipient == engineer and "Gauge check at end of line" in told.body
        [message] = mail.outbox
        assert message.to == [engineer.email] and claim.number in message.subject


# --- the customer's verdict on our actions -------------------------------------------------------


class TestVerdicts:
    def test_declining_needs_a_comment(self, claim, ours, user_a):
        with pytest.raises(DomainError) as refused:
            decide(ours, user_a, "declined", "  ")
        assert refused.value.field == "comment"
        assert fresh(ours).customer_verdict == ""
        assert not events(claim, "action_customer_decline")

    def test_decline_then_accept_each_with_an_event(self, claim, ours, user_a):
        decide(ours, user_a, "declined", "A visual check is not enough")
        decide(ours, user_a, "declined", "A visual check is not enough")  # a second click
        link = fresh(ours)
        assert (link.customer_verdict, link.customer_decided_by) == ("declined", user_a)
        [event] = events(claim, "action_customer_decline")
        assert (
            "A visual check is not enough" in event.comment and ours.action.title in event.comment
        )
        decide(ours, user_a, "accepted")
        assert fresh(ours).customer_verdict == "accepted"
        assert fresh(ours).customer_comment == ""
        assert len(events(claim, "action_customer_accept")) == 1

    def test_not_before_d5_is_submitted_to_the_customer(self, claim, engineer, user_a):
        fill_step(claim, "D4", engineer)
        fill_step(claim, "D5", engineer)
        link = claim.corrective_actions.first()
        with pytest.raises(Conflict):
            decide(link, user_a, "accepted")

    def test_only_our_visible_open_corrective_actions_take_a_verdict(
        self, claim, ours, user_a, engineer
    ):
        own = add(claim, user_a)
        hidden = internal_action(claim, engineer, user_a)
        preventive = eightd.corrective_action_save(
            claim=claim,
            actor=engineer,
            kind=Action.Kind.PREVENTIVE,
            title="Read across to press 7",
            owner=engineer,
            due_date=NEXT_WEEK,
        )
        for link in (own, hidden, preventive):
            with pytest.raises(Conflict):
                decide(link, user_a, "declined", "No")
            assert fresh(link).customer_verdict != "declined"

    def test_who_may_judge(self, claim, ours, engineer, manager, user_b):
        with pytest.raises(PermissionDenied):
            decide(ours, engineer, "accepted")
        with pytest.raises(PermissionDenied):
            decide(ours, user_b, "accepted")
        decide(ours, manager, "accepted", "Agreed by phone with the customer")
        assert fresh(ours).customer_decided_by == manager

    def test_the_engineer_is_told_of_a_decline_only(
        self, claim, ours, user_a, engineer, django_capture_on_commit_callbacks
    ):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            decide(ours, user_a, "accepted")
        assert not Notification.objects.filter(kind=kinds.CUSTOMER_ACTION).exists()
        with django_capture_on_commit_callbacks(execute=True):
            decide(ours, user_a, "declined", "Use a gauge")
        [told] = Notification.objects.filter(kind=kinds.CUSTOMER_ACTION)
        assert told.recipient == engineer and "Use a gauge" in told.body
        assert [message.to for message in mail.outbox] == [[engineer.email]]


# --- the D6 guard --------------------------------------------------------------------------------


class TestD6Guard:
    def declined_message(self, link) -> str:
        return f"D6: the customer declined “{link.action.title}”: revise or cancel it."

    def test_a_declined_action_blocks_d6_until_revised(self, claim, ours, user_a, engineer):
        fill_step(claim, "D6", engineer)
        assert problems(claim, "D6") == []
        decide(ours, user_a, "declined", "A visual check is not enough")
        with pytest.raises(ValidationError) as refused:
            services.step_submit(step=step(claim, "D6"), actor=engineer)
        assert refused.value.messages == [self.declined_message(ours)]
        assert step(claim, "D6").status != EightDStep.Status.SUBMITTED

    def test_revising_asks_the_customer_again(
        self, claim, ours, user_a, engineer, django_capture_on_commit_callbacks
    ):
        decide(ours, user_a, "declined", "A visual check is not enough")
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            revise(ours, engineer, note="A go/no-go gauge replaces the visual check")
        link = fresh(ours)
        assert link.customer_verdict == "" and link.customer_decided_by is None
        assert link.action.title == "Go/no-go gauge on every part"
        assert self.declined_message(ours) not in problems(claim, "D6")
        [event] = events(claim, "action_revise")
        assert "gauge replaces the visual check" in event.comment
        [told] = Notification.objects.filter(kind=kinds.ACTION_REVISED)
        assert told.recipient == user_a
        assert user_a.email in [address for m in mail.outbox for address in m.to]

    def test_only_a_declined_action_is_revised_and_only_by_our_staff(
        self, claim, ours, user_a, engineer
    ):
        with pytest.raises(Conflict):
            revise(ours, engineer)
        decide(ours, user_a, "declined", "No")
        with pytest.raises(PermissionDenied):
            revise(ours, user_a)
        with pytest.raises(DomainError) as refused:
            revise(ours, engineer, note="")
        assert refused.value.field == "note"
        assert fresh(ours).customer_verdict == "declined"

    def test_cancelling_it_resolves_a_decline(self, claim, ours, user_a, engineer):
        decide(ours, user_a, "declined", "Not this")
        core_services.action_cancel(action=ours.action, actor=engineer, reason="Replaced")
        assert self.declined_message(ours) not in problems(claim, "D6")

    def test_an_edit_in_d5_clears_the_verdict_a_plain_save_keeps_it(
        self, claim, ours, user_a, engineer
    ):
        decide(ours, user_a, "declined", "Not this")
        services.step_send_back(step=step(claim, "D5"), actor=user_a, comment="See the action")
        stated = eightd.corrective_action_stated(fresh(ours))
        stated.pop("kind")
        eightd.corrective_action_save(claim=claim, actor=engineer, link=fresh(ours), **stated)
        assert fresh(ours).customer_verdict == "declined"
        stated["title"] = "Gauge instead of the visual check"
        eightd.corrective_action_save(claim=claim, actor=engineer, link=fresh(ours), **stated)
        assert fresh(ours).customer_verdict == ""

    @pytest.mark.parametrize("code", ["D3", "D5", "D6"])
    def test_an_open_customer_action_blocks_d6_until_done(self, claim, user_a, engineer, code):
        fill_step(claim, "D4", engineer)
        fill_step(claim, "D5", engineer)
        fill_step(claim, "D6", engineer)
        link = add(claim, user_a, code, title="Sort the stock at the customer")
        message = "D6: the customer's action “Sort the stock at the customer” is not done yet."
        assert problems(claim, "D6") == [message]
        core_services.action_start(action=link.action, actor=engineer)
        assert problems(claim, "D6") == [message]
        core_services.action_complete(action=fresh(link).action, actor=engineer, note="Sorted")
        assert problems(claim, "D6") == []
        services.step_submit(step=step(claim, "D6"), actor=engineer)
        assert step(claim, "D6").status == EightDStep.Status.SUBMITTED

    def test_cancelling_a_customer_action_unblocks_d6(self, claim, user_a, engineer):
        link = add(claim, user_a, "D6")
        assert any("customer's action" in p for p in problems(claim, "D6"))
        core_services.action_cancel(action=link.action, actor=engineer, reason="Not needed")
        assert not any("customer's action" in p for p in problems(claim, "D6"))

    def test_d5_asks_neither_causes_nor_verification_of_a_customer_action(
        self, claim, user_a, engineer
    ):
        fill_step(claim, "D4", engineer)
        fill_step(claim, "D5", engineer)
        add(claim, user_a, "D5")
        assert problems(claim, "D5") == []


# --- the pages -----------------------------------------------------------------------------------


def page(claim, code) -> str:
    return reverse("claims:eightd-step", args=[claim.pk, code])


def add_url(claim, code) -> str:
    return reverse("claims:eightd-customer-action-add", args=[claim.pk, code])


def verdict_url(claim, link) -> str:
    return reverse("claims:eightd-action-verdict", args=[claim.pk, link.pk])


def verdict_data(link, verdict, comment="", back="D5") -> dict:
    prefix = f"verdict-{link.pk}"
    return {f"{prefix}-verdict": verdict, f"{prefix}-comment": comment, "back": back}


class TestPages:
    def test_the_customer_adds_an_action_from_a_draft_discipline(self, client_for, claim, user_a):
        client = client_for(user_a)
        content = client.get(page(claim, "D5")).content.decode()
        assert "Not submitted yet" in content and "Add an action" in content
        data = {"title": "Gauge check", "description": "Every part", "due_date": str(NEXT_WEEK)}
        response = client.post(add_url(claim, "D5"), data)
        assert response.status_code == 302 and response.url.endswith("#customer-actions")
        content = client.get(page(claim, "D5")).content.decode()
        assert "Gauge check" in content and "Created by the customer" in content

    def test_a_refused_action_shows_the_form_with_its_error(self, client_for, claim, user_a):
        data = {"title": "Gauge check", "due_date": str(TODAY - dt.timedelta(days=3))}
        response = client_for(user_a).post(add_url(claim, "D3"), data)
        assert response.status_code == 400
        assert "The due date cannot be in the past." in response.content.decode()
        assert not CorrectiveAction.objects.exists()

    def test_staff_see_who_created_what(self, client_for, claim, user_a, engineer):
        user_a.full_name = "Carla Customer"
        user_a.save()
        add(claim, user_a, "D3", title="Block the stock in the customer's warehouse")
        client = client_for(engineer)
        content = client.get(page(claim, "D3")).content.decode()
        assert "Actions the customer asked for" in content
        assert "Block the stock in the customer&#x27;s warehouse" in content
        assert "Created by the customer" in content and "Carla Customer" in content
        assert "Add an action" not in content
        assert client.post(add_url(claim, "D3"), {"title": "x"}).status_code == 403

    def test_the_customer_declines_only_with_a_comment_and_staff_see_it(
        self, client_for, claim, ours, user_a, engineer
    ):
        client = client_for(user_a)
        assert "Accept or decline" in client.get(page(claim, "D5")).content.decode()
        response = client.post(verdict_url(claim, ours), verdict_data(ours, "declined"))
        assert response.status_code == 400
        assert "Say why you decline the action" in response.content.decode()
        data = verdict_data(ours, "declined", "Use a gauge", back="D6")
        response = client.post(verdict_url(claim, ours), data)
        assert response.status_code == 302 and page(claim, "D6") in response.url
        assert fresh(ours).customer_verdict == "declined"
        staff = client_for(engineer).get(page(claim, "D6")).content.decode()
        assert "Declined by the customer" in staff and "Use a gauge" in staff
        assert "Revise for the customer" in staff

    def test_staff_revise_a_declined_action_from_d6(
        self, client_for, claim, ours, user_a, engineer
    ):
        decide(ours, user_a, "declined", "Use a gauge")
        prefix = f"revise-{ours.pk}"
        data = {
            f"{prefix}-title": "Go/no-go gauge",
            f"{prefix}-due_date": str(NEXT_WEEK),
            f"{prefix}-note": "Gauge added",
        }
        target = reverse("claims:eightd-action-revise", args=[claim.pk, ours.pk])
        assert client_for(user_a).post(target, data).status_code == 403
        response = client_for(engineer).post(target, data)
        assert response.status_code == 302
        assert fresh(ours).customer_verdict == "" and fresh(ours).action.title == "Go/no-go gauge"

    def test_staff_can_neither_delete_nor_implement_a_customer_containment_action(
        self, client_for, claim, user_a, engineer
    ):
        link = add(claim, user_a, "D3")
        client = client_for(engineer)
        delete = reverse("claims:eightd-row-delete", args=[claim.pk, "actions", link.pk])
        response = client.post(delete, follow=True)
        assert "The customer added this action" in response.content.decode()
        implement = reverse("claims:eightd-action-implement", args=[claim.pk, link.pk])
        assert client.post(implement, {}).status_code == 404
        assert CorrectiveAction.objects.filter(pk=link.pk).exists()

    def test_another_customer_gets_404(self, client_for, claim, ours, user_b):
        client = client_for(user_b)
        posts = [
            (add_url(claim, "D5"), {"title": "x", "due_date": str(NEXT_WEEK)}),
            (verdict_url(claim, ours), verdict_data(ours, "declined", "No")),
            (reverse("claims:eightd-action-revise", args=[claim.pk, ours.pk]), {}),
        ]
        for target, data in posts:
            assert client.post(target, data).status_code == 404, target
        assert fresh(ours).customer_verdict == "" and CorrectiveAction.objects.count() == 2


# --- the API -------------------------------------------------------------------------------------


def api(claim, suffix) -> str:
    return f"/api/v1/claims/{claim.pk}/{suffix}"


class TestApi:
    def test_add_list_decide_and_revise(self, api_client_for, claim, ours, user_a, engineer):
        customer, staff = api_client_for(user_a), api_client_for(engineer)
        body = {"step": "D6", "title": "Gauge check", "due_date": NEXT_WEEK.isoformat()}
        response = customer.post(api(claim, "customer-actions/"), body, format="json")
        assert response.status_code == 201, response.json()
        added = response.json()
        assert added["kind"] == "corrective" and added["created_by_customer"] is True
        assert added["customer_verdict"] == "accepted" and added["created_by_name"]
        listed = staff.get(api(claim, "customer-actions/")).json()
        assert [row["id"] for row in listed] == [added["id"]]

        decide_url = api(claim, f"actions/{ours.pk}/decide/")
        refused = customer.post(decide_url, {"verdict": "declined"}, format="json")
        assert refused.status_code == 400 and "comment" in refused.json()
        body = {"verdict": "declined", "comment": "Use a gauge"}
        decided = customer.post(decide_url, body, format="json").json()
        assert decided["customer_verdict"] == "declined"
        assert decided["customer_comment"] == "Use a gauge" and decided["customer_decided_by"]
        rows = {row["id"]: row for row in customer.get(api(claim, "actions/")).json()}
        assert rows[ours.pk]["customer_verdict"] == "declined"
        assert rows[added["id"]]["created_by_customer"] is True

        revise_url = api(claim, f"actions/{ours.pk}/revise/")
        body = {"title": "Go/no-go gauge", "due_date": NEXT_WEEK.isoformat(), "note": "Gauge"}
        assert customer.post(revise_url, body, format="json").status_code == 403
        revised = staff.post(revise_url, body, format="json")
        assert revised.status_code == 200 and revised.json()["customer_verdict"] == ""

    def test_staff_cannot_add_and_a_customer_action_takes_no_verdict(
        self, api_client_for, claim, ours, user_a, engineer
    ):
        body = {"step": "D3", "title": "Gauge check", "due_date": NEXT_WEEK.isoformat()}
        staff = api_client_for(engineer)
        assert staff.post(api(claim, "customer-actions/"), body, format="json").status_code == 403
        customer = api_client_for(user_a)
        added = customer.post(api(claim, "customer-actions/"), body, format="json").json()
        assert added["kind"] == "containment"
        response = customer.post(
            api(claim, f"actions/{added['id']}/decide/"), {"verdict": "accepted"}, format="json"
        )
        assert response.status_code == 409

    def test_the_rows_endpoints_refuse_a_customer_action(
        self, api_client_for, claim, user_a, engineer
    ):
        link = add(claim, user_a, "D3")
        staff = api_client_for(engineer)
        row = api(claim, f"actions/{link.pk}/")
        assert staff.patch(row, {"title": "Ours"}, format="json").status_code == 409
        assert staff.delete(row).status_code == 409
        body = {"implemented_on": TODAY.isoformat(), "validation": "3 lots"}
        assert staff.post(row + "implement/", body, format="json").status_code == 409
        assert fresh(link).action.title == "Gauge check at end of line"

    def test_another_customer_gets_404(self, api_client_for, claim, ours, user_b):
        client = api_client_for(user_b)
        body = {"step": "D5", "title": "x", "due_date": NEXT_WEEK.isoformat()}
        assert client.get(api(claim, "customer-actions/")).status_code == 404
        assert client.post(api(claim, "customer-actions/"), body, format="json").status_code == 404
        decide_url = api(claim, f"actions/{ours.pk}/decide/")
        body = {"verdict": "declined", "comment": "No"}
        assert client.post(decide_url, body, format="json").status_code == 404
        assert fresh(ours).customer_verdict == "" and CorrectiveAction.objects.count() == 2

    def test_an_internal_action_is_404_for_the_customer(
        self, api_client_for, claim, ours, user_a, engineer
    ):
        hidden = internal_action(claim, engineer, user_a)
        response = api_client_for(user_a).post(
            api(claim, f"actions/{hidden.pk}/decide/"), {"verdict": "accepted"}, format="json"
        )
        assert response.status_code == 404
