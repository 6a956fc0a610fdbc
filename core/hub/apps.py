from django.apps import AppConfig


class HubConfig(AppConfig):
    name = "core.hub"
    label = "hub"
    verbose_name = "Model hub"
