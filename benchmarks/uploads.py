"""The server's memory while it reads hostile uploads (issue 17, item 2).

Run: .venv/bin/python benchmarks/uploads.py        (SQLite, a throwaway database and media folder)

Every file of the upload corpus (brands/tests/upload_corpus.py: decompression bombs, images that
declare billions of pixels, thousands of frames, polyglots, truncated files…) is uploaded through
the admin's image page by a creative, in this one process, as a web worker would receive them.
After each upload the process's peak resident memory is read (getrusage). Reported: the peak
before the corpus (Django loaded, one good upload made), the peak after it, the upload that
raised it most, and any server error. Target: no 5xx, and the corpus adds at most 250 MB to the
peak (the largest image the limits accept, 40 megapixels, is about 160 MB decoded).

The last line printed is one JSON object with the results.
"""

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

TARGET_GROWTH_MB = 250


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def write_corpus(folder: Path) -> None:
    """Run in a child process, so that making the files (some are large to make) doesn't count
    in this process's peak memory."""
    from brands.tests.upload_corpus import corpus

    for number, case in enumerate(corpus()):
        (folder / f"{number:03d}").write_bytes(case.data)
    (folder / "index.json").write_text(json.dumps([[case.name, case.file_name] for case in corpus()]))


def bench(folder: Path) -> dict:
    from brands.factories import BrandFactory, UserFactory, membership
    from brands.models import BrandRole
    from brands.tests.upload_corpus import photo

    brand = BrandFactory(name="Bench brand")
    creative = UserFactory(username="bench-creative")
    membership(creative, brand, BrandRole.CREATIVE)
    client = Client()
    client.force_login(creative)

    def upload(name: str, data: bytes) -> int:
        file = SimpleUploadedFile(name, data, content_type="application/octet-stream")
        response = client.post(
            reverse("wagtailimages:add"),
            {"title": name[:50], "file": file, "collection": brand.collection_id},
        )
        return response.status_code

    upload("warm-up.jpg", photo())
    cases = json.loads((folder / "index.json").read_text())
    before = peak_mb()
    worst, server_errors, started = ("", 0.0), [], time.perf_counter()
    for number, (name, file_name) in enumerate(cases):
        data = (folder / f"{number:03d}").read_bytes()
        peak = peak_mb()
        status = upload(file_name, data)
        del data
        if status >= 500:
            server_errors.append(name)
        growth = peak_mb() - peak
        if growth > worst[1]:
            worst = (name, growth)
    after = peak_mb()
    return {
        "files": len(cases),
        "seconds": round(time.perf_counter() - started, 1),
        "peak_before_mb": round(before, 1),
        "peak_after_mb": round(after, 1),
        "growth_mb": round(after - before, 1),
        "largest_step": {"case": worst[0], "mb": round(worst[1], 1)},
        "server_errors": server_errors,
        "target_growth_mb": TARGET_GROWTH_MB,
        "passed": not server_errors and after - before <= TARGET_GROWTH_MB,
    }


def main() -> None:
    if sys.argv[1:2] == ["--write-corpus"]:
        write_corpus(Path(sys.argv[2]))
        return
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        with tempfile.TemporaryDirectory(prefix="signoff-upload-corpus-") as folder:
            subprocess.run([sys.executable, __file__, "--write-corpus", folder], check=True)
            results = bench(Path(folder))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(
        f"{results['files']} files in {results['seconds']} s; peak memory {results['peak_before_mb']} MB "
        f"→ {results['peak_after_mb']} MB (+{results['growth_mb']} MB, target ≤ {TARGET_GROWTH_MB}); "
        f"largest step {results['largest_step']}; server errors: {results['server_errors'] or 'none'}"
    )
    print(json.dumps(results))


if __name__ == "__main__":
    main()
