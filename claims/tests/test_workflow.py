import pytest

from claims.workflow import CLAIM_WORKFLOW, STEP_WORKFLOW
from core.errors import InvalidTransition, PermissionDenied


@pytest.mark.django_db
class TestClaimWorkflow:
    def test_engineer_may_acknowledge_a_submitted_claim(self, engineer):
        assert "acknowledge" in CLAIM_WORKFLOW.allowed("submitted", engineer)

    def test_customer_may_not_acknowledge(self, user_a):
        with pytest.raises(PermissionDenied):
            CLAIM_WORKFLOW.check("acknowledge", state="submitted", actor=user_a)

    def test_acknowledge_from_draft_is_refused(self, engineer):
        with pytest.raises(InvalidTransition):
            CLAIM_WORKFLOW.check("acknowledge", state="draft", actor=engineer)

    def test_automatic_transitions_are_no_buttons(self, engineer, manager, user_a):
        for user in (engineer, manager, user_a):
            assert "to_root_cause" not in CLAIM_WORKFLOW.allowed("containment", user)

    def test_only_customer_side_decides_the_8d(self, engineer, user_a, manager):
        assert CLAIM_WORKFLOW.allowed("customer_evaluation", engineer) == []
        assert "customer_accept_8d" in CLAIM_WORKFLOW.allowed("customer_evaluation", user_a)
        assert "customer_accept_8d" in CLAIM_WORKFLOW.allowed("customer_evaluation", manager)


@pytest.mark.django_db
class TestStepWorkflow:
    def test_engineer_edits_customer_approves(self, engineer, user_a):
        assert STEP_WORKFLOW.allowed("open", engineer) == ["save", "submit"]
        assert STEP_WORKFLOW.allowed("submitted", engineer) == []
        assert STEP_WORKFLOW.allowed("submitted", user_a) == ["approve", "send_back"]

    def test_approved_step_cannot_be_submitted_again(self, engineer):
        with pytest.raises(InvalidTransition):
            STEP_WORKFLOW.check("submit", state="approved", actor=engineer)
