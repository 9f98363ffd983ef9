from django.apps import AppConfig


class AnnotatorConfig(AppConfig):
    name = "annotator"
    verbose_name = "Projects, articles and labels"

    def ready(self):
        from . import receivers  # noqa: F401  (connects the signal receivers)
