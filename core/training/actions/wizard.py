"""What the study wizard starts in one step: the model the best trial will become a version of
(found by name in the organisation, or created) and the study itself, together or not at all,
so a study the recipe refuses leaves no new empty model behind."""
from django.db import transaction

from core.hub.actions.registry import ensure_model

from .studies import create_study


def start_study(*, organisation, acting_user, recipe, dataset_version, model_name, params=None,
                budget_trials=None, budget_seconds=None, parallelism=1, seed=0):
    from ..recipes import get_recipe

    task = get_recipe(recipe).task if recipe else ""
    with transaction.atomic():
        model = ensure_model(name=model_name, organisation=organisation, acting_user=acting_user,
                             title=model_name, description=f"Trained by a {recipe} study ({task}).")
        return create_study(organisation=organisation, acting_user=acting_user, recipe=recipe,
                            dataset_version=dataset_version, params=params, model=model.pk,
                            budget_trials=budget_trials, budget_seconds=budget_seconds,
                            parallelism=parallelism, seed=seed)
