"""The brand chooser (used wherever a form picks a brand from a snippet chooser): searching it
works for anyone with brands, and finds only their own."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_lead_searching_the_brand_chooser_finds_their_brand_and_not_anothers(login, lead, brand_a, brand_b):
    client = login(lead)

    for view in ("choose", "choose_results"):
        url = reverse(f"wagtailsnippetchoosers_brands_brand:{view}")
        mine = client.get(url, {"q": brand_a.name.split()[0]}, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
        theirs = client.get(url, {"q": brand_b.name.split()[0]}, HTTP_X_REQUESTED_WITH="XMLHttpRequest")

        assert mine.status_code == 200 and theirs.status_code == 200
        assert brand_a.name in mine.content.decode()
        assert brand_b.name not in theirs.content.decode()
