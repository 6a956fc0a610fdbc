from django.apps import AppConfig


class DataConfig(AppConfig):
    name = "core.data"
    label = "data"
    verbose_name = "Data services"
