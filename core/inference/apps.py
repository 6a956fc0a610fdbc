from django.apps import AppConfig


class InferenceConfig(AppConfig):
    name = "core.inference"
    label = "inference"
    verbose_name = "Inference engine"
