"""The 8D editor and reader pages, through the test client against the real services."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import services
from claims.eightd import services as eightd
from claims.models import Cause, Claim, ClaimEvent, Containment, CorrectiveAction, TeamMember
from core import services as core_services
from core.models import Action

from .factories import D2_ANSWERS, file_claim, fill_step


@pytest.fixture
def claim(user_a, engineer):
    """A claim of customer A whose 8D is being worked on (status containment)."""
    claim = file_claim(actor=user_a)
    services.claim_acknowledge(claim=claim, actor=engineer)
    services.claim_start_review(claim=claim, actor=engineer)
    services.claim_accept_responsibility(claim=claim, actor=engineer)
    return claim


def page(claim, code):
    return reverse("claims:eightd-step", args=[claim.pk, code])


def url(name, claim, *args):
    return reverse(f"claims:eightd-{name}", args=[claim.pk, *args])


def step(claim, code):
    return claim.steps.get(code=code)


def text(response) -> str:
    return response.content.decode()


def add_cause(client, claim, **overrides):
    data = {
        "leg": "occurrence",
        "category": "machine",
        "description": "Punch worn: no stroke counter",
        "whys": "Burr on the hole\nPunch worn\nNo stroke counter",
        "is_root_cause": "on",
        **overrides,
    }
    return client.post(url("cause-add", claim), data)


def containment_data(location, **fields):
    return {f"{location}-{name}": value for name, value in fields.items()}


def answer_containment(client, claim, *, sorted_at="own_finished"):
    for location in Containment.Location.values:
        if location == sorted_at:
            data = containment_data(
                location,
                method="sort",
                qty_checked="500",
                qty_nonconforming="3",
                verification="Second sort found no burr",
                certified_marking="Green dot",
            )
        else:
            data = containment_data(
                location, not_applicable="on", not_applicable_reason="No stock there"
            )
        response = client.post(url("containment-save", claim, location), data)
        assert response.status_code == 302, text(response)


def submit_and_approve(client, claim, code, engineer, customer_user):
    client.force_login(engineer)
    response = client.post(url("submit", claim, code))
    assert response.status_code == 302
    assert step(claim, code).status == "submitted", code
    client.force_login(customer_user)
    response = client.post(url("decide", claim, code, "approve"), {"comment": ""})
    assert response.status_code == 302
    assert step(claim, code).status == "approved", code
    client.force_login(engineer)


@pytest.mark.django_db
class TestDisciplinePages:
    def test_start_opens_the_first_discipline_not_approved(
        self, client_for, engineer, user_a, claim
    ):
        client = client_for(engineer)
        start = reverse("claims:eightd", args=[claim.pk])
        assert client.get(start).url == page(claim, "D0")
        fill_step(claim, "D0", engineer)
        services.step_submit(step=step(claim, "D0"), actor=engineer)
        services.step_approve(step=step(claim, "D0"), actor=user_a)
        assert client.get(start).url == page(claim, "D1")

    def test_unknown_discipline_is_404(self, client_for, engineer, claim):
        assert client_for(engineer).get(page(claim, "D9")).status_code == 404

    def test_before_acknowledgement_the_8d_sends_back_to_the_claim(self, client_for, user_a):
        claim = file_claim(actor=user_a)
        response = client_for(user_a).get(page(claim, "D0"))
        assert response.status_code == 302 and response.url == claim.get_absolute_url()

    def test_every_discipline_page_renders_for_staff_and_customer(
        self, client_for, engineer, user_a, claim
    ):
        for user in (engineer, user_a):
            client = client_for(user)
            for code in ("D0", "D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8"):
                response = client.get(page(claim, code))
                assert response.status_code == 200, (user, code)
                assert claim.number in text(response)

    def test_readiness_checklist_lists_what_is_missing_then_says_ready(
        self, client_for, engineer, claim
    ):
        client = client_for(engineer)
        content = text(client.get(page(claim, "D1")))
        assert "Not ready to submit" in content
        assert "name exactly one champion" in content
        assert "Add a team member" in content
        fill_step(claim, "D1", engineer)
        content = text(client.get(page(claim, "D1")))
        assert "Ready to submit" in content and "name exactly one champion" not in content

    def test_claim_page_links_every_discipline(self, client_for, engineer, user_a, claim):
        content = text(client_for(engineer).get(claim.get_absolute_url()))
        assert "Open 8D editor" in content
        for code in ("D0", "D4", "D8"):
            assert f'href="{page(claim, code)}"' in content
        assert "Read the 8D" in text(client_for(user_a).get(claim.get_absolute_url()))


@pytest.mark.django_db
class TestEditingRows:
    def test_team_members_are_added_edited_and_removed(self, client_for, engineer, claim):
        client = client_for(engineer)
        for role, name in [("champion", "Carla"), ("leader", "Lars"), ("member", "Mia")]:
            response = client.post(
                url("team-add", claim), {"role": role, "name": name, "email": f"{name}@x.de"}
            )
            assert response.status_code == 302
        mia = TeamMember.objects.get(claim=claim, name="Mia")
        client.post(
            url("team-edit", claim, mia.pk), {"role": "expert", "name": "Mia", "function": "Lab"}
        )
        mia.refresh_from_db()
        assert (mia.role, mia.function) == ("expert", "Lab")
        edit_page = text(client.get(page(claim, "D1") + f"?edit=team-{mia.pk}"))
        assert "Edit Mia" in edit_page and url("team-edit", claim, mia.pk) in edit_page
        client.post(url("row-delete", claim, "team", mia.pk))
        assert list(claim.team_members.values_list("name", flat=True)) == ["Carla", "Lars"]
        assert step(claim, "D1").status == "draft"

    def test_invalid_team_member_shows_errors_and_saves_nothing(self, client_for, engineer, claim):
        response = client_for(engineer).post(
            url("team-add", claim), {"role": "member", "name": "", "email": "not-an-address"}
        )
        assert response.status_code == 400
        assert "Enter a valid email address" in text(response)
        assert not TeamMember.objects.exists()

    def test_not_applicable_without_reason_is_refused_and_nothing_saved(
        self, client_for, engineer, claim
    ):
        data = containment_data("in_transit", not_applicable="on", not_applicable_reason=" ")
        response = client_for(engineer).post(url("containment-save", claim, "in_transit"), data)
        assert response.status_code == 400
        assert "blank is not allowed" in text(response)
        assert not Containment.objects.exists()
        assert step(claim, "D3").status == "open"

    def test_containment_rows_are_answered_per_location(self, client_for, engineer, claim):
        client = client_for(engineer)
        content = text(client.get(page(claim, "D3")))
        assert content.count("To answer") == len(Containment.Location.values)
        answer_containment(client, claim)
        rows = {row.location: row for row in claim.containments.all()}
        assert rows["own_finished"].status == "active" and rows["own_finished"].qty_checked == 500
        assert rows["in_transit"].status == "not_applicable"
        content = text(client.get(page(claim, "D3")))
        assert "To answer" not in content and "Green dot" in content

    def test_containment_without_method_shows_the_error(self, client_for, engineer, claim):
        data = containment_data("own_wip", qty_checked="10", verification="ok")
        response = client_for(engineer).post(url("containment-save", claim, "own_wip"), data)
        assert response.status_code == 400
        assert "Choose the containment method" in text(response)
        assert not Containment.objects.exists()

    def test_operator_error_as_root_cause_is_refused(self, client_for, engineer, claim):
        response = add_cause(client_for(engineer), claim, description="Operator error")
        assert response.status_code == 400
        assert "is not a root cause" in text(response)
        assert not Cause.objects.exists()

    def test_causes_are_added_verified_and_ruled_out(self, client_for, engineer, claim):
        client = client_for(engineer)
        assert add_cause(client, claim).status_code == 302
        cause = Cause.objects.get()
        assert cause.whys == ["Burr on the hole", "Punch worn", "No stroke counter"]
        assert cause.is_root_cause and cause.status == "suspected"
        response = client.post(
            url("cause-verify", claim, cause.pk),
            {f"verify-{cause.pk}-method": "On/off trial", f"verify-{cause.pk}-evidence": "T-1"},
        )
        assert response.status_code == 302
        cause.refresh_from_db()
        assert cause.status == "verified" and cause.verified_by == engineer
        add_cause(client, claim, description="Coil hardness", category="material", is_root_cause="")
        other = Cause.objects.get(description="Coil hardness")
        missing = client.post(url("cause-rule-out", claim, other.pk), {})
        assert missing.status_code == 400
        client.post(
            url("cause-rule-out", claim, other.pk), {f"rule-out-{other.pk}-evidence": "Lab"}
        )
        other.refresh_from_db()
        assert other.status == "ruled_out"
        content = text(client.get(page(claim, "D4")))
        assert "Why 3" in content and "No stroke counter" in content
        assert "Ishikawa" in content and "Ruled out" in content

    def test_corrective_action_is_linked_to_causes_and_implemented(
        self, client_for, engineer, claim, user_a
    ):
        for code in ("D0", "D1", "D2", "D3", "D4"):
            fill_step(claim, code, engineer)
        causes = list(claim.causes.all())
        client = client_for(engineer)
        data = {
            "title": "Stroke counter on press 4",
            "owner": engineer.pk,
            "due_date": "2026-05-01",
            "causes": [cause.pk for cause in causes],
            "verification": "Trial of 300 parts",
        }
        assert client.post(url("action-add", claim, "corrective"), data).status_code == 302
        link = CorrectiveAction.objects.get()
        assert set(link.causes.all()) == set(causes)
        assert link.action.kind == Action.Kind.CORRECTIVE and link.action.owner == engineer
        assert "Stroke counter on press 4" in text(client.get(page(claim, "D5")))
        core_services.action_complete(action=link.action, actor=engineer, note="Installed")
        response = client.post(
            url("action-implement", claim, link.pk),
            {
                f"implement-{link.pk}-implemented_on": dt.date.today().isoformat(),
                f"implement-{link.pk}-validation": "Three lots without burr",
            },
        )
        assert response.status_code == 302 and response.url.startswith(page(claim, "D6"))
        link.refresh_from_db()
        assert link.implemented_on == dt.date.today() and link.validation

    def test_action_without_causes_is_refused(self, client_for, engineer, claim):
        data = {"title": "Something", "owner": engineer.pk, "due_date": "2026-05-01"}
        response = client_for(engineer).post(url("action-add", claim, "corrective"), data)
        assert response.status_code == 400
        assert "Link the action to the causes it removes" in text(response)
        assert not Action.objects.exists()

    def test_containment_is_removed_from_the_d6_page(self, client_for, engineer, claim):
        client = client_for(engineer)
        answer_containment(client, claim)
        row = claim.containments.get(status="active")
        content = text(client.get(page(claim, "D6")))
        assert url("containment-remove", claim, row.pk) in content
        response = client.post(
            url("containment-remove", claim, row.pk),
            {f"remove-{row.pk}-note": "Stroke counter works", "back": "D6"},
        )
        assert response.url.startswith(page(claim, "D6"))
        row.refresh_from_db()
        assert row.status == "removed" and row.removed_by == engineer

    def test_locked_discipline_refuses_row_changes_with_a_message(
        self, client_for, engineer, claim
    ):
        fill_step(claim, "D1", engineer)
        services.step_submit(step=step(claim, "D1"), actor=engineer)
        client = client_for(engineer)
        assert "Add a team member" not in text(client.get(page(claim, "D1")))
        response = client.post(
            url("team-add", claim), {"role": "member", "name": "Late"}, follow=True
        )
        assert "D1 is submitted" in text(response)
        assert not TeamMember.objects.filter(name="Late").exists()


@pytest.mark.django_db
class TestSubmitting:
    def test_submit_with_missing_content_shows_the_problems_and_changes_nothing(
        self, client_for, engineer, claim
    ):
        response = client_for(engineer).post(url("submit", claim, "D3"), follow=True)
        content = text(response)
        assert "D3 was not submitted" in content
        assert "Own plant: work in progress" in content
        assert step(claim, "D3").status == "open"
        assert not ClaimEvent.objects.filter(claim=claim, action="step_submit").exists()
        claim.refresh_from_db()
        assert claim.reaction_at is None

    def test_draft_saves_content_summary_and_internal_note(self, client_for, engineer, claim):
        data = {
            "summary": "Shipments stopped",
            "internal_note": "Call the plant manager",
            "content-symptom": "Burr",
            "content-emergency_response": "Stock blocked",
        }
        assert client_for(engineer).post(url("save", claim, "D0"), data).status_code == 302
        d0 = step(claim, "D0")
        assert d0.content == {"symptom": "Burr", "emergency_response": "Stock blocked"}
        assert (d0.summary, d0.internal_note, d0.status) == (
            "Shipments stopped",
            "Call the plant manager",
            "draft",
        )

    def test_invalid_content_is_shown_again_with_its_error(self, client_for, engineer, claim):
        data = {"content-pfmea": "maybe", "content-lessons_learned": "Keep this text"}
        response = client_for(engineer).post(url("save", claim, "D7"), data)
        assert response.status_code == 400
        assert "Select a valid choice" in text(response) and "Keep this text" in text(response)
        assert step(claim, "D7").content == {}


@pytest.mark.django_db
def test_the_whole_8d_through_the_pages(client, engineer, user_a, claim):
    client.force_login(engineer)
    # D0 and D2: the discipline's own fields with the draft.
    client.post(url("save", claim, "D0"), {"content-emergency_response": "Stock blocked"})
    submit_and_approve(client, claim, "D0", engineer, user_a)
    for role, name in [("champion", "C"), ("leader", "L"), ("member", "M1"), ("member", "M2")]:
        client.post(url("team-add", claim), {"role": role, "name": name})
    submit_and_approve(client, claim, "D1", engineer, user_a)
    content = {f"content-{name}": value for name, value in D2_ANSWERS.items()}
    assert client.post(url("save", claim, "D2"), content).status_code == 302
    submit_and_approve(client, claim, "D2", engineer, user_a)
    answer_containment(client, claim)
    submit_and_approve(client, claim, "D3", engineer, user_a)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.ROOT_CAUSE and claim.reaction_at is not None
    # D4: a verified root cause for occurrence and for non-detection.
    add_cause(client, claim)
    add_cause(
        client,
        claim,
        leg="non_detection",
        category="method",
        description="Burr check missing from the control plan",
    )
    for cause in claim.causes.all():
        client.post(
            url("cause-verify", claim, cause.pk),
            {f"verify-{cause.pk}-method": "Trial", f"verify-{cause.pk}-evidence": "Report 7"},
        )
    submit_and_approve(client, claim, "D4", engineer, user_a)
    # D5: one action per root cause.
    for cause in claim.causes.all():
        data = {
            "title": f"Fix {cause.leg}",
            "owner": engineer.pk,
            "due_date": dt.date.today().isoformat(),
            "causes": [cause.pk],
            "verification": "Trial run",
        }
        assert client.post(url("action-add", claim, "corrective"), data).status_code == 302
    submit_and_approve(client, claim, "D5", engineer, user_a)
    # D6: actions done through the core transition, implementation recorded, containment lifted.
    d6 = page(claim, "D6")
    for link in claim.corrective_actions.all():
        transition = reverse("core:action-transition", args=[link.action.pk])
        response = client.post(transition, {"action": "complete", "note": "Done", "next": d6})
        assert response.url == d6
        client.post(
            url("action-implement", claim, link.pk),
            {
                f"implement-{link.pk}-implemented_on": dt.date.today().isoformat(),
                f"implement-{link.pk}-validation": "Three lots OK",
            },
        )
    row = claim.containments.get(status="active")
    client.post(
        url("containment-remove", claim, row.pk), {f"remove-{row.pk}-note": "Works", "back": "D6"}
    )
    assert "Ready to submit" in text(client.get(d6))
    submit_and_approve(client, claim, "D6", engineer, user_a)
    # D7: read-across, PFMEA answer.
    client.post(
        url("read-across-add", claim),
        {"scope": "line", "subject": "Press 5", "applicable": "on", "measure": "Counter fitted"},
    )
    d7 = {
        "content-pfmea": "updated",
        "content-pfmea_reference": "PFMEA-4711 rev. C",
        "content-control_plan": "no_update",
        "content-no_update_reason": "Check already in the plan",
    }
    assert client.post(url("save", claim, "D7"), d7).status_code == 302
    submit_and_approve(client, claim, "D7", engineer, user_a)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.CUSTOMER_EVALUATION
    # D8 and the customer's acceptance.
    client.post(url("save", claim, "D8"), {"content-closure_summary": "Closed, thanks to all"})
    client.post(url("submit", claim, "D8"))
    assert step(claim, "D8").status == "submitted"
    client.force_login(user_a)
    content = text(client.get(page(claim, "D8")))
    assert "Closed, thanks to all" in content and "Accept the 8D" in content
    accept = reverse("claims:claim-transition", args=[claim.pk, "customer_accept_8d"])
    client.post(accept, {"reason": "Thank you"})
    claim.refresh_from_db()
    assert claim.status == Claim.Status.CLOSED
    assert step(claim, "D8").status == "approved"


@pytest.mark.django_db
class TestWhoSeesAndDoesWhat:
    def test_customer_b_gets_404_on_customer_a_pages_and_rows(
        self, client_for, engineer, user_b, claim
    ):
        fill_step(claim, "D1", engineer)
        fill_step(claim, "D4", engineer)
        member = claim.team_members.first()
        cause = claim.causes.first()
        client = client_for(user_b)
        assert client.get(reverse("claims:eightd", args=[claim.pk])).status_code == 404
        assert client.get(page(claim, "D1")).status_code == 404
        posts = [
            url("team-edit", claim, member.pk),
            url("team-add", claim),
            url("containment-save", claim, "in_transit"),
            url("cause-verify", claim, cause.pk),
            url("row-delete", claim, "causes", cause.pk),
            url("save", claim, "D1"),
            url("submit", claim, "D1"),
            url("decide", claim, "D1", "approve"),
        ]
        for target in posts:
            assert client.post(target, {"name": "x"}).status_code == 404, target
        assert claim.team_members.count() == 4 and claim.causes.count() == 2

    def test_rows_of_another_claim_are_404(self, client_for, engineer, user_a, claim):
        other = file_claim(actor=user_a)
        services.claim_acknowledge(claim=other, actor=engineer)
        fill_step(other, "D1", engineer)
        member = other.team_members.first()
        client = client_for(engineer)
        assert client.post(url("team-edit", claim, member.pk), {"name": "x"}).status_code == 404
        assert client.get(page(claim, "D1") + f"?edit=team-{member.pk}").status_code == 404

    def test_customer_user_cannot_post_edits(self, client_for, engineer, user_a, claim):
        fill_step(claim, "D4", engineer)
        cause = claim.causes.first()
        client = client_for(user_a)
        responses = [
            client.post(url("team-add", claim), {"role": "member", "name": "Intruder"}),
            client.post(url("save", claim, "D0"), {"content-emergency_response": "x"}),
            client.post(url("submit", claim, "D0")),
            client.post(url("row-delete", claim, "causes", cause.pk)),
            client.post(url("cause-rule-out", claim, cause.pk), {"evidence": "x"}),
        ]
        assert [r.status_code for r in responses] == [403] * len(responses)
        assert not TeamMember.objects.exists()
        assert step(claim, "D0").content == {} and claim.causes.count() == 2
        assert "Add a cause" not in text(client.get(page(claim, "D4")))

    def test_customer_sees_neither_drafts_nor_internal_things(
        self, client_for, engineer, user_a, claim
    ):
        for code in ("D0", "D1", "D2", "D3", "D4"):
            fill_step(claim, code, engineer)
        d4 = step(claim, "D4")
        services.step_save(step=d4, actor=engineer, internal_note="SECRET-NOTE", summary="Found")
        causes = list(claim.causes.all())
        for title, internal_only in [("PUBLIC-ACTION", False), ("HIDDEN-ACTION", True)]:
            eightd.corrective_action_save(
                claim=claim,
                actor=engineer,
                title=title,
                owner=engineer,
                due_date=dt.date.today(),
                causes=causes,
                verification="Trial",
                internal_only=internal_only,
            )
        client = client_for(user_a)
        content = text(client.get(page(claim, "D4")))
        assert "Not submitted yet" in content
        assert "Punch worn" not in content and "SECRET-NOTE" not in content
        services.step_submit(step=step(claim, "D4"), actor=engineer)
        services.step_submit(step=step(claim, "D5"), actor=engineer)
        content = text(client.get(page(claim, "D4")))
        assert "Punch worn" in content and "Found" in content
        assert "SECRET-NOTE" not in content and "Approve" in content
        content = text(client.get(page(claim, "D5")))
        assert "PUBLIC-ACTION" in content and "HIDDEN-ACTION" not in content
        staff = text(client_for(engineer).get(page(claim, "D5")))
        assert "HIDDEN-ACTION" in staff and "Internal only" in staff
        assert "SECRET-NOTE" in text(client_for(engineer).get(page(claim, "D4")))

    def test_customer_sends_back_only_with_a_comment(self, client_for, engineer, user_a, claim):
        fill_step(claim, "D0", engineer)
        services.step_submit(step=step(claim, "D0"), actor=engineer)
        client = client_for(user_a)
        response = client.post(url("decide", claim, "D0", "send_back"), {"comment": ""})
        assert response.status_code == 400 and "Say what needs to change" in text(response)
        assert step(claim, "D0").status == "submitted"
        client.post(url("decide", claim, "D0", "send_back"), {"comment": "Name the plants"})
        assert step(claim, "D0").status == "sent_back"
        client = client_for(engineer)
        content = text(client.get(page(claim, "D0")))
        assert "Name the plants" in content and "Save draft" in content

    def test_staff_without_review_capability_cannot_decide(self, client_for, engineer, claim):
        fill_step(claim, "D0", engineer)
        services.step_submit(step=step(claim, "D0"), actor=engineer)
        response = client_for(engineer).post(url("decide", claim, "D0", "approve"))
        assert response.status_code == 403
        assert step(claim, "D0").status == "submitted"


def _page_queries(client, target) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(target)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize("viewer", ["engineer", "user_a"])
def test_discipline_page_queries_do_not_grow_with_rows(request, client, engineer, claim, viewer):
    """2 rows or 8 of each kind: the same number of queries, for the editor and the reader."""
    codes = ("D1", "D4", "D5")

    def add_rows(count):
        # Rows change only while their discipline is ours to edit; the reader sees it submitted.
        claim.steps.filter(code__in=codes).update(status="draft")
        for number in range(count):
            cause = eightd.cause_save(
                claim=claim,
                actor=engineer,
                leg="occurrence",
                category="machine",
                description=f"Cause {count}.{number}",
                whys=["a", "b"],
            )
            eightd.corrective_action_save(
                claim=claim,
                actor=engineer,
                title=f"Action {number}",
                owner=engineer,
                due_date=dt.date.today(),
                causes=[cause],
            )
            eightd.team_member_save(claim=claim, actor=engineer, name=f"P{number}", role="member")
        if viewer == "user_a":
            claim.steps.filter(code__in=codes).update(status="submitted")

    def count_queries():
        return {code: _page_queries(client, page(claim, code)) for code in (*codes, "D6")}

    client.force_login(request.getfixturevalue(viewer))
    add_rows(2)
    few = count_queries()
    add_rows(6)
    assert count_queries() == few
    assert "Cause 6.5" in text(client.get(page(claim, "D4")))
