"""Columns that look like identifiers or free text are kept out of a scorecard by default.

Such a column bins into many tiny groups, each almost pure good or bad on the training
rows, so its IV is huge (a customer-id column once took IV 5.17) and the holdout falls
apart. A column listed in options['keep'] is used anyway."""
from __future__ import annotations

import pandas as pd

from .errors import ScorecardError


def near_unique_reason(col: pd.Series, *, max_distinct: int, max_distinct_ratio: float) -> str | None:
    """Why a feature column is excluded as an identifier or free text, or None.

    Text (non-numeric) columns: ``max_distinct`` or more distinct values, or distinct
    values per non-missing row of ``max_distinct_ratio`` or more. Numeric columns are
    binned on their order, so a continuous amount with mostly distinct values is fine:
    only whole numbers that are all distinct (a running id) are excluded."""
    present = col.dropna()
    if len(present) < 2:
        return None
    distinct = int(present.nunique())
    ratio = distinct / len(present)
    if pd.api.types.is_numeric_dtype(present) and not pd.api.types.is_bool_dtype(present):
        whole = bool((present.astype(float) % 1 == 0).all())
        if whole and distinct == len(present) and distinct > 2:
            return f"identifier: every one of its {distinct} whole-number values is distinct"
        return None
    if distinct >= max_distinct:
        return f"free text or identifier: {distinct} distinct values (>= max_distinct {max_distinct})"
    if ratio >= max_distinct_ratio and distinct > 2:
        return (f"free text or identifier: {distinct} distinct values in {len(present)} rows "
                f"(ratio {ratio:.2f} >= max_distinct_ratio {max_distinct_ratio:g})")
    return None


def too_good_reason(iv: float, *, max_iv: float | None) -> str | None:
    """An IV above max_iv is almost never real predictive power: a leak of the target or a
    column that names the row."""
    if max_iv is not None and iv > max_iv:
        return f"IV {iv:.4f} > max_iv {max_iv:g}: too good to be true (a leak of the target or an identifier)"
    return None


def screen(df: pd.DataFrame, features, opts: dict) -> dict[str, str]:
    """{column: reason} for the features excluded as identifiers or free text, except
    those in opts['keep']."""
    unknown = sorted(set(opts["keep"]) - set(map(str, df.columns)))
    if unknown:
        raise ScorecardError(f"keep names columns not in the table: {unknown}")
    reasons = {}
    for name in features:
        if name in opts["keep"]:
            continue
        reason = near_unique_reason(df[name], max_distinct=opts["max_distinct"],
                                    max_distinct_ratio=opts["max_distinct_ratio"])
        if reason:
            reasons[name] = f"{reason}; pass options.keep=[{name!r}] to use it anyway"
    return reasons
