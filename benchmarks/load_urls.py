"""The product's URLs, plus `/bench/bare-posts/`: the same 50 posts the API's list answers for
the demo junior, as plain JSON from a plain Django view (no DRF, no serializer, no auth), so
benchmarks/load.py can say what the API costs above the floor of Django and the query itself."""

from django.contrib.auth import get_user_model
from django.http import JsonResponse
from django.urls import include, path

from cms.posts.selectors import posts_visible_to

FIELDS = ("id", "brand_id", "title", "caption", "format", "intent", "campaign", "go_live_at", "updated_at")


def bare_posts(request):
    user = get_user_model().objects.get(username="junior")
    rows = list(posts_visible_to(user).order_by("-updated_at").values(*FIELDS)[:50])
    return JsonResponse({"results": rows})


urlpatterns = [path("bench/bare-posts/", bare_posts), path("", include("cms.urls"))]
