"""Links from other records: the 8D's D7 guard and editor, and a change's document revisions."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from changes.tests.factories import raise_change
from claims import services as claims
from claims.eightd.rules import submit_problems
from claims.models import EightDStep
from claims.tests.factories import file_claim, fill_step
from core.errors import DomainError
from documents import services
from documents.models import Document, EightDDocumentUpdate

from .factories import effective, new_document, reviewed

pytestmark = pytest.mark.django_db

D7_UPDATED = {
    "pfmea": "updated",
    "control_plan": "no_update",
    "no_update_reason": "Burr check already in the control plan",
    "read_across_none_reason": "No similar punch in use",
}


@pytest.fixture
def claim(user_a, engineer):
    claim = file_claim(actor=user_a)
    claims.claim_acknowledge(claim=claim, actor=engineer)
    claims.claim_start_review(claim=claim, actor=engineer)
    claims.claim_accept_responsibility(claim=claim, actor=engineer)
    return claim


@pytest.fixture
def pfmea(claim, engineer):
    return new_document(actor=engineer, title="PFMEA bracket", parts=[claim.part])


def _d7(claim) -> EightDStep:
    return EightDStep.objects.select_related("claim").get(claim=claim, code="D7")


def _save_d7(claim, engineer, content=D7_UPDATED):
    claims.step_save(step=_d7(claim), actor=engineer, content=content)


def _answer_up_to_d6(claim, engineer, customer_user):
    for code in ("D0", "D1", "D2", "D3", "D4", "D5", "D6"):
        fill_step(claim, code, engineer)
        step = EightDStep.objects.select_related("claim").get(claim=claim, code=code)
        claims.step_submit(step=step, actor=engineer)
        claims.step_approve(step=step, actor=customer_user)


def test_pfmea_updated_is_refused_without_a_linked_revision(claim, engineer, pfmea):
    _save_d7(claim, engineer, {**D7_UPDATED, "pfmea_reference": "PFMEA-4711 rev. C"})
    problems = submit_problems(_d7(claim))
    assert len(problems) == 1 and "link the updated PFMEA revision" in problems[0]


def test_a_revision_in_effect_before_the_notification_does_not_count(
    claim, engineer, manager, pfmea
):
    before = claim.notified_at.date() - dt.timedelta(days=3)
    old = effective(pfmea, author=engineer, approver=manager, on=before)
    assert old.effective_on == before
    services.eightd_link_add(claim=claim, revision=old, actor=engineer)
    _save_d7(claim, engineer)
    assert any("on or after" in problem for problem in submit_problems(_d7(claim)))


def test_pfmea_updated_is_accepted_with_a_revision_in_effect_since_the_notification(
    claim, engineer, manager, pfmea
):
    revision = effective(pfmea, author=engineer, approver=manager)
    services.eightd_link_add(claim=claim, revision=revision, actor=engineer)
    _save_d7(claim, engineer)
    assert submit_problems(_d7(claim)) == []


def test_an_approved_revision_not_yet_in_effect_does_not_count(claim, engineer, manager, pfmea):
    from accounts.tests.factories import DEFAULT_PASSWORD

    revision = reviewed(pfmea, author=engineer, effective_on=dt.date.today() + dt.timedelta(3))
    services.revision_approve(revision=revision, actor=manager, password=DEFAULT_PASSWORD)
    services.eightd_link_add(claim=claim, revision=revision, actor=engineer)
    _save_d7(claim, engineer)
    assert len(submit_problems(_d7(claim))) == 1


def test_a_pfmea_not_kept_in_the_register_keeps_its_text_reference(claim, engineer):
    _save_d7(claim, engineer, {**D7_UPDATED, "pfmea_reference": "PFMEA-4711 rev. C"})
    assert submit_problems(_d7(claim)) == []


def test_only_pfmea_and_control_plan_revisions_of_ours_or_the_customer_link(
    claim, engineer, manager, customer_b
):
    procedure = new_document(actor=engineer, kind=Document.Kind.PROCEDURE, title="P")
    with pytest.raises(DomainError):
        services.eightd_link_add(
            claim=claim,
            revision=effective(procedure, author=engineer, approver=manager),
            actor=engineer,
        )
    theirs = new_document(actor=engineer, title="B's PFMEA", customer=customer_b)
    with pytest.raises(DomainError):
        services.eightd_link_add(
            claim=claim, revision=effective(theirs, author=engineer, approver=manager),
            actor=engineer,
        )  # fmt: skip
    assert not EightDDocumentUpdate.objects.exists()


def test_the_d7_submit_is_refused_on_the_api_and_the_page_and_then_accepted(
    claim, engineer, manager, user_a, pfmea, api_client_for
):
    _answer_up_to_d6(claim, engineer, user_a)
    _save_d7(claim, engineer)
    api = api_client_for(engineer)
    refused = api.post(f"/api/v1/claims/{claim.pk}/steps/D7/submit/", {}, format="json")
    assert refused.status_code == 400
    assert "link the updated PFMEA revision" in refused.content.decode()

    page = Client()
    page.force_login(engineer)
    step_url = reverse("claims:eightd-step", args=[claim.pk, "D7"])
    shown = page.get(step_url).content.decode()
    assert 'id="document-updates"' in shown
    submit = reverse("claims:eightd-submit", args=[claim.pk, "D7"])
    answer = page.post(submit, {"version": _d7(claim).version}, follow=True)
    assert "link the updated PFMEA revision" in answer.content.decode()
    assert _d7(claim).status != EightDStep.Status.SUBMITTED

    revision = effective(pfmea, author=engineer, approver=manager)
    linked = page.post(
        reverse("documents:eightd-link-add", args=[claim.pk]), {"revision": revision.pk}
    )
    assert linked.status_code == 302
    assert EightDDocumentUpdate.objects.filter(claim=claim, revision=revision).exists()
    accepted = api.post(f"/api/v1/claims/{claim.pk}/steps/D7/submit/", {}, format="json")
    assert accepted.status_code == 200, accepted.content


def test_a_change_lists_the_revisions_it_brings_into_effect(engineer, manager, customer_a):
    change = raise_change(actor=engineer, customer=customer_a)
    document = new_document(actor=engineer, kind=Document.Kind.WORK_INSTRUCTION, title="WI 12")
    revision = effective(document, author=engineer, approver=manager)
    page = Client()
    page.force_login(engineer)
    added = page.post(
        reverse("documents:change-link-add", args=[change.pk]), {"revision": revision.pk}
    )
    assert added.status_code == 302
    shown = page.get(change.get_absolute_url()).content.decode()
    assert 'id="document-revisions"' in shown and document.number in shown
