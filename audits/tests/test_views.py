"""Audit pages and API: tenancy (404 for another customer), query counts, PDF, htmx answers."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from accounts.tests.factories import DEFAULT_PASSWORD
from audits import services
from audits.models import Answer, Audit
from audits.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def audit_a(manager, customer_a):
    audit = f.customer_audit(actor=manager, customer=customer_a, title="Audit by A SECRET-A")
    services.finding_raise(
        audit=audit, actor=manager, classification="minor", description="Gap SECRET-A"
    )
    return audit


def _pages(audit):
    finding = audit.findings.get()
    return [
        reverse("audits:audit-detail", args=[audit.pk]),
        reverse("audits:audit-report", args=[audit.pk]),
        reverse("audits:finding-detail", args=[finding.pk]),
    ]


def test_customer_b_gets_404_on_customer_a_audits(
    audit_a, user_a, user_b, client_for, api_client_for
):
    client = client_for(user_b)
    for url in _pages(audit_a):
        assert client.get(url).status_code == 404, url
    finding = audit_a.findings.get()
    post = client.post(reverse("audits:finding-transition", args=[finding.pk, "confirm_closure"]))
    assert post.status_code == 404
    api = api_client_for(user_b)
    assert api.get(f"/api/v1/audits/{audit_a.pk}/").status_code == 404
    assert api.get(f"/api/v1/findings/{finding.pk}/").status_code == 404
    assert api.post(f"/api/v1/findings/{finding.pk}/confirm-closure/").status_code == 404
    assert "SECRET-A" not in client.get(reverse("audits:audit-list")).content.decode()
    assert api.get("/api/v1/findings/").json()["count"] == 0


def test_customer_a_sees_own_customer_audit_but_no_internal_audit(
    audit_a, manager, user_a, client_for
):
    internal = f.plan(actor=manager, title="Internal SECRET-INTERNAL")
    client = client_for(user_a)
    listing = client.get(reverse("audits:audit-list")).content.decode()
    assert "SECRET-A" in listing and "SECRET-INTERNAL" not in listing
    assert client.get(reverse("audits:audit-detail", args=[internal.pk])).status_code == 404
    for url in _pages(audit_a):
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("audits:audit-conduct", args=[audit_a.pk])).status_code == 403


def test_customer_confirms_closure_in_the_portal(audit_a, manager, user_a, client_for):
    finding = audit_a.findings.get()
    services.finding_action_add(
        finding=finding, actor=manager, title="Fix", owner=manager, due_date="2026-06-01"
    )
    services.finding_respond(finding=finding, actor=manager, correction="Done", root_cause="Cause")
    client = client_for(user_a)
    page = client.get(reverse("audits:finding-detail", args=[finding.pk])).content.decode()
    assert "Confirm the closure" in page
    url = reverse("audits:finding-transition", args=[finding.pk, "confirm_closure"])
    client.post(url, {"reason": "Accepted"})
    finding.refresh_from_db()
    assert finding.status == "closed" and finding.closed_by == user_a


def test_list_page_queries_do_not_grow_with_rows(
    manager, customer_a, user_a, client_for, django_assert_max_num_queries
):
    def count_queries(user, url):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client_for(user).get(url).status_code == 200
        return len(queries)

    def add_rows():
        audit = f.customer_audit(actor=manager, customer=customer_a)
        services.finding_raise(audit=audit, actor=manager, classification="minor", description="x")
        f.plan(actor=manager)

    add_rows()
    urls = [reverse("audits:audit-list"), reverse("audits:finding-list")]
    few = {(u, url): count_queries(u, url) for u in (manager, user_a) for url in urls}
    for _ in range(4):
        add_rows()
    for (user, url), queries in few.items():
        with django_assert_max_num_queries(queries):
            client_for(user).get(url)


def test_api_list_queries_do_not_grow_with_rows(
    manager, customer_a, api_client_for, django_assert_max_num_queries
):
    api = api_client_for(manager)
    f.customer_audit(actor=manager, customer=customer_a)
    with django_assert_max_num_queries(12) as few:
        assert api.get("/api/v1/audits/").status_code == 200
    for _ in range(4):
        audit = f.customer_audit(actor=manager, customer=customer_a)
        services.finding_raise(audit=audit, actor=manager, classification="minor", description="x")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert api.get("/api/v1/audits/").json()["count"] == 5
    with django_assert_max_num_queries(10):
        assert api.get("/api/v1/findings/").json()["count"] == 4


def test_report_pdf_reads_back(manager, client_for):
    audit = f.started(actor=manager, catalogue=f.vda_catalogue(), scope="Press shop, line 4")
    for question in audit.catalogue.questions.all():
        services.answer_save(audit=audit, question=question, actor=manager, score=10)
    star = audit.catalogue.questions.get(code="P5.2")
    services.finding_raise(
        audit=audit,
        actor=manager,
        classification="minor",
        description="Drawing revision missing",
        question=star,
        score=4,
    )
    response = client_for(manager).get(reverse("audits:audit-report", args=[audit.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert audit.number in text and "Press shop, line 4" in text
    assert "Drawing revision missing" in text
    assert "P5.2" in text and "at most B" in text  # the downgrade reason
    assert "Grade" in text


def test_plan_page_refuses_own_area_inline(manager, engineer, client_for):
    own = f.process(responsible=[engineer], name="Own area line")
    response = client_for(manager).post(
        reverse("audits:audit-create"),
        {
            "type": "process",
            "title": "Check",
            "process": own.pk,
            "planned_date": "2026-05-04",
            "lead_auditor": engineer.pk,
        },
    )
    assert response.status_code == 400
    assert "own area" in response.content.decode()
    assert not Audit.objects.exists()


def test_answer_saved_with_htmx_returns_the_card_and_result(manager, client_for):
    audit = f.started(actor=manager, catalogue=f.vda_catalogue())
    question = audit.catalogue.questions.get(code="P7.1")
    client = client_for(manager)
    url = reverse("audits:answer-save", args=[audit.pk, question.pk])
    response = client.post(url, {"score": "8", "version": "new"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="card-{question.pk}"' in body and 'hx-swap-oob="true"' in body
    assert Answer.objects.get().score == 8
    stale = client.post(url, {"score": "6", "version": "new"}, HTTP_HX_REQUEST="true")
    assert stale.status_code == 409
    invalid = client.post(
        url, {"score": "5", "note": "Typed note", "version": "2"}, HTTP_HX_REQUEST="true"
    )
    assert invalid.status_code == 400 and Answer.objects.get().score == 8
    assert "Typed note" in invalid.content.decode()  # what was typed is shown again
    page = client.get(reverse("audits:audit-conduct", args=[audit.pk]))
    assert page.status_code == 200 and "btn-lg" in page.content.decode()


def test_api_answers_and_result(manager, api_client_for):
    audit = f.started(actor=manager, catalogue=f.vda_catalogue())
    api = api_client_for(manager)
    question = audit.catalogue.questions.get(code="P7.1")
    saved = api.post(
        f"/api/v1/audits/{audit.pk}/answers/", {"question": question.pk, "score": 6}, format="json"
    )
    assert saved.status_code == 200 and saved["ETag"] == '"2"'
    refused = api.post(
        f"/api/v1/audits/{audit.pk}/answers/", {"question": question.pk, "score": 7}, format="json"
    )
    assert refused.status_code == 400
    result = api.get(f"/api/v1/audits/{audit.pk}/result/").json()
    assert result["elements"]["P7"] == "60.00"
    moved = api.post(f"/api/v1/audits/{audit.pk}/draft-report/", {}, format="json")
    assert moved.status_code == 200 and moved.json()["status"] == "report_draft"


def test_catalogue_import_page_refuses_a_bad_file_whole(manager, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from audits.models import Catalogue

    bad = SimpleUploadedFile(
        "c.csv", b"code,element,sub_element,star,text\nP2.1,P2,,no,Fine\nP6.1,P6,,no,\n"
    )
    client = client_for(manager)
    data = {"file": bad, "format": "csv", "name": "Mine", "version": "1", "kind": "vda63"}
    response = client.post(reverse("audits:catalogue-import"), data)
    assert response.status_code == 400
    assert "Row 2" in response.content.decode() and not Catalogue.objects.exists()
    good = SimpleUploadedFile("c.csv", b"code,element,sub_element,star,text\nP2.1,P2,,yes,Fine\n")
    response = client.post(reverse("audits:catalogue-import"), {**data, "file": good})
    catalogue = Catalogue.objects.get()
    assert response.status_code == 302 and catalogue.questions.get().star
    exported = client.get(reverse("audits:catalogue-export", args=[catalogue.pk, "json"]))
    assert exported.json()["questions"][0]["code"] == "P2.1"


def test_coverage_and_programme_pages(manager, engineer, client_for):
    f.process(name="Never audited press", shifts=3)
    client = client_for(manager)
    page = client.get(reverse("audits:coverage")).content.decode()
    assert "Never audited press" in page and "Not audited in this cycle" in page
    created = client.post(
        reverse("audits:programme-list"), {"year": 2027, "title": "Programme 2027"}
    )
    assert created.status_code == 302
    assert "Programme 2027" in client.get(reverse("audits:programme-list")).content.decode()
    assert (
        client_for(engineer)
        .post(reverse("audits:programme-list"), {"year": 2028, "title": "x"})
        .status_code
        == 403
    )


def test_manager_approves_the_report_with_a_signature_on_the_page(client_for, manager):
    audit = f.started(actor=manager)
    services.audit_transition(audit=audit, actor=manager, action="draft_report")
    services.audit_summary_save(audit=audit, actor=manager, summary="Short and clean.")
    audit.refresh_from_db()
    client = client_for(manager)
    url = reverse("audits:audit-transition", args=[audit.pk, "approve_report"])

    page = client.get(audit.get_absolute_url()).content.decode()
    assert 'name="password" type="password"' in page

    refused = client.post(url, {"version": audit.version, "password": "guess"}, follow=True)
    assert "password is not correct" in refused.content.decode()
    assert Audit.objects.get(pk=audit.pk).status == "report_draft"

    client.post(url, {"version": audit.version, "password": DEFAULT_PASSWORD})
    assert Audit.objects.get(pk=audit.pk).status == "closed"
    shown = client.get(audit.get_absolute_url()).content.decode()
    assert "Audit report approved" in shown and manager.full_name in shown
