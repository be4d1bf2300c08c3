"""The rows of the 8D over the API: CRUD, row transitions, guards, visibility and isolation."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims import services
from claims.eightd import services as eightd
from claims.models import Cause, Containment, CorrectiveAction, EightDStep, TeamMember
from core.models import Action

from .factories import D2_ANSWERS, file_claim, fill_step

TODAY = dt.date.today().isoformat()


@pytest.fixture
def claim(user_a, engineer):
    """A claim of customer A whose 8D is being worked on (status containment)."""
    claim = file_claim(actor=user_a)
    services.claim_acknowledge(claim=claim, actor=engineer)
    services.claim_start_review(claim=claim, actor=engineer)
    services.claim_accept_responsibility(claim=claim, actor=engineer)
    return claim


@pytest.fixture
def staff(api_client_for, engineer):
    return api_client_for(engineer)


@pytest.fixture
def customer(api_client_for, user_a):
    return api_client_for(user_a)


def url(claim, suffix: str) -> str:
    return f"/api/v1/claims/{claim.pk}/{suffix}"


def step_status(claim, code: str) -> str:
    return EightDStep.objects.get(claim=claim, code=code).status


def submit(client, claim, code: str):
    return client.post(url(claim, f"steps/{code}/submit/"))


def add_cause(claim, engineer, **fields) -> Cause:
    values = {
        "leg": "occurrence",
        "category": "machine",
        "description": "Punch worn",
        "whys": ["Why 1"],
        "is_root_cause": True,
    }
    values.update(fields)
    return eightd.cause_save(claim=claim, actor=engineer, **values)


def add_action(claim, engineer, causes, **fields) -> CorrectiveAction:
    values = {"title": "Fit a stroke counter", "owner": engineer, "due_date": dt.date.today()}
    values.update(fields)
    return eightd.corrective_action_save(claim=claim, actor=engineer, causes=causes, **values)


# --- CRUD of each kind of row -------------------------------------------------------------------


@pytest.mark.django_db
class TestTeam:
    def test_add_list_change_and_delete(self, staff, claim):
        created = staff.post(
            url(claim, "team/"),
            {"name": "Erika", "role": "leader", "function": "Quality"},
            format="json",
        )
        assert created.status_code == 201, created.content
        member = created.json()
        assert member["role"] == "leader" and member["function"] == "Quality"
        assert step_status(claim, "D1") == "draft"

        changed = staff.patch(url(claim, f"team/{member['id']}/"), {"role": "champion"})
        assert changed.status_code == 200, changed.content
        assert changed.json()["role"] == "champion"
        assert changed.json()["name"] == "Erika" and changed.json()["function"] == "Quality"

        listed = staff.get(url(claim, "team/")).json()
        assert [row["name"] for row in listed] == ["Erika"]

        assert staff.delete(url(claim, f"team/{member['id']}/")).status_code == 204
        assert staff.get(url(claim, "team/")).json() == []
        assert not TeamMember.objects.filter(claim=claim).exists()

    def test_invalid_input_is_400_by_field_and_adds_nothing(self, staff, claim):
        response = staff.post(url(claim, "team/"), {"name": "", "role": "boss"})
        assert response.status_code == 400
        assert set(response.json()) == {"name", "role"}
        assert not TeamMember.objects.exists()


@pytest.mark.django_db
class TestContainment:
    def test_add_change_remove_and_delete(self, staff, claim):
        created = staff.post(
            url(claim, "containment/"),
            {
                "location": "own_finished",
                "method": "sort",
                "qty_checked": 500,
                "qty_nonconforming": 3,
                "verification": "Second sort found no burr",
            },
        )
        assert created.status_code == 201, created.content
        row = created.json()
        assert row["status"] == "active" and row["qty_checked"] == 500

        changed = staff.patch(url(claim, f"containment/{row['id']}/"), {"qty_checked": 800})
        assert changed.status_code == 200, changed.content
        assert changed.json()["qty_checked"] == 800
        assert changed.json()["verification"] == "Second sort found no burr"

        removed = staff.post(
            url(claim, f"containment/{row['id']}/remove/"), {"note": "Permanent fix works"}
        )
        assert removed.status_code == 200, removed.content
        assert removed.json()["status"] == "removed"
        assert removed.json()["removal_note"] == "Permanent fix works"
        assert removed.json()["removed_by"] == "Erika Engineer"
        again = staff.post(url(claim, f"containment/{row['id']}/remove/"), {"note": "x"})
        assert again.status_code == 409

        assert staff.delete(url(claim, f"containment/{row['id']}/")).status_code == 204
        assert not Containment.objects.filter(claim=claim).exists()

    def test_not_applicable_needs_a_reason(self, staff, claim):
        response = staff.post(
            url(claim, "containment/"), {"location": "in_transit", "not_applicable": True}
        )
        assert response.status_code == 400
        assert "not_applicable_reason" in response.json()
        assert not Containment.objects.exists()

        answered = staff.post(
            url(claim, "containment/"),
            {"location": "in_transit", "not_applicable": True, "not_applicable_reason": "None"},
        )
        assert answered.status_code == 201
        assert answered.json()["status"] == "not_applicable"

    def test_a_location_is_answered_once(self, staff, claim):
        body = {"location": "in_transit", "not_applicable": True, "not_applicable_reason": "No"}
        assert staff.post(url(claim, "containment/"), body).status_code == 201
        duplicate = staff.post(url(claim, "containment/"), body)
        assert duplicate.status_code == 400 and "location" in duplicate.json()

    def test_removing_needs_a_note(self, staff, claim, engineer):
        row = eightd.containment_save(
            claim=claim, actor=engineer, location="own_wip", method="hold"
        )
        response = staff.post(url(claim, f"containment/{row.pk}/remove/"), {})
        assert response.status_code == 400 and "note" in response.json()
        row.refresh_from_db()
        assert row.status == Containment.Status.ACTIVE


@pytest.mark.django_db
class TestCauses:
    def test_add_with_a_five_why_chain_verify_and_change(self, staff, claim, engineer):
        whys = ["Burr", "Punch worn", "Past tool life", "No stroke count", "No counter"]
        created = staff.post(
            url(claim, "causes/"),
            {
                "leg": "occurrence",
                "category": "machine",
                "description": "No stroke counter on press 4",
                "whys": whys,
                "is_root_cause": True,
            },
        )
        assert created.status_code == 201, created.content
        cause = created.json()
        assert cause["whys"] == whys and cause["status"] == "suspected"

        verified = staff.post(
            url(claim, f"causes/{cause['id']}/verify/"),
            {"method": "Switched on and off", "evidence": "Trial 12"},
        )
        assert verified.status_code == 200, verified.content
        assert verified.json()["status"] == "verified"
        assert verified.json()["verified_by"] == "Erika Engineer"

        same_statement = staff.patch(url(claim, f"causes/{cause['id']}/"), {"whys": whys[:3]})
        assert same_statement.json()["status"] == "verified"
        assert same_statement.json()["whys"] == whys[:3]
        restated = staff.patch(url(claim, f"causes/{cause['id']}/"), {"description": "Other"})
        assert restated.status_code == 200
        assert restated.json()["status"] == "suspected"
        assert restated.json()["verification_method"] == ""

    def test_operator_error_is_no_root_cause(self, staff, claim):
        body = {
            "leg": "occurrence",
            "category": "man",
            "description": "Operator error",
            "is_root_cause": True,
        }
        response = staff.post(url(claim, "causes/"), body)
        assert response.status_code == 400
        assert "description" in response.json()
        assert not Cause.objects.exists()

    def test_verify_needs_method_and_evidence(self, staff, claim, engineer):
        cause = add_cause(claim, engineer)
        response = staff.post(url(claim, f"causes/{cause.pk}/verify/"), {"method": "Trial"})
        assert response.status_code == 400 and "evidence" in response.json()
        cause.refresh_from_db()
        assert cause.status == Cause.Status.SUSPECTED

    def test_rule_out_and_delete(self, staff, claim, engineer):
        cause = add_cause(claim, engineer)
        ruled_out = staff.post(
            url(claim, f"causes/{cause.pk}/rule-out/"), {"evidence": "New punch, same burr"}
        )
        assert ruled_out.status_code == 200, ruled_out.content
        assert ruled_out.json()["status"] == "ruled_out"
        assert ruled_out.json()["is_root_cause"] is False
        assert staff.delete(url(claim, f"causes/{cause.pk}/")).status_code == 204
        assert not Cause.objects.exists()

    def test_a_cause_an_action_removes_cannot_be_deleted(self, staff, claim, engineer):
        cause = add_cause(claim, engineer)
        add_action(claim, engineer, [cause])
        assert staff.delete(url(claim, f"causes/{cause.pk}/")).status_code == 409
        assert Cause.objects.filter(pk=cause.pk).exists()


@pytest.mark.django_db
class TestActions:
    def test_add_change_complete_implement(self, staff, claim, engineer):
        cause = add_cause(claim, engineer)
        created = staff.post(
            url(claim, "actions/"),
            {
                "title": "Fit a stroke counter",
                "owner": engineer.pk,
                "due_date": TODAY,
                "causes": [cause.pk],
                "verification": "Trial run of 300 parts",
            },
        )
        assert created.status_code == 201, created.content
        row = created.json()
        assert row["kind"] == "corrective" and row["status"] == "open"
        assert row["owner"] == engineer.pk and row["owner_name"] == "Erika Engineer"
        assert row["causes"] == [cause.pk] and row["due_date"] == TODAY
        assert row["effectiveness_result"] == "" and row["completed_at"] is None
        action = Action.objects.get(pk=row["action_id"])
        assert action.record == claim and action.kind == "corrective"
        assert step_status(claim, "D5") == "draft"

        changed = staff.patch(url(claim, f"actions/{row['id']}/"), {"title": "Counter + stop"})
        assert changed.status_code == 200, changed.content
        assert changed.json()["title"] == "Counter + stop"
        assert changed.json()["causes"] == [cause.pk]
        assert changed.json()["verification"] == "Trial run of 300 parts"

        done = staff.post(f"/api/v1/actions/{row['action_id']}/complete/", {"note": "Fitted"})
        assert done.status_code == 200, done.content
        listed = staff.get(url(claim, "actions/")).json()
        assert listed[0]["status"] == "done" and listed[0]["completed_at"]

        implemented = staff.post(
            url(claim, f"actions/{row['id']}/implement/"),
            {"implemented_on": TODAY, "validation": "3 lots OK"},
        )
        assert implemented.status_code == 200, implemented.content
        assert implemented.json()["implemented_on"] == TODAY
        assert implemented.json()["validation"] == "3 lots OK"

    def test_unknown_owner_is_400_on_owner(self, staff, claim, engineer, user_a):
        cause = add_cause(claim, engineer)
        for owner in (999999, user_a.pk):
            response = staff.post(
                url(claim, "actions/"),
                {"title": "T", "owner": owner, "due_date": TODAY, "causes": [cause.pk]},
            )
            assert response.status_code == 400
            assert "owner" in response.json()
        assert not CorrectiveAction.objects.exists() and not Action.objects.exists()

    def test_corrective_action_needs_causes_of_this_claim(self, staff, claim, engineer, user_a):
        other = file_claim(actor=user_a)
        services.claim_acknowledge(claim=other, actor=engineer)
        foreign = add_cause(other, engineer)
        body = {"title": "T", "owner": engineer.pk, "due_date": TODAY}
        response = staff.post(url(claim, "actions/"), body)
        assert response.status_code == 400 and "causes" in response.json()
        unknown = staff.post(url(claim, "actions/"), {**body, "causes": [foreign.pk]})
        assert unknown.status_code == 400 and "causes" in unknown.json()
        assert not Action.objects.exists()

    def test_kind_is_fixed_once_created(self, staff, claim, engineer):
        link = add_action(claim, engineer, [add_cause(claim, engineer)])
        response = staff.patch(url(claim, f"actions/{link.pk}/"), {"kind": "preventive"})
        assert response.status_code == 400 and "kind" in response.json()

    def test_preventive_actions_are_d7_and_filtered_by_kind(self, staff, claim, engineer):
        add_action(claim, engineer, [add_cause(claim, engineer)])
        created = staff.post(
            url(claim, "actions/"),
            {
                "kind": "preventive",
                "title": "Counters on all presses",
                "owner": engineer.pk,
                "due_date": TODAY,
            },
        )
        assert created.status_code == 201, created.content
        assert created.json()["causes"] == []
        assert step_status(claim, "D7") == "draft"
        kinds = [row["kind"] for row in staff.get(url(claim, "actions/?kind=preventive")).json()]
        assert kinds == ["preventive"]
        assert len(staff.get(url(claim, "actions/")).json()) == 2
        assert staff.get(url(claim, "actions/?kind=bogus")).status_code == 400

    def test_delete_while_open_only(self, staff, claim, engineer):
        cause = add_cause(claim, engineer)
        first, second = add_action(claim, engineer, [cause]), add_action(claim, engineer, [cause])
        assert staff.delete(url(claim, f"actions/{first.pk}/")).status_code == 204
        assert not Action.objects.filter(pk=first.action_id).exists()
        started = staff.post(f"/api/v1/actions/{second.action_id}/start/")
        assert started.status_code == 200
        assert staff.delete(url(claim, f"actions/{second.pk}/")).status_code == 409
        assert CorrectiveAction.objects.filter(pk=second.pk).exists()


@pytest.mark.django_db
class TestReadAcross:
    def test_add_change_and_delete(self, staff, claim):
        created = staff.post(
            url(claim, "read-across/"),
            {"scope": "line", "subject": "Press 5", "applicable": True, "measure": "Counter"},
        )
        assert created.status_code == 201, created.content
        row = created.json()
        changed = staff.patch(url(claim, f"read-across/{row['id']}/"), {"completed_on": TODAY})
        assert changed.status_code == 200
        assert changed.json()["completed_on"] == TODAY and changed.json()["subject"] == "Press 5"
        assert [r["id"] for r in staff.get(url(claim, "read-across/")).json()] == [row["id"]]
        assert staff.delete(url(claim, f"read-across/{row['id']}/")).status_code == 204
        assert staff.get(url(claim, "read-across/")).json() == []


# --- the discipline as a whole: content, guards, conflicts --------------------------------------


@pytest.mark.django_db
class TestSteps:
    def test_save_content_keeps_what_was_not_sent(self, staff, claim):
        save = url(claim, "steps/D2/save/")
        first = staff.post(save, {"summary": "S", "internal_note": "N"})
        assert first.status_code == 200, first.content
        saved = staff.post(save, {"content": D2_ANSWERS})
        assert saved.status_code == 200, saved.content
        body = saved.json()
        assert body["content"] == D2_ANSWERS
        assert body["summary"] == "S" and body["internal_note"] == "N"
        assert body["submit_problems"] == []

    def test_invalid_content_is_400_and_saves_nothing(self, staff, claim):
        response = staff.post(url(claim, "steps/D2/save/"), {"content": {"colour": "red"}})
        assert response.status_code == 400
        assert "content" in response.json()
        rowless = staff.post(url(claim, "steps/D1/save/"), {"content": {"what": "x"}})
        assert rowless.status_code == 400
        assert EightDStep.objects.get(claim=claim, code="D2").content == {}

    def test_submit_lists_every_problem(self, staff, claim, engineer):
        eightd.containment_save(claim=claim, actor=engineer, location="own_wip", method="sort")
        response = submit(staff, claim, "D3")
        assert response.status_code == 400
        problems = response.json()["detail"]
        assert len(problems) == len(Containment.Location.values)
        assert all(problem.startswith("D3:") for problem in problems)
        assert step_status(claim, "D3") == "draft"
        steps = {step["code"]: step for step in staff.get(url(claim, "steps/")).json()}
        assert steps["D3"]["submit_problems"] == problems
        assert steps["D0"]["submit_problems"]

    def test_customer_sees_no_problems_and_no_draft_content(self, staff, customer, claim):
        staff.post(url(claim, "steps/D2/save/"), {"content": D2_ANSWERS})
        steps = {step["code"]: step for step in customer.get(url(claim, "steps/")).json()}
        assert "submit_problems" not in steps["D2"]
        assert steps["D2"]["content"] == {}
        assert submit(staff, claim, "D2").status_code == 200
        steps = {step["code"]: step for step in customer.get(url(claim, "steps/")).json()}
        assert steps["D2"]["content"] == D2_ANSWERS

    def test_rows_of_a_submitted_discipline_are_409_until_sent_back(
        self, staff, customer, claim, engineer
    ):
        fill_step(claim, "D1", engineer)
        assert submit(staff, claim, "D1").status_code == 200
        member = TeamMember.objects.filter(claim=claim).first()
        member_url = url(claim, f"team/{member.pk}/")
        assert (
            staff.post(url(claim, "team/"), {"name": "Late", "role": "member"}).status_code == 409
        )
        assert staff.patch(member_url, {"name": "Renamed"}).status_code == 409
        assert staff.delete(member_url).status_code == 409
        assert TeamMember.objects.filter(claim=claim).count() == 4

        sent_back = customer.post(url(claim, "steps/D1/send-back/"), {"comment": "Add logistics"})
        assert sent_back.status_code == 200, sent_back.content
        assert staff.patch(member_url, {"name": "Renamed"}).status_code == 200

    def test_submitted_cause_cannot_be_verified(self, staff, claim, engineer):
        fill_step(claim, "D4", engineer)
        assert submit(staff, claim, "D4").status_code == 200
        cause = Cause.objects.filter(claim=claim).first()
        response = staff.post(url(claim, f"causes/{cause.pk}/rule-out/"), {"evidence": "x"})
        assert response.status_code == 409


# --- who sees and does what ---------------------------------------------------------------------


@pytest.mark.django_db
class TestCustomerView:
    def test_rows_appear_once_the_discipline_is_submitted(self, staff, customer, claim, engineer):
        fill_step(claim, "D4", engineer)
        assert customer.get(url(claim, "causes/")).json() == []
        assert len(staff.get(url(claim, "causes/")).json()) == 2
        assert submit(staff, claim, "D4").status_code == 200
        causes = customer.get(url(claim, "causes/")).json()
        assert len(causes) == 2 and all(cause["whys"] for cause in causes)

    def test_internal_only_actions_never_reach_the_customer(self, staff, customer, claim, engineer):
        fill_step(claim, "D4", engineer)
        fill_step(claim, "D5", engineer)
        cause = Cause.objects.filter(claim=claim).first()
        hidden = add_action(
            claim,
            engineer,
            [cause],
            title="SECRET-SUPPLIER-AUDIT",
            internal_only=True,
            verification="Audit plan reviewed",
        )
        assert customer.get(url(claim, "actions/")).json() == []
        assert submit(staff, claim, "D5").status_code == 200

        listed = customer.get(url(claim, "actions/"))
        assert len(listed.json()) == 2
        assert "SECRET" not in listed.content.decode()
        assert all("owner" not in row and row["owner_name"] for row in listed.json())
        core_list = customer.get("/api/v1/actions/?page_size=100")
        assert core_list.status_code == 200
        assert hidden.action_id not in [row["id"] for row in core_list.json()["results"]]
        assert customer.get(f"/api/v1/actions/{hidden.action_id}/").status_code == 404
        assert len(staff.get(url(claim, "actions/")).json()) == 3

    @pytest.mark.parametrize(
        "method, suffix, body",
        [
            ("post", "team/", {"name": "Me", "role": "member"}),
            ("post", "causes/", {}),
            ("patch", "causes/{cause}/", {"description": "Mine"}),
            ("post", "causes/{cause}/verify/", {"method": "m", "evidence": "e"}),
            ("delete", "causes/{cause}/", None),
            ("post", "steps/D4/save/", {"summary": "Mine"}),
        ],
    )
    def test_customer_writes_are_403(self, customer, claim, engineer, method, suffix, body):
        cause = add_cause(claim, engineer)
        response = getattr(customer, method)(url(claim, suffix.format(cause=cause.pk)), body)
        assert response.status_code == 403
        cause.refresh_from_db()
        assert cause.description == "Punch worn" and cause.status == "suspected"
        assert TeamMember.objects.count() == 0


@pytest.mark.django_db
class TestIsolation:
    @pytest.mark.parametrize(
        "suffix", ["team/", "containment/", "causes/", "actions/", "read-across/"]
    )
    def test_customer_b_gets_404_on_the_lists(self, api_client_for, user_b, claim, suffix):
        client = api_client_for(user_b)
        assert client.get(url(claim, suffix)).status_code == 404
        assert client.post(url(claim, suffix), {}).status_code == 404

    def test_customer_b_gets_404_on_the_rows(self, api_client_for, user_b, claim, engineer):
        cause = add_cause(claim, engineer)
        row = eightd.containment_save(
            claim=claim, actor=engineer, location="own_wip", method="sort"
        )
        client = api_client_for(user_b)
        assert (
            client.patch(url(claim, f"causes/{cause.pk}/"), {"leg": "systemic"}).status_code == 404
        )
        assert client.delete(url(claim, f"causes/{cause.pk}/")).status_code == 404
        assert client.post(url(claim, f"causes/{cause.pk}/rule-out/"), {}).status_code == 404
        assert client.post(url(claim, f"containment/{row.pk}/remove/"), {}).status_code == 404
        assert Cause.objects.filter(pk=cause.pk, leg="occurrence").exists()

    def test_a_row_of_another_claim_is_404(self, staff, claim, engineer, user_a):
        other = file_claim(actor=user_a)
        services.claim_acknowledge(claim=other, actor=engineer)
        foreign = add_cause(other, engineer)
        assert (
            staff.patch(url(claim, f"causes/{foreign.pk}/"), {"leg": "systemic"}).status_code == 404
        )
        assert staff.delete(url(claim, f"causes/{foreign.pk}/")).status_code == 404
        assert staff.post(url(claim, f"causes/{foreign.pk}/verify/"), {}).status_code == 404
        assert Cause.objects.filter(pk=foreign.pk).exists()

    def test_claims_themselves_cannot_be_deleted(self, staff, claim):
        assert staff.delete(url(claim, "")).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", ["causes/", "actions/"])
def test_list_query_count_does_not_grow_with_rows(staff, claim, engineer, suffix):
    def add_rows(count: int) -> None:
        for _ in range(count):
            add_action(claim, engineer, [add_cause(claim, engineer)])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = staff.get(url(claim, suffix))
        assert response.status_code == 200
        return len(captured), len(response.json())

    add_rows(2)
    few, listed = queries()
    assert listed == 2
    add_rows(8)
    many, listed = queries()
    assert listed == 10
    assert many == few
