"""benchmarks/load.py's settings: production's, plus one bare Django view to compare the API with."""

from cms.settings.production import *  # noqa: F403

ROOT_URLCONF = "benchmarks.load_urls"
