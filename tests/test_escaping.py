"""What users type is shown as text: in pages (escaped HTML) and in the claim PDF (literal text)."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from claims import services
from claims.models import EightDStep
from claims.tests.factories import D2_ANSWERS, file_claim
from customers.tests.factories import PartFactory

SCRIPT = "<script>alert(1)</script>"
IMAGE = "<img src=x onerror=alert(1)>"
SCRIPT_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
IMAGE_ESCAPED = "&lt;img src=x onerror=alert(1)&gt;"
PAYLOAD = f"{SCRIPT} {IMAGE}"


@pytest.fixture
def hostile_claim(user_a, engineer):
    """A claim whose reference, symptom, comment and 8D answer all carry markup."""
    claim = file_claim(
        actor=user_a,
        part=PartFactory(customer=user_a.customer),
        customer_reference=SCRIPT,
        symptom=f"{PAYLOAD} on the mounting hole",
    )
    services.comment_add(claim=claim, actor=user_a, body=f"Please hurry {PAYLOAD}")
    services.claim_acknowledge(claim=claim, actor=engineer)
    step = EightDStep.objects.get(claim=claim, code="D2")
    services.step_save(
        step=step,
        actor=engineer,
        content={**D2_ANSWERS, "what": f"Burr {PAYLOAD}"},
        summary=f"Problem described {IMAGE}",
    )
    services.step_submit(step=step, actor=engineer)
    services.step_approve(step=step, actor=user_a)
    claim.refresh_from_db()
    return claim


def assert_shown_as_text(html: str, *, image_too: bool = True) -> None:
    assert SCRIPT_ESCAPED in html
    assert SCRIPT not in html
    assert "<img src=x" not in html
    assert "onerror=alert(1)>" not in html
    if image_too:
        assert IMAGE_ESCAPED in html


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["engineer", "user_a"])
def test_claim_page_shows_markup_as_text(client_for, request, hostile_claim, persona):
    client = client_for(request.getfixturevalue(persona))

    response = client.get(reverse("claims:claim-detail", args=[hostile_claim.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert_shown_as_text(html)
    assert f"Please hurry {SCRIPT_ESCAPED}" in html  # the comment
    assert html.count("<script") == html.count("<script src=")  # only our own files


@pytest.mark.django_db
def test_claim_list_shows_markup_as_text(client_for, engineer, hostile_claim):
    response = client_for(engineer).get(reverse("claims:claim-list"))

    assert response.status_code == 200
    assert hostile_claim.number in response.content.decode()
    assert_shown_as_text(response.content.decode())


@pytest.mark.django_db
def test_8d_page_shows_markup_as_text(client_for, engineer, hostile_claim):
    url = reverse("claims:eightd-step", args=[hostile_claim.pk, "D2"])

    response = client_for(engineer).get(url)

    assert response.status_code == 200
    html = response.content.decode()
    assert_shown_as_text(html)
    assert f"Burr {SCRIPT_ESCAPED}" in html


@pytest.mark.django_db
def test_claim_pdf_prints_markup_as_literal_text(client_for, user_a, hostile_claim):
    response = client_for(user_a).get(reverse("claims:claim-report", args=[hostile_claim.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.getvalue()))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    # Interpreted as HTML, the script would vanish and the img would become a (broken) picture.
    assert SCRIPT in text
    assert IMAGE in text
    assert f"Burr {SCRIPT}" in text
    assert not any(page.images for page in reader.pages)
