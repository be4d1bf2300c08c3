import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse, reverse_lazy

from core.models import Action
from customers.tests.factories import PartFactory

pytestmark = pytest.mark.django_db
URL = reverse_lazy("core:my-actions")
S = Action.Status


def _titles(response):
    return [action.title for action in response.context["actions"]]


def test_shows_only_my_open_actions_overdue_first(
    client_for, engineer, manager, part_a, make_action
):
    make_action(part_a, title="Later", due_in=10)
    make_action(part_a, title="Soon", due_in=1)
    make_action(part_a, title="Late", due_in=-3)
    make_action(part_a, title="Very late", due_in=-9)
    make_action(part_a, title="Finished", due_in=-20, status=S.DONE)
    make_action(part_a, title="Someone else's", due_in=-30, owner=manager)
    response = client_for(engineer).get(URL)
    assert response.status_code == 200
    assert _titles(response) == ["Very late", "Late", "Soon", "Later"]
    html = response.content.decode()
    assert "Someone else" not in html
    assert "due-overdue" in html
    assert str(part_a) in html


@pytest.mark.parametrize(
    "tab,expected",
    [
        ("overdue", ["Late"]),
        ("done", ["Finished"]),
        ("all", ["Late", "Old and closed", "Finished", "Later"]),
        ("bogus", ["Late", "Later"]),
    ],
)
def test_tabs(client_for, engineer, part_a, make_action, tab, expected):
    make_action(part_a, title="Later", due_in=10)
    make_action(part_a, title="Late", due_in=-3)
    make_action(part_a, title="Finished", due_in=-2, status=S.DONE)
    make_action(part_a, title="Old and closed", due_in=-40, status=S.CLOSED)
    response = client_for(engineer).get(URL, {"tab": tab})
    assert response.status_code == 200
    assert _titles(response) == expected


def test_search_by_title(client_for, engineer, part_a, make_action):
    make_action(part_a, title="Sort stock in Leipzig")
    make_action(part_a, title="Update control plan")
    response = client_for(engineer).get(URL, {"q": "control"})
    assert _titles(response) == ["Update control plan"]
    empty = client_for(engineer).get(URL, {"q": "nothing like this"})
    assert "No actions match your search" in empty.content.decode()


def test_empty_state(client_for, engineer):
    response = client_for(engineer).get(URL)
    assert "No actions here" in response.content.decode()


def test_customer_user_gets_403(client_for, user_a):
    assert client_for(user_a).get(URL).status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_pagination(client_for, engineer, part_a, make_action):
    for number in range(30):
        make_action(part_a, title=f"Action {number:02d}", due_in=number)
    first = client_for(engineer).get(URL)
    assert len(first.context["actions"]) == 25
    second = client_for(engineer).get(URL, {"page": 2})
    assert _titles(second) == [f"Action {n:02d}" for n in range(25, 30)]


def _count_queries(client, engineer, how_many, customer_a, customer_b, make_action):
    Action.objects.all().delete()
    for number in range(how_many):
        part = PartFactory(customer=customer_a if number % 2 else customer_b)
        make_action(part, title=f"Action {number}", due_in=number - 3)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.status_code == 200
    assert len(response.context["actions"]) == min(how_many, 25)
    return len(queries)


def test_query_count_does_not_grow_with_rows(
    client_for, engineer, customer_a, customer_b, make_action
):
    client = client_for(engineer)
    few = _count_queries(client, engineer, 5, customer_a, customer_b, make_action)
    many = _count_queries(client, engineer, 50, customer_a, customer_b, make_action)
    assert few == many


class TestTransitionsFromThePage:
    def _post(self, client, record, **data):
        url = reverse("core:action-transition", args=[record.pk])
        return client.post(url, {"next": str(URL), **data}, follow=True)

    def test_start_and_complete(self, client_for, engineer, part_a, make_action):
        action = make_action(part_a)
        client = client_for(engineer)
        page = client.get(URL).content.decode()
        assert 'value="start"' in page and 'value="complete"' in page
        self._post(client, action, action="start")
        action.refresh_from_db()
        assert action.status == S.IN_PROGRESS
        response = self._post(client, action, action="complete", note="Sorted all stock")
        action.refresh_from_db()
        assert action.status == S.DONE
        assert action.completion_note == "Sorted all stock"
        assert response.redirect_chain[-1][0] == URL

    def test_missing_note_is_reported_and_nothing_changes(
        self, client_for, engineer, part_a, make_action
    ):
        action = make_action(part_a)
        response = self._post(client_for(engineer), action, action="complete", note="")
        action.refresh_from_db()
        assert action.status == S.OPEN
        assert "Describe what was done." in response.content.decode()

    def test_effectiveness_not_effective(self, client_for, engineer, part_a, make_action):
        action = make_action(part_a, status=S.DONE)
        self._post(
            client_for(engineer),
            action,
            action="check_effectiveness",
            effective="no",
            evidence="Seen again",
        )
        action.refresh_from_db()
        assert action.status == S.IN_PROGRESS
        assert action.effectiveness_result == Action.Effectiveness.NOT_EFFECTIVE

    def test_invalid_transition_is_reported(self, client_for, engineer, part_a, make_action):
        action = make_action(part_a, status=S.CLOSED)
        response = self._post(client_for(engineer), action, action="reopen")
        action.refresh_from_db()
        assert action.status == S.CLOSED
        assert "not possible" in response.content.decode()

    def test_external_next_is_ignored(self, client_for, engineer, part_a, make_action):
        action = make_action(part_a)
        url = reverse("core:action-transition", args=[action.pk])
        response = client_for(engineer).post(
            url, {"action": "start", "next": "https://evil.example/"}
        )
        assert response["Location"] == URL

    def test_customer_gets_403(self, client_for, user_a, part_a, make_action):
        action = make_action(part_a)
        url = reverse("core:action-transition", args=[action.pk])
        assert client_for(user_a).post(url, {"action": "start"}).status_code == 403
        action.refresh_from_db()
        assert action.status == S.OPEN

    def test_get_is_not_allowed(self, client_for, engineer, part_a, make_action):
        action = make_action(part_a)
        url = reverse("core:action-transition", args=[action.pk])
        assert client_for(engineer).get(url).status_code == 405
