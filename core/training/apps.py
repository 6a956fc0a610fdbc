from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "core.training"
    label = "training"
    verbose_name = "Training jobs"
