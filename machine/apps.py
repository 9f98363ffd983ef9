from django.apps import AppConfig


class MachineConfig(AppConfig):
    name = "machine"
    verbose_name = "Models in the loop"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects decisions_changed: retraining)
