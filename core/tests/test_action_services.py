import datetime as dt

import pytest
from django.utils import timezone

from core.action_workflow import ACTION_WORKFLOW
from core.errors import DomainError, InvalidTransition, PermissionDenied
from core.models import Action
from core.services import (
    action_cancel,
    action_check_effectiveness,
    action_complete,
    action_create,
    action_may_act,
    action_reopen,
    action_start,
    action_transitions_for,
)

pytestmark = pytest.mark.django_db
S = Action.Status


@pytest.fixture
def action(part_a, engineer):
    return action_create(
        record=part_a,
        title="Sort stock at the customer",
        kind=Action.Kind.CONTAINMENT,
        owner=engineer,
        due_date=timezone.localdate() + dt.timedelta(days=2),
        actor=engineer,
    )


def test_create_sets_record_owner_and_history(action, part_a, engineer):
    assert action.status == S.OPEN
    assert action.record == part_a
    assert action.created_by == engineer
    entry = action.history.first()
    assert entry.history_user == engineer
    assert entry.history_change_reason == "Action created"


def test_customer_cannot_create(part_a, user_a, engineer):
    with pytest.raises(PermissionDenied):
        action_create(
            record=part_a,
            title="x",
            kind=Action.Kind.CORRECTIVE,
            owner=engineer,
            due_date=timezone.localdate(),
            actor=user_a,
        )


@pytest.mark.parametrize(
    "changes,field",
    [({"title": " "}, "title"), ({"kind": "magic"}, "kind"), ({"due_date": None}, "due_date")],
)
def test_create_validates_input(part_a, engineer, changes, field):
    arguments = {
        "record": part_a,
        "title": "Fix",
        "kind": Action.Kind.CORRECTIVE,
        "owner": engineer,
        "due_date": timezone.localdate(),
        "actor": engineer,
        **changes,
    }
    with pytest.raises(DomainError) as error:
        action_create(**arguments)
    assert error.value.field == field


def test_owner_must_be_internal(part_a, engineer, user_a):
    with pytest.raises(DomainError) as error:
        action_create(
            record=part_a,
            title="Fix",
            kind=Action.Kind.CORRECTIVE,
            owner=user_a,
            due_date=timezone.localdate(),
            actor=engineer,
        )
    assert error.value.field == "owner"


def test_full_lifecycle_to_closed(action, engineer, manager):
    action = action_start(action=action, actor=engineer)
    assert action.status == S.IN_PROGRESS
    action = action_complete(action=action, actor=engineer, note="Sorted 1,200 parts, 3 bad")
    assert action.status == S.DONE
    assert action.completed_at is not None
    assert action.completion_note == "Sorted 1,200 parts, 3 bad"
    action = action_check_effectiveness(
        action=action, actor=manager, effective=True, evidence="No repeat in 3 deliveries"
    )
    action.refresh_from_db()
    assert action.status == S.CLOSED
    assert action.effectiveness_result == Action.Effectiveness.EFFECTIVE
    assert action.effectiveness_checked_by == manager
    assert action.effectiveness_checked_at is not None
    reasons = [h.history_change_reason for h in action.history.order_by("history_date", "pk")]
    assert reasons[1:] == [
        "Started",
        "Done: Sorted 1,200 parts, 3 bad",
        "Effective: No repeat in 3 deliveries",
    ]
    assert action.history.first().history_user == manager


def test_not_effective_goes_back_to_work_with_result_recorded(action, engineer):
    action = action_complete(action=action, actor=engineer, note="Changed the gauge")
    action = action_check_effectiveness(
        action=action, actor=engineer, effective=False, evidence="Defect seen again on 12 May"
    )
    action.refresh_from_db()
    assert action.status == S.IN_PROGRESS
    assert action.effectiveness_result == Action.Effectiveness.NOT_EFFECTIVE
    assert action.effectiveness_evidence == "Defect seen again on 12 May"
    assert action.completed_at is None


def test_complete_needs_a_note(action, engineer):
    with pytest.raises(DomainError) as error:
        action_complete(action=action, actor=engineer, note="   ")
    assert error.value.field == "note"
    action.refresh_from_db()
    assert action.status == S.OPEN


def test_effectiveness_needs_evidence(action, engineer):
    action = action_complete(action=action, actor=engineer, note="done")
    with pytest.raises(DomainError) as error:
        action_check_effectiveness(action=action, actor=engineer, effective=True, evidence="")
    assert error.value.field == "evidence"


def test_cancel_needs_a_reason_and_records_it(action, engineer):
    with pytest.raises(DomainError):
        action_cancel(action=action, actor=engineer, reason="")
    action = action_cancel(action=action, actor=engineer, reason="Duplicate of another action")
    assert action.status == S.CANCELLED
    assert action.cancel_reason == "Duplicate of another action"


def test_reopen_from_done(action, engineer):
    action = action_complete(action=action, actor=engineer, note="done")
    action = action_reopen(action=action, actor=engineer, reason="Wrong lot sorted")
    assert action.status == S.IN_PROGRESS
    assert action.completed_at is None
    assert action.history.first().history_change_reason == "Reopened: Wrong lot sorted"


@pytest.mark.parametrize(
    "service,kwargs",
    [
        (action_start, {}),
        (action_reopen, {}),
        (action_check_effectiveness, {"effective": True, "evidence": "x"}),
        (action_cancel, {"reason": "x"}),
        (action_complete, {"note": "x"}),
    ],
)
def test_closed_action_refuses_every_transition(action, engineer, service, kwargs):
    action = action_complete(action=action, actor=engineer, note="done")
    action = action_check_effectiveness(action=action, actor=engineer, effective=True, evidence="e")
    with pytest.raises(InvalidTransition):
        service(action=action, actor=engineer, **kwargs)
    action.refresh_from_db()
    assert action.status == S.CLOSED


def test_invalid_transitions_from_open(action, engineer):
    with pytest.raises(InvalidTransition):
        action_reopen(action=action, actor=engineer)
    with pytest.raises(InvalidTransition):
        action_check_effectiveness(action=action, actor=engineer, effective=True, evidence="e")


def test_start_twice_is_invalid(action, engineer):
    action_start(action=action, actor=engineer)
    with pytest.raises(InvalidTransition):
        action_start(action=action, actor=engineer)


def test_customers_may_never_act(action, user_a):
    with pytest.raises(PermissionDenied):
        action_start(action=action, actor=user_a)
    assert action_transitions_for(action, user_a) == []


class StaffMember:
    """A duck-typed internal user, as core sees users, with chosen capabilities."""

    is_authenticated = True
    is_active = True
    is_internal = True

    def __init__(self, pk, *capabilities):
        self.pk = pk
        self.capabilities = set(capabilities)

    def has_capability(self, name):
        return name in self.capabilities


def test_owner_or_manage_capability_may_act(action, engineer):
    assert action_may_act(action, StaffMember(engineer.pk))
    assert action_may_act(action, StaffMember(engineer.pk + 1000, "actions.manage"))
    assert not action_may_act(action, StaffMember(engineer.pk + 1000))


def test_allowed_transitions_for_buttons(action, engineer):
    assert action_transitions_for(action, engineer) == ["start", "complete", "cancel"]
    assert ACTION_WORKFLOW.allowed(S.DONE) == ["reopen", "check_effectiveness"]
