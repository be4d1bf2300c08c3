"""Survey fixtures: the shipped questionnaire, campaigns of customer A, a claim in evaluation."""

import pytest

from accounts.tests.factories import CustomerUserFactory
from claims import services as claim_services
from claims.models import Claim, EightDStep
from claims.tests.factories import file_claim, fill_step
from surveys import defaults, services
from surveys.models import Question

from .factories import plan


@pytest.fixture
def template(db):
    return defaults.default_template()


@pytest.fixture
def questions(template) -> dict[str, list[Question]]:
    """The questionnaire's questions by kind, in order."""
    by_kind: dict[str, list[Question]] = {}
    for question in template.questions.order_by("position"):
        by_kind.setdefault(question.kind, []).append(question)
    return by_kind


@pytest.fixture
def colleague_a(customer_a):
    """A second user of customer A: invited too, with a personal link of their own."""
    return CustomerUserFactory(email="buyer@autowerk.example", customer=customer_a)


@pytest.fixture
def responsible(customer_a, engineer):
    """Customer A's responsible engineer: owns the follow-up of low answers."""
    customer_a.responsible_engineers.set([engineer])
    return engineer


@pytest.fixture
def campaign(customer_a, manager, template, user_a, colleague_a):
    """Customer A's campaign, open: A's two users invited."""
    planned = plan(customer_a, manager, template, title="Autowerk satisfaction Q1")
    return services.campaign_open(campaign=planned, actor=manager)


@pytest.fixture
def evaluation(user_a, engineer):
    """Claim A with D0–D7 approved and D8 submitted: the customer decides on the 8D now."""
    claim = file_claim(actor=user_a)
    claim_services.claim_assign(claim=claim, engineer=engineer, actor=engineer)
    claim_services.claim_acknowledge(claim=claim, actor=engineer)
    claim_services.claim_start_review(claim=claim, actor=engineer)
    claim_services.claim_accept_responsibility(claim=claim, actor=engineer)
    claim.steps.exclude(code="D8").update(status=EightDStep.Status.APPROVED)
    Claim.objects.filter(pk=claim.pk).update(status=Claim.Status.CUSTOMER_EVALUATION)
    fill_step(claim, "D8", engineer)
    claim_services.step_submit(step=claim.steps.get(code="D8"), actor=engineer)
    claim.refresh_from_db()
    return claim


@pytest.fixture
def accepted_claim(evaluation, user_a):
    claim_services.claim_customer_accept(claim=evaluation, actor=user_a)
    evaluation.refresh_from_db()
    return evaluation
