from django import forms

from .models import ReasonCode


class ApproveForm(forms.Form):
    comment = forms.CharField(label="Comment", required=False, widget=forms.Textarea({"rows": 2}))


class RequestChangesForm(forms.Form):
    reason = forms.ChoiceField(label="Reason", choices=ReasonCode.choices)
    comment = forms.CharField(
        label="What needs to change", widget=forms.Textarea({"rows": 3}), help_text="The author sees this."
    )
