import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from claims import services
from claims.documents import render_claim_8d
from claims.models import EightDStep
from core.services import attachment_add

from .factories import file_claim, png_upload

D2_TEXT = "Burr height 0.4 mm on hole B, 12 of 500 parts, cavity 3"
D4_TEXT = "Worn punch on station 4 was not in the tool change plan"
INTERNAL_NOTE = "Supplier of the punch blamed internally ZX81"
INTERNAL_COMMENT = "Do not tell the customer about the tool budget QW42"


def _text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _image_count(content: bytes) -> int:
    """Distinct embedded images: WeasyPrint may list one image in every page's resources."""
    pages = PdfReader(io.BytesIO(content)).pages
    return len({image.data for page in pages for image in page.images})


def _step(claim, code):
    return EightDStep.objects.get(claim=claim, code=code)


def _answer(claim, code, summary, engineer, customer_user):
    step = _step(claim, code)
    services.step_save(step=step, actor=engineer, summary=summary, internal_note=INTERNAL_NOTE)
    services.step_submit(step=step, actor=engineer)
    services.step_approve(step=step, actor=customer_user)


@pytest.fixture
def worked_claim(user_a, engineer):
    """Claim A taken through D2 and D4, with an internal note and an internal comment."""
    claim = file_claim(actor=user_a)
    services.claim_acknowledge(claim=claim, actor=engineer)
    services.claim_start_review(claim=claim, actor=engineer)
    services.claim_accept_responsibility(claim=claim, actor=engineer)
    _answer(claim, "D2", D2_TEXT, engineer, user_a)
    _answer(claim, "D3", "Sorted 500 parts at our site", engineer, user_a)
    _answer(claim, "D4", D4_TEXT, engineer, user_a)
    services.comment_add(claim=claim, actor=engineer, body=INTERNAL_COMMENT, internal=True)
    claim.refresh_from_db()
    return claim


@pytest.mark.django_db
class TestReportContent:
    def test_contains_the_answered_disciplines_and_the_claim_header(self, worked_claim):
        text = _text(render_claim_8d(worked_claim))
        assert D2_TEXT in text
        assert D4_TEXT in text
        assert worked_claim.number in text
        assert worked_claim.part.part_number in text
        assert "D8" in text

    def test_never_contains_internal_notes_or_comments(self, worked_claim):
        text = _text(render_claim_8d(worked_claim))
        assert "ZX81" not in text
        assert "QW42" not in text

    def test_draft_discipline_text_stays_out_until_submitted(self, worked_claim, engineer):
        step = _step(worked_claim, "D5")
        services.step_save(step=step, actor=engineer, summary="Half-baked idea PL77")
        assert "PL77" not in _text(render_claim_8d(worked_claim))

    def test_embeds_customer_visible_photos_only(self, user_a, engineer):
        with_photo = file_claim(actor=user_a, uploads=[png_upload("burr.png")])
        assert _image_count(render_claim_8d(with_photo)) == 1

        without_photo = file_claim(actor=user_a)
        attachment_add(
            owner=without_photo,
            upload=png_upload("internal.png"),
            actor=engineer,
            policy=without_photo.customer.requirements.attachment_policy,
            internal_only=True,
        )
        assert _image_count(render_claim_8d(without_photo)) == 0


@pytest.mark.django_db
class TestReportDownload:
    def test_page_download_is_an_attachment_named_after_the_claim(
        self, client_for, user_a, worked_claim
    ):
        response = client_for(user_a).get(reverse("claims:claim-report", args=[worked_claim.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        expected = f'attachment; filename="{worked_claim.number}-8D.pdf"'
        assert response["Content-Disposition"] == expected
        assert D4_TEXT in _text(response.content)

    def test_staff_get_the_same_customer_facing_document(self, client_for, engineer, worked_claim):
        response = client_for(engineer).get(reverse("claims:claim-report", args=[worked_claim.pk]))
        assert response.status_code == 200
        text = _text(response.content)
        assert D2_TEXT in text and "ZX81" not in text and "QW42" not in text

    def test_other_customer_gets_404_on_the_page(self, client_for, user_b, worked_claim):
        response = client_for(user_b).get(reverse("claims:claim-report", args=[worked_claim.pk]))
        assert response.status_code == 404

    def test_api_download(self, api_client_for, user_a, worked_claim):
        response = api_client_for(user_a).get(
            f"/api/v1/claims/{worked_claim.pk}/report/", HTTP_ACCEPT="application/pdf"
        )
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert D2_TEXT in _text(response.content)

    def test_other_customer_gets_404_on_the_api(self, api_client_for, user_b, worked_claim):
        api = api_client_for(user_b)
        assert api.get(f"/api/v1/claims/{worked_claim.pk}/report/").status_code == 404
        response = api.get(
            f"/api/v1/claims/{worked_claim.pk}/report/", HTTP_ACCEPT="application/pdf"
        )
        assert response.status_code == 404

    def test_detail_page_links_the_report(self, client_for, user_a, worked_claim):
        response = client_for(user_a).get(worked_claim.get_absolute_url())
        assert reverse("claims:claim-report", args=[worked_claim.pk]) in response.content.decode()
