import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.services import token_create
from accounts.tests.factories import DEFAULT_PASSWORD
from claims import services
from claims.models import Claim, Containment, EightDStep
from core.models import Sequence
from customers.tests.factories import PartFactory

from .factories import D2_ANSWERS, ROOT_CAUSES, exe_upload, file_claim, png_upload


def _token_client(user) -> APIClient:
    """A client with a token issued on the profile page (``token_create``)."""
    _, key = token_create(user=user, name="integration")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def _signed_in_client(email: str) -> APIClient:
    """An external client: it signs in once for a token and sends only that token afterwards."""
    client = APIClient()
    response = client.post(
        "/api/v1/auth/token/", {"email": email, "password": DEFAULT_PASSWORD}, format="json"
    )
    assert response.status_code == 200, response.content
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return client


def _new_claim_body(part, **overrides):
    body = {
        "part": part.pk,
        "kind": "field",
        "severity": "critical",
        "detection_location": "field_dealer",
        "detection_date": "2026-02-27",
        "symptom": "Connector corroded",
        "suspect_qty": 40,
        "nonconforming_qty": 3,
        "ppm_qty": 3,
    }
    body.update(overrides)
    return body


@pytest.fixture
def claim_a(user_a):
    return file_claim(actor=user_a)


class ApiFlow:
    """Our engineer and the customer working one claim's 8D through the REST API alone."""

    def __init__(self, staff: APIClient, customer: APIClient, claim_url: str):
        self.staff, self.customer, self.claim_url = staff, customer, claim_url

    def add(self, segment: str, body: dict) -> dict:
        response = self.staff.post(f"{self.claim_url}{segment}/", body, format="json")
        assert response.status_code == 201, (segment, response.content)
        return response.json()

    def staff_post(self, path: str, body: dict | None = None) -> dict:
        response = self.staff.post(f"{self.claim_url}{path}", body or {}, format="json")
        assert response.status_code == 200, (path, response.content)
        return response.json()

    def save(self, code: str, content: dict) -> None:
        body = {"summary": f"{code} statement", "internal_note": "NOTE-FOR-US", "content": content}
        saved = self.staff_post(f"steps/{code}/save/", body)
        assert saved["content"] == content

    def submit_and_approve(self, code: str, claim_status: str) -> None:
        steps = self.staff.get(f"{self.claim_url}steps/").json()
        assert next(s for s in steps if s["code"] == code)["submit_problems"] == [], code
        self.staff_post(f"steps/{code}/submit/")
        approved = self.customer.post(f"{self.claim_url}steps/{code}/approve/", {"comment": "ok"})
        assert approved.status_code == 200, (code, approved.content)
        assert self.customer.get(self.claim_url).json()["status"] == claim_status, code


def _answer_the_8d(flow: ApiFlow, engineer) -> None:
    """Every discipline from D0 to D7, rows and content, approved by the customer."""
    flow.save("D0", {"emergency_response": "Shipments stopped, stock blocked"})
    flow.submit_and_approve("D0", "containment")

    for number, role in enumerate(["champion", "leader", "member", "member"]):
        flow.add("team", {"name": f"Person {number}", "role": role, "function": "Quality"})
    flow.submit_and_approve("D1", "containment")

    flow.save("D2", D2_ANSWERS)
    flow.submit_and_approve("D2", "containment")

    containments = {}
    for location in Containment.Location.values:
        if location == "own_finished":
            body = {"method": "sort", "qty_checked": 40, "verification": "Second sort"}
        else:
            body = {"not_applicable": True, "not_applicable_reason": "No stock there"}
        containments[location] = flow.add("containment", {"location": location, **body})
    flow.submit_and_approve("D3", "root_cause")

    causes = []
    for leg, text in ROOT_CAUSES.items():
        cause = flow.add(
            "causes",
            {
                "leg": leg,
                "category": "machine",
                "description": text,
                "whys": ["Why 1", "Why 2", "Why 3", "Why 4", "Why 5"],
                "is_root_cause": True,
            },
        )
        verified = flow.staff_post(
            f"causes/{cause['id']}/verify/", {"method": "On/off trial", "evidence": "Trial 12"}
        )
        assert verified["status"] == "verified"
        causes.append(cause["id"])
    flow.submit_and_approve("D4", "corrective_action")

    actions = [
        flow.add(
            "actions",
            {
                "kind": "corrective",
                "title": f"Remove cause {cause_id}",
                "owner": engineer.pk,
                "due_date": dt.date.today().isoformat(),
                "causes": [cause_id],
                "verification": "Trial run of 300 parts",
            },
        )
        for cause_id in causes
    ]
    flow.submit_and_approve("D5", "corrective_action")

    for action in actions:
        done = flow.staff.post(f"/api/v1/actions/{action['action_id']}/complete/", {"note": "Ok"})
        assert done.status_code == 200, done.content
        implemented = flow.staff_post(
            f"actions/{action['id']}/implement/",
            {"implemented_on": dt.date.today().isoformat(), "validation": "3 lots OK"},
        )
        assert implemented["status"] == "done" and implemented["completed_at"]
    removed = flow.staff_post(
        f"containment/{containments['own_finished']['id']}/remove/", {"note": "Fix works"}
    )
    assert removed["status"] == "removed"
    flow.submit_and_approve("D6", "prevention")

    flow.add("read-across", {"scope": "line", "subject": "Press 5", "measure": "Counter fitted"})
    flow.save(
        "D7",
        {
            "pfmea": "updated",
            "pfmea_reference": "PFMEA-4711 rev. C",
            "control_plan": "no_update",
            "no_update_reason": "Burr check already in the control plan",
        },
    )
    flow.submit_and_approve("D7", "customer_evaluation")


@pytest.mark.django_db
def test_whole_flow_through_the_api_alone(user_a, engineer):
    cache.clear()  # the sign-in throttle counts per address in the process-wide cache
    customer = _signed_in_client(user_a.email)
    staff = _token_client(engineer)
    part = PartFactory(customer=user_a.customer)

    created = customer.post("/api/v1/claims/", _new_claim_body(part), format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    claim_url = f"/api/v1/claims/{body['id']}/"
    assert body["status"] == "submitted" and body["customer"] == user_a.customer_id
    assert body["number"].startswith("CL-")

    assigned = staff.post(claim_url + "assign/", {"engineer": engineer.pk}, format="json")
    assert assigned.status_code == 200, assigned.content
    for name in ("acknowledge", "start-review", "accept-responsibility"):
        response = staff.post(claim_url + f"{name}/")
        assert response.status_code == 200, (name, response.content)
    assert response.json()["status"] == "containment"

    flow = ApiFlow(staff, customer, claim_url)
    _answer_the_8d(flow, engineer)

    flow.save("D8", {"closure_summary": "8D closed"})
    flow.staff_post("steps/D8/submit/")
    accepted = customer.post(claim_url + "customer-accept/", {"comment": "Thanks"})
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == "closed" and accepted.json()["closed_at"]

    steps = customer.get(claim_url + "steps/").json()
    assert [step["status"] for step in steps] == ["approved"] * 9
    assert all("internal_note" not in step and "submit_problems" not in step for step in steps)
    assert steps[2]["content"] == D2_ANSWERS
    assert "NOTE-FOR-US" not in customer.get(claim_url + "steps/").content.decode()
    assert len(customer.get(claim_url + "team/").json()) == 4
    assert [c["status"] for c in customer.get(claim_url + "causes/").json()] == ["verified"] * 2
    assert [a["status"] for a in customer.get(claim_url + "actions/").json()] == ["done"] * 2
    assert staff.post(claim_url + "team/", {"name": "Late", "role": "member"}).status_code == 409


@pytest.mark.django_db
class TestIsolation:
    @pytest.mark.parametrize("suffix", ["", "steps/", "comments/", "attachments/", "events/"])
    def test_customer_b_gets_404(self, api_client_for, user_b, claim_a, suffix):
        response = api_client_for(user_b).get(f"/api/v1/claims/{claim_a.pk}/{suffix}")
        assert response.status_code == 404

    def test_customer_b_cannot_comment_or_upload(self, api_client_for, user_b, claim_a):
        client = api_client_for(user_b)
        url = f"/api/v1/claims/{claim_a.pk}/"
        assert client.post(url + "comments/", {"body": "x"}).status_code == 404
        upload = client.post(url + "attachments/", {"file": [png_upload()]}, format="multipart")
        assert upload.status_code == 404

    def test_customer_b_cannot_file_on_a_part(self, api_client_for, user_b, customer_a):
        part_a = PartFactory(customer=customer_a)
        response = api_client_for(user_b).post(
            "/api/v1/claims/", _new_claim_body(part_a), format="json"
        )
        assert response.status_code == 400 and "part" in response.json()
        assert Claim.objects.count() == 0

    def test_list_shows_only_own_claims(self, api_client_for, user_b, claim_a):
        assert api_client_for(user_b).get("/api/v1/claims/").json()["count"] == 0


@pytest.mark.django_db
class TestRefusals:
    def test_invalid_transition_is_409_and_changes_nothing(self, api_client_for, engineer, claim_a):
        response = api_client_for(engineer).post(
            f"/api/v1/claims/{claim_a.pk}/reopen/", {"reason": "x"}
        )
        assert response.status_code == 409
        claim_a.refresh_from_db()
        assert claim_a.status == "submitted"

    def test_customer_may_not_acknowledge(self, api_client_for, user_a, claim_a):
        response = api_client_for(user_a).post(f"/api/v1/claims/{claim_a.pk}/acknowledge/")
        assert response.status_code == 403

    def test_reject_responsibility_needs_a_reason(self, api_client_for, engineer, claim_a):
        client = api_client_for(engineer)
        url = f"/api/v1/claims/{claim_a.pk}/"
        client.post(url + "acknowledge/")
        client.post(url + "start-review/")
        bad = client.post(url + "reject-responsibility/", {"rejection_code": "no_fault_found"})
        assert bad.status_code == 400
        ok = client.post(
            url + "reject-responsibility/",
            {"rejection_code": "customer_induced", "reason": "Handling damage"},
        )
        assert ok.status_code == 200 and ok.json()["status"] == "rejected"

    def test_draft_can_be_patched_submitted_cannot(self, api_client_for, user_a):
        draft = file_claim(actor=user_a, submit=False)
        client = api_client_for(user_a)
        url = f"/api/v1/claims/{draft.pk}/"
        assert client.patch(url, {"symptom": "Dent"}, format="json").json()["symptom"] == "Dent"
        assert client.post(url + "submit/").json()["status"] == "submitted"
        assert client.patch(url, {"symptom": "Other"}, format="json").status_code == 409

    def test_executable_upload_on_create_via_attachments_is_refused(
        self, api_client_for, user_a, claim_a
    ):
        response = api_client_for(user_a).post(
            f"/api/v1/claims/{claim_a.pk}/attachments/",
            {"file": [png_upload(), exe_upload("x.png")]},
            format="multipart",
        )
        assert response.status_code == 400
        assert Sequence.objects.get(prefix="CL").last_value == 1


@pytest.mark.django_db
def test_internal_content_never_reaches_the_customer(api_client_for, user_a, engineer, claim_a):
    services.claim_assign(claim=claim_a, engineer=engineer, actor=engineer)
    services.claim_acknowledge(claim=claim_a, actor=engineer)
    step = EightDStep.objects.get(claim=claim_a, code="D2")
    services.step_save(step=step, actor=engineer, summary="DRAFT-TEXT", internal_note="SECRET")
    services.comment_add(claim=claim_a, actor=engineer, body="HUSH", internal=True)
    client = api_client_for(user_a)
    url = f"/api/v1/claims/{claim_a.pk}/"
    everything = "".join(
        client.get(url + suffix).content.decode() for suffix in ("", "steps/", "comments/")
    )
    assert "SECRET" not in everything and "HUSH" not in everything
    assert "DRAFT-TEXT" not in everything
    assert 'assigned_engineer"' not in client.get(url).content.decode()
    staff = api_client_for(engineer).get(url + "steps/").content.decode()
    assert "SECRET" in staff


@pytest.mark.django_db
@pytest.mark.parametrize("viewer", ["engineer", "user_a"])
def test_api_list_query_count_does_not_grow(request, viewer, api_client_for, user_a, engineer):
    part = PartFactory(customer=user_a.customer)
    for _ in range(10):
        services.claim_acknowledge(claim=file_claim(actor=user_a, part=part), actor=engineer)
    client = api_client_for(request.getfixturevalue(viewer))

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/claims/?page_size=500").status_code == 200
        return len(queries)

    few = count()
    for _ in range(90):
        claim = file_claim(actor=user_a, part=part)
        services.claim_assign(claim=claim, engineer=engineer, actor=engineer)
    assert count() == few
