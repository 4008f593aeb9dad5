"""The brand kit beside the post form, so a creative never has to go looking for it."""

from django.urls import reverse
from wagtail.admin.panels import Panel

from brands.kit_summary import kits_for_editor
from brands.selectors import brands_for


class BrandKitPanel(Panel):
    class BoundPanel(Panel.BoundPanel):
        template_name = "posts/panels/brand_kit.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            brand_id = getattr(self.instance, "brand_id", None)
            brands = brands_for(self.request.user)
            if brand_id:
                brands = brands.filter(pk=brand_id)
            context["kits"] = kits_for_editor(brands)
            return context


class LiveChecksPanel(Panel):
    """Findings of the brand checker, refreshed as the creative types (htmx, debounced)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "posts/panels/checks.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            pk = getattr(self.instance, "pk", None)
            context["check_url"] = reverse("posts_live_checks", args=[pk] if pk else [])
            return context


class SimilarPostsPanel(Panel):
    """ "How have we said it before?": the brand's archived posts most like the caption being
    written, refreshed as the creative types (the same htmx channel as the live checks)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "posts/panels/similar.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            pk = getattr(self.instance, "pk", None)
            context["similar_url"] = reverse("posts_similar", args=[pk] if pk else [])
            return context
