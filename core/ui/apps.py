from django.apps import AppConfig


class UiConfig(AppConfig):
    name = "core.ui"
    label = "ui"
    verbose_name = "User interface"
