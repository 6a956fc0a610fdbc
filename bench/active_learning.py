"""Active learning, simulated: the annotator is the ground truth the benchmark hides. For each
dataset, seed and strategy (core.data.lib.active, i.e. scikit-activeml), start from a few
labelled samples, train, ask the strategy for the next batch, reveal its labels, and repeat;
score every round on a held-out test split the strategies never see. Prints learning curves
and the share of the pool's labels each strategy needs to reach 99% of the full-label score,
and its ratio to random (the baseline, measured in the same run).

    .venv/bin/python bench/active_learning.py [--datasets digits,credit] [--seeds 0,1,2] [--quick]

digits: scikit-learn's 1,797 8x8 handwritten digits (real images shipped in its wheel), raw
pixels, logistic regression, accuracy. credit: modeldata's CreditScoring (4,454 applicants,
the finance vertical's table), one-hot + scaled, logistic regression, ROC AUC.
Goal (issue 20): 99% of the full-label metric with <= 30% of the labels on an image task,
beating random and entropy there. Detection is not run here yet (each round is a detector
training); see bench/README. Each curve runs on past the table's budget until it reaches the
target, so random's share is measured too (the pool is 70% of the data; the test 30%)."""
import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.data.lib.active import STRATEGIES, query  # noqa: E402  (pure: no Django)

TARGET = 0.99


def digits(seed):
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    X, y = load_digits(return_X_y=True)
    X = X / 16.0
    Xp, Xt, yp, yt = train_test_split(X, y, test_size=0.3, random_state=seed, stratify=y)
    return Xp, yp, Xt, yt, "accuracy", {"init": 20, "batch": 20, "budget": 0.5}


def credit(seed):
    import pandas as pd
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    from verticals.finance.lib.datasets import load_credit_data

    frame = load_credit_data().dropna()
    y = frame.pop("Status").astype(int).to_numpy()
    X = pd.get_dummies(frame, drop_first=True).astype(float).to_numpy()
    Xp, Xt, yp, yt = train_test_split(X, y, test_size=0.3, random_state=seed, stratify=y)
    scaler = StandardScaler().fit(Xp)  # unsupervised: fitting it on the pool reveals no label
    return scaler.transform(Xp), yp, scaler.transform(Xt), yt, "auc", {"init": 40, "batch": 40, "budget": 0.5}


DATASETS = {"digits": digits, "credit": credit}


def model(seed):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(max_iter=2000, C=1.0, random_state=seed)


def score(clf, X, y, metric):
    from sklearn.metrics import roc_auc_score

    if metric == "auc":
        return roc_auc_score(y, clf.predict_proba(X)[:, 1])
    return float((clf.predict(X) == y).mean())


def initial(y, n, rng):
    """n labelled samples to start from, at least one of every class (a team starts with some of each)."""
    classes = np.unique(y)
    first = [rng.choice(np.flatnonzero(y == c)) for c in classes]
    rest = rng.choice(np.setdiff1d(np.arange(len(y)), first), size=max(0, n - len(first)), replace=False)
    return np.concatenate([first, rest]).astype(int)


def run_curve(strategy, Xp, yp, Xt, yt, metric, cfg, seed, full):
    """The learning curve up to the table's budget, and on until the target is reached (or the
    pool is used up), so every strategy's share is measured, random's included."""
    rng = np.random.default_rng(seed)
    labelled = np.zeros(len(yp), dtype=bool)
    labelled[initial(yp, cfg["init"], rng)] = True
    budget = int(cfg["budget"] * len(yp))
    curve = []
    while True:
        clf = model(seed).fit(Xp[labelled], yp[labelled])
        curve.append((int(labelled.sum()), score(clf, Xt, yt, metric)))
        reached = any(v >= TARGET * full for _, v in curve)
        if (labelled.sum() >= budget and reached) or labelled.all():
            return curve
        probas = clf.predict_proba(Xp)
        if probas.shape[1] < len(np.unique(yp)):  # a class not seen yet: pad (never with init above)
            raise RuntimeError("the initial set must hold every class")
        picked = query(strategy, features=Xp, labelled=labelled, batch_size=cfg["batch"], probas=probas,
                       seed=seed * 1000 + len(curve))
        labelled[picked] = True


def needed(curve, full, pool):
    """The share of the pool labelled when the score first reaches TARGET of the full-label score."""
    for n, s in curve:
        if s >= TARGET * full:
            return n / pool
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", default="digits,credit")
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--strategies", default=",".join(STRATEGIES))
    parser.add_argument("--quick", action="store_true", help="one seed, digits only")
    args = parser.parse_args()
    names = ["digits"] if args.quick else [d for d in args.datasets.split(",") if d]
    seeds = [0] if args.quick else [int(s) for s in args.seeds.split(",")]
    strategies = [s for s in args.strategies.split(",") if s]
    for s in strategies:
        if s not in STRATEGIES:
            parser.error(f"unknown strategy {s!r}; strategies: {', '.join(STRATEGIES)}")
    print(f"machine: {os.cpu_count()} CPUs; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    started = time.perf_counter()
    for name in names:
        results = {s: [] for s in strategies}
        curves = {s: [] for s in strategies}
        fulls = []
        for seed in seeds:
            Xp, yp, Xt, yt, metric, cfg = DATASETS[name](seed)
            full = score(model(seed).fit(Xp, yp), Xt, yt, metric)
            fulls.append(full)
            for s in strategies:
                curve = run_curve(s, Xp, yp, Xt, yt, metric, cfg, seed, full)
                curves[s].append(curve)
                results[s].append(needed(curve, full, len(yp)))
        print(f"\n== {name}: pool {len(yp)}, test {len(yt)}, {metric}; full-label {metric} "
              f"{' '.join(f'{f:.4f}' for f in fulls)} (seeds {', '.join(map(str, seeds))}); start {cfg['init']}, "
              f"batch {cfg['batch']}, up to {cfg['budget']:.0%} of the pool")
        print("  learning curve (mean over seeds) at shares of the pool:")
        marks = [n for n in sorted({n for c in curves[strategies[0]] for n, _ in c})
                 if n <= cfg["budget"] * len(yp)][::2]
        header = "  strategy            " + "".join(f"{m / len(yp):>7.0%}" for m in marks)
        print(header)
        for s in strategies:
            row = []
            for m in marks:
                vals = [dict(c).get(m) for c in curves[s]]
                vals = [v for v in vals if v is not None]
                row.append(f"{np.mean(vals):7.3f}" if vals else "      -")
            print(f"  {s:<19} " + "".join(row))
        print(f"  share of the pool's labels to reach {TARGET:.0%} of the full-label {metric} (per seed; mean; vs random):")
        base = results.get("random")
        base_mean = np.mean([r for r in base if r is not None]) if base and all(r is not None for r in base) else None
        for s in strategies:
            got = results[s]
            text = " ".join("  n/a" if r is None else f"{r:5.1%}" for r in got)
            mean = np.mean(got) if all(r is not None for r in got) else None
            ratio = f"{mean / base_mean:5.2f}x random" if mean is not None and base_mean else ""
            print(f"  {s:<19} {text}   mean {'   n/a' if mean is None else f'{mean:6.1%}'}  {ratio}")
        best = min((s for s in strategies if all(r is not None for r in results[s])),
                   key=lambda s: np.mean(results[s]), default=None)
        if best is not None and name == "digits":
            share = np.mean(results[best])
            ent = results.get("entropy")
            beats = (base_mean is not None and share < base_mean
                     and ent is not None and all(r is not None for r in ent) and share < np.mean(ent))
            print(f"  goal (image task): {TARGET:.0%} of full with <= 30% of labels, beating random and entropy: "
                  f"best {best} {share:.1%} -> {'PASS' if share <= 0.30 and beats else 'MISS'}")
    print(f"\nrun took {time.perf_counter() - started:.0f} s; load average at the end "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
