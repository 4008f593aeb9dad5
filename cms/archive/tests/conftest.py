# The approval workflow's fixtures: posts are published through it.
from approvals.tests.conftest import draft, policy, relay  # noqa: F401
