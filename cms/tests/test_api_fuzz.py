"""schemathesis against the live API (issue 16, item 5): the schema the running app serves at
/api/schema/, every operation in it, as a creative (junior) and as a client user, with positive
and negative examples and all of schemathesis's checks (no server error, responses that match
the schema, documented status codes and content types, invalid data rejected, valid data
accepted, 401 without credentials, ...).

The app is `cms.wsgi.application` itself, called through schemathesis's WSGI transport on the
test database, with the demo agency's data (brands with kits, posts in every state, images,
archive entries). Deterministic (derandomized, no example database) and small enough for CI:
`SIGNOFF_FUZZ_EXAMPLES` examples per operation and mode (default 20). Select it with
`-m fuzz`, leave it out with `-m "not fuzz"`.
"""

import io
import os
import traceback
from contextlib import contextmanager

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, Phase, given, settings
from PIL import Image
from schemathesis import GenerationMode
from wagtail.images import get_image_model

from brands.selectors import brands_for
from cms.archive.selectors import archive_brands_for, archive_scope
from cms.wsgi import application
from integrations.tokens import create_token

pytestmark = pytest.mark.fuzz

EXAMPLES = int(os.environ.get("SIGNOFF_FUZZ_EXAMPLES", "20"))

HYPOTHESIS = settings(
    max_examples=EXAMPLES,
    derandomize=True,  # the same cases on every run: a failure in CI reproduces locally
    database=None,
    deadline=None,
    # No shrinking: the first failing case is reported as is, which keeps a failing run short.
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
    report_multiple_bugs=False,
)


@contextmanager
def _connection_kept_open():
    """Django closes the database connection at the end of every request it serves; in a test
    that is the test database's one connection (Django's own test client keeps it open the same
    way)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@contextmanager
def _quiet_requests():
    """Requests the fuzzer makes on purpose (bad input, missing objects) log warnings; the
    failures, if any, are reported below in one list."""
    import logging

    loggers = [logging.getLogger(name) for name in ("django.request", "django.server", "signoff")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (1080, 1080), "#c0ffee").save(buffer, format="PNG")
    return buffer.getvalue()


# Whether the right password was sent is something no schema can say: a well-formed sign-in with
# a made-up username is rightly refused with 400, so "valid data is accepted" can't apply there.
# Every other check runs on it (and on everything else, every check).
EXCLUDED_CHECKS = {"POST /api/v1/auth/token/": [schemathesis.checks.positive_data_acceptance]}


def _test_of(operation, mode, headers):
    excluded = EXCLUDED_CHECKS.get(operation.label, [])

    @HYPOTHESIS
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        case.call_and_validate(headers=headers, excluded_checks=excluded)

    return run


def _fuzz(user, key: str) -> list[str]:
    headers = {"Authorization": f"Token {key}"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application, headers=headers)
    # The brands the user drafts for; a client drafts for none (and is refused with 403), so
    # they name their client's brands, whose archive they search.
    archive_brand_ids = sorted(archive_brands_for(user).values_list("pk", flat=True)) or [1]
    client_only = archive_scope(user).client_only
    brand_ids = sorted(brands_for(user).values_list("pk", flat=True)) or archive_brand_ids
    images_of = {
        brand_id: sorted(
            get_image_model().objects.filter(collection__brand=brand_id).values_list("pk", flat=True)
        )
        for brand_id in brand_ids
    }
    png = _png()

    @schema.hook
    def map_case(context, case):
        """Positive cases as a user would send them: one of the user's own brands and its images
        (any other number is rightly 400 "not one of your brands"), no author filter from a
        client, and an image that is a real PNG where a file is uploaded. Negative cases stay as
        generated."""
        positive = case.meta is not None and case.meta.generation.mode == GenerationMode.POSITIVE
        if positive and isinstance(case.query, dict):
            if isinstance(case.query.get("brand"), int):
                case.query["brand"] = archive_brand_ids[case.query["brand"] % len(archive_brand_ids)]
            # A client never sees who wrote a post, so can't filter by it (400), as no schema says.
            if client_only:
                case.query.pop("author", None)
            # "until" before "since" is refused (400), which no schema can express.
            since, until = case.query.get("since"), case.query.get("until")
            if isinstance(since, str) and isinstance(until, str) and until < since:
                case.query["since"], case.query["until"] = until, since
        if positive and isinstance(case.body, dict):
            if isinstance(case.body.get("brand"), int):
                case.body["brand"] = brand_ids[case.body["brand"] % len(brand_ids)]
                # ... and images of that brand where a post or a check names them.
                images = images_of[case.body["brand"]]
                for key in ("media", "images"):
                    for item in case.body.get(key) or []:
                        if isinstance(item, dict) and isinstance(item.get("image"), int) and images:
                            item["image"] = images[item["image"] % len(images)]
            if "file" in case.body:
                case.body["file"] = png
        return case

    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                _test_of(operation, mode, headers)()
            # schemathesis's FailureGroup is a BaseExceptionGroup: catch it to report every
            # operation's failures, not just the first.
            except (Exception, BaseExceptionGroup) as error:
                lines = traceback.format_exception_only(error)
                failures.append(f"{operation.label} [{mode.value}]:\n{''.join(lines)}")
    return failures


@pytest.mark.parametrize("username", ["junior", "client"])
def test_schemathesis_finds_nothing(db, username):
    from django.contrib.auth import get_user_model

    # Webhook deliveries and link checks stay on this machine.
    with override_settings(SIGNOFF_WEBHOOK_PRIVATE_HOSTS=False):
        call_command("seed_demo", verbosity=0)
        user = get_user_model().objects.get(username=username)
        _, key = create_token(user=user, name="fuzz")
        with _connection_kept_open(), _quiet_requests():
            failures = _fuzz(user, key)
    assert not failures, f"{len(failures)} operations failed:\n\n" + "\n\n".join(failures)
