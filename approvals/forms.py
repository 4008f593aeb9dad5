from django import forms
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import SwitchInput

from cms.ids import as_id

from .models import NotificationPreference, ReasonCode
from .turnaround import WEEKDAYS, format_working_days, parse_working_days


class ApproveForm(forms.Form):
    comment = forms.CharField(label="Comment", required=False, widget=forms.Textarea({"rows": 2}))


class RequestChangesForm(forms.Form):
    reason = forms.ChoiceField(label="Reason", choices=ReasonCode.choices)
    comment = forms.CharField(
        label="What needs to change", widget=forms.Textarea({"rows": 3}), help_text="The author sees this."
    )


class ApprovalPolicyForm(WagtailAdminModelForm):
    """A brand's approval policy, with its working week as weekday checkboxes (stored as ISO
    weekday digits, "12345" for Monday to Friday)."""

    working_days = forms.MultipleChoiceField(
        choices=[(str(number), name) for number, name in enumerate(WEEKDAYS, start=1)],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Pick at least one working day."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["working_day_starts"].label = "Working day starts"
        self.fields["working_day_ends"].label = "Working day ends"
        if not self.is_bound:
            self.initial["working_days"] = [
                str(day) for day in sorted(parse_working_days(self.instance.working_days))
            ]
        brand = self.instance.brand if self.instance.brand_id else None
        where = f"{brand}'s time zone, {brand.time_zone}" if brand else "the brand's time zone"
        self.fields["working_days"].help_text = (
            f"Turnaround targets count only working hours, in {where}: reminders at half the "
            "target, escalation to the account leads once it has passed."
        )

    def clean_working_days(self) -> str:
        return format_working_days(int(day) for day in self.cleaned_data["working_days"])

    def clean(self):
        cleaned_data = super().clean()
        starts, ends = cleaned_data.get("working_day_starts"), cleaned_data.get("working_day_ends")
        if starts is not None and ends is not None and ends <= starts:
            # Working days that run past midnight aren't supported (approvals.turnaround).
            self.add_error("working_day_ends", "The working day must end after it starts.")
        return cleaned_data


class NotificationPreferenceForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["email_muted"]
        labels = {"email_muted": "Mute review e-mails"}
        widgets = {"email_muted": SwitchInput()}


class ReviewCommentForm(forms.Form):
    """A new comment thread from the editor's comments panel: on the whole post ("post"), the
    caption words selected ("caption", with the span the panel's script fills in) or one of the
    post's images ("image-<id>")."""

    target = forms.CharField(label="On", initial="post")
    body = forms.CharField(label="Comment", required=False, strip=False)  # the service says what's wrong
    span_start = forms.IntegerField(required=False, min_value=0)
    span_end = forms.IntegerField(required=False, min_value=0)
    quote = forms.CharField(required=False, strip=False)

    def clean_target(self) -> str:
        target = self.cleaned_data["target"]
        if target in ("post", "caption") or (target.startswith("image-") and as_id(target[6:]) is not None):
            return target
        raise forms.ValidationError("Choose what you are commenting on.")

    def comment_arguments(self) -> dict:
        """The arguments of approvals.comments.add_comment (span offsets as the browser sent them)."""
        data = self.cleaned_data
        target = data["target"]
        arguments = {"body": data["body"], "anchor": target.split("-")[0]}
        if target == "caption":
            arguments.update(span_start=data["span_start"], span_end=data["span_end"], quote=data["quote"])
        elif target.startswith("image-"):
            arguments["image_id"] = int(target[6:])
        return arguments


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why should it not go out?",
        max_length=2000,
        widget=forms.Textarea({"rows": 3}),
        help_text="Recorded in the post's history for the team.",
        error_messages={"required": "Say why the post is withdrawn: the team sees it in the post's history."},
    )
