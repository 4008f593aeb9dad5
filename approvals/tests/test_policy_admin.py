"""Brand approval policies in the admin: the brand's leads edit them, nobody else."""

import pytest
from django.urls import reverse

from approvals.models import ApprovalPolicy

pytestmark = pytest.mark.django_db


def policy_form(**changes):
    return {
        "senior_approvals_required": "1",
        "lead_review": "high_risk",
        "senior_turnaround_hours": "8",
        "lead_turnaround_hours": "8",
        "client_turnaround_hours": "24",
        "working_days": ["1", "2", "3", "4", "5"],
        "working_day_starts": "09:00",
        "working_day_ends": "18:00",
        **changes,
    }


def edit_url(brand):
    return reverse("wagtailsnippets_approvals_approvalpolicy:edit", args=[brand.approval_policy.pk])


def test_a_lead_edits_their_brands_policy(login, lead, brand_a):
    response = login(lead).post(edit_url(brand_a), policy_form(senior_approvals_required="2"))

    assert response.status_code == 302
    assert ApprovalPolicy.objects.get(brand=brand_a).senior_approvals_required == 2


def test_a_lead_of_another_brand_cannot(login, lead_b, brand_a):
    response = login(lead_b).post(edit_url(brand_a), policy_form(senior_approvals_required="2"))

    assert response.status_code == 404
    assert ApprovalPolicy.objects.get(brand=brand_a).senior_approvals_required == 1


@pytest.mark.parametrize("role", ["creative", "reviewer"])
def test_creatives_and_reviewers_cannot(login, request, brand_a, role):
    response = login(request.getfixturevalue(role)).post(
        edit_url(brand_a), policy_form(client_approval_required="on")
    )

    assert response.status_code in (302, 403)
    assert not ApprovalPolicy.objects.get(brand=brand_a).client_approval_required
