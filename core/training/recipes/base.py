"""What a recipe is: a way to get a model of one task out of one kind of dataset without
code (EasyDL's promise), with the hyper-parameters a search may vary.

A study (core.training.actions.studies) asks the recipe to check a dataset version and its
settings before anything is queued, takes the search space and the default point from
it, and runs train() once per trial inside a job, passing report(step, value) for the
validation metric as training goes; report answers False when the trial should stop
(pruned by the search, or the study's time is up), and train then returns what it has."""
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar


@dataclass
class TrainResult:
    value: float                  # the study's metric on the recipe's validation split
    metrics: dict                 # every metric the recipe measured (the value's among them)
    bundle: Path | None           # the model bundle (core.inference.lib.bundle) the trial produced
    stopped: bool = False         # report() asked it to stop before it finished
    notes: dict = field(default_factory=dict)  # anything else worth keeping with the trial


class Recipe(ABC):
    name: str = ""                # registry name; a vertical's is "<slug>.<name>"
    task: str = ""                # the served task: the bundle manifest's task and its codec
    dataset_kind: str = ""        # the Dataset.kind it trains on
    metric: str = ""              # the metric a study optimises (check() may pick another per dataset)
    direction: str = "maximize"   # or "minimize"
    description: str = ""
    default_params: ClassVar[dict] = {}  # a point of the search space: trial 0 of every study tries it
    warmup_steps: int = 0         # report() steps before the search may prune a trial
    long: bool = False            # trials take minutes to hours: core.trial_long jobs, on the long queue
    # The settings a study fixes (not searched), as the wizard asks for them: name -> {"kind":
    # "column" | "columns" | "number" | "integer" | "text" | "choice", "required", "default",
    # "choices", "help"}; a "column" is one of a table's columns, "columns" several.
    settings: ClassVar[dict] = {}

    @abstractmethod
    def check(self, dataset_version, params: dict) -> dict:
        """Raise django's ValidationError naming what is wrong (the dataset's kind, a missing
        column, too few rows per class, a setting out of range); otherwise return the plan:
        at least {"metric", "direction"}, plus what the study shows about the data."""

    @abstractmethod
    def search_space(self, params: dict) -> dict:
        """name -> {"type": "float"|"int"|"categorical", "low", "high", "log", "choices"}."""

    @abstractmethod
    def train(self, ctx, dataset_version, params: dict, report: Callable[[int, float], bool]) -> TrainResult:
        """Train once with params (the study's settings and this trial's point) in the job
        ctx (core.training.actions.runner.JobContext: workdir, progress, log)."""

    def check_kind(self, dataset_version, what=""):
        """ValidationError unless the dataset is of the kind this recipe trains on; `what`
        says what such a dataset holds."""
        kind = dataset_version.dataset.kind
        if kind != self.dataset_kind:
            from django.core.exceptions import ValidationError

            raise ValidationError({"dataset_version": (
                f"dataset {dataset_version.dataset.name!r} is {kind or 'of no kind'}; the {self.name} recipe "
                f"trains on {self.dataset_kind} datasets" + (f" ({what})" if what else ""))})

    def settle(self, params: dict, *, organisation, acting_user) -> dict:
        """The study's settings made concrete for the organisation that starts it, before
        check() (e.g. "auto" -> the preset version it means now), so every trial trains
        alike; ValidationError when a setting names what the organisation may not use."""
        return params

    def defaults(self, params: dict) -> dict:
        """The point trial 0 tries for a study with these (settled) settings: default_params,
        unless a default depends on a setting (a lower learning rate from a preset, say)."""
        return dict(self.default_params)

    def steps(self, params: dict) -> int:
        """How far a whole trial's report() steps go (for its progress)."""
        return max(1, int(params.get("max_iter") or 1))

    def baseline(self, ctx, dataset_version, params: dict) -> dict | None:
        """A plain model on the same split, shown beside the search: {"model", "metric",
        "value", "metrics"}; None when the recipe has none."""
        return None

    def describe(self) -> dict:
        return {"name": self.name, "task": self.task, "dataset_kind": self.dataset_kind, "metric": self.metric,
                "direction": self.direction, "description": self.description,
                "default_params": dict(self.default_params), "search_space": self.search_space({}),
                "settings": {name: dict(spec) for name, spec in self.settings.items()}}
