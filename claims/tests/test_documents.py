import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from claims import services
from claims.documents import render_claim_8d
from claims.eightd import services as eightd
from claims.models import EightDStep
from core.models import Attachment
from core.renditions import PAGE_SIZE, PDF_SIZE, rendition_name
from core.services import attachment_add

from .factories import D2_ANSWERS, file_claim, fill_step, png_upload

D2_TEXT = "Burr height 0.4 mm on hole B, 12 of 500 parts, cavity 3"
D4_TEXT = "Worn punch on station 4 was not in the tool change plan"
WHAT_TEXT = "Burr on mounting hole B of bracket HX-77"
IS_NOT_WHERE = "Holes A and C of the same bracket"
OCCURRENCE = "Punch on station 4 worn beyond its tool life"
OCCURRENCE_WHYS = [
    "Burr grows when the punch edge is blunt",
    "Punch ran 180000 strokes instead of 120000",
    "No stroke counter on press 4 to stop it",
]
NON_DETECTION = "Burr check not part of the final inspection for this family"
NON_DETECTION_WHYS = ["Final inspection checks the hole diameter only", "Control plan copied"]
RULED_OUT = "Steel coil outside specification"
VISIBLE_ACTION = "Stroke counter with automatic stop on press 4"
INTERNAL_ACTION = "Claim the punch cost back from the tool shop TB93"
INTERNAL_NOTE = "Supplier of the punch blamed internally ZX81"
INTERNAL_COMMENT = "Do not tell the customer about the tool budget QW42"


def _text(content: bytes) -> str:
    """The PDF's text with whitespace collapsed: table cells wrap wherever they like."""
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())


def _image_count(content: bytes) -> int:
    """Distinct embedded images: WeasyPrint may list one image in every page's resources."""
    pages = PdfReader(io.BytesIO(content)).pages
    return len({image.data for page in pages for image in page.images})


def _image_sizes(content: bytes) -> set[tuple[int, int]]:
    pages = PdfReader(io.BytesIO(content)).pages
    return {image.image.size for page in pages for image in page.images}


def _step(claim, code):
    return EightDStep.objects.get(claim=claim, code=code)


def _answer(claim, code, summary, engineer, customer_user, fill=fill_step):
    step = _step(claim, code)
    fill(claim, code, engineer)
    services.step_save(step=step, actor=engineer, summary=summary, internal_note=INTERNAL_NOTE)
    services.step_submit(step=step, actor=engineer)
    services.step_approve(step=step, actor=customer_user)


def _problem(claim, code, engineer):
    content = {**D2_ANSWERS, "what": WHAT_TEXT, "is_not_where": IS_NOT_WHERE}
    services.step_save(step=_step(claim, code), actor=engineer, content=content)


def _causes(claim, code, engineer):
    for leg, category, text, whys in (
        ("occurrence", "machine", OCCURRENCE, OCCURRENCE_WHYS),
        ("non_detection", "measurement", NON_DETECTION, NON_DETECTION_WHYS),
    ):
        cause = eightd.cause_save(
            claim=claim,
            actor=engineer,
            leg=leg,
            category=category,
            description=text,
            whys=whys,
            is_root_cause=True,
        )
        eightd.cause_verify(
            cause=cause, actor=engineer, method="Switched on and off", evidence="Trial T-12"
        )
    suspect = eightd.cause_save(
        claim=claim, actor=engineer, leg="occurrence", category="material", description=RULED_OUT
    )
    eightd.cause_rule_out(cause=suspect, actor=engineer, evidence="Mill certificate in spec")


def _actions(claim, code, engineer):
    occurrence = claim.causes.get(is_root_cause=True, leg="occurrence")
    non_detection = claim.causes.get(is_root_cause=True, leg="non_detection")
    for title, cause, internal in (
        (VISIBLE_ACTION, occurrence, False),
        ("Burr check added to final inspection", non_detection, False),
        (INTERNAL_ACTION, occurrence, True),
    ):
        eightd.corrective_action_save(
            claim=claim,
            actor=engineer,
            title=title,
            owner=engineer,
            due_date=dt.date(2026, 4, 30),
            causes=[cause],
            verification="Trial run of 300 parts without burr",
            internal_only=internal,
        )


@pytest.fixture
def worked_claim(user_a, engineer):
    """Claim A taken through D5, with an internal note, comment and internal-only action."""
    claim = file_claim(actor=user_a)
    services.claim_acknowledge(claim=claim, actor=engineer)
    services.claim_start_review(claim=claim, actor=engineer)
    services.claim_accept_responsibility(claim=claim, actor=engineer)
    _answer(claim, "D0", "Shipments stopped", engineer, user_a)
    _answer(claim, "D1", "Team named", engineer, user_a)
    _answer(claim, "D2", D2_TEXT, engineer, user_a, fill=_problem)
    _answer(claim, "D3", "Sorted 500 parts at our site", engineer, user_a)
    _answer(claim, "D4", D4_TEXT, engineer, user_a, fill=_causes)
    _answer(claim, "D5", "Counter and check chosen", engineer, user_a, fill=_actions)
    services.comment_add(claim=claim, actor=engineer, body=INTERNAL_COMMENT, internal=True)
    claim.refresh_from_db()
    return claim


@pytest.mark.django_db
class TestReportContent:
    def test_contains_the_claim_header_and_who_submitted_and_approved_each_discipline(
        self, worked_claim, engineer, user_a
    ):
        text = _text(render_claim_8d(worked_claim))
        assert D2_TEXT in text
        assert D4_TEXT in text
        assert worked_claim.number in text
        assert worked_claim.part.part_number in text
        assert "D8" in text
        # Without spaces: text extraction splits kerned pairs of generated names ("T ammy").
        approvals = text[text.index("Approvals") :].replace(" ", "")
        assert str(engineer).replace(" ", "") in approvals
        assert str(user_a).replace(" ", "") in approvals

    def test_shows_the_problem_description_and_the_root_causes_with_their_5_whys(
        self, worked_claim
    ):
        text = _text(render_claim_8d(worked_claim))
        assert WHAT_TEXT in text
        assert IS_NOT_WHERE in text
        assert "12 of 500" in text
        for phrase in (OCCURRENCE, NON_DETECTION, *OCCURRENCE_WHYS, *NON_DETECTION_WHYS):
            assert phrase in text
        assert "Trial T-12" in text
        assert RULED_OUT in text and "Mill certificate in spec" in text
        assert "Ruled out" in text

    def test_shows_team_containment_and_chosen_actions(self, worked_claim, engineer):
        text = _text(render_claim_8d(worked_claim))
        assert "Person 0" in text and "Champion" in text
        assert "Own plant: finished goods" in text and "No stock there" in text
        assert "Second sort found no burr" in text
        assert VISIBLE_ACTION in text
        assert "Trial run of 300 parts without burr" in text

    def test_never_contains_internal_notes_comments_or_actions(self, worked_claim):
        text = _text(render_claim_8d(worked_claim))
        assert "ZX81" not in text
        assert "QW42" not in text
        assert "TB93" not in text

    def test_draft_discipline_text_and_rows_stay_out_until_submitted(self, worked_claim, engineer):
        step = _step(worked_claim, "D7")
        services.step_save(step=step, actor=engineer, summary="Half-baked idea PL77")
        eightd.read_across_save(
            claim=worked_claim, actor=engineer, scope="line", subject="Press 5 punch KV55"
        )
        text = _text(render_claim_8d(worked_claim))
        assert "PL77" not in text
        assert "KV55" not in text

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

    def test_embeds_the_small_rendition_never_the_original(self, settings, tmp_path, user_a):
        settings.MEDIA_ROOT = str(tmp_path)
        buffer = io.BytesIO()
        Image.new("RGB", (4000, 3000), "orange").save(buffer, format="JPEG")
        photo = SimpleUploadedFile("wide.jpg", buffer.getvalue(), content_type="image/jpeg")
        claim = file_claim(actor=user_a, uploads=[photo])
        attachment = Attachment.objects.for_owner(claim).get()
        rendition = tmp_path / rendition_name(attachment, PDF_SIZE)
        made_at_upload = rendition.stat().st_mtime_ns

        sizes = _image_sizes(render_claim_8d(claim))
        assert sizes == {(PDF_SIZE, 1200)}
        assert rendition.stat().st_mtime_ns == made_at_upload  # used, not made again

    def test_older_photo_gets_its_rendition_when_the_report_needs_it(
        self, settings, tmp_path, user_a
    ):
        settings.MEDIA_ROOT = str(tmp_path)
        claim = file_claim(actor=user_a, uploads=[png_upload("burr.png")])
        attachment = Attachment.objects.for_owner(claim).get()
        for size in (PDF_SIZE, PAGE_SIZE):
            (tmp_path / rendition_name(attachment, size)).unlink()
        assert _image_sizes(render_claim_8d(claim)) == {(4, 4)}
        assert (tmp_path / rendition_name(attachment, PDF_SIZE)).is_file()


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
        text = _text(response.content)
        assert D4_TEXT in text and OCCURRENCE in text
        assert INTERNAL_ACTION not in text and "ZX81" not in text

    def test_staff_get_the_same_customer_facing_document(self, client_for, engineer, worked_claim):
        response = client_for(engineer).get(reverse("claims:claim-report", args=[worked_claim.pk]))
        assert response.status_code == 200
        text = _text(response.content)
        assert D2_TEXT in text and VISIBLE_ACTION in text
        assert "ZX81" not in text and "QW42" not in text and "TB93" not in text

    def test_other_customer_gets_404_on_the_page(self, client_for, user_b, worked_claim):
        response = client_for(user_b).get(reverse("claims:claim-report", args=[worked_claim.pk]))
        assert response.status_code == 404

    def test_api_download(self, api_client_for, engineer, worked_claim):
        response = api_client_for(engineer).get(
            f"/api/v1/claims/{worked_claim.pk}/report/", HTTP_ACCEPT="application/pdf"
        )
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        text = _text(response.content)
        assert WHAT_TEXT in text
        assert "TB93" not in text and "ZX81" not in text

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
