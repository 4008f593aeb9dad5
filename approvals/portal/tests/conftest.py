# The archive search tests make archive entries the way publishing writes them.
from cms.archive.tests.conftest import archived  # noqa: F401
