"""The approval workflow in the API: submit a post, list the reviews awaiting you, decide them.

Thin views: a serializer validates the input, a service in approvals.services acts, a serializer
answers. Objects outside the user's scope answer 404, the same as a missing id.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, NotFound, PermissionDenied, ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView
from wagtail.models import TaskState

from cms.posts.api import PostSerializer
from cms.posts.models import Post
from cms.posts.selectors import posts_visible_to

from .inbox import awaiting_by_due, inbox_rows
from .models import ReasonCode, ReviewDecision
from .selectors import DueStatus, reviews_decidable_by
from .services import (
    AlreadyDecided,
    AlreadyInReview,
    BlockingFindings,
    ChangedSinceSeen,
    Refusal,
    TooLateToUndo,
    approve_task,
    request_changes,
    submit_post,
    undo_decision,
)

DETAIL = inline_serializer("Detail", {"detail": serializers.CharField()})


class Conflict(APIException):
    """409: the post is already in review, or someone already decided the tier."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


# Submit ------------------------------------------------------------------------------------------


class PostSubmitApi(APIView):
    """Send a draft (or a post whose changes were requested) into the approval workflow."""

    @extend_schema(
        request=None,
        responses={
            200: PostSerializer,
            400: OpenApiResponse(description="Blocking findings, listed in `findings`."),
            403: DETAIL,
            404: DETAIL,
            409: OpenApiResponse(DETAIL, description="The post is already in review."),
        },
    )
    def post(self, request, pk: int):
        post = get_object_or_404(posts_visible_to(request.user), pk=pk)
        try:
            submit_post(post=post, user=request.user)
        except BlockingFindings as blocked:
            return Response(
                {"detail": str(blocked), "findings": [finding.as_dict() for finding in blocked.findings]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        except AlreadyInReview as already:
            raise Conflict(str(already)) from already
        except DjangoPermissionDenied as denied:
            raise PermissionDenied(str(denied)) from denied
        post = posts_visible_to(request.user).get(pk=post.pk)
        return Response(PostSerializer(post, context={"request": request}).data)


# The reviews awaiting you ------------------------------------------------------------------------


class ReviewPostSerializer(serializers.Serializer):
    """The post as the tier reviews it: its latest revision, not the live version."""

    id = serializers.IntegerField(source="post_id")
    title = serializers.CharField()
    brand = serializers.IntegerField(source="brand.pk")
    brand_name = serializers.CharField(source="brand.name")
    platforms = serializers.ListField(child=serializers.CharField(), source="platform_codes")
    status = serializers.SerializerMethodField()
    scheduled_at = serializers.DateTimeField()

    def get_status(self, item) -> str:
        return "in_review"  # awaiting a tier is what in review means


class ReviewSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="task_state.pk")
    revision = serializers.IntegerField(
        source="revision.pk",
        help_text="The revision under review: send it with approve or request-changes to decide "
        "on exactly this version.",
    )
    post = ReviewPostSerializer(source="*")
    tier = serializers.CharField()
    tier_name = serializers.CharField(source="task_state.task.reviewtask.get_tier_display")
    submitted_by = serializers.CharField(source="task_state.workflow_state.requested_by", default=None)
    started_at = serializers.DateTimeField(source="task_state.started_at")
    due_at = serializers.DateTimeField()
    due_status = serializers.ChoiceField(choices=DueStatus.choices)
    findings_count = serializers.IntegerField()
    blocking_findings_count = serializers.IntegerField(source="checked.blocking_count")


class ReviewListApi(ListAPIView):
    """The tiers awaiting your decision across your brands, soonest due first (as in the inbox).

    Clients see only the client tier of their own client's brands; nobody sees their own posts.
    `due_at` is the tier's start plus the brand's turnaround target, counted in the brand's
    working hours and time zone (its approval policy; Monday to Friday 9:00-18:00 by default);
    `due_status` is on_time, due_soon (half the target has passed) or overdue.
    """

    serializer_class = ReviewSerializer

    def list(self, request, *args, **kwargs):
        now = timezone.now()
        page = self.paginate_queryset(awaiting_by_due(request.user, now))
        return self.get_paginated_response(self.get_serializer(inbox_rows(page, now), many=True).data)


# Decisions ---------------------------------------------------------------------------------------


class DecisionSerializer(serializers.ModelSerializer):
    tier = serializers.CharField(source="task_state.task.specific.tier")
    task_status = serializers.CharField(source="task_state.status")
    decided_by = serializers.CharField(source="user")
    post = serializers.SerializerMethodField()

    class Meta:
        model = ReviewDecision
        fields = [
            "id",
            "outcome",
            "reason",
            "comment",
            "tier",
            "task_state",
            "task_status",
            "revision",
            "content_hash",
            "decided_by",
            "created_at",
            "post",
        ]
        read_only_fields = fields

    def get_post(self, decision) -> dict:
        """The post as it stands right after the decision. The workflow moves on in the
        background (the next tier, or scheduling and publishing, a moment later), so a decision
        that finishes the workflow still answers `in_review`: GET the post for what followed."""
        post = Post.objects.with_status().get(pk=decision.task_state.workflow_state.object_id)
        return {"id": post.pk, "status": post.status}


class SeenRevisionSerializer(serializers.Serializer):
    """A decision may name the revision the caller decided on (`revision` in GET /reviews/):
    if the post changed since, nothing is decided and the answer is 409 `changed_since_seen`.
    Without it, the decision binds to the post's latest revision as it is at that moment."""

    revision = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        source="seen_revision_id",
        help_text="The id of the revision you looked at (the review's `revision`). If the post "
        "changed since, nothing is decided: 409 with reason `changed_since_seen`.",
    )


class ApproveSerializer(SeenRevisionSerializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class RequestChangesSerializer(SeenRevisionSerializer):
    reason = serializers.ChoiceField(
        choices=ReasonCode.choices,
        error_messages={
            "invalid_choice": f'"{{input}}" is not a reason code. Use one of: {", ".join(ReasonCode.values)}.'
        },
    )
    comment = serializers.CharField(
        max_length=5000,
        error_messages={
            "blank": "Say what needs to change: the author sees this comment.",
            "required": "Say what needs to change: the author sees this comment.",
        },
    )


def _task_state_for(user, pk: int) -> TaskState:
    """A task state the user could decide on (decided already or not); 404 for any other."""
    return get_object_or_404(reviews_decidable_by(user), pk=pk)


def _refused(error, reason: str) -> dict:
    return {"detail": str(error), "reason": reason}


def _decide(service, **kwargs) -> ReviewDecision:
    """Run a decision; a refusal answers its message and its reason (Refusal): 409 when the tier
    was decided or the post changed since the revision the caller saw, 403 otherwise."""
    try:
        return service(**kwargs)
    except AlreadyDecided as decided:
        raise Conflict(_refused(decided, decided.reason)) from decided
    except ChangedSinceSeen as changed:
        raise Conflict(_refused(changed, changed.reason)) from changed
    except DjangoPermissionDenied as denied:
        reason = getattr(denied, "reason", Refusal.NOT_A_DECIDER)
        raise PermissionDenied(_refused(denied, reason)) from denied
    except ValueError as invalid:
        raise ValidationError({"detail": str(invalid)}) from invalid


class _DecisionApi(APIView):
    input_serializer_class: type[serializers.Serializer]
    service = None

    def post(self, request, pk: int):
        task_state = _task_state_for(request.user, pk)
        serializer = self.input_serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        decision = _decide(
            self.service, task_state=task_state, user=request.user, **serializer.validated_data
        )
        return Response(DecisionSerializer(decision).data)


REFUSAL = inline_serializer(
    "DecisionRefusal",
    {
        "detail": serializers.CharField(help_text="Why, in words to show the decider."),
        "reason": serializers.ChoiceField(choices=Refusal.choices, help_text="Why, as a code."),
    },
)

_DECISION_RESPONSES = {
    200: DecisionSerializer,
    400: OpenApiResponse(description="Invalid input"),
    403: OpenApiResponse(
        REFUSAL,
        description="Refused: not a decider of this tier, four eyes (you wrote a piece of this "
        "version), you approved another tier of it, blocking findings, or changed after an earlier "
        "tier approved it. `reason` says which.",
    ),
    404: DETAIL,
    409: OpenApiResponse(
        REFUSAL,
        description='Already decided ("Already decided by …", `already_decided`), or the post '
        "changed since the `revision` you sent (`changed_since_seen`): look at the new version.",
    ),
}


class ReviewApproveApi(_DecisionApi):
    """Approve a tier, bound to the post's current content, or to the `revision` you send: 409
    when the post changed since that revision, or when the tier was already decided.

    The answer comes once the decision is recorded and the tier closed; the workflow then
    moves on in the background (the next tier starts, or the post is scheduled or published).
    """

    input_serializer_class = ApproveSerializer
    service = staticmethod(approve_task)

    @extend_schema(request=ApproveSerializer, responses=_DECISION_RESPONSES)
    def post(self, request, pk: int):
        return super().post(request, pk)


class ReviewRequestChangesApi(_DecisionApi):
    """Send the post back to its author with a reason code and a comment. 409 when already
    decided, or when the post changed since the `revision` you send."""

    input_serializer_class = RequestChangesSerializer
    service = staticmethod(request_changes)

    @extend_schema(request=RequestChangesSerializer, responses=_DECISION_RESPONSES)
    def post(self, request, pk: int):
        return super().post(request, pk)


class DecisionUndoApi(APIView):
    """Take back your own decision within SIGNOFF_UNDO_SECONDS of making it, before it takes
    effect: the tier opens again as it was. 409 once it has taken effect."""

    @extend_schema(
        request=None,
        responses={
            204: None,
            404: DETAIL,
            409: OpenApiResponse(DETAIL, description="Too late: the decision has taken effect."),
        },
    )
    def post(self, request, pk: int):
        try:
            undo_decision(decision_id=pk, user=request.user)
        except ReviewDecision.DoesNotExist as missing:
            raise NotFound("No such decision of yours.") from missing
        except TooLateToUndo as too_late:
            raise Conflict(str(too_late)) from too_late
        return Response(status=status.HTTP_204_NO_CONTENT)
