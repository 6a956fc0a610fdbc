"""Which unlabelled samples to label next (active learning), by the strategies of
scikit-activeml: the uncertainty of a model's class probabilities (least confidence, margin,
entropy), diversity in a feature or embedding space (core-set, TypiClust), uncertainty and
diversity mixed, and random as the baseline. No Django: a round's job gives it the pool's
features, which samples are labelled, and the current model's probabilities.

The mix ("uncertain_diverse"): the most uncertain `pre_factor` x batch by entropy, then a
core-set pick among them, so one batch does not spend itself on near-duplicates of one hard case."""
from __future__ import annotations

import numpy as np

STRATEGIES = ("random", "least_confidence", "margin", "entropy", "coreset", "typiclust", "uncertain_diverse")
_UNCERTAINTY = {"least_confidence": "least_confident", "margin": "margin_sampling", "entropy": "entropy"}


class StrategyError(ValueError):
    pass


def uncertainty(probas, method) -> np.ndarray:
    """The utility of each row of class probabilities under `method` (higher: ask first)."""
    from skactiveml.pool import uncertainty_scores

    if method not in _UNCERTAINTY:
        raise StrategyError(f"uncertainty method must be one of {', '.join(_UNCERTAINTY)}, got {method!r}")
    probas = np.asarray(probas, dtype=float)
    if probas.ndim != 2 or probas.shape[1] < 2:
        raise StrategyError("probabilities are one row per sample, one column per class (two or more)")
    return np.asarray(uncertainty_scores(probas, method=_UNCERTAINTY[method]), dtype=float)


def query(strategy, *, features, labelled, batch_size, probas=None, seed=0, pre_factor=5) -> list[int]:
    """Indices (into `features`' rows) of the next `batch_size` samples to label, none of them
    already labelled. `labelled`: a boolean mask or indices; `probas`: the current model's class
    probabilities for every row (needed by the uncertainty strategies and the mix)."""
    if strategy not in STRATEGIES:
        raise StrategyError(f"strategy must be one of {', '.join(STRATEGIES)}, got {strategy!r}")
    X = np.asarray(features, dtype=float)
    n = len(X)
    mask = np.zeros(n, dtype=bool)
    index = np.asarray(labelled)
    if index.dtype == bool:
        mask[:] = index
    else:
        mask[index.astype(int)] = True
    pool = np.flatnonzero(~mask)
    k = min(int(batch_size), len(pool))
    if k <= 0:
        return []
    rng = np.random.default_rng(seed)
    if strategy == "random":
        return sorted(rng.choice(pool, size=k, replace=False).tolist())
    if strategy in _UNCERTAINTY or strategy == "uncertain_diverse":
        if probas is None or len(probas) != n:
            raise StrategyError(f"{strategy} needs the model's probabilities for all {n} samples")
        scores = uncertainty(probas, "entropy" if strategy == "uncertain_diverse" else strategy)[pool]
        order = pool[np.lexsort((rng.random(len(pool)), -scores))]  # ties broken at random, not by position
        if strategy != "uncertain_diverse":
            return sorted(order[:k].tolist())
        candidates = order[:max(k, int(pre_factor) * k)]
        return _diverse("coreset", X, mask, k, seed, candidates)
    return _diverse(strategy, X, mask, k, seed, pool)


def _diverse(strategy, X, mask, k, seed, candidates):
    from skactiveml.pool import CoreSet, TypiClust

    y = np.full(len(X), np.nan)
    y[mask] = 0  # the strategies read only which samples are labelled
    if strategy == "coreset":
        qs = CoreSet(random_state=seed)
    else:
        qs = TypiClust(random_state=seed, cluster_algo_dict={"n_init": 3})
    picked = qs.query(X, y, candidates=np.asarray(candidates, dtype=int), batch_size=k)
    return sorted(int(i) for i in picked)
