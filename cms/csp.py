"""The Content-Security-Policy of each kind of page (django-csp; the policy is
CONTENT_SECURITY_POLICY in cms/settings/base.py).

The portal, previews sent to clients, sign-in and API pages get the strict policy: scripts from
this site only or carrying the response's nonce. Two kinds of page can't have it yet:

- The Wagtail admin renders inline scripts for its own widgets (date choosers, inline panels,
  choosers: https://github.com/wagtail/wagtail/issues/7053), so under /admin/ scripts may also be
  inline. Everything else (sources, frames, forms, plugins, <base>) stays as strict as elsewhere.
- Swagger UI (the API docs, signed-in users only) adds its own <style> elements.
"""

from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.urls import reverse

# Until Wagtail's admin runs without inline scripts. No nonce in it: a nonce makes browsers
# ignore 'unsafe-inline'.
ADMIN_SCRIPTS = {"script-src": [SELF, UNSAFE_INLINE]}
DOCS_STYLES = {"style-src": [SELF, UNSAFE_INLINE], "style-src-elem": [SELF, UNSAFE_INLINE]}


class SignoffCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        path = request.path_info
        if path.startswith(reverse("wagtailadmin_home")):
            parts.replace = {**ADMIN_SCRIPTS, **(parts.replace or {})}
        elif path.startswith(reverse("api-docs")):
            parts.replace = {**DOCS_STYLES, **(parts.replace or {})}
        return parts
