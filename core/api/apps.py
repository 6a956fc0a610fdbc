from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "core.api"
    label = "api"
    verbose_name = "API"

    def ready(self):
        # drf-spectacular finds schema extensions by their import.
        from . import schema  # noqa: F401
