"""Getting into the portal: magic links, asking for a new one, and password reset.

None of these pages says whether an address or account exists: the e-mail forms answer the same
for any address, and the e-mails go out from background tasks (approvals.portal.access_emails).
"""

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_GET, require_http_methods

from .access_forms import NewMagicLinkForm, PortalPasswordResetForm
from .magic_links import LinkProblem, log_in_with, resolve, safe_next

PROBLEMS = {
    LinkProblem.UNKNOWN: (
        "This sign-in link doesn’t work",
        "It may have been copied or typed incompletely.",
    ),
    LinkProblem.EXPIRED: ("This sign-in link has expired", "Sign-in links work for a limited time."),
    LinkProblem.REVOKED: ("This sign-in link has been turned off", "Your agency turned it off."),
    LinkProblem.NO_ACCESS: ("This sign-in link no longer works", ""),
}


@require_http_methods(["GET", "POST"])
def magic_link(request: HttpRequest, token: str) -> HttpResponse:
    """GET a working link: sign in and go on to `next` (a portal page) or the dashboard.
    Otherwise a page that says so and offers to e-mail a new link (the POST)."""
    resolution = resolve(token)
    next_path = safe_next(request.POST.get("next") or request.GET.get("next"))
    if request.method == "GET" and resolution.problem is None:
        log_in_with(request, resolution.link)
        return redirect(next_path or reverse("portal:dashboard"))

    form = NewMagicLinkForm(request.POST or None, request=request)
    if form.is_valid():
        # An unknown token names no brand: each of their brands gets a link instead.
        brand_id = resolution.link.brand_id if resolution.link else None
        form.send(brand_id=brand_id, next_path=next_path)
        return redirect("portal:link-sent")
    heading, explanation = PROBLEMS[resolution.problem or LinkProblem.NO_ACCESS]
    context = {"form": form, "heading": heading, "explanation": explanation, "next": next_path or ""}
    # 410 Gone: this address will not work again, whatever is resent.
    return render(request, "portal/access/link_problem.html", context, status=410)


@require_GET
def link_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/access/link_sent.html")


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "portal/access/password_reset.html"
    form_class = PortalPasswordResetForm
    success_url = reverse_lazy("portal:password-reset-sent")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "portal/access/password_reset_sent.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "portal/access/password_reset_confirm.html"
    success_url = reverse_lazy("portal:password-reset-complete")

    def get_user(self, uidb64):
        # The portal sets client users' passwords only; agency staff use the admin's reset.
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active and hasattr(user, "client_user") else None


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "portal/access/password_reset_complete.html"
