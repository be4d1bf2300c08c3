"""Dates read one way in every language: never ``12/07/2026`` (7 December or 12 July?).

Every page of the demo world that shows dates is rendered in English and German, for our staff and
for a customer user, with PDFs and mails; none may contain a date written with slashes.
"""

import datetime as dt
import io
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import formats, translation
from pypdf import PdfReader

from accounts.models import User
from audits.models import Audit, Finding
from changes.models import ChangeRequest, Deviation
from claims.models import Claim
from ppap.models import PpapSubmission
from tests.test_demo import demo_world, everything  # noqa: F401 (fixtures: the demo world)

# 12/07/2026, 7/12/26 …: the American and British forms that a reader cannot tell apart.
SLASHED_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/(\d{4}|\d{2})\b")
NAMED_FORMATS = ("DATE_FORMAT", "SHORT_DATE_FORMAT", "DATETIME_FORMAT", "SHORT_DATETIME_FORMAT")
LANGUAGES = ("en", "de")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", NAMED_FORMATS)
def test_every_named_format_is_unambiguous(language, name):
    moment = dt.datetime(2026, 12, 7, 14, 30)
    with translation.override(language):
        written = formats.date_format(moment, name)
    assert not SLASHED_DATE.search(written), written
    assert "Dec" in written or "Dez" in written or "07.12.2026" in written, written


def test_english_input_refuses_the_ambiguous_form():
    from django import forms

    field = forms.DateField()
    with translation.override("en"):
        assert field.clean("2026-12-07") == dt.date(2026, 12, 7)
        assert field.clean("7 Dec 2026") == dt.date(2026, 12, 7)
        with pytest.raises(forms.ValidationError):
            field.clean("12/07/2026")


def _visible_text(html: str) -> str:
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    return re.sub(r"<[^>]+>", " ", html)


def _pages() -> list[str]:
    """The lists, one record page of each kind (the one with the longest history), the
    dashboard and the other pages that print dates."""
    records = [
        ("claims:claim-detail", Claim.objects.order_by("-version").first()),
        ("changes:change-detail", ChangeRequest.objects.order_by("-version").first()),
        ("changes:deviation-detail", Deviation.objects.order_by("-version").first()),
        ("ppap:submission-detail", PpapSubmission.objects.order_by("-version").first()),
        ("audits:audit-detail", Audit.objects.order_by("-version").first()),
        ("audits:finding-detail", Finding.objects.order_by("-pk").first()),
    ]
    lists = [
        "core:home",
        "core:my-actions",
        "claims:claim-list",
        "changes:change-list",
        "changes:deviation-list",
        "ppap:submission-list",
        "audits:audit-list",
        "audits:finding-list",
        "audits:programme-list",
        "metrics:dashboard",
        "metrics:report-list",
        "metrics:delivery-list",
        "notifications:list",
        "accounts:profile",
    ]
    return [reverse(name) for name in lists] + [
        reverse(name, args=[record.pk]) for name, record in records if record
    ]


@pytest.mark.usefixtures("everything")
class TestDemoWorld:
    @pytest.mark.parametrize("email", ["engineer@demo.example", "quality@autowerk.example"])
    @pytest.mark.parametrize("language", LANGUAGES)
    def test_no_page_writes_a_date_with_slashes(self, client, email, language):
        client.force_login(User.objects.get(email=email))
        for url in _pages():
            response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
            if response.status_code in (302, 403, 404):  # a page or record not for this user
                continue
            assert response.status_code == 200, url
            text = _visible_text(response.content.decode())
            assert not SLASHED_DATE.search(text), (url, SLASHED_DATE.search(text).group())

    @pytest.mark.parametrize("language", LANGUAGES)
    def test_no_pdf_writes_a_date_with_slashes(self, client, language):
        client.force_login(User.objects.get(email="engineer@demo.example"))
        claim = Claim.objects.exclude(status="draft").order_by("-version").first()
        submission = PpapSubmission.objects.order_by("-version").first()
        for url in (
            reverse("claims:claim-report", args=[claim.pk]),
            reverse("ppap:psw-pdf", args=[submission.pk]),
        ):
            response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
            assert response.status_code == 200, url
            content = (
                b"".join(response.streaming_content) if response.streaming else response.content
            )
            pages = PdfReader(io.BytesIO(content)).pages
            text = " ".join(page.extract_text() or "" for page in pages)
            assert not SLASHED_DATE.search(text), (url, SLASHED_DATE.search(text).group())

    def test_no_mail_writes_a_date_with_slashes(self, settings):
        from notifications.tasks import send_digests

        mail.outbox.clear()
        send_digests()
        for message in mail.outbox:
            bodies = [message.body] + [body for body, _ in getattr(message, "alternatives", [])]
            for body in bodies:
                assert not SLASHED_DATE.search(body), SLASHED_DATE.search(body).group()
