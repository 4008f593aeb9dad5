"""The post editor's form: brand choices limited to the user's brands, format-specific rules."""

import functools
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import ObjectList

from approvals.panels import ReviewCommentsPanel
from brands.forms import live_rows, refuse_images_of_other_brands
from brands.models import BrandRole
from brands.roles import POST_ROLES_FOR_ACTION
from brands.scoping import brand_field_for_user
from brands.selectors import brands_for, user_has_brand_role

from .checking import content_of_form, findings_for, not_overridden
from .models import Post, PostFormat

POLL_MIN_OPTIONS, POLL_MAX_OPTIONS = 2, 4


# Wagtail's buttons that send a post (back) into the approval workflow.
SUBMIT_ACTIONS = ("action-submit", "action-restart-workflow")


@dataclass
class PendingOverride:
    reason: str
    findings: list


class PostForm(WagtailAdminModelForm):
    override_reason = forms.CharField(
        label="Override blocking findings",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=(
            "Account leads only: why this post may go for approval despite the blocking findings. "
            "It is recorded in the post's history and the post counts as high-risk."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A post stays with its brand: its history and approvals belong to that brand.
            self.fields["brand"].disabled = True
        else:
            brand_field_for_user(self, roles=POST_ROLES_FOR_ACTION["add"])
        self.override: PendingOverride | None = None
        self.blocking_findings: list = []  # what stopped a submission (the override box then shows)
        if self.for_user is not None and not brands_for(self.for_user, roles=[BrandRole.LEAD]).exists():
            del self.fields["override_reason"]

    def _submitting(self) -> bool:
        return any(action in self.data for action in SUBMIT_ACTIONS)

    def _gate_submission(self, brand) -> None:
        """A post with blocking findings can't go for approval, unless a lead overrides them: the
        ones no earlier override named (checking.not_overridden), which a new override records."""
        overrides = self.instance.finding_overrides.all() if self.instance.pk else []
        blockers = not_overridden(
            findings_for(content_of_form(self, brand), brand, post_id=self.instance.pk), overrides
        )
        if not blockers:
            return
        self.blocking_findings = blockers
        reason = (self.cleaned_data.get("override_reason") or "").strip()
        if reason and user_has_brand_role(self.for_user, brand.pk, roles=[BrandRole.LEAD]):
            self.override = PendingOverride(reason, blockers)
            return
        raise ValidationError(
            "Fix these before submitting for approval (your changes are still here; you can save a draft): "
            + " ".join(f"• {finding.message}" for finding in blockers)
        )

    def clean(self):
        cleaned_data = super().clean()
        brand = cleaned_data.get("brand")
        if brand is not None and "media" in self.formsets:
            refuse_images_of_other_brands(brand, self.formsets["media"])
        reason = (cleaned_data.get("override_reason") or "").strip()
        if (
            reason
            and brand is not None
            and not user_has_brand_role(self.for_user, brand.pk, roles=[BrandRole.LEAD])
        ):
            self.add_error("override_reason", f"Only {brand}'s account leads can override blocking findings.")
        post_format = cleaned_data.get("format")
        if "poll_options" in self.formsets:
            options = live_rows(self.formsets["poll_options"])
            if post_format == PostFormat.POLL and not POLL_MIN_OPTIONS <= len(options) <= POLL_MAX_OPTIONS:
                raise ValidationError(
                    f"A poll needs {POLL_MIN_OPTIONS} to {POLL_MAX_OPTIONS} options; it has {len(options)}."
                )
        if brand is not None and self._submitting() and not self.errors:
            self._gate_submission(brand)
        return cleaned_data

    def save(self, commit=True):
        if self.instance.pk is None and self.for_user is not None:
            self.instance.created_by = self.for_user
        return super().save(commit=commit)


@functools.cache
def post_edit_handler():
    """The editor's panels bound to our form; Wagtail takes the form class from the top panel."""
    # Review comments first, so the author sees what reviewers asked for before anything else.
    # (The panel belongs to approvals, which imports the Post model: it can't sit in Post.panels.)
    panels = [ReviewCommentsPanel(heading="Review comments"), *Post.panels]
    return ObjectList(panels, base_form_class=PostForm).bind_to_model(Post)


def post_form_class():
    return post_edit_handler().get_form_class()
