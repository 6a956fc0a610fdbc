"""The hyper-parameter search: Optuna's TPE sampler and median pruner, run on an
in-memory Optuna study rebuilt from the platform's own trial records each time it is
asked. The platform's database stays the one store (SQLite or PostgreSQL alike, no
second schema to migrate), and any worker can ask, since nothing lives in a process.
Pure: optuna, no Django; optuna is imported when asked (it costs the web process a second).

A search space is declarative: name -> {"type": "float"|"int"|"categorical", "low",
"high", "log", "choices"}. A trial is a dict: number, params, status (queued, running,
complete, pruned, failed, cancelled), value, intermediate ({step: value})."""
from collections.abc import Mapping, Sequence

TYPES = ("float", "int", "categorical")
DIRECTIONS = ("maximize", "minimize")
# Pruning starts once two trials completed (so the default trial, number 0, always runs to
# its end), and not before a trial's steps pass the recipe's warm-up: an early curve says little.
STARTUP_TRIALS = 2
_STATES = {"complete": "COMPLETE", "pruned": "PRUNED", "failed": "FAIL", "cancelled": "FAIL",
           "running": "RUNNING", "queued": "RUNNING"}


class SpaceError(ValueError):
    pass


def check_space(space: Mapping):
    """SpaceError unless `space` is declarative as above (without importing optuna)."""
    if not isinstance(space, Mapping):
        raise SpaceError("a search space is an object of name -> dimension")
    for name, spec in space.items():
        kind = spec.get("type") if isinstance(spec, Mapping) else None
        if kind not in TYPES:
            raise SpaceError(f"search space entry {name!r}: type must be one of {', '.join(TYPES)}, not {kind!r}")
        if kind == "categorical":
            if not isinstance(spec.get("choices"), (list, tuple)) or not spec["choices"]:
                raise SpaceError(f"search space entry {name!r}: choices must be a non-empty list")
            continue
        low, high = spec.get("low"), spec.get("high")
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (low, high)) or low > high:
            raise SpaceError(f"search space entry {name!r}: low and high must be numbers, low <= high")
        if spec.get("log") and low <= 0:
            raise SpaceError(f"search space entry {name!r}: a log scale needs low > 0")


def distributions(space: Mapping) -> dict:
    from optuna.distributions import (
        CategoricalDistribution,
        FloatDistribution,
        IntDistribution,
    )

    check_space(space)
    out = {}
    for name, spec in space.items():
        if spec["type"] == "float":
            out[name] = FloatDistribution(float(spec["low"]), float(spec["high"]), log=bool(spec.get("log")))
        elif spec["type"] == "int":
            out[name] = IntDistribution(int(spec["low"]), int(spec["high"]), log=bool(spec.get("log")))
        else:
            out[name] = CategoricalDistribution(list(spec["choices"]))
    return out


def unfixed(space: Mapping, params) -> dict:
    """The space without the hyper-parameters a study fixes in its params: those are not searched."""
    return {name: dict(spec) for name, spec in space.items() if name not in (params or {})}


def fixed_value_errors(space: Mapping, params) -> list[str]:
    """One message per hyper-parameter params fixes at a value outside its dimension."""
    errors = []
    for name, spec in space.items():
        if name in params and not contains(space, name, params[name]):
            where = (f"be one of {', '.join(map(str, spec['choices']))}" if spec["type"] == "categorical"
                     else f"lie in {spec['low']}..{spec['high']}")
            errors.append(f"{name}: a fixed value must {where}")
    return errors


def contains(space: Mapping, name: str, value) -> bool:
    """Whether `value` is a point of the space's dimension `name`."""
    dist = distributions({name: space[name]})[name]
    try:
        return bool(dist._contains(dist.to_internal_repr(value)))
    except (TypeError, ValueError):
        return False


def _frozen(trial: Mapping, dists: dict):
    from optuna.trial import TrialState, create_trial

    params = {k: v for k, v in (trial.get("params") or {}).items() if k in dists}
    if set(params) != set(dists) or not all(dists[k]._contains(dists[k].to_internal_repr(v))
                                            for k, v in params.items()):
        return None  # tried in another space (a changed recipe): the sampler cannot learn from it
    state = TrialState[_STATES[trial["status"]]]
    value = trial.get("value") if state == TrialState.COMPLETE else None
    if state == TrialState.COMPLETE and value is None:
        return None
    steps = {int(k): float(v) for k, v in (trial.get("intermediate") or {}).items() if v is not None}
    return create_trial(state=state, value=value, params=params, distributions=dists, intermediate_values=steps)


def rebuild(trials: Sequence[Mapping], space: Mapping, direction: str, seed: int, warmup_steps: int = 0):
    """An in-memory Optuna study holding `trials`; its sampler is seeded by the seed and the
    number of trials, so the same records always propose the same next point."""
    import optuna

    if direction not in DIRECTIONS:
        raise SpaceError(f"direction must be one of {', '.join(DIRECTIONS)}")
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    # constant_liar: trials still running count as bad guesses, so parallel asks spread out.
    sampler = optuna.samplers.TPESampler(seed=int(seed) + len(trials), constant_liar=True)
    study = optuna.create_study(direction=direction, sampler=sampler, pruner=optuna.pruners.MedianPruner(
        n_startup_trials=STARTUP_TRIALS, n_warmup_steps=int(warmup_steps)))
    dists = distributions(space)
    for trial in sorted(trials, key=lambda t: t["number"]):
        frozen = _frozen(trial, dists)
        if frozen is not None:
            study.add_trial(frozen)
    return study


def next_params(trials: Sequence[Mapping], space: Mapping, direction: str, seed: int) -> dict:
    """The point TPE proposes after `trials`."""
    if not space:
        return {}
    return dict(rebuild(trials, space, direction, seed).ask(distributions(space)).params)


def should_prune(trials: Sequence[Mapping], current: Mapping, space: Mapping, direction: str,
                 warmup_steps: int = 0) -> bool:
    """Whether the median pruner gives up on `current` (a running trial with its
    intermediate values so far) against the other trials: its latest value is worse than
    the median of the completed trials' values at the same step."""
    others = [t for t in trials if t["number"] != current["number"]]
    study = rebuild(others, space, direction, 0, warmup_steps)
    frozen = _frozen({**current, "status": "running"}, distributions(space))
    if frozen is None or not frozen.intermediate_values:
        return False
    frozen.number = len(study.trials)
    return bool(study.pruner.prune(study, frozen))
