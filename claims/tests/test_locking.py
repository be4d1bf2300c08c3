"""Optimistic locking of claims and 8D steps: the second of two people saving the same record is
refused with a conflict and a reload, never silently overwriting the first.

Decision: a write that states no version (neither a ``version`` in the body or form nor an
If-Match header) is not checked. API scripts that do not care keep "last writer wins"; whoever
says which version they saw is never overwritten. Every page form sends its version.
"""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.roles import Role
from accounts.tests.factories import CustomerUserFactory, UserFactory
from claims import services
from claims.eightd import services as eightd
from claims.models import Claim, ClaimEvent, EightDStep
from core.errors import Conflict
from core.history import timeline
from core.locking import StaleVersion

from .factories import file_claim, fill_step

STALE = "Someone else changed this record after you opened it."


def signed_in(user) -> Client:
    """A browser of its own: two people at two desks."""
    browser = Client()
    browser.force_login(user)
    return browser


def api_for(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def colleague_a(customer_a):
    """A second quality engineer of customer A, editing the same claims."""
    return CustomerUserFactory(email="second@autowerk.example", customer=customer_a)


@pytest.fixture
def second_engineer(db):
    return UserFactory(email="second.engineer@example.com", role=Role.ENGINEER)


@pytest.fixture
def draft(user_a):
    return file_claim(actor=user_a, submit=False, symptom="Burr on the hole")


@pytest.fixture
def worked_claim(user_a, engineer):
    """A claim whose 8D is being worked on (status containment)."""
    claim = file_claim(actor=user_a)
    services.claim_acknowledge(claim=claim, actor=engineer)
    services.claim_start_review(claim=claim, actor=engineer)
    services.claim_accept_responsibility(claim=claim, actor=engineer)
    return claim


def step_of(claim, code) -> EightDStep:
    return claim.steps.get(code=code)


def submitted_d0(claim, engineer) -> EightDStep:
    fill_step(claim, "D0", engineer)
    return services.step_submit(step=step_of(claim, "D0"), actor=engineer)


def answered_again(claim, engineer, customer_user) -> EightDStep:
    """D0 sent back by ``customer_user`` and submitted again with a new statement."""
    d0 = step_of(claim, "D0")
    services.step_send_back(step=d0, actor=customer_user, comment="Say which lots")
    services.step_save(step=d0, actor=engineer, summary="Lots 2611 to 2614 blocked")
    return services.step_submit(step=d0, actor=engineer)


# --- the services --------------------------------------------------------------------------------


@pytest.mark.django_db
class TestVersionCounting:
    def test_every_write_of_a_claim_counts_its_version_up(self, draft, user_a, engineer):
        assert draft.version == 1
        services.claim_update(claim=draft, actor=user_a, lot="L-1")
        services.claim_submit(claim=draft, actor=user_a)
        services.claim_assign(claim=draft, engineer=engineer, actor=engineer)
        draft.refresh_from_db()
        assert draft.version == 4

    def test_a_step_counts_its_own_writes_and_the_first_row_added(self, worked_claim, engineer):
        d1 = step_of(worked_claim, "D1")
        assert d1.version == 1
        eightd.team_member_save(claim=worked_claim, actor=engineer, name="Ann", role="leader")
        assert step_of(worked_claim, "D1").version == 2  # open → draft
        services.step_save(step=d1, actor=engineer, summary="Team set up")
        assert step_of(worked_claim, "D1").version == 3

    def test_matching_version_is_accepted_and_a_stale_one_refused(self, draft, user_a):
        services.claim_update(claim=draft, actor=user_a, expected_version=1, lot="first")
        with pytest.raises(StaleVersion) as refused:
            services.claim_update(claim=draft, actor=user_a, expected_version=1, lot="second")
        assert isinstance(refused.value, Conflict) and STALE in refused.value.message
        draft.refresh_from_db()
        assert (draft.lot, draft.version) == ("first", 2)

    def test_a_refused_transition_changes_nothing_and_records_no_event(self, user_a, engineer):
        claim = file_claim(actor=user_a)
        read = claim.version
        services.claim_assign(claim=claim, engineer=engineer, actor=engineer)
        with pytest.raises(StaleVersion):
            services.claim_acknowledge(claim=claim, actor=engineer, expected_version=read)
        claim.refresh_from_db()
        assert claim.status == Claim.Status.SUBMITTED and not claim.steps.exists()
        assert not ClaimEvent.objects.filter(claim=claim, action="acknowledge").exists()

    def test_the_version_stays_out_of_the_history_people_read(self, draft, user_a):
        services.claim_update(claim=draft, actor=user_a, lot="L-7")
        changed = [change.field for entry in timeline(draft) for change in entry.changes]
        assert changed and "version" not in changed


# --- pages ---------------------------------------------------------------------------------------


def edit_data(claim, **overrides) -> dict:
    data = {
        "part": claim.part_id,
        "kind": claim.kind,
        "severity": claim.severity,
        "customer_reference": claim.customer_reference,
        "detection_location": claim.detection_location,
        "detection_date": claim.detection_date.isoformat(),
        "symptom": claim.symptom,
        "suspect_qty": claim.suspect_qty,
        "nonconforming_qty": claim.nonconforming_qty,
        "ppm_qty": claim.ppm_qty,
    }
    data.update(overrides)
    return data


def shown_version(response) -> str:
    return str(response.context["form"]["version"].value())


@pytest.mark.django_db
class TestClaimEditPage:
    def test_second_save_of_an_opened_draft_is_refused_and_keeps_what_was_typed(
        self, draft, user_a, colleague_a
    ):
        first, second = signed_in(user_a), signed_in(colleague_a)
        edit = reverse("claims:claim-update", args=[draft.pk])
        first_version = shown_version(first.get(edit))
        second_version = shown_version(second.get(edit))
        assert first_version == second_version == "1"

        saved = first.post(edit, edit_data(draft, symptom="First: burr", version=first_version))
        assert saved.status_code == 302
        refused = second.post(
            edit, edit_data(draft, symptom="Second: crack on the flange", version=second_version)
        )

        assert refused.status_code == 409
        page = text(refused)
        assert STALE in page
        assert f'href="{edit}"' in page and "Reload" in page
        assert "Second: crack on the flange" in page  # nothing the user typed is lost
        draft.refresh_from_db()
        assert (draft.symptom, draft.version) == ("First: burr", 2)

    def test_after_reloading_the_change_can_be_applied(self, draft, user_a, colleague_a):
        services.claim_update(claim=draft, actor=user_a, symptom="First: burr")
        browser = signed_in(colleague_a)
        edit = reverse("claims:claim-update", args=[draft.pk])
        version = shown_version(browser.get(edit))
        assert version == "2"
        response = browser.post(edit, edit_data(draft, symptom="Both: burr", version=version))
        assert response.status_code == 302
        draft.refresh_from_db()
        assert draft.symptom == "Both: burr"


@pytest.mark.django_db
class TestClaimPageButtons:
    def test_buttons_carry_the_version_the_page_showed(self, client_for, engineer, user_a):
        claim = file_claim(actor=user_a)
        page = text(client_for(engineer).get(claim.get_absolute_url()))
        assert page.count(f'name="version" value="{claim.version}"') >= 2  # assign, acknowledge

    def test_transition_on_a_changed_claim_is_refused_with_a_message(
        self, engineer, second_engineer, user_a
    ):
        claim = file_claim(actor=user_a)
        read = claim.version
        services.claim_assign(claim=claim, engineer=second_engineer, actor=second_engineer)
        transition = reverse("claims:claim-transition", args=[claim.pk, "acknowledge"])
        response = signed_in(engineer).post(transition, {"version": read}, follow=True)
        assert STALE in text(response)
        claim.refresh_from_db()
        assert claim.status == Claim.Status.SUBMITTED

    def test_a_refused_reason_is_given_back(self, engineer, user_a):
        claim = file_claim(actor=user_a)
        read = claim.version
        services.claim_assign(claim=claim, engineer=engineer, actor=engineer)
        cancel = reverse("claims:claim-transition", args=[claim.pk, "cancel"])
        reason = "Filed twice by mistake"
        response = signed_in(user_a).post(cancel, {"reason": reason, "version": read}, follow=True)
        assert STALE in text(response) and reason in text(response)
        claim.refresh_from_db()
        assert claim.status == Claim.Status.SUBMITTED

    def test_step_decision_from_the_claim_page_checks_the_step_version(
        self, worked_claim, engineer, user_a, colleague_a
    ):
        read = submitted_d0(worked_claim, engineer).version
        answered_again(worked_claim, engineer, colleague_a)
        approve = reverse("claims:step-action", args=[worked_claim.pk, "D0", "approve"])
        response = signed_in(user_a).post(approve, {"version": read}, follow=True)
        # What they read was the first answer: approving the second unseen is refused.
        assert STALE in text(response)
        assert step_of(worked_claim, "D0").status == EightDStep.Status.SUBMITTED


@pytest.mark.django_db
class TestStepPages:
    def test_second_draft_save_is_refused_and_shows_both_the_message_and_the_input(
        self, worked_claim, engineer, second_engineer
    ):
        first, second = signed_in(engineer), signed_in(second_engineer)
        page = reverse("claims:eightd-step", args=[worked_claim.pk, "D0"])
        save = reverse("claims:eightd-save", args=[worked_claim.pk, "D0"])
        versions = [
            str(browser.get(page).context["draft_form"]["version"].value())
            for browser in (first, second)
        ]
        assert versions == ["1", "1"]

        saved = first.post(
            save, {"content-emergency_response": "Stock blocked", "version": versions[0]}
        )
        assert saved.status_code == 302
        refused = second.post(
            save,
            {"content-emergency_response": "Line 3 stopped", "summary": "Mine", "version": "1"},
        )

        assert refused.status_code == 409
        body = text(refused)
        assert STALE in body and f'href="{page}"' in body
        assert "Line 3 stopped" in body and "Mine" in body
        d0 = step_of(worked_claim, "D0")
        assert d0.content["emergency_response"] == "Stock blocked" and d0.summary == ""

    def test_submit_of_a_changed_step_is_refused(self, worked_claim, engineer, second_engineer):
        fill_step(worked_claim, "D0", engineer)
        read = step_of(worked_claim, "D0").version
        services.step_save(step=step_of(worked_claim, "D0"), actor=second_engineer, summary="New")
        submit = reverse("claims:eightd-submit", args=[worked_claim.pk, "D0"])
        response = signed_in(engineer).post(submit, {"version": read}, follow=True)
        assert STALE in text(response)
        assert step_of(worked_claim, "D0").status == EightDStep.Status.DRAFT

    def test_customer_decision_on_a_step_already_decided_keeps_the_comment(
        self, worked_claim, engineer, user_a, colleague_a
    ):
        submitted_d0(worked_claim, engineer)
        page = reverse("claims:eightd-step", args=[worked_claim.pk, "D0"])
        read = signed_in(user_a).get(page).context["decision_form"]["version"].value()
        answered_again(worked_claim, engineer, colleague_a)

        decide = reverse("claims:eightd-decide", args=[worked_claim.pk, "D0", "approve"])
        comment = "Fine with the containment"
        response = signed_in(user_a).post(decide, {"comment": comment, "version": read})

        assert response.status_code == 409
        assert STALE in text(response) and comment in text(response)
        d0 = step_of(worked_claim, "D0")
        assert (d0.status, d0.decision_comment) == (EightDStep.Status.SUBMITTED, "Say which lots")


# --- API -----------------------------------------------------------------------------------------


def claim_url(claim, suffix="") -> str:
    return f"/api/v1/claims/{claim.pk}/{suffix}"


@pytest.mark.django_db
class TestClaimApi:
    def test_detail_names_the_version_in_the_body_and_the_etag(self, draft, user_a):
        response = api_for(user_a).get(claim_url(draft))
        assert response.json()["version"] == 1 and response["ETag"] == '"1"'

    def test_second_patch_with_the_version_it_read_gets_409(self, draft, user_a, colleague_a):
        first, second = api_for(user_a), api_for(colleague_a)
        seen = [client.get(claim_url(draft)).json()["version"] for client in (first, second)]

        saved = first.patch(claim_url(draft), {"lot": "L-1", "version": seen[0]}, format="json")
        assert saved.status_code == 200
        assert saved.json()["version"] == 2 and saved["ETag"] == '"2"'
        refused = second.patch(claim_url(draft), {"lot": "L-2", "version": seen[1]}, format="json")

        assert refused.status_code == 409 and STALE in refused.json()["detail"]
        draft.refresh_from_db()
        assert (draft.lot, draft.version) == ("L-1", 2)

    def test_if_match_is_checked_like_the_body_version(self, draft, user_a):
        api = api_for(user_a)
        etag = api.get(claim_url(draft))["ETag"]
        ok = api.patch(claim_url(draft), {"lot": "A"}, format="json", HTTP_IF_MATCH=etag)
        assert ok.status_code == 200
        stale = api.patch(claim_url(draft), {"lot": "B"}, format="json", HTTP_IF_MATCH=etag)
        assert stale.status_code == 409
        weak = api.patch(claim_url(draft), {"lot": "C"}, format="json", HTTP_IF_MATCH='W/"2"')
        assert weak.status_code == 200
        draft.refresh_from_db()
        assert draft.lot == "C"

    def test_writes_without_a_version_are_not_checked(self, draft, user_a, colleague_a):
        api_for(user_a).patch(claim_url(draft), {"lot": "script 1"}, format="json")
        response = api_for(colleague_a).patch(
            claim_url(draft), {"lot": "script 2"}, format="json", HTTP_IF_MATCH="*"
        )
        assert response.status_code == 200
        draft.refresh_from_db()
        assert (draft.lot, draft.version) == ("script 2", 3)

    @pytest.mark.parametrize(
        ("body", "if_match"), [({"version": 0}, None), ({}, "not-an-etag"), ({"version": 1}, '"2"')]
    )
    def test_unreadable_or_contradicting_versions_are_400(self, draft, user_a, body, if_match):
        headers = {"HTTP_IF_MATCH": if_match} if if_match else {}
        response = api_for(user_a).patch(
            claim_url(draft), {"lot": "X", **body}, format="json", **headers
        )
        assert response.status_code == 400
        draft.refresh_from_db()
        assert draft.lot == "" and draft.version == 1

    def test_transition_with_a_stale_version_is_409_and_records_nothing(
        self, engineer, second_engineer, user_a
    ):
        claim = file_claim(actor=user_a)
        read = api_for(engineer).get(claim_url(claim)).json()["version"]
        services.claim_assign(claim=claim, engineer=second_engineer, actor=second_engineer)
        response = api_for(engineer).post(
            claim_url(claim, "acknowledge/"), {"version": read}, format="json"
        )
        assert response.status_code == 409 and STALE in response.json()["detail"]
        assert not ClaimEvent.objects.filter(claim=claim, action="acknowledge").exists()
        fresh = api_for(engineer).post(
            claim_url(claim, "acknowledge/"), {"version": read + 1}, format="json"
        )
        assert fresh.status_code == 200 and fresh.json()["status"] == "acknowledged"

    def test_another_customer_still_gets_404_not_409(self, draft, user_b):
        response = api_for(user_b).patch(
            claim_url(draft), {"lot": "X", "version": 99}, format="json"
        )
        assert response.status_code == 404


@pytest.mark.django_db
class TestStepApi:
    def test_second_save_of_a_step_gets_409(self, worked_claim, engineer, second_engineer):
        steps = api_for(engineer).get(claim_url(worked_claim, "steps/")).json()
        read = next(step["version"] for step in steps if step["code"] == "D0")
        save = claim_url(worked_claim, "steps/D0/save/")
        first = api_for(engineer).post(save, {"summary": "A", "version": read}, format="json")
        assert first.status_code == 200 and first["ETag"] == f'"{read + 1}"'
        second = api_for(second_engineer).post(
            save, {"summary": "B", "version": read}, format="json"
        )
        assert second.status_code == 409
        assert step_of(worked_claim, "D0").summary == "A"

    def test_decisions_check_the_step_etag(self, worked_claim, engineer, user_a, colleague_a):
        etag = f'"{submitted_d0(worked_claim, engineer).version}"'
        d0 = answered_again(worked_claim, engineer, colleague_a)
        approve = claim_url(worked_claim, "steps/D0/approve/")
        refused = api_for(user_a).post(approve, {}, format="json", HTTP_IF_MATCH=etag)
        assert refused.status_code == 409
        assert step_of(worked_claim, "D0").status == EightDStep.Status.SUBMITTED
        current = api_for(user_a).post(approve, {}, format="json", HTTP_IF_MATCH=f'"{d0.version}"')
        assert current.status_code == 200 and current.json()["status"] == "approved"


@pytest.mark.django_db
def test_the_schema_documents_version_if_match_and_etag(api_client_for, engineer):
    schema = api_client_for(engineer).get("/api/schema/", HTTP_ACCEPT="application/json").json()
    patch = schema["paths"]["/api/v1/claims/{id}/"]["patch"]
    assert any(p["name"] == "If-Match" and p["in"] == "header" for p in patch["parameters"])
    assert "ETag" in patch["responses"]["200"]["headers"] and "409" in patch["responses"]
    components = schema["components"]["schemas"]
    assert components["Claim"]["properties"]["version"]["readOnly"] is True
    assert "version" in components["PatchedClaimRequest"]["properties"]
    transition = schema["paths"]["/api/v1/claims/{id}/acknowledge/"]["post"]
    assert any(p["name"] == "If-Match" for p in transition["parameters"])
