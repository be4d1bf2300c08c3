"""The special status workflow table: which action goes from where to where, and who may take it."""

import pytest

from core.errors import InvalidTransition, PermissionDenied
from special_status.models import SpecialStatus
from special_status.workflow import (
    STATUS_WORKFLOW,
    actions_for,
    decisions_for,
    may_decide,
    may_work,
)

S = SpecialStatus.Status

# action -> (the states it starts from, the state it leads to)
TABLE = {
    "request_exit": ({S.OPEN}, S.EXIT_REQUESTED),
    "sign_exit": ({S.EXIT_REQUESTED}, S.CLOSED),
    "decline_exit": ({S.EXIT_REQUESTED}, S.OPEN),
}


def test_the_table_is_exactly_this():
    assert set(STATUS_WORKFLOW.transitions) == set(TABLE)
    for action, (sources, target) in TABLE.items():
        transition = STATUS_WORKFLOW[action]
        assert transition.sources == {str(state) for state in sources}, action
        assert transition.target == target, action
    assert STATUS_WORKFLOW["decline_exit"].needs_comment
    assert not STATUS_WORKFLOW.targets() - set(S.values)


@pytest.mark.parametrize("action", list(TABLE))
@pytest.mark.parametrize("state", S.values)
def test_every_action_is_refused_from_every_other_state(action, state):
    sources, target = TABLE[action]
    if state in sources:
        assert STATUS_WORKFLOW.check(action, state=state).target == target
    else:
        with pytest.raises(InvalidTransition):
            STATUS_WORKFLOW.check(action, state=state)


def test_closed_is_final_and_nothing_leaves_it():
    assert SpecialStatus.FINAL_STATUSES == (S.CLOSED,)
    assert STATUS_WORKFLOW.allowed(S.CLOSED) == []


@pytest.mark.django_db
def test_only_staff_request_the_exit(engineer, user_a):
    STATUS_WORKFLOW.check("request_exit", state=S.OPEN, actor=engineer)
    with pytest.raises(PermissionDenied):
        STATUS_WORKFLOW.check("request_exit", state=S.OPEN, actor=user_a)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "works", "decides"),
    [
        ("engineer", True, False),
        ("manager", True, True),
        ("admin_user", True, True),
        ("user_a", False, True),
    ],
)
def test_who_works_and_who_decides(request, who, works, decides):
    user = request.getfixturevalue(who)
    assert may_work(user) is works
    assert may_decide(user) is decides
    waiting = SpecialStatus(status=S.EXIT_REQUESTED)
    assert decisions_for(waiting, user) == (["sign_exit", "decline_exit"] if decides else [])
    assert actions_for(SpecialStatus(status=S.OPEN), user) == (["request_exit"] if works else [])
    assert decisions_for(SpecialStatus(status=S.OPEN), user) == []
