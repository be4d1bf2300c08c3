"""The conduct page's outline: elements and process steps with answered/total, open questions only,
and demo process audits whose process steps belong to the audited line."""

import re

import pytest
from django.urls import reverse

from audits import catalogues, conduct, demo, selectors, services
from audits.models import Audit, Catalogue
from audits.tests import factories as f
from customers import demo as customers_demo

pytestmark = pytest.mark.django_db

STEPS = ["Blanking", "Stamping"]


@pytest.fixture
def audit(manager):
    """Small VDA catalogue (P5: 3, P6: 2 per step, P7: 3); P5.1 scored, P6.1 not evaluated."""
    audit = f.started(actor=manager, catalogue=f.vda_catalogue(), process_steps=STEPS)
    questions = {q.code: q for q in audit.catalogue.questions.all()}
    services.answer_save(audit=audit, question=questions["P5.1"], actor=manager, score=8)
    services.answer_save(
        audit=audit,
        question=questions["P6.1"],
        actor=manager,
        step="Stamping",
        not_evaluated=True,
        reason="Press down for maintenance",
    )
    return audit


def _counts(groups):
    return {group.key: (group.answered, group.total) for group in groups}


def test_outline_counts_answered_rows_per_element_and_process_step(audit):
    elements, steps = conduct.outline(selectors.conduct_cards(audit), vda=True)
    assert _counts(elements) == {"P5": (1, 3), "P6": (1, 4), "P7": (0, 3)}
    assert elements[0].title == "Supplier management"
    assert _counts(steps) == {"Blanking": (0, 2), "Stamping": (1, 2)}
    first_p6 = audit.catalogue.questions.get(code="P6.1")
    assert [step.first_row for step in steps] == [f"row-{first_p6.pk}-1", f"row-{first_p6.pk}-2"]


def test_checklist_groups_by_main_clause(manager):
    iso = next(c for c in catalogues.load_shipped() if c.kind == Catalogue.Kind.ISO_9001)
    audit = f.started(actor=manager, type=Audit.Type.SYSTEM, catalogue=iso)
    elements, steps = conduct.outline(selectors.conduct_cards(audit), vda=False)
    assert [group.key for group in elements] == ["4", "5", "6", "7", "8", "9", "10"]
    assert str(elements[0].label) == "Clause 4" and steps == []
    assert sum(group.total for group in elements) == iso.questions.count()


def test_page_shows_the_navigation_with_counters_and_anchors(audit, client_for, manager):
    page = client_for(manager).get(reverse("audits:audit-conduct", args=[audit.pk]))
    html = page.content.decode()
    nav = html[
        html.index('id="conduct-nav"') : html.index("</nav>", html.index('id="conduct-nav"'))
    ]
    assert re.findall(r'href="#(element-p\d)"', nav) == ["element-p5", "element-p6", "element-p7"]
    for anchor in ("element-p5", "element-p6", "element-p7"):
        assert f'id="{anchor}"' in html  # every jump has its target
    text = " ".join(re.sub(r"<[^>]+>", " ", nav).split())
    assert "P5 answered: 1/3 P6 answered: 1/4 P7 answered: 0/3" in text
    assert "Blanking answered: 0/2 Stamping answered: 1/2" in text
    step_targets = re.findall(r'href="#(row-\d+-\d)" data-step-group="(\w+)"', nav)
    assert [step for _, step in step_targets] == STEPS
    for target, _ in step_targets:
        assert f'id="{target}"' in html
    assert html.count("data-answered") == 2  # the scored row and the one not evaluated
    assert 'aria-pressed="false"' in nav and "conduct-open-only" not in html
    assert 'id="result-summary"' in nav and 'id="result-panel"' in html


def test_open_questions_only_is_a_link_that_works_without_javascript(audit, client_for, manager):
    url = reverse("audits:audit-conduct", args=[audit.pk])
    html = client_for(manager).get(url, {"show": "open"}).content.decode()
    assert 'class="conduct-page conduct-open-only"' in html
    assert 'aria-pressed="true"' in html and "Show all questions" in html


def test_saved_answer_refreshes_the_summary_in_the_navigation(audit, client_for, manager):
    question = audit.catalogue.questions.get(code="P7.2")
    url = reverse("audits:answer-save", args=[audit.pk, question.pk])
    response = client_for(manager).post(
        url, {"score": "10", "version": "new"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'id="result-summary"[^>]*hx-swap-oob="true"', html)
    assert re.search(r'class="conduct-row"[^>]*data-answered', html)


def test_demo_process_audits_score_the_steps_of_their_own_line():
    customers_demo.seed()
    demo.seed()
    audits = Audit.objects.filter(type=Audit.Type.PROCESS, catalogue__kind="vda63")
    steps = {audit.process.name: audit.process_steps for audit in audits.select_related("process")}
    assert steps == {
        "Stamping line 1": ["Blanking", "Stamping", "Trimming", "Inspection"],
        "Casting cell 2": ["Melting", "Casting", "Fettling"],
        "Machining cell 5": ["Turning", "Milling", "Deburring", "Washing"],
    }
