"""The monthly management report: schedule, "generate now", PDF, e-mail, pages and API.

Celery runs eagerly here (test settings); ``django_capture_on_commit_callbacks(execute=True)``
plays the part of the commit, after which the generation task and then the e-mail run.
"""

import datetime as dt
import hashlib
import io
import re
import shutil
import smtplib
import subprocess

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django_celery_beat.models import PeriodicTask
from PIL import Image
from pypdf import PdfReader

from claims.models import Claim
from claims.tests.factories import decided_claim
from core.errors import DomainError, PermissionDenied
from customers.tests.factories import PartFactory
from metrics import reports, tasks
from metrics.models import Report

from .factories import deliver

MONTH = dt.date(2026, 3, 1)
Status = Report.Status


# --- fixtures and helpers -------------------------------------------------------------------------


@pytest.fixture
def month_data(customer_a, customer_b, engineer, manager):
    """March 2026: A ships 20,000 (3 parts 0 km), B 30,000 (6 parts field); A 10,000 in February."""
    for customer, address in (
        (customer_a, "quality@autowerk.example"),
        (customer_b, "quality@brenner.example"),
    ):
        customer.requirements.report_recipients = address
        customer.requirements.save()
    part_a, part_b = PartFactory(customer=customer_a), PartFactory(customer=customer_b)
    deliver(part_a, dt.date(2026, 2, 2), 10_000)
    deliver(part_a, dt.date(2026, 3, 2), 20_000)
    deliver(part_b, dt.date(2026, 3, 3), 30_000)
    decided_claim(part_a, dt.date(2026, 3, 5), 3, actor=engineer)
    decided_claim(part_b, dt.date(2026, 3, 9), 6, actor=engineer, kind="field")
    # Rejected: never counts, whatever its quantity.
    decided_claim(
        part_b,
        dt.date(2026, 3, 10),
        90,
        actor=engineer,
        responsibility=Claim.Responsibility.REJECTED,
    )
    return {"a": customer_a, "b": customer_b}


def run_schedule(capture, period="2026-03"):
    with capture(execute=True):
        tasks.generate_monthly_reports.delay(period)


def request_report(capture, **kwargs) -> Report:
    with capture(execute=True):
        report = reports.report_request(period=MONTH, **kwargs)
    report.refresh_from_db()
    return report


def stored_bytes(report: Report) -> bytes:
    with default_storage.open(report.file.name, "rb") as stored:
        return stored.read()


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def company_report(month_data, django_capture_on_commit_callbacks) -> Report:
    report = request_report(django_capture_on_commit_callbacks)
    assert report.status == Status.DONE, report.error
    return report


# --- the schedule ---------------------------------------------------------------------------------


@pytest.mark.django_db
class TestSchedule:
    def test_twice_for_a_month_gives_one_report_and_one_mail_per_scope(
        self, month_data, mailoutbox, django_capture_on_commit_callbacks
    ):
        run_schedule(django_capture_on_commit_callbacks)
        run_schedule(django_capture_on_commit_callbacks)

        made = list(Report.objects.order_by("pk"))
        assert [(r.customer_id, r.version, r.status) for r in made] == [
            (None, 1, Status.DONE),
            (month_data["a"].pk, 1, Status.DONE),
            (month_data["b"].pk, 1, Status.DONE),
        ]
        assert all(r.attempts == 1 and r.progress == 100 and r.emailed_at for r in made)
        assert sorted(tuple(m.to) for m in mailoutbox) == [
            ("manager@example.com",),
            ("quality@autowerk.example",),
            ("quality@brenner.example",),
        ]
        for report in made:
            content = stored_bytes(report)
            assert report.size == len(content)
            assert report.checksum == hashlib.sha256(content).hexdigest()
            assert report.file.name == reports.report_file_name(report)
        self.check_pdfs(*made)
        self.check_mails(made[0], mailoutbox)

    def check_pdfs(self, company, report_a, report_b):
        text = pdf_text(stored_bytes(company))
        assert "March 2026" in text and "2026-03" in text
        # March: 3 of 50,000 (0 km) and 6 of 50,000 (field); YTD adds February's 10,000.
        for figure in ("60.00", "120.00", "100.00", "50,000"):
            assert figure in text, figure
        assert "Autowerk AG" in text and "Brenner Motors" in text  # top issues by customer
        assert "Cost of poor quality" in text
        assert re.search(r"Page 1 of (\d+)", text)

        text_a = pdf_text(stored_bytes(report_a))
        assert "Autowerk AG" in text_a and "March 2026" in text_a
        assert "150.00" in text_a  # 3 of 20,000
        assert "Brenner Motors" not in text_a
        # Internal money figures stay out of what the customer receives.
        assert "Cost of poor quality" not in text_a
        assert "200.00" in pdf_text(stored_bytes(report_b))  # 6 of 30,000 in the field

    def check_mails(self, company, mailoutbox):
        to_management = next(m for m in mailoutbox if m.to == ["manager@example.com"])
        assert "2026-03" in to_management.subject and "version 1" in to_management.subject
        assert f"http://127.0.0.1:8000/metrics/reports/{company.pk}/" in to_management.body
        assert "http://127.0.0.1:8000/metrics/reports/\n" in to_management.body
        name, content, mimetype = to_management.attachments[0]
        assert mimetype == "application/pdf" and name.endswith("company-v1.pdf")
        assert content == stored_bytes(company)

        to_customer = next(m for m in mailoutbox if m.to == ["quality@autowerk.example"])
        assert "Autowerk AG" in to_customer.subject
        assert "/metrics/reports/" not in to_customer.body  # customers cannot open the archive

    def test_default_month_is_last_month(self, db, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=False):
            tasks.generate_monthly_reports.delay()
        assert list(Report.objects.values_list("period", flat=True)) == [reports.previous_month()]

    def test_the_schedule_is_stored_as_a_monthly_crontab(self, db):
        task = PeriodicTask.objects.get(task="metrics.generate_monthly_reports")
        crontab = task.crontab
        assert task.enabled
        assert (crontab.minute, crontab.hour, crontab.day_of_month) == ("0", "6", "1")


# --- the PDF itself -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_page_is_numbered_and_the_first_is_drawn(company_report, tmp_path):
    content = stored_bytes(company_report)
    pages = PdfReader(io.BytesIO(content)).pages
    assert len(pages) > 3
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page.extract_text()

    if not shutil.which("pdftoppm"):
        pytest.skip("poppler-utils is not installed")
    source = tmp_path / "report.pdf"
    source.write_bytes(content)
    subprocess.run(
        [
            "pdftoppm",
            "-f",
            "1",
            "-l",
            "1",
            "-r",
            "30",
            "-png",
            "-singlefile",
            source,
            tmp_path / "p",
        ],
        check=True,
        timeout=60,
    )
    with Image.open(tmp_path / "p.png") as image:
        darkest, _lightest = image.convert("L").getextrema()
    assert darkest < 128  # text, not an empty white page


@pytest.mark.django_db
def test_months_without_deliveries_show_n_a(customer_a, django_capture_on_commit_callbacks):
    report = request_report(django_capture_on_commit_callbacks, customer=customer_a)
    text = pdf_text(stored_bytes(report))
    assert "n/a" in text
    assert "First-time approval rate" in text  # PPAP, changes and audits have their section


# --- generate now ---------------------------------------------------------------------------------


@pytest.mark.django_db
class TestGenerateNow:
    def test_manager_gets_the_next_version_and_a_second_mail(
        self, company_report, manager, client_for, mailoutbox, django_capture_on_commit_callbacks
    ):
        assert len(mailoutbox) == 1
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for(manager).post(
                "/metrics/reports/generate/", {"period": "2026-03", "customer": ""}
            )
        second = Report.objects.get(customer__isnull=True, version=2)
        assert response.status_code == 302
        assert response["Location"] == f"/metrics/reports/{second.pk}/"
        assert second.status == Status.DONE and second.requested_by == manager
        assert len(mailoutbox) == 2 and "version 2" in mailoutbox[1].subject
        assert second.file.name.endswith("company-v2.pdf")
        assert stored_bytes(company_report)  # version 1 stays as it was sent

    def test_months_not_over_are_refused(self, manager, client_for):
        this_month = dt.date.today().strftime("%Y-%m")
        response = client_for(manager).post("/metrics/reports/generate/", {"period": this_month})
        assert response.status_code == 400
        assert "last month or earlier" in response.content.decode()
        assert not Report.objects.exists()
        with pytest.raises(DomainError):
            reports.report_request(period=this_month, actor=manager, new_version=True)

    def test_form_offers_a_month_picker_up_to_last_month(self, manager, client_for):
        html = client_for(manager).get("/metrics/reports/generate/").content.decode()
        assert 'type="month"' in html
        assert f'max="{reports.previous_month():%Y-%m}"' in html

    def test_engineer_may_not(self, db, engineer, client_for):
        assert client_for(engineer).post("/metrics/reports/generate/").status_code == 403
        with pytest.raises(PermissionDenied):
            reports.report_request(period=MONTH, actor=engineer, new_version=True)
        assert not Report.objects.exists()

    def test_versions_count_up_per_scope(
        self, customer_a, manager, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=False) as queued:
            first = reports.report_request(period=MONTH, actor=manager, new_version=True)
            second = reports.report_request(period=MONTH, actor=manager, new_version=True)
            other = reports.report_request(
                period=MONTH, customer=customer_a, actor=manager, new_version=True
            )
            scheduled = reports.report_request(period=MONTH)
        assert (first.version, second.version, other.version) == (1, 2, 1)
        assert scheduled == first  # the schedule finds version 1 and adds nothing…
        assert len(queued) == 4  # …but queues it again while it waits, in case a message was lost


# --- failures and repeated deliveries -------------------------------------------------------------


class FlakyBackend(LocmemBackend):
    """A mail server that drops the first connection, then delivers."""

    failures = 0

    def send_messages(self, messages):
        if FlakyBackend.failures:
            FlakyBackend.failures -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.mark.django_db
class TestFailures:
    def test_failed_generation_records_the_error_and_sends_nothing(
        self,
        month_data,
        settings,
        tmp_path,
        manager,
        client_for,
        mailoutbox,
        django_capture_on_commit_callbacks,
    ):
        blocker = tmp_path / "not-a-folder"
        blocker.write_text("a file where the media folder should be")
        settings.MEDIA_ROOT = str(blocker)

        report = request_report(django_capture_on_commit_callbacks)

        assert report.status == Status.FAILED
        assert report.error.startswith("The report could not be generated")
        assert "Traceback" not in report.error
        assert not report.file and report.emailed_at is None
        assert mailoutbox == []
        client = client_for(manager)
        html = client.get(f"/metrics/reports/{report.pk}/").content.decode()
        assert "The report could not be generated" in html
        assert "hx-trigger" not in html  # nothing to wait for
        assert client.get(f"/metrics/reports/{report.pk}/download/").status_code == 404

    # Committed for real, as in a worker: the mail is sent inside the task, which retries it.
    @pytest.mark.django_db(transaction=True)
    def test_mail_server_failure_is_retried_and_sent_once(self, month_data, settings):
        settings.EMAIL_BACKEND = "metrics.tests.test_reports.FlakyBackend"
        FlakyBackend.failures = 1
        mail.outbox = []
        report = Report.objects.create(period=MONTH)

        # As a worker runs it: errors are not propagated, the retry runs (at once when eager).
        result = tasks.generate_report.apply(args=[report.pk], throw=False)

        report.refresh_from_db()
        assert result.get() == Status.DONE
        assert FlakyBackend.failures == 0
        assert report.status == Status.DONE and report.emailed_at is not None
        assert report.attempts == 1  # the PDF was not made twice
        assert len(mail.outbox) == 1

    def test_attempt_after_a_killed_one_replaces_its_leftovers_and_finishes_once(
        self, month_data, mailoutbox, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=False):
            report = reports.report_request(period=MONTH)
        # What a worker killed mid-way leaves: the report running and half a file.
        Report.objects.filter(pk=report.pk).update(status=Status.RUNNING, attempts=1, progress=60)
        default_storage.save(reports.report_file_name(report), io.BytesIO(b"%PDF-1.7 trunc"))

        with django_capture_on_commit_callbacks(execute=True):
            tasks.generate_report.delay(report.pk)  # the redelivered message
            tasks.generate_report.delay(report.pk)  # and once more, for good measure

        report.refresh_from_db()
        content = stored_bytes(report)
        assert report.status == Status.DONE and report.attempts == 2
        assert content.startswith(b"%PDF") and len(content) == report.size > 1000
        assert hashlib.sha256(content).hexdigest() == report.checksum
        assert report.file.name == reports.report_file_name(report)
        assert len(mailoutbox) == 1


# --- pages ----------------------------------------------------------------------------------------


@pytest.mark.django_db
class TestPages:
    def test_archive_lists_reports_with_their_download(self, company_report, manager, client_for):
        response = client_for(manager).get("/metrics/reports/")
        html = response.content.decode()
        assert response.status_code == 200
        assert "2026-03" in html and "Whole company" in html and "v1" in html
        assert f"/metrics/reports/{company_report.pk}/download/" in html

    def test_archive_filters_by_scope_and_year_and_pages(self, customer_a, manager, client_for):
        for months_back in range(30):
            Report.objects.create(period=_months_before(MONTH, months_back))
        Report.objects.create(period=MONTH, customer=customer_a)
        client = client_for(manager)

        def rows(query):
            return len(client.get("/metrics/reports/", query).context["reports"])

        assert rows({"scope": "company", "year": "2026"}) == 3
        assert rows({"scope": str(customer_a.pk)}) == 1
        assert rows({}) == 25
        assert rows({"page": "2"}) == 6

    def test_download_is_the_stored_pdf(self, company_report, manager, client_for):
        response = client_for(manager).get(f"/metrics/reports/{company_report.pk}/download/")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert "attachment" in response["Content-Disposition"]
        assert "management-report-2026-03-company-v1.pdf" in response["Content-Disposition"]
        assert b"".join(response.streaming_content) == stored_bytes(company_report)

    def test_status_page_polls_until_the_report_is_ready(
        self, db, manager, client_for, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=False):
            report = reports.report_request(period=MONTH, actor=manager, new_version=True)
        client = client_for(manager)
        page = client.get(f"/metrics/reports/{report.pk}/").content.decode()
        assert f'hx-get="/metrics/reports/{report.pk}/progress/"' in page
        assert 'hx-trigger="every 2s"' in page
        assert client.get(f"/metrics/reports/{report.pk}/download/").status_code == 404

        Report.objects.filter(pk=report.pk).update(status=Status.RUNNING, progress=60)
        fragment = client.get(f"/metrics/reports/{report.pk}/progress/").content.decode()
        assert 'value="60"' in fragment and "every 2s" in fragment
        assert "<html" not in fragment

        with django_capture_on_commit_callbacks(execute=True):
            tasks.generate_report.delay(report.pk)
        fragment = client.get(f"/metrics/reports/{report.pk}/progress/").content.decode()
        assert "hx-trigger" not in fragment
        assert f"/metrics/reports/{report.pk}/download/" in fragment

    def test_nav_links_reports_for_managers_only(self, db, manager, engineer, client_for):
        assert 'href="/metrics/reports/"' in client_for(manager).get("/").content.decode()
        assert 'href="/metrics/reports/"' not in client_for(engineer).get("/").content.decode()

    def test_engineers_and_customers_are_kept_out(
        self, company_report, engineer, user_a, client_for
    ):
        pk = company_report.pk
        for user in (engineer, user_a):
            client = client_for(user)
            assert client.get("/metrics/reports/").status_code == 403
            assert client.get("/metrics/reports/generate/").status_code == 403
            assert client.get(f"/metrics/reports/{pk}/").status_code == 404
            assert client.get(f"/metrics/reports/{pk}/progress/").status_code == 404
            assert client.get(f"/metrics/reports/{pk}/download/").status_code == 404


def _months_before(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 - count
    return dt.date(index // 12, index % 12 + 1, 1)


# --- API ------------------------------------------------------------------------------------------


@pytest.mark.django_db
class TestApi:
    def test_list_detail_and_download(self, company_report, customer_a, manager, api_client_for):
        Report.objects.create(period=MONTH, customer=customer_a)
        api = api_client_for(manager)

        listed = api.get("/api/v1/reports/", {"scope": "company"}).json()
        assert [row["id"] for row in listed["results"]] == [company_report.pk]
        row = api.get(f"/api/v1/reports/{company_report.pk}/").json()
        assert row["month"] == "2026-03" and row["status"] == "done" and row["scope"]
        assert row["download_url"].endswith(f"/api/v1/reports/{company_report.pk}/download/")
        assert row["checksum"] == company_report.checksum
        assert api.get("/api/v1/reports/", {"year": 2025}).json()["results"] == []

        response = api.get(row["download_url"], HTTP_ACCEPT="application/pdf")
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content) == stored_bytes(company_report)

    def test_download_of_a_report_not_ready_is_404(self, db, manager, api_client_for):
        report = Report.objects.create(period=MONTH)
        assert (
            api_client_for(manager).get(f"/api/v1/reports/{report.pk}/download/").status_code == 404
        )

    @pytest.mark.parametrize("year", ["0", "0.5", "10000", "3.8e-261"])
    def test_year_without_a_calendar_date_is_400(self, db, manager, api_client_for, year):
        Report.objects.create(period=MONTH)
        response = api_client_for(manager).get("/api/v1/reports/", {"year": year})
        assert response.status_code == 400
        assert "year" in response.json()

    def test_generate_answers_202_with_the_new_version(
        self, company_report, customer_a, manager, api_client_for, mailoutbox,
        django_capture_on_commit_callbacks,
    ):  # fmt: skip
        api = api_client_for(manager)
        with django_capture_on_commit_callbacks(execute=True):
            response = api.post("/api/v1/reports/generate/", {"period": "2026-03"}, format="json")
        assert response.status_code == 202, response.content
        assert response.json()["version"] == 2 and response.json()["customer"] is None

        with django_capture_on_commit_callbacks(execute=False):
            response = api.post(
                "/api/v1/reports/generate/",
                {"period": "2026-03", "customer": customer_a.pk},
                format="json",
            )
        assert response.status_code == 202
        assert (
            response.json()["status"] == "queued" and response.json()["customer"] == customer_a.pk
        )

    def test_generate_validates_the_month(self, db, manager, api_client_for):
        api = api_client_for(manager)
        assert api.post("/api/v1/reports/generate/", {"period": "2026-13"}).status_code == 400
        this_month = dt.date.today().strftime("%Y-%m")
        response = api.post("/api/v1/reports/generate/", {"period": this_month})
        assert response.status_code == 400 and "period" in response.json()
        assert not Report.objects.exists()

    def test_engineers_and_customers_are_refused(
        self, company_report, engineer, user_a, api_client_for
    ):
        pk = company_report.pk
        for user in (engineer, user_a):
            api = api_client_for(user)
            assert api.get("/api/v1/reports/").status_code == 403
            assert api.get(f"/api/v1/reports/{pk}/").status_code in (403, 404)
            assert api.get(f"/api/v1/reports/{pk}/download/").status_code in (403, 404)
            response = api.post("/api/v1/reports/generate/", {"period": "2026-03"})
            assert response.status_code == 403
        assert Report.objects.count() == 1
