"""The claim page offers what makes sense now, and filing asks the customer only what they know."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from claims import selectors, services
from claims.models import Claim, ClaimEvent, EightDStep
from core.models import Attachment
from customers.tests.factories import PartFactory

from .factories import file_claim, fill_step, png_upload

pytestmark = pytest.mark.django_db

CREATE = "claims:claim-create"


def _detail(claim) -> str:
    return reverse("claims:claim-detail", args=[claim.pk])


def _page(client, claim) -> str:
    return client.get(_detail(claim)).content.decode()


def _report_url(claim) -> str:
    return reverse("claims:claim-report", args=[claim.pk])


def _filed(part, **overrides) -> dict:
    data = {
        "part": part.pk,
        "kind": "0km",
        "severity": "major",
        "detection_location": "line",
        "detection_date": "2026-03-02",
        "symptom": "Cracked housing",
        "suspect_qty": 40,
        "nonconforming_qty": 7,
        "customer_contact": "Anna Berger",
    }
    data.update(overrides)
    return data


def _label(action: str) -> str:
    """What the timeline calls an event, however its labels are worded."""
    return ClaimEvent(action=action).label


def _under_review(claim, engineer):
    services.claim_acknowledge(claim=claim, actor=engineer)
    services.claim_start_review(claim=claim, actor=engineer)
    return claim


# --- filing --------------------------------------------------------------------------------------


class TestFilingForm:
    def test_customer_is_not_asked_the_quantity_charged_to_ppm(self, client_for, user_a):
        PartFactory(customer=user_a.customer)
        page = client_for(user_a).get(reverse(CREATE)).content.decode()
        assert 'name="nonconforming_qty"' in page
        assert 'name="ppm_qty"' not in page
        assert "charged to ppm" not in page

    def test_customer_files_without_it_and_we_charge_the_nonconforming_quantity(
        self, client_for, user_a
    ):
        part = PartFactory(customer=user_a.customer)
        response = client_for(user_a).post(reverse(CREATE), _filed(part))
        claim = Claim.objects.get()
        assert response.status_code == 302 and response.url == _detail(claim)
        assert claim.status == Claim.Status.SUBMITTED
        assert (claim.nonconforming_qty, claim.ppm_qty) == (7, 7)

    def test_a_charged_quantity_posted_by_a_customer_is_ignored(self, client_for, user_a):
        part = PartFactory(customer=user_a.customer)
        client_for(user_a).post(reverse(CREATE), _filed(part, ppm_qty=999))
        assert Claim.objects.get().ppm_qty == 7

    def test_staff_may_set_the_charged_quantity_or_leave_it_to_the_default(
        self, client_for, engineer, customer_a
    ):
        part = PartFactory(customer=customer_a)
        client = client_for(engineer)
        page = client.get(reverse(CREATE)).content.decode()
        assert 'name="ppm_qty"' in page
        client.post(reverse(CREATE), _filed(part, ppm_qty="", customer_reference="default"))
        client.post(reverse(CREATE), _filed(part, ppm_qty=3, customer_reference="set"))
        charged = dict(Claim.objects.values_list("customer_reference", "ppm_qty"))
        assert charged == {"default": 7, "set": 3}

    def test_parts_are_offered_by_the_customers_number_first(self, client_for, user_a):
        part = PartFactory(
            customer=user_a.customer,
            customer_part_number="4G0 407 253 D",
            part_number="HN-21-1010",
            revision="B",
            description="Wheel carrier",
        )
        page = client_for(user_a).get(reverse(CREATE)).content.decode()
        option = re.search(rf'<option value="{part.pk}"[^>]*>([^<]*)</option>', page)
        assert option, page
        label = option.group(1)
        assert label.startswith("4G0 407 253 D rev. B")
        assert "Wheel carrier" in label
        assert label.index("4G0 407 253 D") < label.index("HN-21-1010")

    def test_parts_are_listed_in_the_order_of_the_customers_numbers(self, client_for, user_a):
        later = PartFactory(customer=user_a.customer, customer_part_number="Z-2", part_number="A-1")
        first = PartFactory(customer=user_a.customer, customer_part_number="A-9", part_number="Z-9")
        page = client_for(user_a).get(reverse(CREATE)).content.decode()
        assert page.index(f'value="{first.pk}"') < page.index(f'value="{later.pk}"')

    def test_contact_starts_with_the_signed_in_customer(self, client_for, user_a):
        PartFactory(customer=user_a.customer)
        page = client_for(user_a).get(reverse(CREATE)).content.decode()
        field = re.search(r'<input[^>]*name="customer_contact"[^>]*>', page).group(0)
        assert f'value="{user_a.full_name} &lt;{user_a.email}&gt;' in field

    def test_staff_filing_for_a_customer_get_no_contact_of_their_own(
        self, client_for, engineer, customer_a
    ):
        PartFactory(customer=customer_a)
        page = client_for(engineer).get(reverse(CREATE)).content.decode()
        field = re.search(r'<input[^>]*name="customer_contact"[^>]*>', page).group(0)
        assert engineer.email not in field


class TestChargedQuantityOnEdit:
    def test_follows_the_nonconforming_quantity_until_staff_set_it(self, user_a, engineer):
        claim = file_claim(actor=user_a, submit=False, nonconforming_qty=5, ppm_qty=5)
        services.claim_update(claim=claim, actor=user_a, nonconforming_qty=9)
        claim.refresh_from_db()
        assert claim.ppm_qty == 9

        services.claim_update(claim=claim, actor=engineer, ppm_qty=2)
        services.claim_update(claim=claim, actor=user_a, nonconforming_qty=11)
        claim.refresh_from_db()
        assert (claim.nonconforming_qty, claim.ppm_qty) == (11, 2)


# --- the claim page ------------------------------------------------------------------------------


class TestReportLink:
    def test_a_fresh_claim_offers_no_8d_report(self, client_for, user_a, engineer):
        claim = file_claim(actor=user_a)
        assert _report_url(claim) not in _page(client_for(user_a), claim)
        assert _report_url(claim) not in _page(client_for(engineer), claim)
        assert "Download 8D report" not in _page(client_for(user_a), claim)

    def test_offered_once_the_claim_reached_containment(self, client_for, user_a, engineer):
        claim = _under_review(file_claim(actor=user_a), engineer)
        assert _report_url(claim) not in _page(client_for(user_a), claim)
        services.claim_accept_responsibility(claim=claim, actor=engineer)
        assert _report_url(claim) in _page(client_for(user_a), claim)

    def test_offered_to_the_customer_once_the_team_was_submitted(
        self, client_for, user_a, engineer
    ):
        claim = file_claim(actor=user_a)
        services.claim_acknowledge(claim=claim, actor=engineer)
        fill_step(claim, "D1", engineer)
        assert _report_url(claim) in _page(client_for(engineer), claim)
        assert _report_url(claim) not in _page(client_for(user_a), claim)

        services.step_submit(step=claim.steps.get(code="D1"), actor=engineer)
        assert _report_url(claim) in _page(client_for(user_a), claim)


class TestDeadlines:
    def _late_d0(self, claim):
        past = timezone.now() - dt.timedelta(days=3)
        EightDStep.objects.filter(claim=claim, code="D0").update(due_at=past)

    def test_an_open_claim_shows_its_overdue_step(self, client_for, user_a, engineer):
        claim = _under_review(file_claim(actor=user_a), engineer)
        self._late_d0(claim)
        assert "due-overdue" in _page(client_for(engineer), claim)

    def test_a_rejected_claim_shows_no_overdue_badge(self, client_for, user_a, engineer):
        claim = _under_review(file_claim(actor=user_a), engineer)
        services.claim_reject_responsibility(
            claim=claim, actor=engineer, reason_code="no_fault_found", reason="Parts within spec"
        )
        self._late_d0(claim)
        for viewer in (engineer, user_a):
            page = _page(client_for(viewer), claim)
            assert "Rejected" in page
            assert "due-overdue" not in page


class TestTimeline:
    def test_events_and_their_changes_are_one_timeline(self, client_for, user_a, engineer):
        claim = file_claim(actor=user_a)
        services.claim_acknowledge(claim=claim, actor=engineer)
        page = _page(client_for(engineer), claim)

        assert page.count('<ol class="timeline">') == 1
        assert 'id="events-heading"' not in page
        timeline = page[page.index('<ol class="timeline">') :]
        timeline = timeline[: timeline.index("</ol>")]
        entries = re.findall(r"<li>.*?</li>", timeline, re.S)
        labels = [re.search(r"<strong>(.*?)</strong>", entry).group(1) for entry in entries]
        # Each transition once, as its event with the fields it changed: no "Changed" twin.
        assert labels == [_label("acknowledge"), _label("submit"), _label("file")]
        assert "<del>Submitted</del>" in entries[0] and "<ins>Acknowledged</ins>" in entries[0]
        assert "<del>Draft</del>" in entries[1] and "<ins>Submitted</ins>" in entries[1]

    def test_a_change_without_an_event_keeps_its_own_line(self, user_a):
        claim = file_claim(actor=user_a, submit=False)
        services.claim_update(claim=claim, actor=user_a, symptom="Cracked at the rib")
        entries = selectors.claim_timeline(claim)
        assert [entry.label for entry in entries][1:] == [_label("file")]
        assert entries[0].changes[0].new == "Cracked at the rib"

    def test_a_step_decision_and_the_transition_it_caused_stay_apart(self, user_a, engineer):
        claim = _under_review(file_claim(actor=user_a), engineer)
        services.claim_accept_responsibility(claim=claim, actor=engineer)
        step = claim.steps.get(code="D3")
        fill_step(claim, "D3", engineer)
        services.step_submit(step=step, actor=engineer)
        services.step_approve(step=claim.steps.get(code="D3"), actor=user_a)

        entries = selectors.claim_timeline(claim)
        moved = next(entry for entry in entries if entry.label == _label("to_root_cause"))
        approved = next(
            entry for entry in entries if entry.label.startswith(_label("step_approve"))
        )
        assert "Root cause" in [change.new for change in moved.changes]
        assert "D3" in approved.label and approved.changes == []


class TestCollapsedForms:
    def test_comment_form_is_behind_a_button(self, client_for, user_a):
        claim = file_claim(actor=user_a)
        page = _page(client_for(user_a), claim)
        details = page[page.index('<details class="comment-add">') :]
        assert details.index("</summary>") < details.index('name="body"')
        assert details.index('name="body"') < details.index("</details>")

    def test_cost_line_form_starts_closed(self, client_for, user_a, engineer):
        claim = file_claim(actor=user_a)
        card = client_for(engineer).get(reverse("claims:cost-card", args=[claim.pk]))
        html = card.content.decode()
        assert "Add a cost line" in html
        assert not re.search(r"<details[^>]*\bopen\b", html)

    def test_customer_page_leaves_out_the_charged_quantity(self, client_for, user_a, engineer):
        claim = file_claim(actor=user_a)
        assert "charged to ppm" not in _page(client_for(user_a), claim)
        assert "charged to ppm" in _page(client_for(engineer), claim)


class TestPartOnThePage:
    def test_customer_reads_their_own_part_number_first(self, client_for, user_a, engineer):
        part = PartFactory(
            customer=user_a.customer, customer_part_number="4G0 407 253 D", part_number="HN-1"
        )
        claim = file_claim(actor=user_a, part=part)
        customer_page = _page(client_for(user_a), claim)
        assert customer_page.index("4G0 407 253 D") < customer_page.index("HN-1")
        staff_page = _page(client_for(engineer), claim)
        assert staff_page.index("HN-1") < staff_page.index("4G0 407 253 D")


class TestPictures:
    def test_photos_are_thumbnails_that_enlarge_in_a_dialog(self, client_for, user_a):
        claim = file_claim(actor=user_a, uploads=[png_upload("crack.png")])
        page = _page(client_for(user_a), claim)
        attachment = Attachment.objects.for_owner(claim).get()
        thumbnail = reverse("core:attachment-picture", args=[attachment.pk, 320])
        large = reverse("core:attachment-picture", args=[attachment.pk, 1600])
        assert re.search(rf'<img [^>]*src="{thumbnail}"', page)
        link = re.search(rf'<a [^>]*href="{large}"[^>]*>', page).group(0)
        assert 'data-bs-target="#picture-viewer"' in link
        assert 'id="picture-viewer"' in page
        assert "js/pictures.js" in page
