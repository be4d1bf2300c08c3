"""Claims over the API: scoped reads, filing, transitions, 8D steps and comments."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action as endpoint
from rest_framework.response import Response

from core import data_version
from core.api import endpoints
from core.api.attachments import AttachmentsMixin
from core.api.base import CachedListMixin
from core.api.transitions import TransitionEndpoints, VersionedRecordViewSet, expected_version
from core.errors import DomainError
from core.locking import etag_of

from .. import linking, provisional, selectors, services
from ..documents import CLAIM_8D
from ..eightd.content import CONTENT_FORMS
from ..exports import claims_csv_response
from ..filters import ClaimFilter
from ..models import Claim, EightDStep
from . import provisional as p
from . import serializers as s
from .costs import ClaimCostsMixin
from .customer_actions import ClaimCustomerActionsMixin
from .eightd import ClaimEightDMixin
from .imports import ClaimImportMixin

_WRITE_RESPONSES = endpoints.write_responses(
    "Not possible in the claim's current status, or the record changed since the version "
    "you sent (body `version` or If-Match): reload it and apply your change again."
)
_IF_MATCH = endpoints.if_match(
    'The ETag you read (e.g. "3"; the record\'s version): the write is refused with 409 when '
    "the record changed since. Same as `version` in the body; without either, no check."
)
_ETAG = endpoints.etag(
    "The record's version, quoted: send it back as If-Match with your next write."
)

_LINK_DESCRIPTION = (
    "Staff only. The claim follows the running 8D of `master` from now on: its status, "
    "responsibility and closure are that claim's, its own 8D steps lose their due dates, and its "
    "quantities, costs and ppm stay its own. The master must be the same customer's claim on the "
    "same part or with a similar symptom (400 on `master` otherwise), running and following "
    "nobody; the claim must be filed and its own 8D no further than containment (409 otherwise)."
)

_claim_transition = TransitionEndpoints(
    record="claim",
    version_serializer=s.ExpectedVersionSerializer,
    responses={200: s.ClaimSerializer, **_WRITE_RESPONSES},
    parameters=(_IF_MATCH, _ETAG),
    summary="Claim transition: {name}",
)


def _assign_inputs(data) -> dict:
    engineer_id = data["engineer"]
    if engineer_id is None:
        return {"engineer": None}
    engineer = selectors.assignable_engineers().filter(pk=engineer_id).first()
    if engineer is None:
        raise DomainError(_("No active staff member has this id."), field="engineer")
    return {"engineer": engineer}


STEP_ACTIONS = {"save": "save", "submit": "submit", "approve": "approve", "send-back": "send_back"}

_CONTENT_FIELDS = "; ".join(
    f"{code}: {', '.join(form.base_fields)}" for code, form in CONTENT_FORMS.items()
)
_STEP_ACTION_DESCRIPTION = (
    "save (staff): body {summary, internal_note, content}, each optional; what is left out "
    "stays as it is and content replaces the discipline's own fields. Content fields: "
    f"{_CONTENT_FIELDS} (D7 pfmea and control_plan: updated or no_update). The rows of D1, D3, "
    "D4, D5/D6 and D7 have their own endpoints (team, containment, causes, actions, "
    "read-across). submit (staff): no body; 400 with every reason it cannot be submitted yet "
    '({"detail": ["D3: …", …]}; the same list as the step\'s submit_problems). approve '
    "(customer): optional {comment}; send-back (customer): {comment} required. Every action "
    "takes the step's version as read (body `version`, or If-Match with the step's ETag) and "
    "answers 409 when the step changed since; without either, nothing is checked."
)
_D2_CONTENT_EXAMPLE = OpenApiExample(
    "save: D2 problem description (5W2H and Is / Is-Not)",
    request_only=True,
    value={
        "summary": "Burr on the mounting hole of lot 2611; 12 of 500 parts affected.",
        "content": {
            "what": "Burr on the mounting hole, part does not seat",
            "where": "Customer assembly line 3, station 40",
            "when": "Found 2026-03-02, lots from 2026-02-23 onwards",
            "who": "Customer line operator",
            "why": "Part cannot be fitted; line stop",
            "how": "Fitting check at assembly",
            "how_many": "12 of 500",
            "is_what": "Burr at hole A",
            "is_not_what": "Hole B, outer contour",
            "is_where": "Press 4 parts",
            "is_not_where": "Press 2 parts",
            "is_when": "After 2026-02-23",
            "is_not_when": "Before 2026-02-23",
            "is_how_big": "0.2–0.4 mm",
            "is_not_how_big": "Over 0.5 mm",
        },
    },
)


class ClaimViewSet(
    ClaimEightDMixin,
    ClaimCustomerActionsMixin,
    ClaimCostsMixin,
    ClaimImportMixin,
    AttachmentsMixin,
    CachedListMixin,
    VersionedRecordViewSet,
):
    """Claims visible to you. Claims are never deleted: cancel them."""

    queryset = Claim.objects.all()
    serializer_class = s.ClaimSerializer
    filterset_class = ClaimFilter
    ordering_fields = ["created_at", "number", "notified_at", "severity", "status", "next_due_at"]
    ordering = ["-created_at", "-pk"]
    # DELETE serves only the rows of the 8D: claims have no destroy (they are cancelled).
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def scope_queryset(self, queryset):
        return selectors.with_next_due(queryset.with_related().select_related("created_by"))

    def get_attachment_policy(self, owner):
        return owner.customer.requirements.attachment_policy

    def may_upload_attachment(self, owner) -> bool:
        return owner.is_open_for_files

    def step_context(self) -> dict:
        return {**self.get_serializer_context(), s.WITH_SUBMIT_PROBLEMS: True}

    @extend_schema(
        parameters=[_ETAG], responses={200: s.ClaimDetailSerializer, 404: endpoints.NOT_FOUND}
    )
    def retrieve(self, request, *args, **kwargs):
        claim = self.get_object()
        # A claim with its 8D serialised once per data version and viewer (core.data_version).
        # Only the detail names repeated and similar claims: the list would compare symptoms
        # for every row.
        key = (claim.pk, request.user.pk, request.get_full_path())
        context = self.get_serializer_context()
        data = data_version.cached(
            "api-claim", key, lambda: s.ClaimDetailSerializer(claim, context=context).data
        )
        response = Response(data)
        response["ETag"] = etag_of(claim)
        return response

    @endpoints.create_schema(s.ClaimSerializer, parameters=[_ETAG])
    def create(self, request, *args, **kwargs):
        given = s.ClaimSerializer(data=request.data, context=self.get_serializer_context())
        given.is_valid(raise_exception=True)
        fields = dict(given.validated_data)
        part, submit = fields.pop("part"), fields.pop("submit", True)
        claim = services.claim_file(
            actor=request.user, customer=part.customer, part=part, submit=submit, **fields
        )
        return self.record_response(claim.pk, status.HTTP_201_CREATED)

    partial_update = _claim_transition.partial_update(
        s.ClaimUpdateSerializer, services.claim_update, ignored=("submit",)
    )

    submit = _claim_transition("submit", services.claim_submit)
    acknowledge = _claim_transition("acknowledge", services.claim_acknowledge)
    assign = _claim_transition("assign", services.claim_assign, s.AssignSerializer, _assign_inputs)
    start_review = _claim_transition("start-review", services.claim_start_review)
    accept_responsibility = _claim_transition(
        "accept-responsibility", services.claim_accept_responsibility
    )
    reject_responsibility = _claim_transition(
        "reject-responsibility",
        services.claim_reject_responsibility,
        s.RejectResponsibilitySerializer,
        lambda data: {"reason_code": data["rejection_code"], "reason": data["reason"]},
    )
    customer_accept = _claim_transition(
        "customer-accept", services.claim_customer_accept, s.OptionalCommentSerializer
    )
    customer_reject = _claim_transition(
        "customer-reject", services.claim_customer_reject, s.ReasonSerializer
    )
    # Accepted provisionally: the effectiveness is proven by a date, then confirmed.
    customer_accept_provisionally = _claim_transition(
        "customer-accept-provisionally",
        provisional.claim_accept_provisionally,
        p.AcceptProvisionallySerializer,
    )
    effectiveness_evidence = _claim_transition(
        "effectiveness-evidence",
        provisional.claim_send_effectiveness_evidence,
        p.EffectivenessEvidenceSerializer,
    )
    customer_confirm_effectiveness = _claim_transition(
        "customer-confirm-effectiveness",
        provisional.claim_confirm_effectiveness,
        s.OptionalCommentSerializer,
    )
    customer_reject_effectiveness = _claim_transition(
        "customer-reject-effectiveness", provisional.claim_reject_effectiveness, s.ReasonSerializer
    )
    reopen = _claim_transition("reopen", services.claim_reopen, s.ReasonSerializer)
    cancel = _claim_transition("cancel", services.claim_cancel, s.ReasonSerializer)
    classify = _claim_transition("classify", services.claim_classify, s.ClassifySerializer)
    unlink = _claim_transition(
        "unlink",
        linking.claim_unlink,
        s.DetachSerializer,
        summary="Detach the claim from the 8D it follows (409 once that claim's D4 is approved)",
    )

    @extend_schema(
        request=s.AttachSerializer,
        parameters=[_IF_MATCH, _ETAG],
        responses={200: s.ClaimSerializer, **_WRITE_RESPONSES},
        summary="Attach the claim to another claim's running 8D",
        description=_LINK_DESCRIPTION,
    )
    @endpoint(detail=True, methods=["post"], url_path="link", url_name="link")
    def link(self, request, pk=None):
        claim = self.get_object()
        # The master is looked up among the claims the caller may see: the body needs the request.
        given = s.AttachSerializer(data=request.data, context=self.get_serializer_context())
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        version = expected_version(request, data)
        linking.claim_link(
            claim=claim, master=data["master"], actor=request.user, expected_version=version
        )
        return self.record_response(claim.pk)

    @endpoints.rows_endpoint(s.StepSerializer)
    def steps(self, request, pk=None):
        steps = selectors.steps_for(self.get_object())
        return Response(s.StepSerializer(steps, many=True, context=self.step_context()).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("code", str, OpenApiParameter.PATH, enum=EightDStep.Code.values),
            OpenApiParameter("step_action", str, OpenApiParameter.PATH, enum=list(STEP_ACTIONS)),
            _IF_MATCH,
            _ETAG,
        ],
        request=s.StepSaveSerializer,
        responses={200: s.StepSerializer, **_WRITE_RESPONSES},
        examples=[_D2_CONTENT_EXAMPLE],
        description=_STEP_ACTION_DESCRIPTION,
    )
    @endpoint(
        detail=True,
        methods=["post"],
        url_path=r"steps/(?P<code>D[0-8])/(?P<step_action>save|submit|approve|send-back)",
        filter_backends=[],
    )
    def step_action(self, request, pk=None, code=None, step_action=None):
        claim = self.get_object()
        step = get_object_or_404(
            EightDStep.objects.visible_to(request.user), claim=claim, code=code
        )
        name = STEP_ACTIONS[step_action]
        inputs = _step_inputs(name, request)
        version = expected_version(request, inputs)
        services.STEP_SERVICES[name](
            step=step, actor=request.user, expected_version=version, **inputs
        )
        step = selectors.steps_for(claim).get(pk=step.pk)
        response = Response(s.StepSerializer(step, context=self.step_context()).data)
        response["ETag"] = etag_of(step)
        return response

    @endpoints.rows_and_add_endpoint(s.CommentSerializer, _WRITE_RESPONSES)
    def comments(self, request, pk=None):
        claim = self.get_object()
        context = self.get_serializer_context()
        if request.method == "POST":
            given = s.CommentSerializer(data=request.data)
            given.is_valid(raise_exception=True)
            comment = services.comment_add(
                claim=claim,
                actor=request.user,
                body=given.validated_data["body"],
                internal=given.validated_data.get("internal", False),
            )
            return Response(
                s.CommentSerializer(comment, context=context).data, status=status.HTTP_201_CREATED
            )
        comments = selectors.comments_for(claim, request.user)
        return Response(s.CommentSerializer(comments, many=True, context=context).data)

    events = endpoints.events_endpoint(s.EventSerializer, selectors.events_for)

    # --- downloads: the 8D report PDF and the list as CSV ----------------------------------------

    report = endpoints.document_endpoint(
        CLAIM_8D, "report", "The claim's 8D report as PDF (the document the customer receives)"
    )

    @endpoints.export_endpoint("The claims you may see as CSV, filtered like the list")
    def export(self, request):
        return claims_csv_response(self.filter_queryset(self.get_queryset()))


def _step_inputs(name: str, request) -> dict:
    if name == "save":
        given = s.StepSaveSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        return dict(given.validated_data)
    if name == "approve":
        given = s.OptionalCommentSerializer(data=request.data)
    elif name == "send_back":
        given = s.RequiredCommentSerializer(data=request.data)
    else:
        given = s.ExpectedVersionSerializer(data=request.data)
    given.is_valid(raise_exception=True)
    return dict(given.validated_data)
