from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Agreement and exports"

    def ready(self) -> None:
        from . import (
            export_tasks,  # noqa: F401  (registers the archive task: autodiscovery reads tasks.py)
            receivers,  # noqa: F401  (connects labels_changed)
        )
