import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.services import token_create
from claims import services
from claims.models import Claim, EightDStep
from core.models import Sequence
from customers.tests.factories import PartFactory

from .factories import exe_upload, file_claim, png_upload

STEP_FLOW = {
    "D0": "containment",
    "D1": "containment",
    "D2": "containment",
    "D3": "root_cause",
    "D4": "corrective_action",
    "D5": "corrective_action",
    "D6": "prevention",
    "D7": "customer_evaluation",
}


def _token_client(user) -> APIClient:
    _, key = token_create(user=user, name="integration")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
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


@pytest.mark.django_db
def test_whole_flow_through_the_api_alone(user_a, engineer):
    customer = _token_client(user_a)
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

    for code, status in STEP_FLOW.items():
        step_url = f"{claim_url}steps/{code}/"
        saved = staff.post(step_url + "save/", {"summary": f"{code} text", "internal_note": "n"})
        assert saved.status_code == 200, saved.content
        assert staff.post(step_url + "submit/").status_code == 200
        approved = customer.post(step_url + "approve/", {"comment": "fine"})
        assert approved.status_code == 200, approved.content
        assert customer.get(claim_url).json()["status"] == status, code

    staff.post(f"{claim_url}steps/D8/save/", {"summary": "Closed"})
    staff.post(f"{claim_url}steps/D8/submit/")
    accepted = customer.post(claim_url + "customer-accept/", {"comment": "Thanks"})
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == "closed" and accepted.json()["closed_at"]

    steps = customer.get(claim_url + "steps/").json()
    assert [step["status"] for step in steps] == ["approved"] * 9
    assert all("internal_note" not in step for step in steps)


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
