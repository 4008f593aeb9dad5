"""The brand kit beside the post form, so a creative never has to go looking for it."""

from django.urls import reverse
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, Panel

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


class OverrideReasonPanel(FieldPanel):
    """A lead's box to override blocking findings, shown only when something blocks: the live
    checks reveal it when they find a blocking finding (editor.js), and a submission refused for
    blocking findings comes back with it open. (Not a lead: the form has no such field.)"""

    class BoundPanel(FieldPanel.BoundPanel):
        @property
        def attrs(self):
            form = self.form
            typed = form.is_bound and (form.data.get(form.add_prefix(self.field_name)) or "").strip()
            blocks = bool(getattr(form, "blocking_findings", None)) or bool(typed)
            attrs = {**super().attrs, "data-override-control": True}
            if not blocks:
                attrs["hidden"] = True
            return attrs


class FindingOverridesPanel(Panel):
    """On the post page: every lead's override of blocking findings on this post, with the lead's
    reason and the exact findings overridden (posts/_overrides.html, as in the review inbox)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "posts/panels/overrides.html"

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            pk = getattr(self.instance, "pk", None)
            self.overrides = (
                list(self.instance.finding_overrides.select_related("user").order_by("created_at", "pk"))
                if pk
                else []
            )

        def is_shown(self):
            return bool(self.overrides)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["overrides"] = self.overrides
            context["time_zone"] = self.instance.brand.time_zone
            return context


class CaptionWithKitPanel(MultiFieldPanel):
    """The caption and its live checks with the brand kit beside them (its last child): in a side
    column on a desktop, below them on a phone. The kit is what the creative writes against, so
    it stays in view while they write, not a scroll away above the caption."""

    class BoundPanel(MultiFieldPanel.BoundPanel):
        template_name = "posts/panels/caption_with_kit.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            children = list(self.visible_children)
            context["writing"], context["beside"] = children[:-1], children[-1:]
            return context
