"""The structured 8D: rows, the guards of REFERENCE §1 before submitting, and who sees what."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from claims import services
from claims.eightd import services as eightd
from claims.eightd.content import clean_content
from claims.eightd.rules import submit_problems
from claims.eightd.selectors import eight_d_for
from claims.models import Cause, ClaimEvent, Containment, EightDStep
from core import services as core_services
from core.errors import Conflict, DomainError, PermissionDenied
from core.models import Action

from .factories import ROOT_CAUSES, file_claim, fill_step


@pytest.fixture
def claim(user_a, engineer):
    claim = file_claim(actor=user_a)
    services.claim_acknowledge(claim=claim, actor=engineer)
    services.claim_start_review(claim=claim, actor=engineer)
    services.claim_accept_responsibility(claim=claim, actor=engineer)
    return claim


def step(claim, code):
    return EightDStep.objects.select_related("claim").get(claim=claim, code=code)


def problems(claim, code):
    return submit_problems(step(claim, code))


def answer(claim, code, engineer, customer_user):
    fill_step(claim, code, engineer)
    services.step_submit(step=step(claim, code), actor=engineer)
    services.step_approve(step=step(claim, code), actor=customer_user)


def cause(claim, engineer, *, leg="occurrence", verified=True, **fields):
    row = eightd.cause_save(
        claim=claim,
        actor=engineer,
        leg=leg,
        category=fields.pop("category", "machine"),
        description=fields.pop("description", f"{leg} cause"),
        whys=fields.pop("whys", ["Why 1", "Why 2"]),
        is_root_cause=fields.pop("is_root_cause", True),
    )
    if verified:
        row = eightd.cause_verify(cause=row, actor=engineer, method="On/off trial", evidence="T-1")
    return row


@pytest.mark.django_db
class TestSubmitGuards:
    def test_incomplete_discipline_is_refused_with_every_reason_and_nothing_changes(
        self, claim, engineer
    ):
        d3 = step(claim, "D3")
        with pytest.raises(ValidationError) as refused:
            services.step_submit(step=d3, actor=engineer)
        assert len(refused.value.messages) == len(Containment.Location.values)
        assert step(claim, "D3").status == EightDStep.Status.OPEN
        assert not ClaimEvent.objects.filter(claim=claim, action="step_submit").exists()
        claim.refresh_from_db()
        assert claim.reaction_at is None

    def test_d0_needs_the_emergency_response(self, claim, engineer):
        assert problems(claim, "D0")
        fill_step(claim, "D0", engineer)
        assert problems(claim, "D0") == []

    @pytest.mark.parametrize(
        "roles, expected",
        [
            (["champion", "leader", "member", "member"], 0),
            (["champion", "leader", "member"], 1),  # too small
            (["champion", "champion", "leader", "member"], 1),
            (["member"] * 4, 2),  # no champion, no leader
            (["champion", "leader"] + ["member"] * 9, 1),  # eleven people
        ],
    )
    def test_d1_team_roles_and_size(self, claim, engineer, roles, expected):
        for number, role in enumerate(roles):
            eightd.team_member_save(claim=claim, actor=engineer, name=f"P{number}", role=role)
        assert len(problems(claim, "D1")) == expected

    def test_d2_needs_every_5w2h_and_is_is_not_answer(self, claim, engineer):
        services.step_save(step=step(claim, "D2"), actor=engineer, content={"what": "Burr"})
        assert problems(claim, "D2")
        fill_step(claim, "D2", engineer)
        assert problems(claim, "D2") == []

    def test_d3_every_location_answered_and_not_applicable_needs_a_reason(self, claim, engineer):
        with pytest.raises(DomainError) as refused:
            eightd.containment_save(
                claim=claim, actor=engineer, location="in_transit", not_applicable=True
            )
        assert refused.value.field == "not_applicable_reason"
        assert not Containment.objects.exists()
        eightd.containment_save(
            claim=claim, actor=engineer, location="own_wip", method="sort", qty_checked=10
        )
        remaining = problems(claim, "D3")
        assert any("verified" in p for p in remaining)  # own WIP lacks its verification
        assert len(remaining) == len(Containment.Location.values)

    def test_d3_refuses_more_found_than_checked_and_a_second_row_per_location(
        self, claim, engineer
    ):
        with pytest.raises(ValidationError):
            eightd.containment_save(
                claim=claim,
                actor=engineer,
                location="own_wip",
                method="sort",
                qty_checked=5,
                qty_nonconforming=6,
            )
        eightd.containment_save(claim=claim, actor=engineer, location="own_wip", method="hold")
        with pytest.raises(DomainError):
            eightd.containment_save(claim=claim, actor=engineer, location="own_wip", method="sort")
        assert Containment.objects.count() == 1

    def test_d4_needs_verified_occurrence_and_escape_causes(self, claim, engineer):
        cause(claim, engineer, leg="occurrence")
        assert problems(claim, "D4") == [
            "D4: verify a root cause for “Non-detection: why it escaped”."
        ]
        suspected = cause(claim, engineer, leg="non_detection", verified=False)
        assert any("verify or rule out" in p for p in problems(claim, "D4"))
        eightd.cause_verify(cause=suspected, actor=engineer, method="Gauge R&R", evidence="MSA-9")
        assert problems(claim, "D4") == []

    @pytest.mark.parametrize("text", ["Operator error", "human error.", "Werkerfehler"])
    def test_operator_error_alone_is_not_a_root_cause(self, claim, engineer, text):
        with pytest.raises(DomainError) as refused:
            cause(claim, engineer, description=text, verified=False)
        assert refused.value.field == "description"
        assert not Cause.objects.exists()

    def test_operator_error_with_its_systemic_reason_is_accepted(self, claim, engineer):
        row = cause(claim, engineer, description="Operator error: work instruction lacks torque")
        assert row.is_verified_root_cause

    def test_changing_a_verified_cause_needs_verifying_again(self, claim, engineer):
        row = cause(claim, engineer)
        row = eightd.cause_save(
            claim=claim,
            actor=engineer,
            cause=row,
            leg="occurrence",
            category="machine",
            description="Another statement",
            whys=["Why"],
            is_root_cause=True,
        )
        assert row.status == Cause.Status.SUSPECTED and row.verified_at is None

    def test_verification_needs_method_and_evidence(self, claim, engineer):
        row = cause(claim, engineer, verified=False)
        with pytest.raises(DomainError):
            eightd.cause_verify(cause=row, actor=engineer, method="Trial", evidence=" ")
        row.refresh_from_db()
        assert row.status == Cause.Status.SUSPECTED

    def test_d5_every_verified_root_cause_needs_an_action(self, claim, engineer):
        occurrence = cause(claim, engineer, leg="occurrence")
        escape = cause(claim, engineer, leg="non_detection")
        eightd.corrective_action_save(
            claim=claim,
            actor=engineer,
            title="Stroke counter",
            owner=engineer,
            due_date=dt.date(2026, 12, 1),
            causes=[occurrence],
            verification="Trial",
        )
        assert problems(claim, "D5") == [
            f"D5: no corrective action removes the root cause “{escape}”."
        ]

    def test_corrective_action_must_name_causes_of_this_claim(self, claim, engineer, user_a):
        with pytest.raises(DomainError) as refused:
            eightd.corrective_action_save(
                claim=claim, actor=engineer, title="X", owner=engineer, due_date=dt.date.today()
            )
        assert refused.value.field == "causes"
        other = file_claim(actor=user_a)
        services.claim_acknowledge(claim=other, actor=engineer)
        foreign = cause(other, engineer, verified=False)
        with pytest.raises(DomainError):
            eightd.corrective_action_save(
                claim=claim,
                actor=engineer,
                title="X",
                owner=engineer,
                due_date=dt.date.today(),
                causes=[foreign],
            )
        assert not Action.objects.exists()

    def test_d6_cannot_complete_while_containment_is_active(self, claim, engineer, user_a):
        for code in ("D0", "D1", "D2", "D3", "D4", "D5"):
            answer(claim, code, engineer, user_a)
        for link in claim.corrective_actions.all():
            core_services.action_complete(action=link.action, actor=engineer, note="Done")
            eightd.corrective_action_implement(
                link=link, actor=engineer, implemented_on=dt.date.today(), validation="OK"
            )
        assert problems(claim, "D6") == [
            "D6: the containment at “Own plant: finished goods” is still active; remove it first."
        ]
        active = claim.containments.get(status=Containment.Status.ACTIVE)
        eightd.containment_remove(containment=active, actor=engineer, note="Action effective")
        assert problems(claim, "D6") == []

    def test_d6_needs_done_and_validated_actions(self, claim, engineer, user_a):
        for code in ("D0", "D1", "D2", "D3", "D4", "D5"):
            answer(claim, code, engineer, user_a)
        assert sum("not done yet" in p for p in problems(claim, "D6")) == 2

    @pytest.mark.parametrize(
        "content, expected",
        [
            ({}, 3),
            ({"pfmea": "updated", "control_plan": "updated"}, 3),
            ({"pfmea": "no_update", "control_plan": "no_update", "no_update_reason": "R"}, 1),
            (
                {
                    "pfmea": "updated",
                    "pfmea_reference": "PFMEA-1 C",
                    "control_plan": "no_update",
                    "no_update_reason": "Already covered",
                    "read_across_none_reason": "Unique part",
                },
                0,
            ),
        ],
    )
    def test_d7_needs_the_fmea_and_control_plan_answer(self, claim, engineer, content, expected):
        services.step_save(step=step(claim, "D7"), actor=engineer, content=content)
        assert len(problems(claim, "D7")) == expected

    def test_d7_read_across_rows_replace_the_none_reason(self, claim, engineer):
        eightd.read_across_save(
            claim=claim, actor=engineer, scope="line", subject="Press 5", applicable=True
        )
        assert "D7: say what was done for “Press 5”." in problems(claim, "D7")

    def test_d8_waits_for_d7_approval(self, claim, engineer):
        fill_step(claim, "D8", engineer)
        assert problems(claim, "D8") == ["D8: the closure can be submitted once D7 is approved."]


@pytest.mark.django_db
class TestEditing:
    def test_first_row_makes_an_open_discipline_a_draft(self, claim, engineer):
        eightd.team_member_save(claim=claim, actor=engineer, name="Ann", role="leader")
        assert step(claim, "D1").status == EightDStep.Status.DRAFT

    def test_a_submitted_discipline_is_locked_until_sent_back(self, claim, engineer, user_a):
        fill_step(claim, "D1", engineer)
        services.step_submit(step=step(claim, "D1"), actor=engineer)
        with pytest.raises(Conflict):
            eightd.team_member_save(claim=claim, actor=engineer, name="Late", role="member")
        services.step_send_back(step=step(claim, "D1"), actor=user_a, comment="Add logistics")
        eightd.team_member_save(claim=claim, actor=engineer, name="Logistics", role="member")
        assert claim.team_members.count() == 5

    def test_customer_users_cannot_write_rows(self, claim, user_a):
        with pytest.raises(PermissionDenied):
            eightd.team_member_save(claim=claim, actor=user_a, name="Me", role="member")
        assert not claim.team_members.exists()

    def test_started_action_cannot_be_deleted(self, claim, engineer, user_a):
        for code in ("D0", "D1", "D2", "D3", "D4"):
            answer(claim, code, engineer, user_a)
        fill_step(claim, "D5", engineer)
        link = claim.corrective_actions.first()
        core_services.action_start(action=link.action, actor=engineer)
        with pytest.raises(Conflict):
            eightd.row_delete(row=link, actor=engineer)
        assert claim.corrective_actions.count() == 2

    def test_a_cause_with_an_action_cannot_be_deleted(self, claim, engineer):
        fill_step(claim, "D4", engineer)  # still a draft: only the link stops the delete
        fill_step(claim, "D5", engineer)
        with pytest.raises(Conflict):
            eightd.row_delete(row=claim.causes.first(), actor=engineer)
        assert claim.causes.count() == 2

    def test_content_refuses_unknown_fields_and_other_shapes(self):
        with pytest.raises(ValidationError):
            clean_content("D2", {"what": "x", "colour": "red"})
        with pytest.raises(ValidationError):
            clean_content("D2", ["what"])
        with pytest.raises(ValidationError):
            clean_content("D4", {"what": "x"})
        assert clean_content("D2", {"what": "  Burr  ", "where": ""}) == {"what": "Burr"}


@pytest.mark.django_db
class TestVisibility:
    def test_customer_sees_rows_only_of_submitted_disciplines(self, claim, engineer, user_a):
        fill_step(claim, "D4", engineer)
        assert eight_d_for(claim, user_a).causes == []
        assert len(eight_d_for(claim, engineer).causes) == 2
        services.step_submit(step=step(claim, "D4"), actor=engineer)
        shown = {c.description for c in eight_d_for(claim, user_a).causes}
        assert shown == set(ROOT_CAUSES.values())

    def test_internal_only_actions_never_reach_the_customer(self, claim, engineer, user_a):
        root = cause(claim, engineer)
        eightd.corrective_action_save(
            claim=claim,
            actor=engineer,
            title="Talk to the press supplier about the warranty",
            owner=engineer,
            due_date=dt.date.today(),
            causes=[root],
            internal_only=True,
        )
        services.step_save(step=step(claim, "D5"), actor=engineer, summary="ok")
        assert len(eight_d_for(claim, engineer).corrective_actions) == 1
        assert Action.objects.visible_to(user_a).count() == 0
        assert Action.objects.visible_to(engineer).count() == 1


@pytest.mark.django_db
class TestFiveWhyLimits:
    def test_too_many_answers_are_refused(self, claim, engineer):
        from core import limits

        whys = [f"Why {n}" for n in range(limits.MAX_WHYS + 1)]
        with pytest.raises(DomainError) as refused:
            cause(claim, engineer, whys=whys, verified=False)
        assert refused.value.field == "whys"
        assert not Cause.objects.exists()

    def test_an_answer_over_the_limit_is_refused(self, claim, engineer):
        from core import limits

        with pytest.raises(DomainError) as refused:
            cause(claim, engineer, whys=["x" * (limits.WHY_TEXT + 1)], verified=False)
        assert refused.value.field == "whys"

    def test_the_most_answers_allowed_are_kept(self, claim, engineer):
        from core import limits

        whys = ["y" * limits.WHY_TEXT] * limits.MAX_WHYS
        assert cause(claim, engineer, whys=whys, verified=False).whys == whys
