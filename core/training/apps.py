from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "core.training"
    label = "training"
    verbose_name = "Training jobs"

    def ready(self):
        from core.platform.verticals import registry

        from .registry import checked_by, long_running
        from .trainers.detection import detection
        from .trainers.linear import linear_regression
        from .trainers.active_round import active_round, check_active_round
        from .trainers.dataset_import import check_dataset_import, dataset_import
        from .trainers.prelabel import check_prelabel, prelabel
        from .trainers.preset_backbone import check_preset_backbone, preset_backbone

        registry.add("trainers", "core.linear_regression", linear_regression)
        registry.add("trainers", "core.detection", long_running(detection))
        registry.add("trainers", "core.prelabel", checked_by(check_prelabel)(prelabel))
        registry.add("trainers", "core.active_round", long_running(checked_by(check_active_round)(active_round)))
        registry.add("trainers", "core.dataset_import", long_running(checked_by(check_dataset_import)(dataset_import)))
        registry.add("trainers", "core.preset_backbone", checked_by(check_preset_backbone)(preset_backbone))
