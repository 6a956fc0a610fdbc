from django.apps import AppConfig


class PlatformConfig(AppConfig):
    name = "core.platform"
    label = "platform"
    verbose_name = "Platform"
