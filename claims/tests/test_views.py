import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import services
from claims.models import Claim, EightDStep
from core.models import Attachment
from customers.tests.factories import PartFactory

from .factories import exe_upload, file_claim, fill_step, png_upload


def _detail(claim):
    return reverse("claims:claim-detail", args=[claim.pk])


def _form_data(part, **overrides):
    data = {
        "part": part.pk,
        "kind": "0km",
        "severity": "major",
        "detection_location": "line",
        "detection_date": "2026-03-02",
        "symptom": "Cracked housing",
        "suspect_qty": 10,
        "nonconforming_qty": 2,
        "ppm_qty": 2,
    }
    data.update(overrides)
    return data


@pytest.fixture
def claim_a(user_a):
    return file_claim(actor=user_a)


@pytest.mark.django_db
class TestFiling:
    def test_customer_files_with_two_photos(self, client_for, user_a):
        part = PartFactory(customer=user_a.customer)
        data = _form_data(part, files=[png_upload("a.png"), png_upload("b.png")])
        response = client_for(user_a).post(reverse("claims:claim-create"), data)
        claim = Claim.objects.get()
        assert response.status_code == 302 and response.url == _detail(claim)
        assert claim.status == "submitted" and claim.created_by == user_a
        assert Attachment.objects.for_owner(claim).count() == 2

    def test_bad_file_shows_error_and_saves_nothing(self, client_for, user_a):
        part = PartFactory(customer=user_a.customer)
        data = _form_data(part, files=[png_upload(), exe_upload("evil.png")])
        response = client_for(user_a).post(reverse("claims:claim-create"), data)
        assert response.status_code == 400
        assert "is a program" in response.content.decode()
        assert Claim.objects.count() == 0 and Attachment.objects.count() == 0

    def test_part_chooser_offers_only_own_parts(self, client_for, user_a, customer_b):
        own = PartFactory(customer=user_a.customer)
        other = PartFactory(customer=customer_b)
        page = client_for(user_a).get(reverse("claims:claim-create")).content.decode()
        assert own.part_number in page and other.part_number not in page

    def test_customer_b_cannot_file_on_a_part(self, client_for, user_b, customer_a):
        part_a = PartFactory(customer=customer_a)
        response = client_for(user_b).post(reverse("claims:claim-create"), _form_data(part_a))
        assert response.status_code == 400
        assert Claim.objects.count() == 0


@pytest.mark.django_db
class TestIsolation:
    def test_customer_b_gets_404_on_a_claim(self, client_for, user_b, claim_a):
        client = client_for(user_b)
        assert client.get(_detail(claim_a)).status_code == 404
        url = reverse("claims:comment-add", args=[claim_a.pk])
        assert client.post(url, {"body": "hi"}).status_code == 404
        url = reverse("claims:attachment-add", args=[claim_a.pk])
        assert client.post(url, {"files": [png_upload()]}).status_code == 404
        assert claim_a.number not in client.get(reverse("claims:claim-list")).content.decode()

    def test_inbox_is_staff_only(self, client_for, user_a):
        assert client_for(user_a).get(reverse("claims:inbox")).status_code == 403


@pytest.mark.django_db
class TestClaimPage:
    def test_engineer_acknowledges_through_the_page(self, client_for, engineer, claim_a):
        client = client_for(engineer)
        page = client.get(_detail(claim_a)).content.decode()
        assert "Acknowledge" in page
        url = reverse("claims:claim-transition", args=[claim_a.pk, "acknowledge"])
        assert client.post(url).status_code == 302
        claim_a.refresh_from_db()
        assert claim_a.status == "acknowledged"

    def test_invalid_transition_shows_message_and_changes_nothing(
        self, client_for, engineer, claim_a
    ):
        url = reverse("claims:claim-transition", args=[claim_a.pk, "accept_responsibility"])
        response = client_for(engineer).post(url, follow=True)
        assert "is not possible while the record is" in response.content.decode()
        claim_a.refresh_from_db()
        assert claim_a.status == "submitted"

    def test_customer_cannot_acknowledge(self, client_for, user_a, claim_a):
        url = reverse("claims:claim-transition", args=[claim_a.pk, "acknowledge"])
        response = client_for(user_a).post(url, follow=True)
        assert "not allowed" in response.content.decode()
        claim_a.refresh_from_db()
        assert claim_a.status == "submitted"

    def test_internal_notes_and_comments_hidden_from_customer(
        self, client, engineer, user_a, claim_a
    ):
        services.claim_acknowledge(claim=claim_a, actor=engineer)
        step = EightDStep.objects.get(claim=claim_a, code="D0")
        services.step_save(step=step, actor=engineer, summary="Sorted 500", internal_note="SECRET")
        fill_step(claim_a, "D0", engineer)
        services.step_submit(step=step, actor=engineer)
        services.comment_add(claim=claim_a, actor=engineer, body="HUSH-HUSH", internal=True)
        services.comment_add(claim=claim_a, actor=engineer, body="Parts are on hold")
        client.force_login(user_a)
        page = client.get(_detail(claim_a)).content.decode()
        assert "Sorted 500" in page and "Parts are on hold" in page
        assert "SECRET" not in page and "HUSH-HUSH" not in page
        assert "Approve" in page
        client.force_login(engineer)
        page = client.get(_detail(claim_a)).content.decode()
        assert "SECRET" in page and "HUSH-HUSH" in page

    def test_customer_approves_a_step_on_the_page(self, client_for, engineer, user_a, claim_a):
        services.claim_acknowledge(claim=claim_a, actor=engineer)
        step = EightDStep.objects.get(claim=claim_a, code="D1")
        services.step_save(step=step, actor=engineer, summary="Team")
        fill_step(claim_a, "D1", engineer)
        services.step_submit(step=step, actor=engineer)
        url = reverse("claims:step-action", args=[claim_a.pk, "D1", "approve"])
        client_for(user_a).post(url, {"comment": ""})
        step.refresh_from_db()
        assert step.status == "approved" and step.decided_by == user_a


def _list_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "viewer,url_name",
    [
        ("engineer", "claims:claim-list"),
        ("engineer", "claims:inbox"),
        ("user_a", "claims:claim-list"),
    ],
)
def test_list_query_count_does_not_grow(request, client, viewer, url_name, user_a, engineer):
    user = request.getfixturevalue(viewer)
    part = PartFactory(customer=user_a.customer)
    for _ in range(10):
        services.claim_acknowledge(claim=file_claim(actor=user_a, part=part), actor=engineer)
    client.force_login(user)
    url = reverse(url_name)
    few = _list_queries(client, url)
    for _ in range(90):
        claim = file_claim(actor=user_a, part=part)
        services.claim_assign(claim=claim, engineer=engineer, actor=engineer)
    many = _list_queries(client, url)
    # Fewer, not more: the filter form's choices, read for the first page, did not change.
    assert many <= few


@pytest.mark.django_db
def test_engineer_sets_the_defect_source_on_the_claim_page(claim_a, engineer, user_a, client_for):
    url = reverse("claims:claim-transition", args=[claim_a.pk, "classify"])
    response = client_for(engineer).post(url, {"defect_source": "manufacturing"}, follow=True)
    assert response.status_code == 200
    claim_a.refresh_from_db()
    assert claim_a.defect_source == "manufacturing"
    assert 'id="classify"' in response.content.decode()
    customer_page = client_for(user_a).get(_detail(claim_a)).content.decode()
    assert "Defect source" not in customer_page
    client_for(user_a).post(url, {"defect_source": "design"})
    claim_a.refresh_from_db()
    assert claim_a.defect_source == "manufacturing"
