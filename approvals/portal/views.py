"""The client portal: small function views, every object looked up through the client's scope."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET

from brands.selectors import brands_of_client_user
from cms.posts.models import Post
from cms.posts.previews import build_mockup
from cms.posts.selectors import content_going_out, posts_for_client

from .forms import PortalLoginForm

portal_login_required = login_required(login_url=reverse_lazy("portal:login"))


class PortalLoginView(auth_views.LoginView):
    template_name = "portal/login.html"
    authentication_form = PortalLoginForm
    redirect_authenticated_user = True
    next_page = reverse_lazy("portal:dashboard")


def _get_post_for_client(request: HttpRequest, pk: int) -> Post:
    """What the client may see of the post (the content going out next); 404 — the same as a
    missing id — for anything outside their brands."""
    try:
        post = posts_for_client(request.user).prefetch_related("media__image").get(pk=pk)
    except Post.DoesNotExist as missing:
        raise Http404("No such post.") from missing
    return content_going_out(post)


@require_GET
@portal_login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    brands = list(brands_of_client_user(request.user))
    posts = posts_for_client(request.user).order_by("-go_live_at", "-updated_at")
    page = Paginator(posts, 25).get_page(request.GET.get("page"))
    return render(request, "portal/dashboard.html", {"brands": brands, "page": page})


@require_GET
@portal_login_required
def post_detail(request: HttpRequest, pk: int) -> HttpResponse:
    post = _get_post_for_client(request, pk)
    modes = dict(Post.preview_modes)
    mode = request.GET.get("mode") if request.GET.get("mode") in modes else post.default_preview_mode
    return render(request, "portal/post.html", {"post": post, "modes": modes, "mode": mode})


@require_GET
@portal_login_required
@xframe_options_sameorigin
def post_preview(request: HttpRequest, pk: int, mode: str) -> HttpResponse:
    """The platform mock-up on its own, framed by the post page (the admin preview uses the same)."""
    post = _get_post_for_client(request, pk)
    if mode not in dict(Post.preview_modes):
        raise Http404("No such preview.")
    context = {"mockup": build_mockup(post, mode), "object": post}
    return render(request, post.get_preview_template(request, mode), context)
