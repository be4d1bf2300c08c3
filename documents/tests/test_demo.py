"""The demo records a PFMEA and a control plan in three revisions, a work instruction in review
and a released customer specification, links an open claim's D7, and does it once."""

import io

import pytest
from pypdf import PdfReader

from accounts.models import User
from claims.tests.factories import file_claim
from customers import demo as customers_demo
from customers.models import Part
from documents import demo
from documents.models import Document, EightDDocumentUpdate, Revision

pytestmark = pytest.mark.django_db


def test_demo_seeds_the_documents_and_a_d7_link_once():
    customers_demo.seed()
    part = Part.objects.get(part_number=demo.PART_NUMBER)
    customer_user = User.objects.filter(customer=part.customer).first()
    claim = file_claim(actor=customer_user, part=part)

    demo.seed()

    pfmea = Document.objects.get(kind="pfmea")
    statuses = dict(pfmea.revisions.values_list("letter", "status"))
    assert statuses == {"A": "superseded", "B": "superseded", "C": "effective"}
    assert Document.objects.get(kind="control_plan").customer == part.customer
    instruction = Document.objects.get(kind="work_instruction")
    assert instruction.revisions.filter(status=Revision.Status.UNDER_REVIEW).count() == 1
    specification = Document.objects.get(kind="customer_specification")
    assert specification.customer == part.customer and specification.current_revision
    link = EightDDocumentUpdate.objects.get()
    assert (link.claim, link.revision) == (claim, pfmea.current_revision)
    with pfmea.current_revision.file.file.open("rb") as handle:
        assert "Rev. C" in PdfReader(handle).pages[0].extract_text()

    count = Document.objects.count()
    demo.seed()
    assert Document.objects.count() == count == 4
    assert EightDDocumentUpdate.objects.count() == 1
    out = io.StringIO()
    demo.summary(stdout=out)
    assert "4 demo controlled documents" in out.getvalue()
