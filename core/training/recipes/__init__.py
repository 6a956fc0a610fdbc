"""The recipe registry (registry["recipes"]): the core's tabular recipes, registered in
core.training's ready(), and each vertical's RECIPES (recipes.py, the vertical contract)."""
from core.platform.verticals import registry

from ..lib.search import DIRECTIONS, SpaceError, check_space
from .base import Recipe, TrainResult  # noqa: F401


def check_recipe(name, value):
    """What registry["recipes"] accepts (None, or why not)."""
    if not isinstance(value, Recipe):
        return f"{value!r} is not a Recipe instance"
    if value.name != name:
        return f"{type(value).__name__} is named {value.name!r}"
    missing = [attr for attr in ("task", "dataset_kind", "metric") if not getattr(value, attr)]
    if missing:
        return f"{type(value).__name__} declares no {', '.join(missing)}"
    if value.direction not in DIRECTIONS:
        return f"direction must be one of {', '.join(DIRECTIONS)}"
    try:
        space = value.search_space({})
        check_space(space)
    except (SpaceError, KeyError, TypeError, ValueError) as exc:
        return f"its search space is not declarative: {exc}"
    outside = [k for k in space if k not in value.default_params]
    if outside:
        return f"default_params lack {', '.join(outside)}: trial 0 tries the defaults"
    return None


def get_recipe(name) -> Recipe:
    try:
        return registry["recipes"][name]
    except (KeyError, TypeError):
        known = ", ".join(sorted(registry["recipes"])) or "none"
        raise LookupError(f"no recipe named {name!r}; recipes: {known}") from None


def all_recipes() -> list[Recipe]:
    return [registry["recipes"][name] for name in sorted(registry["recipes"])]
