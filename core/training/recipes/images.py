"""What the two image recipes (image_classification, detection) share: their trials are long
(minutes to hours in a training child, so they run as core.trial_long jobs on the long queue),
their settings are checked by the trainer they reuse, and their preset backbone is settled
once per study: params.pretrained "auto" becomes the preset version it means for the study's
organisation now (or "none"), so every trial starts from the same weights, a preset
registered while the study runs changes nothing, and what it fixes (the backbone's width)
is left out of the search."""
from typing import ClassVar

from django.core.exceptions import ValidationError

from ..lib.search import unfixed
from .base import Recipe


class ImageRecipe(Recipe):
    long = True
    # The settings a study fixes (not searched), with the value each takes when left out.
    fixed: ClassVar[dict] = {}
    # The trainer's own params the recipe sets and nobody may change.
    forced: ClassVar[dict] = {}

    def space(self) -> dict:
        raise NotImplementedError

    def search_space(self, params):
        return unfixed(self.space(), params)

    def steps(self, params):
        return max(1, int(params.get("epochs") or self.default_params.get("epochs", 1)))

    def check_settings(self, params):
        if not isinstance(params, dict):
            raise ValidationError({"params": "must be a JSON object"})
        known = [*self.fixed, *self.space()]
        unknown = [k for k in params if k not in known]
        if unknown:
            raise ValidationError({"params": f"unknown setting {', '.join(map(repr, unknown))}; {self.name} takes "
                                             f"{', '.join(known)}"})

    def trainer_params(self, dataset_version, params) -> dict:
        """The reused trainer's params for one trial (the study's settings and the trial's point,
        the rest at their defaults), checked by the trainer; ValueError naming a bad one."""
        known = {*self.fixed, *self.space(), "seed"}
        given = {k: v for k, v in params.items() if k in known}
        return self.check_params({**self.fixed, **self.default_params, **given, **self.forced,
                                  "dataset_version": dataset_version.pk})

    def check_params(self, params) -> dict:
        raise NotImplementedError

    # -- the preset, once per study

    def settle(self, params, *, organisation, acting_user):
        if not isinstance(params, dict):
            return params
        out = dict(params)
        value = out.get("pretrained", self.fixed.get("pretrained", "auto"))
        if str(value) == "none":
            out["pretrained"] = "none"
            return out
        version = self.preset(value, out, organisation=organisation, acting_user=acting_user)
        if version is None:
            out["pretrained"] = "none"
            return out
        out["pretrained"] = version.pk
        return self.with_preset(out, version)

    def preset(self, value, params, *, organisation, acting_user):
        """The preset version params.pretrained names for the organisation, or None."""
        from ..presets import resolve

        try:
            return resolve(value, organisation=organisation, acting_user=acting_user)
        except (LookupError, ValueError):
            raise ValidationError({"params": f"pretrained: no preset backbone {value} available to "
                                             f"{organisation} (auto, none, or a preset version id)"}) from None

    def with_preset(self, params, version) -> dict:
        """The settings once the study starts from preset `version` (its width fixed, say)."""
        return params

    def preset_words(self, params) -> str:
        value = params.get("pretrained", "none")
        return "from scratch" if str(value) == "none" else f"fine-tuned from preset backbone version {value}"
