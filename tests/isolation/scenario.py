"""Two customers with one of every record kind, built through the product's own services.

Everything of customer A carries the marker ``ZZ-ALPHA``: the customer's name and code, its
user, and every text of its records a page, export or PDF can show (part numbers, the claim's
symptom and reference, 8D rows, comments, cost lines, files, deliveries, contacts, the API token's
name), which read ``ZZ-ALPHA-SECRET``; customer B's carry ``YY-BRAVO``. A response B gets must
never contain ``ZZ-ALPHA``, and the same response for A contains ``ZZ-ALPHA-SECRET`` (the control
that proves a record would show if it leaked: the page around it names the user and customer,
never a record).

``rolled_back`` lets a test module build the scenario once: it is created inside a transaction
that is rolled back when the module is done, while every test runs in its own savepoint.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import CharField, Count, DateTimeField, Max, Value
from django.test import TestCase
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import ApiToken
from accounts.roles import Role
from accounts.services import token_create
from accounts.tests.factories import CustomerUserFactory, UserFactory
from claims import costs
from claims import services as claims
from claims.eightd import services as eightd
from claims.models import Claim, CorrectiveAction
from claims.tests.factories import D2_ANSWERS
from core import services as core
from core.models import Action, Attachment
from customers import services as customers
from metrics import reports
from metrics import services as metrics
from metrics.models import Delivery

from . import (
    scenario_audits,
    scenario_changes,
    scenario_deviations,
    scenario_notifications,
    scenario_ppap,
    scenario_rating,
    scenario_special_status,
    scenario_surveys,
)
from .routes import png_upload

MARKER_A = "ZZ-ALPHA"
MARKER_B = "YY-BRAVO"
TEAM_ROLES = ("champion", "leader", "member", "member")
OTHER_LOCATIONS = ("own_wip", "in_transit", "customer_stock", "service_stock")
# Parts each customer shipped in the reported month: B's ppm must add up B's alone.
SHIPPED = {MARKER_A: 24_000, MARKER_B: 13_000}


@dataclass
class Side:
    """One customer and one record of every kind it owns; ``owner`` is the engineer on them."""

    marker: str
    customer: object
    user: object
    owner: object
    contact: object = None
    holiday: object = None
    part: object = None
    part_attachment: object = None
    action: object = None
    delivery: object = None
    claim: Claim = None
    claim_attachment: object = None
    team: object = None
    containment: object = None
    cause: object = None
    second_cause: object = None
    corrective: CorrectiveAction = None
    preventive: CorrectiveAction = None
    read_across: object = None
    cost_line: object = None
    token: ApiToken = None
    token_key: str = ""
    report: object = None
    extra: dict = field(default_factory=dict)

    @property
    def secret(self) -> str:
        """The marker of the records' own texts: never part of the page around them."""
        return f"{self.marker}-SECRET"

    @property
    def slug(self) -> str:
        return self.secret.lower()

    @property
    def search_term(self) -> str:
        """Finds the side's records without being the marker: a page may echo what was searched."""
        return self.marker.split("-")[-1]

    @property
    def user_uidb64(self) -> str:
        return urlsafe_base64_encode(force_bytes(self.user.pk))


@dataclass
class Scenario:
    a: Side
    b: Side
    engineer: object
    manager: object
    admin: object
    plant: object


@contextmanager
def rolled_back(django_db_blocker):
    """Database access for a module-scoped fixture, undone when the module is finished."""
    with django_db_blocker.unblock(), transaction.atomic():
        try:
            yield
        finally:
            transaction.set_rollback(True)


def run_after_commit():
    """Run what the services leave for after the commit (report generation) at the block's end."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def report_month() -> dt.date:
    return reports.previous_month()


# --- building ------------------------------------------------------------------------------------


def staff() -> tuple:
    engineer = UserFactory(email="sweep-engineer@example.com", role=Role.ENGINEER)
    manager = UserFactory(email="sweep-manager@example.com", role=Role.MANAGER)
    admin = UserFactory(
        email="sweep-admin@example.com", role=Role.ADMIN, is_staff=True, is_superuser=True
    )
    return engineer, manager, admin


def our_plant(manager):
    return customers.plant_create(actor=manager, code="HEILBRONN", name="Heilbronn")


def build_scenario() -> Scenario:
    engineer, manager, admin = staff()
    plant = our_plant(manager)
    a = build_side(MARKER_A, engineer=engineer, manager=manager, plant=plant)
    b = build_side(MARKER_B, engineer=engineer, manager=manager, plant=plant)
    for side in (a, b):
        with run_after_commit():
            side.report = reports.report_request(
                period=report_month(), customer=side.customer, actor=manager, new_version=True
            )
        side.report.refresh_from_db()
    return Scenario(a=a, b=b, engineer=engineer, manager=manager, admin=admin, plant=plant)


def build_side(marker: str, *, engineer, manager, plant) -> Side:
    customer = customers.customer_create(
        actor=manager, name=f"{marker} Motors", code=marker, city="Stuttgart", country="Germany"
    )
    user = CustomerUserFactory(
        email=f"quality@{marker.lower()}.example", full_name=f"{marker} Quality", customer=customer
    )
    side = Side(marker=marker, customer=customer, user=user, owner=engineer)
    _master_data(side, manager, plant)
    _part_records(side, engineer, SHIPPED[marker])
    _open_claim(side, engineer)
    side.token, side.token_key = token_create(user=user, name=f"{side.secret} token")
    for module in (scenario_audits, scenario_ppap, scenario_changes, scenario_deviations):
        module.build(side, engineer=engineer, manager=manager)
    scenario_notifications.build(side, engineer=engineer, manager=manager)
    scenario_rating.build(side, engineer=engineer, manager=manager)
    scenario_special_status.build(side, engineer=engineer, manager=manager)
    scenario_surveys.build(side, engineer=engineer, manager=manager)
    return side


def _master_data(side: Side, manager, plant) -> None:
    marker, customer = side.secret, side.customer
    side.contact = customers.contact_create(
        customer=customer, actor=manager, name=f"{marker} Contact", email="c@example.com"
    )
    side.holiday = customers.holiday_add(
        customer=customer, actor=manager, date=dt.date(2026, 12, 24), name=f"{marker} holiday"
    )
    side.part = customers.part_create(
        actor=manager,
        part_number=f"{marker}-PN",
        customer_part_number=f"{marker}-CPN",
        revision="A",
        description=f"{marker} bracket",
        customer=customer,
        plant=plant,
    )


def _part_records(side: Side, engineer, shipped: int) -> None:
    part, marker = side.part, side.secret
    side.part_attachment = core.attachment_add(
        owner=part,
        upload=png_upload(f"{side.slug}-drawing.png"),
        actor=engineer,
        policy=part.customer.requirements.attachment_policy,
        description=f"{marker} drawing",
    )
    side.action = core.action_create(
        record=part,
        title=f"{marker} check the drawing",
        kind=Action.Kind.CORRECTIVE,
        owner=engineer,
        due_date=dt.date.today() + dt.timedelta(days=5),
        actor=engineer,
    )
    row = {
        "delivery_note": f"{marker}-DN-1",
        "customer_code": side.customer.code,
        "part_number": part.part_number,
        "ship_date": (report_month() + dt.timedelta(days=2)).isoformat(),
        "quantity": shipped,
    }
    result = metrics.deliveries_import(rows=[row], actor=engineer)
    assert result.ok, (result.file_errors, result.row_errors)
    side.delivery = Delivery.objects.get(delivery_note=row["delivery_note"])


def _open_claim(side: Side, engineer) -> None:
    """A claim in root cause: D0–D3 approved by the customer, D4, D5 and D7 rows in draft."""
    marker, user = side.secret, side.user
    notified = timezone.make_aware(dt.datetime.combine(report_month().replace(day=5), dt.time(9)))
    claim = claims.claim_file(
        actor=engineer,
        customer=side.customer,
        part=side.part,
        uploads=[png_upload(f"{side.slug}-photo.png")],
        kind="0km",
        detection_location="line",
        detection_date=notified.date(),
        notified_at=notified,
        symptom=f"{marker} burr on the mounting hole",
        severity="major",
        suspect_qty=500,
        nonconforming_qty=12,
        ppm_qty=12,
        customer_reference=f"{marker}-REF",
    )
    side.claim = claim
    side.claim_attachment = Attachment.objects.for_owner(claim).get()
    claims.claim_assign(claim=claim, engineer=engineer, actor=engineer)
    claims.claim_acknowledge(claim=claim, actor=engineer)
    claims.claim_start_review(claim=claim, actor=engineer)
    claims.claim_accept_responsibility(claim=claim, actor=engineer)
    _containment_discipline(side, engineer)
    for code in ("D0", "D1", "D2", "D3"):
        step = claim.steps.get(code=code)
        claims.step_submit(step=step, actor=engineer)
        claims.step_approve(step=claim.steps.get(code=code), actor=user)
    _root_cause_rows(side, engineer)
    claims.comment_add(claim=claim, actor=user, body=f"{marker} customer question")
    claims.comment_add(claim=claim, actor=engineer, body=f"{marker} internal note", internal=True)
    side.cost_line = costs.cost_line_add(
        claim=claim,
        actor=engineer,
        category="sorting",
        description=f"{marker} sorting hours",
        quantity=Decimal(3),
        unit="h",
        rate=Decimal("45.5"),
    )
    costs.costs_release(claim=claim, actor=engineer)
    side.claim.refresh_from_db()


def _containment_discipline(side: Side, engineer) -> None:
    """D0 to D3 answered, with the marker in what the customer reads once submitted."""
    claim, marker = side.claim, side.secret
    claims.step_save(
        step=claim.steps.get(code="D0"),
        actor=engineer,
        summary=f"{marker} shipments stopped",
        content={"emergency_response": f"{marker} stock blocked"},
    )
    for number, role in enumerate(TEAM_ROLES):
        member = eightd.team_member_save(
            claim=claim, actor=engineer, name=f"{marker} Person {number}", role=role
        )
        side.team = side.team or member
    claims.step_save(
        step=claim.steps.get(code="D2"),
        actor=engineer,
        summary=f"{marker} problem statement",
        content=D2_ANSWERS,
    )
    side.containment = eightd.containment_save(
        claim=claim,
        actor=engineer,
        location="own_finished",
        method="sort",
        qty_checked=500,
        qty_nonconforming=3,
        verification=f"{marker} second sort found no burr",
    )
    for location in OTHER_LOCATIONS:
        eightd.containment_save(
            claim=claim,
            actor=engineer,
            location=location,
            not_applicable=True,
            not_applicable_reason="No stock there",
        )


def _root_cause_rows(side: Side, engineer) -> None:
    claim, marker = side.claim, side.secret
    causes = []
    for leg, category in (("occurrence", "machine"), ("non_detection", "method")):
        cause = eightd.cause_save(
            claim=claim,
            actor=engineer,
            leg=leg,
            category=category,
            description=f"{marker} {leg} cause: worn punch",
            whys=["Why 1", "Why 2", "Why 3"],
            is_root_cause=True,
        )
        causes.append(
            eightd.cause_verify(cause=cause, actor=engineer, method="On and off", evidence="T12")
        )
    side.cause, side.second_cause = causes
    side.corrective = eightd.corrective_action_save(
        claim=claim,
        actor=engineer,
        title=f"{marker} stroke counter on press 4",
        owner=engineer,
        due_date=dt.date.today(),
        causes=causes,
        verification="Trial run of 300 parts without burr",
    )
    side.preventive = eightd.corrective_action_save(
        claim=claim,
        actor=engineer,
        kind=Action.Kind.PREVENTIVE,
        title=f"{marker} counters on every press",
        owner=engineer,
        due_date=dt.date.today() + dt.timedelta(days=20),
    )
    side.read_across = eightd.read_across_save(
        claim=claim,
        actor=engineer,
        scope="line",
        subject=f"{marker} press 5",
        applicable=True,
        measure="Counter fitted",
    )


def close_claim(side: Side, engineer) -> None:
    """Take the side's claim through D4–D8 to closed, the costs accepted by the customer."""
    claim, user = side.claim, side.user
    for code in ("D4", "D5"):
        _submit_and_approve(claim, code, engineer, user)
    core.action_complete(action=side.corrective.action, actor=engineer, note="Counter fitted")
    eightd.corrective_action_implement(
        link=side.corrective, actor=engineer, implemented_on=dt.date.today(), validation="3 lots"
    )
    eightd.containment_remove(containment=side.containment, actor=engineer, note="Action works")
    _submit_and_approve(claim, "D6", engineer, user)
    claims.step_save(
        step=claim.steps.get(code="D7"),
        actor=engineer,
        content={
            "pfmea": "updated",
            "pfmea_reference": "PFMEA-4711 rev. C",
            "control_plan": "no_update",
            "no_update_reason": "Check already in the control plan",
        },
    )
    _submit_and_approve(claim, "D7", engineer, user)
    claims.step_save(
        step=claim.steps.get(code="D8"), actor=engineer, content={"closure_summary": "Closed"}
    )
    claims.step_submit(step=claim.steps.get(code="D8"), actor=engineer)
    claims.claim_customer_accept(claim=claim, actor=user)
    costs.costs_accept(claim=claim, actor=user)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.CLOSED


def _submit_and_approve(claim: Claim, code: str, engineer, user) -> None:
    claims.step_submit(step=claim.steps.get(code=code), actor=engineer)
    claims.step_approve(step=claim.steps.get(code=code), actor=user)


# --- what a customer owns, as it stands ----------------------------------------------------------


def fingerprint(side: Side) -> dict[str, tuple]:
    """Row count, last id and last change of every table the side's customer owns, history too.

    A write to the customer's records adds, deletes or changes a row, and every change through
    the services moves an ``updated_at`` or adds a history row; reads leave it as it is. One query.
    """
    first, *rest = [_summary(model, rows) for model, rows in _owned_tables(side)]
    return {label: values for label, *values in first.union(*rest, all=True)}


# When a row was last changed: the first of these a table has.
CHANGE_STAMPS = ("updated_at", "history_date", "revoked_at", "created_at", "uploaded_at")


def _summary(model, rows):
    stamp = next((name for name in CHANGE_STAMPS if _has_field(model, name)), None)
    latest = Max(stamp) if stamp else Value(None, output_field=DateTimeField())
    return (
        rows.order_by()
        .annotate(label=Value(model._meta.label, output_field=CharField()))
        .values("label")
        .annotate(rows=Count("pk"), last=Max("pk"), latest=latest)
        .values_list("label", "rows", "last", "latest")
    )


def _has_field(model, name: str) -> bool:
    return any(field.name == name for field in model._meta.concrete_fields)


def _owned_tables(side: Side):
    for model in apps.get_models():
        rows = _rows_of(model, side)
        if rows is not None:
            yield model, rows


# Every sign-in saves the user's last_login, which adds a row to the user's history.
SIGN_IN_BOOKKEEPING = ("accounts.HistoricalUser",)


def _rows_of(model, side: Side):
    """The side's rows of ``model``, or None when the table holds no customer's records."""
    names = {field.name for field in model._meta.concrete_fields}
    if model._meta.label in SIGN_IN_BOOKKEEPING:
        return None
    if "customer" in names:
        return model.objects.filter(customer=side.customer)
    if model._meta.label in ("customers.Customer", "customers.HistoricalCustomer"):
        return model.objects.filter(id=side.customer.pk)
    if {"content_type", "object_id"} <= names and model._meta.app_label == "core":
        owners = [side.part, side.claim]
        return model.objects.filter(
            content_type__in=[ContentType.objects.get_for_model(owner) for owner in owners],
            object_id__in=[owner.pk for owner in owners],
        )
    if model is ApiToken:
        return model.objects.filter(user=side.user)
    return None


def changed(before: dict, after: dict) -> list[str]:
    return sorted(
        label for label in before.keys() | after.keys() if before.get(label) != after.get(label)
    )
