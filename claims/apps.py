from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Agreement and exports"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects labels_changed)
