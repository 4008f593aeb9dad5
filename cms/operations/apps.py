from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """What an operator runs: backups and restores (docs/deploy.md)."""

    name = "cms.operations"
    label = "operations"
