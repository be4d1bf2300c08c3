"""Issue 23 acceptance: a customer user opens their survey link on a 390 px phone, answers, and the
campaign's NPS and CSAT change accordingly; a low answer creates the follow-up action. The survey
pages fit 1440, 1024 and 390 px for staff and customers."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.models import User
from accounts.tests.factories import CustomerUserFactory
from core.models import Action
from customers.models import Customer
from surveys import defaults, selectors, services
from surveys.models import Invitation, Question
from tests.browser import CHROMIUM, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing: browser tests need Chromium"
    ),
]

CUSTOMER = "quality@autowerk.example"
MANAGER = "manager@demo.example"
ENGINEER = "engineer@demo.example"
PHONE = {"width": 390, "height": 844}
WIDTHS = ({"width": 1440, "height": 900}, {"width": 1024, "height": 768}, PHONE)
# Screenshots of every survey page and width, for a look by eye.
ARTIFACTS = Path(settings.BASE_DIR) / "var" / "test-artifacts" / "surveys"


@pytest.fixture
def open_campaign(demo):
    """Autowerk's open campaign: a colleague answered all 5s and a 10 already."""
    manager = User.objects.get(email=MANAGER)
    customer = Customer.objects.get(code="AUTOWERK")
    colleague = CustomerUserFactory(email="einkauf@autowerk.example", customer=customer)
    template = defaults.default_template()
    today = timezone.localdate()
    campaign = services.campaign_create(
        actor=manager,
        customer=customer,
        template=template,
        title="Autowerk satisfaction survey",
        opens_on=today,
        closes_on=today + dt.timedelta(days=27),
    )
    campaign = services.campaign_open(campaign=campaign, actor=manager)
    answers = {
        question.pk: (10 if question.is_nps else 5)
        for question in template.questions.exclude(kind=Question.Kind.TEXT)
    }
    services.response_submit(campaign=campaign, actor=colleague, answers=answers)
    return campaign


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _choose(page, question: Question, value: int) -> None:
    page.locator(f'label[for="q{question.pk}-{value}"]').click()


def test_a_customer_answers_on_a_phone_and_the_results_move(page, live_server, open_campaign):
    campaign = open_campaign
    before = selectors.campaign_results(campaign).overall
    assert (before.csat, before.nps) == (Decimal("100.0"), 100)
    engineer = User.objects.get(email=ENGINEER)
    assert Customer.objects.get(code="AUTOWERK").responsible_engineers.filter(pk=engineer.pk)

    sign_in(page, live_server, CUSTOMER)
    page.set_viewport_size(PHONE)
    user = User.objects.get(email=CUSTOMER)
    link = Invitation.objects.get(campaign=campaign, user=user).get_absolute_url()
    page.goto(f"{live_server.url}{link}")
    assert "How likely are you to recommend us" in page.content()
    assert _fits(page)

    quality, delivery, communication, _eight_d = campaign.template.questions.filter(
        kind=Question.Kind.SCALE_5
    ).order_by("position")
    nps = campaign.template.questions.get(kind=Question.Kind.NPS)
    text = campaign.template.questions.get(kind=Question.Kind.TEXT)
    _choose(page, quality, 4)
    _choose(page, communication, 4)
    _choose(page, nps, 5)
    page.fill(f"#q{text.pk}-text", "Two deliveries came late in March.")
    with page.expect_navigation():
        page.get_by_role("button", name="Send my answers").click()
    # Delivery was left out: required, so the page asks for it and keeps the rest.
    assert "Please answer this question." in page.content()
    assert page.locator(f"#q{text.pk}-text").input_value() == "Two deliveries came late in March."
    assert _fits(page)
    # The refused form came back as a 400, which Chromium logs; nothing else may have failed.
    assert all("status of 400" in error for error in page.console.errors), page.console.errors
    page.console.errors.clear()

    _choose(page, delivery, 2)
    with page.expect_navigation():
        page.get_by_role("button", name="Send my answers").click()
    assert "Thank you!" in page.content()
    assert _fits(page)
    assert page.console.errors == []

    after = selectors.campaign_results(campaign).overall
    # 5, 5, 5, 5 and 4, 2, 4: six of seven answers are a 4 or 5; one promoter, one detractor.
    assert (after.csat, after.nps, after.responses) == (Decimal("85.7"), 0, 2)
    action = Action.objects.get(kind=Action.Kind.FOLLOW_UP)
    assert action.owner == engineer and action.is_open
    assert "2 of 5" in action.description and "5 of 10" in action.description


def test_the_survey_pages_fit_every_width(page, other_page, live_server, open_campaign):
    campaign = open_campaign
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    problems = []
    sign_in(page, live_server, MANAGER)
    staff_pages = [
        "/surveys/",
        f"/surveys/{campaign.pk}/",
        f"/surveys/customers/{campaign.customer_id}/",
        "/surveys/templates/",
        f"/surveys/templates/{campaign.template_id}/",
        "/surveys/schedules/",
        "/surveys/new/",
    ]
    sign_in(other_page, live_server, CUSTOMER)
    link = Invitation.objects.get(campaign=campaign, user__email=CUSTOMER).get_absolute_url()
    customer_pages = ["/surveys/mine/", link, f"/surveys/{campaign.pk}/"]
    for who, browser_page, paths in (
        ("staff", page, staff_pages),
        ("customer", other_page, customer_pages),
    ):
        for path in paths:
            browser_page.set_viewport_size(WIDTHS[0])
            response = browser_page.goto(f"{live_server.url}{path}")
            if not response.ok:
                problems.append(f"{path}: HTTP {response.status}")
                continue
            for size in WIDTHS:
                browser_page.set_viewport_size(size)
                name = "answer" if path == link else path.strip("/").replace("/", "-")
                browser_page.screenshot(
                    path=ARTIFACTS / f"{who}-{name}-{size['width']}.png", full_page=True
                )
                if not _fits(browser_page):
                    problems.append(f"{path} scrolls sideways at {size['width']} px")
        problems += browser_page.console.errors
    assert not problems, "\n".join(problems)
