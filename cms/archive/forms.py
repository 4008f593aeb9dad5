"""The archive search form (GET): the admin's, and the portal's with the filters a client uses."""

from django import forms

from brands.checks.platforms import PLATFORM_CHOICES
from cms.posts.models import Intent, PostFormat

from .selectors import NEWEST, QUERY_MAX_LENGTH, RELEVANCE, archive_choices

ANY = [("", "Any")]


class ArchiveSearchForm(forms.Form):
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=QUERY_MAX_LENGTH,
        widget=forms.SearchInput(attrs={"placeholder": 'Words, "a phrase", -not, OR', "autofocus": True}),
    )
    brand = forms.TypedChoiceField(label="Brand", required=False, coerce=int, empty_value=None)
    platform = forms.ChoiceField(label="Platform", required=False, choices=ANY + list(PLATFORM_CHOICES))
    since = forms.DateField(
        label="From",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = forms.DateField(
        label="To",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    campaign = forms.CharField(label="Campaign", required=False, max_length=80)
    intent = forms.ChoiceField(label="Intent", required=False, choices=ANY + list(Intent.choices))
    format = forms.ChoiceField(label="Format", required=False, choices=ANY + list(PostFormat.choices))
    author = forms.TypedChoiceField(label="Author", required=False, coerce=int, empty_value=None)
    approver = forms.TypedChoiceField(label="Approved by", required=False, coerce=int, empty_value=None)
    hashtag = forms.CharField(label="Hashtag", required=False, max_length=100)
    order = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[(RELEVANCE, "Most relevant"), (NEWEST, "Newest")],
    )

    # What a client filters by in the portal (their brand is the portal's current one).
    CLIENT_FIELDS = ("q", "platform", "since", "until", "campaign", "hashtag", "order")

    def __init__(self, data, *, user, brand=None, client=False):
        super().__init__(data)
        choices = archive_choices(user, brand=brand, people=not client)
        if client:
            for name in list(self.fields):
                if name not in self.CLIENT_FIELDS:
                    del self.fields[name]
        else:
            self.fields["brand"].choices = [("", "All your brands")] + choices["brands"]
            self.fields["author"].choices = [("", "Anyone")] + choices["authors"]
            self.fields["approver"].choices = [("", "Anyone")] + choices["approvers"]
        self.campaigns = choices["campaigns"]
        self.fields["campaign"].widget.attrs["list"] = "archive-campaigns"

    def clean_q(self):
        return self.cleaned_data["q"].replace("\x00", " ")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("since") and cleaned.get("until") and cleaned["since"] > cleaned["until"]:
            self.add_error("until", "The last day can’t be before the first.")
        return cleaned

    def search_arguments(self) -> dict:
        """search_archive's keyword arguments from the valid form (blank filters left out)."""
        arguments = {"query": self.cleaned_data.get("q", "")}
        for name in self.fields:
            if name != "q" and self.cleaned_data.get(name) not in (None, ""):
                arguments[name] = self.cleaned_data[name]
        return arguments
