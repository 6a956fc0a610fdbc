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
        # Before any vertical's demo: their pipelines fine-tune from the preset it registers.
        from .actions.presets import register_presets

        registry.add("demo", "core.training", register_presets)

        # Studies: the recipes a search trains (verticals add theirs in recipes.py, checked on
        # arrival: this ready() runs before any vertical's) and the trainer that runs one trial.
        from .recipes import check_recipe
        from .recipes.detection import Detection
        from .recipes.image_classification import ImageClassification
        from .recipes.tabular_classification import TabularClassification
        from .recipes.tabular_regression import TabularRegression
        from .trainers.trial import check_trial, long_trial, trial

        registry.expect("recipes", check_recipe)
        for recipe in (TabularClassification(), TabularRegression(), ImageClassification(), Detection()):
            registry.add("recipes", recipe.name, recipe)
        # Text classification and forecasting (served by cpu-linear and cpu-trees).
        from .recipes.forecasting import Forecasting
        from .recipes.text_classification import TextClassification

        for recipe in (TextClassification(), Forecasting()):
            registry.add("recipes", recipe.name, recipe)
        registry.add("trainers", "core.trial", checked_by(check_trial)(trial))
        # A long recipe's trials (Recipe.long) run on the long queue: a distinct function, since
        # long_running marks the function it is given.
        registry.add("trainers", "core.trial_long", long_running(checked_by(check_trial)(long_trial)))

        from .trainers.image_classification import check_image_classification, image_classification

        registry.add("trainers", "core.image_classification",
                     long_running(checked_by(check_image_classification)(image_classification)))
