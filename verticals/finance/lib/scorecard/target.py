"""The scorecard's target: one column with exactly two values, 1 = bad. Shared by the
training build and the submission check (which sees only the first rows of a large
table, so it cannot tell that a class is absent: ``complete=False``)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import ScorecardError


def binary_target(col: pd.Series, name: str, bad_value=None, *, complete: bool = True) -> np.ndarray:
    """The target as 0/1 (1 = bad). Numeric 0/1 (or booleans) as they are; any other two
    values when ``bad_value`` names which of them is bad. ScorecardError says what is wrong."""
    missing = int(col.isna().sum())
    if missing:
        raise ScorecardError(f"target column {name!r} has {missing} missing values")
    values = pd.unique(col)
    seen = sorted(map(str, values.tolist()))
    if len(values) > 2:
        raise ScorecardError(f"target column {name!r} must be binary (two values, 1 = bad); "
                             f"found {len(values)} values: {', '.join(seen[:5])}{', ...' if len(seen) > 5 else ''}")
    if bad_value is not None:
        if str(bad_value) not in seen and complete:
            raise ScorecardError(f"bad_value {bad_value!r} is not a value of target column {name!r} "
                                 f"(found {', '.join(seen)})")
        y = (col.astype(str) == str(bad_value)).astype(int).to_numpy()
    else:
        if not set(values.tolist()) <= {0, 1, True, False}:
            raise ScorecardError(f"target column {name!r} must be binary 0/1 (1 = bad), found {', '.join(seen)}; "
                                 f"name the bad value with bad_value to map it")
        y = col.astype(int).to_numpy()
    if complete and (y.sum() == 0 or y.sum() == len(y)):
        only = "bads (1)" if y.sum() else "goods (0)"
        raise ScorecardError(f"target column {name!r} needs both goods (0) and bads (1); it has only {only}")
    return y
