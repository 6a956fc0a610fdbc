from django.apps import AppConfig


class PlatformConfig(AppConfig):
    name = "core.platform"
    label = "platform"
    verbose_name = "Platform"

    def ready(self):
        from . import login_guard  # noqa: F401  (connects the failed-login and lockout audit receivers)
