import pytest

from core.errors import InvalidTransition, PermissionDenied
from core.workflow import Transition, Workflow

FLOW = Workflow(
    {
        "submit": Transition(sources={"draft"}, target="submitted", label="Submit"),
        "approve": Transition(sources={"submitted"}, target="approved", capability="x.approve"),
        "cancel": Transition(sources={"draft", "submitted"}, target="cancelled"),
    }
)


class Actor:
    def __init__(self, *capabilities):
        self.capabilities = set(capabilities)

    def has_capability(self, name):
        return name in self.capabilities


def test_allowed_lists_actions_from_state_in_table_order():
    assert FLOW.allowed("draft") == ["submit", "cancel"]
    assert FLOW.allowed("submitted") == ["approve", "cancel"]
    assert FLOW.allowed("approved") == []


def test_allowed_hides_actions_the_actor_lacks_the_capability_for():
    assert FLOW.allowed("submitted", Actor()) == ["cancel"]
    assert FLOW.allowed("submitted", Actor("x.approve")) == ["approve", "cancel"]


def test_check_returns_the_transition():
    assert FLOW.check("submit", state="draft").target == "submitted"


def test_check_refuses_wrong_state():
    with pytest.raises(InvalidTransition) as error:
        FLOW.check("approve", state="draft", actor=Actor("x.approve"))
    assert error.value.state == "draft"
    assert error.value.action == "approve"


def test_check_refuses_unknown_action():
    with pytest.raises(InvalidTransition):
        FLOW.check("explode", state="draft")


def test_check_refuses_missing_capability():
    with pytest.raises(PermissionDenied):
        FLOW.check("approve", state="submitted", actor=Actor())
    assert FLOW.check("approve", state="submitted", actor=Actor("x.approve")).target == "approved"


def test_targets():
    assert FLOW.targets() == {"submitted", "approved", "cancelled"}
