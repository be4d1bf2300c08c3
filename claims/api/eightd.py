"""The rows of a claim's 8D over the API: ``/api/v1/claims/{id}/<rows>/…``.

D1 ``team``, D3 ``containment``, D4 ``causes``, D5/D6 corrective and D7 preventive ``actions``, D7
``read-across``. Reads go through ``eight_d_for``: a customer user sees a discipline's rows once it
has been submitted (``[]`` before) and never an internal-only action. Only our staff write (403 for
anyone else); every write is one service of ``claims.eightd.services``, so a row changes only while
its discipline is open, a draft or sent back (409 otherwise). Another claim's or customer's row is
a 404, exactly like a claim the user cannot see.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
)
from rest_framework import serializers, status
from rest_framework.decorators import action as endpoint
from rest_framework.fields import empty
from rest_framework.response import Response

from core import limits
from core.api import serializers as core_serializers
from core.api.base import OptionalEmailField
from core.errors import DomainError, PermissionDenied
from core.models import Action

from ..eightd import services as eightd
from ..eightd.selectors import EightD, eight_d_for
from ..models import Cause, Containment, CorrectiveAction, CustomerVerdict, ReadAcross, TeamMember
from ..selectors import assignable_engineers
from ..workflow import WORK

_NOT_FOUND = OpenApiResponse(
    OpenApiTypes.OBJECT, description="No such claim or row, or not visible to you."
)
_FORBIDDEN = OpenApiResponse(OpenApiTypes.OBJECT, description="Only our quality staff edit an 8D.")
_INVALID = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description='Validation errors by field, e.g. {"description": ["…"]}.',
)
_CONFLICT = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description=(
        "The discipline is submitted or approved (it can change again once the customer sends "
        "it back), or the claim's status does not allow 8D work."
    ),
)
_WRITE_RESPONSES = {400: _INVALID, 403: _FORBIDDEN, 404: _NOT_FOUND, 409: _CONFLICT}
_EDITABLE = (
    "Staff only, while the row's discipline is open, a draft or sent back (409 once it is "
    "submitted or approved)."
)
_ROW_ID = OpenApiParameter("row_id", int, OpenApiParameter.PATH, description="The row's id.")

ACTION_KINDS = [Action.Kind.CORRECTIVE, Action.Kind.PREVENTIVE]
ACTION_TRANSITIONS_NOTE = (
    "The action's own lifecycle (start, complete, check-effectiveness, reopen, cancel) runs on "
    "`/api/v1/actions/{action_id}/<transition>/`, by its owner or staff who manage actions."
)


def _request_of(representation: str):
    """Name an input serializer's schema ``<representation>Request`` (``Patched…`` for PATCH).

    Request and response then read as one pair in the docs, and their enums count as one
    component's, so the generated enum names stay stable.
    """
    return extend_schema_serializer(component_name=representation)


# The core Action's status enum (its own component) instead of a second copy under another name.
@extend_schema_field({"$ref": "#/components/schemas/ActionStatusEnum"})
class ActionStatusField(serializers.CharField):
    pass


# "category" also names the cost lines' enum, which the costs schema keeps in two components, so
# a second named "category" enum could not be named without ENUM_NAME_OVERRIDES. Inline, the 6M
# values stay documented and the generated enum names stay stable.
@extend_schema_field(
    {
        "allOf": [{"type": "string", "enum": Cause.Category.values}],
        "description": "The Ishikawa (6M) category: " + ", ".join(Cause.Category.values) + ".",
    }
)
class CauseCategoryField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=Cause.Category.choices, **kwargs)


# --- representations ----------------------------------------------------------------------------


class TeamMemberSerializer(serializers.ModelSerializer):
    # Not an e-mail field here: the address is optional, and "" is no e-mail address.
    email = serializers.CharField(read_only=True, help_text="E-mail address; empty if not given.")

    class Meta:
        model = TeamMember
        fields = ["id", "name", "role", "function", "email", "created_at"]
        read_only_fields = fields


class ContainmentSerializer(serializers.ModelSerializer):
    removed_by = serializers.StringRelatedField(allow_null=True)
    # Declared: as a read-only model field it would lose the blank (not applicable) answer.
    method = serializers.ChoiceField(
        choices=Containment.Method.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = Containment
        fields = [
            "id",
            "location",
            "status",
            "not_applicable_reason",
            *eightd.CONTAINMENT_FIELDS,
            "removed_at",
            "removed_by",
            "removal_note",
            "updated_at",
        ]
        read_only_fields = fields


class CauseSerializer(serializers.ModelSerializer):
    whys = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="The 5-Why chain, first answer to last.",
    )
    category = CauseCategoryField(read_only=True)
    verified_by = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = Cause
        fields = [
            "id",
            "leg",
            "category",
            "description",
            "whys",
            "is_root_cause",
            "status",
            "verification_method",
            "verification_evidence",
            "verified_at",
            "verified_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ClaimActionSerializer(core_serializers.HidesInternalFields, serializers.ModelSerializer):
    """A corrective or preventive action of the 8D and the core Action that carries it."""

    internal_fields = ("owner",)

    action_id = serializers.IntegerField(
        read_only=True, help_text="The core Action: its transitions are under /api/v1/actions/."
    )
    kind = serializers.ChoiceField(source="action.kind", choices=ACTION_KINDS, read_only=True)
    title = serializers.CharField(source="action.title", read_only=True)
    description = serializers.CharField(source="action.description", read_only=True)
    status = ActionStatusField(source="action.status", read_only=True)
    owner = serializers.IntegerField(
        source="action.owner_id", read_only=True, help_text="Staff user id; staff only."
    )
    owner_name = serializers.CharField(source="action.owner", read_only=True)
    due_date = serializers.DateField(source="action.due_date", read_only=True)
    completed_at = serializers.DateTimeField(
        source="action.completed_at", read_only=True, allow_null=True
    )
    effectiveness_result = serializers.ChoiceField(
        source="action.effectiveness_result",
        choices=Action.Effectiveness.choices,
        allow_blank=True,
        read_only=True,
        help_text="Blank until the effectiveness is checked.",
    )
    internal_only = serializers.BooleanField(source="action.internal_only", read_only=True)
    causes = serializers.SerializerMethodField(help_text="Ids of the causes the action removes.")
    # The customer's side (claims.customer_actions): the actions they added, their verdict on ours.
    created_by_name = serializers.CharField(
        source="action.created_by", read_only=True, allow_null=True
    )
    customer_verdict = serializers.ChoiceField(
        choices=CustomerVerdict.choices,
        allow_blank=True,
        read_only=True,
        help_text="Blank until the customer decides; declined holds D6 up until revised.",
    )
    customer_decided_by = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = CorrectiveAction
        fields = [
            "id",
            "action_id",
            "kind",
            "title",
            "description",
            "status",
            "owner",
            "owner_name",
            "due_date",
            "completed_at",
            "effectiveness_result",
            "internal_only",
            "causes",
            "verification",
            "implemented_on",
            "validation",
            "created_by_customer",
            "created_by_name",
            "customer_verdict",
            "customer_comment",
            "customer_decided_at",
            "customer_decided_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_causes(self, link) -> list[int]:
        return [cause.pk for cause in link.causes.all()]


class ReadAcrossSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReadAcross
        fields = ["id", "scope", "subject", "applicable", "measure", "completed_on", "created_at"]
        read_only_fields = fields


# --- inputs -------------------------------------------------------------------------------------


def _text_if_given(max_length: int, **options) -> serializers.CharField:
    """A text that may be empty; left out, a change keeps the row's own (no default)."""
    return core_serializers.optional_text(max_length, default=empty, **options)


@_request_of("TeamMember")
class TeamMemberInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    role = serializers.ChoiceField(choices=TeamMember.Role.choices, default=TeamMember.Role.MEMBER)
    function = _text_if_given(120)
    email = OptionalEmailField(required=False)


@_request_of("Containment")
class ContainmentInputSerializer(serializers.Serializer):
    location = serializers.ChoiceField(choices=Containment.Location.choices)
    not_applicable = serializers.BooleanField(
        default=False, help_text="Containment does not apply here: give the reason instead."
    )
    not_applicable_reason = _text_if_given(limits.NOTE)
    method = serializers.ChoiceField(
        choices=Containment.Method.choices, required=False, allow_blank=True
    )
    qty_checked = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    qty_nonconforming = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    verification = _text_if_given(limits.LONG_TEXT)
    certified_marking = _text_if_given(200)
    responsible = _text_if_given(120)
    started_on = serializers.DateField(required=False, allow_null=True)


class ContainmentRemoveSerializer(serializers.Serializer):
    note = serializers.CharField(
        max_length=limits.NOTE, help_text="Why the containment can be lifted."
    )


@_request_of("Cause")
class CauseInputSerializer(serializers.Serializer):
    leg = serializers.ChoiceField(choices=Cause.Leg.choices)
    category = CauseCategoryField()
    description = serializers.CharField(
        max_length=limits.LONG_TEXT,
        help_text="The mechanism, not a person: “operator error” alone is refused as a root cause.",
    )
    whys = serializers.ListField(
        child=serializers.CharField(max_length=limits.WHY_TEXT, allow_blank=True),
        max_length=limits.MAX_WHYS,
        default=list,
        help_text="The 5-Why chain, first answer to last; blank answers are dropped.",
    )
    is_root_cause = serializers.BooleanField(default=False)


class CauseVerifySerializer(serializers.Serializer):
    method = serializers.CharField(
        max_length=200, help_text="E.g. switch the cause on and off, capability study."
    )
    evidence = serializers.CharField(max_length=limits.LONG_TEXT)


class CauseRuleOutSerializer(serializers.Serializer):
    evidence = serializers.CharField(
        max_length=limits.LONG_TEXT, help_text="What rules the cause out."
    )


@_request_of("ClaimAction")
class ActionInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=ACTION_KINDS,
        default=Action.Kind.CORRECTIVE,
        help_text="corrective (D5) or preventive (D7); fixed once created.",
    )
    title = serializers.CharField(max_length=200)
    description = _text_if_given(limits.LONG_TEXT)
    owner = serializers.IntegerField(help_text="Id of an active member of our staff.")
    due_date = serializers.DateField()
    causes = serializers.ListField(
        child=serializers.IntegerField(),
        default=list,
        help_text="Ids of this claim's causes the action removes (required for corrective).",
    )
    verification = _text_if_given(
        limits.LONG_TEXT,
        help_text="D5: how the action was shown to remove the cause before implementation.",
    )
    internal_only = serializers.BooleanField(
        default=False, help_text="Hidden from the customer everywhere."
    )

    def service_fields(self) -> dict:
        fields = dict(self.validated_data)
        if "owner" in fields:
            fields["owner"] = _staff_member(fields["owner"])
        return fields


def _staff_member(user_id: int):
    owner = assignable_engineers().filter(pk=user_id).first()
    if owner is None:
        raise DomainError(_("No active staff member has this id."), field="owner")
    return owner


class ActionImplementSerializer(serializers.Serializer):
    implemented_on = serializers.DateField(help_text="Not in the future.")
    validation = serializers.CharField(
        max_length=limits.LONG_TEXT, help_text="How the implementation was validated."
    )


@_request_of("ReadAcross")
class ReadAcrossInputSerializer(serializers.Serializer):
    scope = serializers.ChoiceField(choices=ReadAcross.Scope.choices)
    subject = serializers.CharField(max_length=200)
    applicable = serializers.BooleanField(default=True, help_text="The same risk is present.")
    measure = _text_if_given(limits.LONG_TEXT, help_text="Required when the same risk is present.")
    completed_on = serializers.DateField(required=False, allow_null=True)


# --- the kinds of rows --------------------------------------------------------------------------


@dataclass(frozen=True)
class RowKind:
    """How one kind of row is listed, read back, and written through its service."""

    segment: str
    discipline: str
    noun: str
    output: type[serializers.Serializer]
    input: type[serializers.Serializer]
    queryset: Callable
    listed: Callable[[EightD, dict], list]
    save: Callable[..., object]
    current: Callable[[object], dict]

    def parse(self, request, *, partial: bool) -> dict:
        given = self.input(data=request.data, partial=partial)
        given.is_valid(raise_exception=True)
        if hasattr(given, "service_fields"):
            return given.service_fields()
        return dict(given.validated_data)


def _action_links():
    causes = Prefetch("causes", queryset=Cause.objects.order_by("leg", "pk"))
    return CorrectiveAction.objects.select_related("action__owner").prefetch_related(causes)


def _listed_actions(eight_d: EightD, query: dict) -> list:
    links = sorted(eight_d.corrective_actions + eight_d.preventive_actions, key=lambda a: a.pk)
    kind = query.get("kind") or None  # ?kind= sent empty is as if left out
    if kind is None:
        return links
    if kind not in ACTION_KINDS:
        raise DomainError(_("Choose corrective or preventive."), field="kind")
    return [link for link in links if link.action.kind == kind]


def _save_action(*, claim, actor, row, **fields):
    if row is not None and fields["kind"] != row.action.kind:
        raise DomainError(
            _("An action's kind cannot change; add a new action instead."), field="kind"
        )
    return eightd.corrective_action_save(claim=claim, actor=actor, link=row, **fields)


TEAM = RowKind(
    segment="team",
    discipline="D1",
    noun="team member",
    output=TeamMemberSerializer,
    input=TeamMemberInputSerializer,
    queryset=lambda: TeamMember.objects.all(),
    listed=lambda eight_d, query: eight_d.team,
    save=lambda row, **fields: eightd.team_member_save(member=row, **fields),
    current=eightd.team_member_stated,
)
CONTAINMENT = RowKind(
    segment="containment",
    discipline="D3",
    noun="containment (one row per location)",
    output=ContainmentSerializer,
    input=ContainmentInputSerializer,
    queryset=lambda: Containment.objects.select_related("removed_by"),
    listed=lambda eight_d, query: eight_d.containments,
    save=lambda row, **fields: eightd.containment_save(containment=row, **fields),
    current=eightd.containment_stated,
)
CAUSES = RowKind(
    segment="causes",
    discipline="D4",
    noun="cause",
    output=CauseSerializer,
    input=CauseInputSerializer,
    queryset=lambda: Cause.objects.select_related("verified_by"),
    listed=lambda eight_d, query: eight_d.causes,
    save=lambda row, **fields: eightd.cause_save(cause=row, **fields),
    current=eightd.cause_stated,
)
ACTIONS = RowKind(
    segment="actions",
    discipline="D5 (corrective) / D7 (preventive)",
    noun="action",
    output=ClaimActionSerializer,
    input=ActionInputSerializer,
    queryset=_action_links,
    listed=_listed_actions,
    save=_save_action,
    current=eightd.corrective_action_stated,
)
READ_ACROSS = RowKind(
    segment="read-across",
    discipline="D7",
    noun="read-across row",
    output=ReadAcrossSerializer,
    input=ReadAcrossInputSerializer,
    queryset=lambda: ReadAcross.objects.all(),
    listed=lambda eight_d, query: eight_d.read_across,
    save=lambda row, **fields: eightd.read_across_save(row=row, **fields),
    current=eightd.read_across_stated,
)


# --- documentation examples ---------------------------------------------------------------------

CAUSE_WITH_FIVE_WHYS = OpenApiExample(
    "A root cause with its 5-Why chain",
    request_only=True,
    value={
        "leg": "occurrence",
        "category": "machine",
        "description": "Punch worn beyond its tool life: press 4 has no stroke counter",
        "whys": [
            "Why a burr? The punch was worn.",
            "Why worn? It ran 40 % past its tool life.",
            "Why past its tool life? Nobody knew how many strokes it had made.",
            "Why not known? Press 4 has no stroke counter.",
            "Why none? Counters were not part of the press purchase specification.",
        ],
        "is_root_cause": True,
    },
)
ACTION_EXAMPLE = OpenApiExample(
    "A corrective action against a verified root cause",
    request_only=True,
    value={
        "kind": "corrective",
        "title": "Fit a stroke counter with tool-life stop to press 4",
        "owner": 7,
        "due_date": "2026-04-30",
        "causes": [12],
        "verification": "Trial run of 300 parts with a new punch: no burr",
        "internal_only": False,
    },
)


# --- endpoints ----------------------------------------------------------------------------------


def _list_and_create(kind: RowKind, examples=(), description: str = ""):
    """``GET|POST /claims/{id}/<segment>/``."""

    def rows(self, request, pk=None):
        claim = self.get_object()
        context = self.get_serializer_context()
        if request.method == "POST":
            self.require_8d_work()
            fields = kind.parse(request, partial=False)
            row = kind.save(claim=claim, actor=request.user, row=None, **fields)
            return self.row_response(kind, row, status.HTTP_201_CREATED)
        listed = kind.listed(eight_d_for(claim, request.user), request.query_params)
        return Response(kind.output(listed, many=True, context=context).data)

    rows.__name__ = "eightd_" + kind.segment.replace("-", "_")
    rows = endpoint(
        detail=True,
        methods=["get", "post"],
        url_path=kind.segment,
        pagination_class=None,
        filter_backends=[],
    )(rows)
    rows = extend_schema(
        methods=["POST"],
        request=kind.input,
        responses={201: kind.output, **_WRITE_RESPONSES},
        examples=list(examples),
        summary=f"{kind.discipline}: add a {kind.noun} (staff)",
        description=" ".join(filter(None, [_EDITABLE, description])),
    )(rows)
    parameters = []
    if kind is ACTIONS:
        parameters.append(OpenApiParameter("kind", str, OpenApiParameter.QUERY, enum=ACTION_KINDS))
    return extend_schema(
        methods=["GET"],
        request=None,
        parameters=parameters,
        responses={200: kind.output(many=True), 400: _INVALID, 404: _NOT_FOUND},
        summary=f"{kind.discipline}: the claim's {kind.noun} rows",
        description=(
            "Customer users get [] until the discipline is submitted"
            + (", and never an internal-only action." if kind is ACTIONS else ".")
            + (f" {description}" if description else "")
        ),
    )(rows)


def _change_and_delete(kind: RowKind, description: str = ""):
    """``PATCH|DELETE /claims/{id}/<segment>/{row_id}/``."""

    def row(self, request, pk=None, row_id=None):
        claim, target = self.row_of(kind, row_id)
        if request.method == "DELETE":
            eightd.row_delete(row=target, actor=request.user)
            return Response(status=status.HTTP_204_NO_CONTENT)
        fields = {**kind.current(target), **kind.parse(request, partial=True)}
        row = kind.save(claim=claim, actor=request.user, row=target, **fields)
        return self.row_response(kind, row)

    row.__name__ = "eightd_" + kind.segment.replace("-", "_") + "_row"
    row = endpoint(
        detail=True,
        methods=["patch", "delete"],
        url_path=kind.segment + r"/(?P<row_id>[0-9]+)",
        filter_backends=[],
    )(row)
    row = extend_schema(
        methods=["PATCH"],
        parameters=[_ROW_ID],
        request=kind.input,
        responses={200: kind.output, **_WRITE_RESPONSES},
        summary=f"{kind.discipline}: change a {kind.noun} (staff; only the fields given)",
        description=" ".join(filter(None, [_EDITABLE, "Send only what changes.", description])),
    )(row)
    return extend_schema(
        methods=["DELETE"],
        parameters=[_ROW_ID],
        request=None,
        responses={204: None, **_WRITE_RESPONSES},
        summary=f"{kind.discipline}: delete a {kind.noun} (staff)",
        description=" ".join(filter(None, [_EDITABLE, description])),
    )(row)


def _row_transition(
    kind: RowKind, name: str, input_serializer, service, summary: str, description: str
):
    """``POST /claims/{id}/<segment>/{row_id}/<name>/``: one service on one row."""

    def transition(self, request, pk=None, row_id=None):
        _claim, target = self.row_of(kind, row_id)
        given = input_serializer(data=request.data)
        given.is_valid(raise_exception=True)
        row = service(target, request.user, **given.validated_data)
        return self.row_response(kind, row)

    transition.__name__ = "eightd_" + f"{kind.segment}_{name}".replace("-", "_")
    transition = endpoint(
        detail=True,
        methods=["post"],
        url_path=kind.segment + r"/(?P<row_id>[0-9]+)/" + name,
        filter_backends=[],
    )(transition)
    return extend_schema(
        parameters=[_ROW_ID],
        request=input_serializer,
        responses={200: kind.output, **_WRITE_RESPONSES},
        summary=summary,
        description=description,
    )(transition)


class ClaimEightDMixin:
    """8D row endpoints for ``ClaimViewSet``: every one starts from its scoped ``get_object``."""

    def require_8d_work(self) -> None:
        """Refuse before reading the body: a customer gets 403, not a list of missing fields."""
        if not self.request.user.has_capability(WORK):
            raise PermissionDenied(_("Only our quality staff edit an 8D."))

    def row_of(self, kind: RowKind, row_id):
        claim = self.get_object()
        self.require_8d_work()
        rows = kind.queryset().visible_to(self.request.user).filter(claim=claim)
        return claim, get_object_or_404(rows, pk=row_id)

    def row_response(self, kind: RowKind, row, status_code=status.HTTP_200_OK) -> Response:
        row = kind.queryset().get(pk=row.pk)
        data = kind.output(row, context=self.get_serializer_context()).data
        return Response(data, status=status_code)

    eightd_team = _list_and_create(TEAM)
    eightd_team_row = _change_and_delete(TEAM)

    eightd_containment = _list_and_create(
        CONTAINMENT,
        description=(
            "Answer every location: what was done there, or not_applicable with a reason. "
            "A location already answered is a 400 on location: change that row instead."
        ),
    )
    eightd_containment_row = _change_and_delete(CONTAINMENT)
    eightd_containment_remove = _row_transition(
        CONTAINMENT,
        "remove",
        ContainmentRemoveSerializer,
        lambda row, actor, note: eightd.containment_remove(containment=row, actor=actor, note=note),
        "Lift an active containment once the permanent action works (staff)",
        "Staff only, while the 8D is worked on (usually in D6, which needs every containment "
        "lifted); 409 unless the containment is active.",
    )

    eightd_causes = _list_and_create(CAUSES, examples=[CAUSE_WITH_FIVE_WHYS])
    eightd_causes_row = _change_and_delete(
        CAUSES, description="Changing a verified cause's statement or leg makes it suspected again."
    )
    eightd_causes_verify = _row_transition(
        CAUSES,
        "verify",
        CauseVerifySerializer,
        lambda row, actor, **fields: eightd.cause_verify(cause=row, actor=actor, **fields),
        "D4: verify a cause with method and evidence (staff)",
        _EDITABLE + " D4 needs a verified root cause for occurrence and non-detection.",
    )
    eightd_causes_rule_out = _row_transition(
        CAUSES,
        "rule-out",
        CauseRuleOutSerializer,
        lambda row, actor, **fields: eightd.cause_rule_out(cause=row, actor=actor, **fields),
        "D4: rule a cause out with evidence (staff)",
        _EDITABLE + " A ruled-out cause is no root cause; 409 while an action removes it.",
    )

    eightd_actions = _list_and_create(
        ACTIONS, examples=[ACTION_EXAMPLE], description=ACTION_TRANSITIONS_NOTE
    )
    eightd_actions_row = _change_and_delete(
        ACTIONS,
        description=(
            "Only while the action is open; a started action is cancelled through "
            "/api/v1/actions/{action_id}/cancel/ instead of being deleted."
        ),
    )
    eightd_actions_implement = _row_transition(
        ACTIONS,
        "implement",
        ActionImplementSerializer,
        lambda row, actor, **fields: eightd.corrective_action_implement(
            link=row, actor=actor, **fields
        ),
        "D6: record when an action went live and how it was validated (staff)",
        "Staff only, while D6 (D7 for a preventive action) is open, a draft or sent back. D6 "
        "is submitted once every corrective action is done (" + ACTION_TRANSITIONS_NOTE + ") "
        "and implemented.",
    )

    eightd_read_across = _list_and_create(READ_ACROSS)
    eightd_read_across_row = _change_and_delete(READ_ACROSS)
