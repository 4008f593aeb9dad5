"""Review comments in the API, for tools outside the admin: list and start threads on a post,
reply, resolve, reopen.

Thin views: a serializer validates the input, a function in approvals.comments acts, a serializer
answers. Posts (and their comments) outside the user's brands answer 404, as a missing id does.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from cms.posts.selectors import posts_visible_to

from .comments import Anchor, add_comment, reopen, reply, resolve
from .models import ReviewComment
from .selectors import comment_threads


class CommentReplySerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username")

    class Meta:
        model = ReviewComment
        fields = ["id", "body", "author", "created_at"]
        read_only_fields = fields


class CommentThreadSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username")
    resolved_by = serializers.CharField(source="resolved_by.username", default=None)
    image = serializers.IntegerField(source="image_id", allow_null=True)
    replies = CommentReplySerializer(many=True)

    class Meta:
        model = ReviewComment
        fields = [
            "id",
            "anchor",
            "span_start",
            "span_end",
            "quote",
            "image",
            "revision",
            "body",
            "author",
            "created_at",
            "resolved_at",
            "resolved_by",
            "replies",
        ]
        read_only_fields = fields


class NewCommentSerializer(serializers.Serializer):
    """Blank bodies and bad spans or images get the service's own messages, as in the editor."""

    body = serializers.CharField(required=False, allow_blank=True, default="", trim_whitespace=False)
    anchor = serializers.ChoiceField(choices=Anchor.choices, default=Anchor.POST)
    span_start = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Caption comments: where the words start, in code points (an emoji counts 1) "
        "of the caption of the post's latest revision.",
    )
    span_end = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="Where they end (exclusive)."
    )
    quote = serializers.CharField(
        required=False,
        allow_null=True,
        default=None,
        trim_whitespace=False,
        help_text="Optional: the words you saw there; refused (400) if the caption has changed since.",
    )
    image = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Image comments: the id of one of the post's images.",
    )


class ReplyInputSerializer(serializers.Serializer):
    body = serializers.CharField(required=False, allow_blank=True, default="", trim_whitespace=False)


def _act(service, **kwargs):
    try:
        return service(**kwargs)
    except DjangoValidationError as invalid:
        raise ValidationError(invalid.message_dict) from invalid
    except DjangoPermissionDenied as denied:
        raise PermissionDenied(str(denied)) from denied


def _thread(comment: ReviewComment) -> dict:
    thread_id = comment.parent_id or comment.pk
    return CommentThreadSerializer(comment_threads(comment.post).get(pk=thread_id)).data


def _comment_for(user, pk: int) -> ReviewComment:
    visible = posts_visible_to(user).values("pk")
    return get_object_or_404(ReviewComment.objects.filter(post__in=visible).select_related("post"), pk=pk)


class PostCommentsApi(ListAPIView):
    """The post's comment threads, oldest first, each with its replies; POST starts a thread
    (on the whole post, on words of its caption, or on one of its images)."""

    serializer_class = CommentThreadSerializer
    # JSON only: a form can't say null, which the span and image fields take.
    parser_classes = [JSONParser]

    def get_post(self):
        return get_object_or_404(posts_visible_to(self.request.user), pk=self.kwargs["pk"])

    def get_queryset(self):
        threads = comment_threads(self.get_post())
        resolved = self.request.query_params.get("resolved")
        if resolved in ("true", "false"):
            threads = threads.filter(resolved_at__isnull=resolved == "false")
        return threads

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "resolved", OpenApiTypes.BOOL, description="Only resolved (true) or open (false) threads."
            )
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=NewCommentSerializer,
        responses={
            201: CommentThreadSerializer,
            400: OpenApiResponse(
                description="Empty body, a span outside the caption, an image not in the post…"
            ),
            403: OpenApiResponse(description="Only the brand's reviewers and leads start threads."),
            404: OpenApiResponse(description="No such post among yours."),
        },
    )
    def post(self, request, pk: int):
        post = self.get_post()
        serializer = NewCommentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        comment = _act(
            add_comment,
            post=post,
            user=request.user,
            body=data["body"],
            anchor=data["anchor"],
            span_start=data["span_start"],
            span_end=data["span_end"],
            quote=data["quote"],
            image_id=data["image"],
        )
        return Response(_thread(comment), status=status.HTTP_201_CREATED)


class CommentReplyApi(APIView):
    """Reply to a thread (replying to a reply answers its thread)."""

    parser_classes = [JSONParser]

    @extend_schema(
        request=ReplyInputSerializer, responses={201: CommentReplySerializer, 400: None, 403: None, 404: None}
    )
    def post(self, request, pk: int):
        comment = _comment_for(request.user, pk)
        serializer = ReplyInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        answer = _act(reply, comment=comment, user=request.user, body=serializer.validated_data["body"])
        return Response(CommentReplySerializer(answer).data, status=status.HTTP_201_CREATED)


class CommentResolveApi(APIView):
    """Resolve a thread; resolving a resolved one changes nothing."""

    @extend_schema(request=None, responses={200: CommentThreadSerializer, 403: None, 404: None})
    def post(self, request, pk: int):
        comment = _comment_for(request.user, pk)
        return Response(_thread(_act(resolve, comment=comment, user=request.user)))


class CommentReopenApi(APIView):
    """Open a resolved thread again."""

    @extend_schema(request=None, responses={200: CommentThreadSerializer, 403: None, 404: None})
    def post(self, request, pk: int):
        comment = _comment_for(request.user, pk)
        return Response(_thread(_act(reopen, comment=comment, user=request.user)))
