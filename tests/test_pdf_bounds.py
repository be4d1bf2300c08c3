"""PDFs bounded in time and memory; heavy ones made by the worker and kept (core/pdf, downloads).

The maximal 8D (every text at its limit, six 40 MP photos: tests/maximal.py) is the heaviest
document a customer can cause; it must render within the worker's bound, and the process that
asked for it must not keep the layout's memory.
"""

from __future__ import annotations

import io
import resource
import time

import pytest
from django.core.files.storage import default_storage
from django.template import Context, Template
from django.urls import reverse
from pypdf import PdfReader

from claims.documents import CLAIM_8D, claim_8d_html, render_claim_8d
from claims.tests.factories import file_claim
from core import downloads, limits, pdf

from .maximal import PHOTOS, maximal_claim

PARAGRAPH = "<p>Burr on hole B, sorted and checked.</p>"
LONG_DOCUMENT = f"<html><body>{PARAGRAPH * 40_000}</body></html>"
# The figures stated in the README ("PDF bounds"): the maximal 8D within this many seconds, the
# layout process below this many megabytes, the asking process growing by less than this.
MAXIMAL_8D_SECONDS = 60
LAYOUT_PEAK_MB = 900
ASKING_PROCESS_GROWTH_MB = 60


def _text(content: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split()
    )


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


class TestBoundedLayout:
    def test_a_document_over_the_time_bound_is_refused_with_a_message(self, settings):
        settings.CQM_PDF_SECONDS = 1
        started = time.monotonic()
        with pytest.raises(pdf.PdfTooHeavy, match="longer than 1 seconds"):
            pdf.html_to_pdf(LONG_DOCUMENT)
        assert time.monotonic() - started < 5  # the child is killed, not waited for

    def test_a_document_over_the_memory_bound_is_refused_with_a_message(self, settings):
        # Starved of memory, the layout either fails at once ("more memory") or, inside a C
        # library, stops making progress until the time bound ends it: refused either way.
        settings.CQM_PDF_SECONDS = 20
        settings.CQM_PDF_MEMORY_MB = 20
        started = time.monotonic()
        with pytest.raises(pdf.PdfTooHeavy) as refusal:
            pdf.html_to_pdf(LONG_DOCUMENT)
        assert "more memory" in str(refusal.value) or "longer than 20 seconds" in str(refusal.value)
        assert time.monotonic() - started < 30

    def test_errors_of_the_layout_reach_the_caller(self, settings):
        settings.CQM_PDF_SECONDS = 30
        with pytest.raises(pdf.RefusedResource):
            pdf.local_url_fetcher("http://example.com/x.png")
        content = pdf.html_to_pdf('<p>Photo</p><img src="http://example.com/x.png">')
        assert "Photo" in _text(content)  # a refused image leaves the rest of the document

    def test_the_worker_bound_is_longer_than_the_web_bound(self, settings):
        settings.CQM_PDF_SECONDS = 1
        settings.CQM_PDF_WORKER_SECONDS = 60
        with pdf.worker_budget():
            assert _text(pdf.html_to_pdf(f"<html><body>{PARAGRAPH * 4_000}</body></html>"))

    def test_the_generated_time_is_filled_in_at_layout(self):
        html = Template("{{ note }}").render(Context({"note": pdf.generated_note()}))
        assert "[[generated:" in html
        text = _text(pdf.html_to_pdf(html))
        assert "Generated 20" in text
        assert "[[generated" not in text


class TestExcerpt:
    def test_long_comments_are_shortened_and_say_so(self):
        template = Template("{% load core_tags %}{{ text|excerpt }}")
        short = "x" * limits.PDF_EXCERPT
        assert template.render(Context({"text": short})) == short
        long = "y" * (limits.PDF_EXCERPT + 500)
        shown = template.render(Context({"text": long}))
        assert shown.startswith("y" * limits.PDF_EXCERPT + " … (shortened; 1,500 characters")


@pytest.mark.django_db
class TestMaximal8D:
    def test_renders_within_the_bound_and_the_asking_process_stays_small(
        self, media, user_a, engineer, settings
    ):
        claim = maximal_claim(user_a, engineer)
        before = _rss_mb()
        started = time.monotonic()
        with pdf.worker_budget():
            content = render_claim_8d(claim)
        seconds = time.monotonic() - started
        growth = _rss_mb() - before
        layout_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"maximal 8D: {seconds:.1f} s, layout peak {layout_peak:.0f} MB, +{growth:.0f} MB")

        reader = PdfReader(io.BytesIO(content))
        images = {image.data for page in reader.pages for image in page.images}
        assert len(images) == PHOTOS
        assert "shortened;" in _text(content)
        assert seconds < MAXIMAL_8D_SECONDS
        assert layout_peak < LAYOUT_PEAK_MB
        assert growth < ASKING_PROCESS_GROWTH_MB

    def test_its_html_is_heavy_so_a_download_goes_through_the_worker(self, media, user_a, engineer):
        claim = maximal_claim(user_a, engineer)
        assert len(claim_8d_html(claim).encode()) > downloads.settings.CQM_PDF_INLINE_MAX_BYTES


@pytest.mark.django_db
class TestHeavyDownloads:
    """Test settings run Celery eagerly: the worker's part happens within the request."""

    @pytest.fixture
    def claim(self, media, user_a, settings):
        settings.CQM_PDF_INLINE_MAX_BYTES = 1_000  # every 8D counts as heavy here
        return file_claim(actor=user_a)

    def _kept(self, media):
        return sorted(path.name for path in media.rglob("*.pdf"))

    def test_made_once_by_the_worker_then_served_from_storage(
        self, client_for, user_a, claim, media
    ):
        client = client_for(user_a)
        url = reverse("claims:claim-report", args=[claim.pk])
        first = client.get(url)
        assert first.status_code == 200
        assert first["Content-Disposition"] == f'attachment; filename="{claim.number}-8D.pdf"'
        kept = self._kept(media)
        assert len(kept) == 1
        stored_at = next(media.rglob("*.pdf")).stat().st_mtime_ns

        second = client.get(url)
        assert b"".join(second.streaming_content) == b"".join(first.streaming_content)
        assert next(media.rglob("*.pdf")).stat().st_mtime_ns == stored_at

    def test_a_change_to_the_record_makes_a_new_document(self, client_for, user_a, claim, media):
        client = client_for(user_a)
        url = reverse("claims:claim-report", args=[claim.pk])
        client.get(url)
        claim.symptom = "Crack at the weld seam"
        claim.save(update_fields=["symptom"])
        assert "Crack at the weld seam" in _text(b"".join(client.get(url).streaming_content))
        assert len(self._kept(media)) == 2

    def test_without_a_result_yet_the_page_says_it_is_being_prepared(
        self, client_for, user_a, claim, settings
    ):
        settings.CELERY_TASK_ALWAYS_EAGER = False  # published to the test broker, not run
        response = client_for(user_a).get(reverse("claims:claim-report", args=[claim.pk]))
        assert response.status_code == 202
        assert response["Retry-After"] == "3"
        assert b'data-testid="document-preparing"' in response.content
        assert b'http-equiv="refresh"' in response.content

    def test_the_api_answers_202_with_retry_after_then_the_pdf(
        self, api_client_for, user_a, claim, settings
    ):
        settings.CELERY_TASK_ALWAYS_EAGER = False
        client = api_client_for(user_a)
        url = f"/api/v1/claims/{claim.pk}/report/"
        waiting = client.get(url, HTTP_ACCEPT="application/pdf")
        assert waiting.status_code == 202
        assert "being prepared" in waiting.json()["detail"]

        downloads.render_document(CLAIM_8D.name, claim.pk, "en")  # as the worker does
        ready = client.get(url, HTTP_ACCEPT="application/pdf")
        assert ready.status_code == 200
        assert b"".join(ready.streaming_content).startswith(b"%PDF")

    def test_a_document_over_the_bound_gets_a_clear_message_not_a_retry_loop(
        self, client_for, user_a, claim, settings
    ):
        settings.CQM_PDF_WORKER_SECONDS = 0.001
        client = client_for(user_a)
        url = reverse("claims:claim-report", args=[claim.pk])
        for _attempt in range(2):
            response = client.get(url)
            assert response.status_code == 422
            assert b'data-testid="document-refused"' in response.content
            assert b"longer than" in response.content

    def test_another_customer_still_gets_404(self, client_for, user_b, claim):
        assert (
            client_for(user_b).get(reverse("claims:claim-report", args=[claim.pk])).status_code
            == 404
        )

    def test_old_documents_are_pruned(self, client_for, user_a, claim, media):
        client_for(user_a).get(reverse("claims:claim-report", args=[claim.pk]))
        assert downloads.prune(days=1) == 0
        assert downloads.prune(days=-1) == 1
        assert not default_storage.exists(downloads.FOLDER + "/x") and not self._kept(media)
