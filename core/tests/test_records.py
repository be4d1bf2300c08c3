"""The record kernel (core.records) on a real record: a deviation and its timeline."""

from __future__ import annotations

import pytest

from audits.models import EVENT_LABELS as AUDIT_EVENT_LABELS
from audits.models import AuditEvent
from changes.deviations.tests.factories import draft_deviation
from changes.deviations.workflow import DEVIATION_WORKFLOW, WORK
from changes.models import Deviation, DeviationEvent
from changes.models.deviation import DEVIATION_EVENT_LABELS
from claims.models import ClaimEvent
from core.errors import DomainError, InvalidTransition, PermissionDenied
from core.locking import StaleVersion
from core.records.events import RecordEvent
from core.records.services import (
    known_fields,
    locked,
    record_event,
    require_capability,
    required,
    save,
)
from core.records.transitions import transition
from ppap.models import PpapEvent

pytestmark = pytest.mark.django_db


def _request(deviation, actor, **options):
    return transition(
        deviation, actor, "request", workflow=DEVIATION_WORKFLOW, events=DeviationEvent, **options
    )


@pytest.fixture
def deviation(engineer, customer_a):
    return locked(Deviation, draft_deviation(actor=engineer, customer=customer_a).pk)


# --- the event model -----------------------------------------------------------------------------


def test_every_record_s_event_model_is_a_record_event():
    from changes.models import ChangeEvent

    for model in (ClaimEvent, ChangeEvent, DeviationEvent, PpapEvent, AuditEvent):
        assert issubclass(model, RecordEvent)
        assert not model._meta.abstract
        assert model._meta.ordering == ["-created_at", "-pk"]
        assert model._meta.get_field(model.record_field).related_model is not None


def test_an_event_s_label_is_looked_up_in_its_own_model_s_labels():
    assert DeviationEvent(action="request").label == str(DEVIATION_EVENT_LABELS["request"])
    assert AuditEvent(action="plan").label == str(AUDIT_EVENT_LABELS["plan"])
    # "request" means nothing on an audit's timeline: it shows as the action's name.
    assert "request" not in AUDIT_EVENT_LABELS
    assert AuditEvent(action="request").label == "request"


def test_an_event_reads_as_its_record_and_action(deviation, engineer):
    event = record_event(DeviationEvent, deviation, engineer, "ship", comment="5 parts")
    assert str(event) == f"{deviation.pk} ship"
    assert (event.deviation, event.customer_id, event.actor) == (
        deviation,
        deviation.customer_id,
        engineer,
    )


def test_an_actor_that_is_no_user_is_recorded_as_nobody(deviation):
    event = record_event(DeviationEvent, deviation, None, "expire")
    assert event.actor is None


# --- the transition ------------------------------------------------------------------------------


def test_a_transition_moves_saves_counts_the_version_and_writes_the_event(deviation, engineer):
    version = deviation.version
    _request(deviation, engineer, comment="Please decide by Friday")

    deviation.refresh_from_db()
    assert deviation.status == Deviation.Status.REQUESTED
    assert deviation.version == version + 1
    event = deviation.events.first()
    assert (event.action, event.from_status, event.to_status, event.comment) == (
        "request",
        Deviation.Status.DRAFT,
        Deviation.Status.REQUESTED,
        "Please decide by Friday",
    )
    assert event.actor == engineer
    history = deviation.history.first()
    assert history.history_change_reason == str(DEVIATION_WORKFLOW["request"].label)
    assert history.history_user == engineer


def test_a_transition_not_allowed_from_the_state_is_refused_and_changes_nothing(
    deviation, engineer
):
    events_before = deviation.events.count()
    with pytest.raises(InvalidTransition):
        transition(deviation, engineer, "close", workflow=DEVIATION_WORKFLOW, events=DeviationEvent)
    fresh = Deviation.objects.get(pk=deviation.pk)
    assert fresh.status == Deviation.Status.DRAFT
    assert fresh.version == deviation.version
    assert deviation.events.count() == events_before


def test_a_transition_the_actor_may_not_take_is_refused(deviation, user_a):
    with pytest.raises(PermissionDenied):
        _request(deviation, user_a)
    assert Deviation.objects.get(pk=deviation.pk).status == Deviation.Status.DRAFT


def test_a_move_the_system_makes_skips_the_actor_s_capability(deviation, user_a):
    _request(deviation, user_a, check_actor=False)
    assert Deviation.objects.get(pk=deviation.pk).status == Deviation.Status.REQUESTED


def test_the_event_can_go_to_another_record_s_timeline_under_its_own_name(
    deviation, engineer, customer_a
):
    # A part of a record (a cost sheet of a claim, a finding of an audit) moves on its own table
    # and tells its owner's timeline; a second deviation stands in for the owner here.
    owner = draft_deviation(actor=engineer, customer=customer_a)
    _request(deviation, engineer, timeline=owner, event_action="part_request", comment="A")
    event = owner.events.first()
    assert (event.action, event.from_status, event.to_status, event.comment) == (
        "part_request",
        Deviation.Status.DRAFT,
        Deviation.Status.REQUESTED,
        "A",
    )
    assert not deviation.events.filter(action__endswith="request").exists()


# --- capability, required text, known fields -----------------------------------------------------


def test_require_capability_refuses_who_lacks_it(engineer, user_a):
    require_capability(engineer, WORK)
    with pytest.raises(PermissionDenied):
        require_capability(user_a, WORK)
    with pytest.raises(PermissionDenied):
        require_capability(None, WORK)


def test_required_trims_and_refuses_empty_text():
    assert required("  worn punch ", "reason", "Say why.") == "worn punch"
    with pytest.raises(DomainError) as refused:
        required("   ", "reason", "Say why.")
    assert refused.value.field == "reason"


def test_known_fields_refuses_a_field_no_service_takes():
    assert known_fields({"title": "x"}, {"title", "lots"}) == {"title": "x"}
    with pytest.raises(TypeError, match="unexpected fields: colour"):
        known_fields({"title": "x", "colour": "red"}, {"title"})


# --- locking and saving --------------------------------------------------------------------------


def test_a_write_from_an_older_version_is_refused_as_stale(deviation, engineer):
    read_version = deviation.version
    deviation.title = "Burr up to 0.2 mm"
    save(deviation, engineer, "Edited", ["title"])

    with pytest.raises(StaleVersion) as refused:
        locked(Deviation, deviation.pk, read_version)
    assert (refused.value.expected_version, refused.value.current_version) == (
        read_version,
        read_version + 1,
    )
    assert locked(Deviation, deviation.pk, read_version + 1).title == "Burr up to 0.2 mm"


def test_save_writes_only_the_fields_named(deviation, engineer):
    deviation.title = "Changed title"
    deviation.reason = "Not meant to be saved"
    save(deviation, engineer, "Edited", ["title"])
    fresh = Deviation.objects.get(pk=deviation.pk)
    assert fresh.title == "Changed title"
    assert fresh.reason != "Not meant to be saved"
