"""The PSW PDF and the package ZIP."""

import datetime as dt
import io
import zipfile

import pytest
from pypdf import PdfReader

from ppap import documents
from ppap.reasons import SubmissionReason

from . import factories as f

pytestmark = pytest.mark.django_db


def _pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


def test_psw_pdf_shows_part_number_reason_and_level(engineer, manager, customer_a):
    from customers.tests.factories import PartFactory

    part = PartFactory(customer=customer_a, part_number="OUR-4711", customer_part_number="CP-0815")
    submission = f.sendable(
        engineer, manager, part=part, reason=SubmissionReason.TOOLING_INACTIVE, level=2
    )
    text = " ".join(_pdf_text(documents.render_psw(submission)).split())
    assert "CP-0815" in text and "OUR-4711" in text
    assert "Reason: Tooling inactive > 1 year" in text
    assert "Level 2: warrant with product samples" in text
    assert "Signed electronically by" in text


def test_package_holds_the_psw_and_the_submitted_files_only(engineer, manager, customer_a):
    submission = f.sendable(engineer, manager, customer=customer_a, level=1)
    retained = submission.elements.get(number=6)  # retained at level 1: stays at home
    f.attach(retained, engineer, "pfmea.txt")
    aar = submission.elements.get(number=13)
    response = documents.package_response(submission)
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    assert names[0] == documents.psw_filename(submission)
    assert archive.read(names[0]).startswith(b"%PDF")
    assert any(name.startswith("13-") and name.endswith(".txt") for name in names)
    assert not any("pfmea" in name for name in names)
    assert len(names) == 2
    assert aar.number == 13


def _words(length: int) -> str:
    """Text of ``length`` characters made of words, so the layout can wrap it as it would."""
    sentence = "Neues Werkzeug für den Gehäusedeckel, Zeichnung Stand C. "
    return (sentence * (length // len(sentence) + 1))[:length].strip()


@pytest.mark.parametrize("language", ["en", "de"])
def test_psw_fits_on_one_page_like_the_aiag_form_even_when_every_field_is_full(
    engineer, manager, customer_a, language
):
    from django.utils import translation

    from ppap.models import PpapSubmission, Warrant

    text_fields = {
        field.name: _words(min(field.max_length or 5_000, 5_000))
        for field in Warrant._meta.get_fields()
        if getattr(field, "get_internal_type", lambda: "")() in ("CharField", "TextField")
        and not field.choices
        and field.name not in ("signer_email",)
    }
    submission = f.draft(engineer, customer=customer_a, reason_detail=_words(2_000))
    f.make_elements_ready(submission, engineer)
    f.complete_warrant(submission, engineer, **text_fields)
    # The customer's part of the form as full as it gets (an interim approval with every note).
    PpapSubmission.objects.filter(pk=submission.pk).update(
        status=PpapSubmission.Status.INTERIM,
        interim_expires_on=dt.date(2027, 3, 31),
        interim_quantity=5_000,
        **{
            name: _words(5_000)
            for name in (
                "interim_nonconformities",
                "interim_action_plan",
                "risk_assessment",
                "decision_comment",
            )
        },
    )
    submission.refresh_from_db()
    with translation.override(language):
        pages = PdfReader(io.BytesIO(documents.render_psw(submission))).pages
    assert len(pages) == 1
