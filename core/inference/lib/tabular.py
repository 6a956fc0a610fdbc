"""A table's columns as a model's number matrix, the same way in training and serving.
Pure: numpy and pandas.

The schema travels in the model bundle's manifest ("input"):
    {"columns": [names, in the matrix's order],
     "categorical": {name: [categories, as text, in code order]},
     "dropped": {name: why it was left out}}
A numeric column is its numbers; a categorical column is the position of its value in the
stored category list (ordinal codes; trees split on them like numbers). A missing value,
and a category the training data never had, become NaN, which the trees route as
missing. A record naming a column the model does not know is refused, so a typo in a
column name is never silently scored as a missing value."""
from collections.abc import Mapping, Sequence

import numpy as np

# A text column with more distinct values than this is an identifier or free text, not a
# category: it is left out (and the schema says why).
MAX_CATEGORIES = 1000


class TabularInputError(ValueError):
    """Bad records: errors maps a record's index to {column: message}."""

    def __init__(self, errors: dict, message: str = ""):
        self.errors = errors
        super().__init__(message or "; ".join(f"records[{i}].{col}: {msg}" for i, cols in errors.items()
                                              for col, msg in cols.items()))


def fit_schema(frame, target: str, features: Sequence[str] | None = None) -> dict:
    """The schema of `frame`'s feature columns (all but the target unless named)."""
    names = [str(c) for c in (features if features is not None else frame.columns) if str(c) != target]
    columns, categorical, dropped = [], {}, {}
    for name in names:
        series = frame[name]
        if series.dtype.kind in "biuf":
            columns.append(name)
            continue
        values = series.dropna().astype(str)
        distinct = sorted(values.unique())
        if not distinct:
            dropped[name] = "no values"
        elif len(distinct) > MAX_CATEGORIES:
            dropped[name] = f"{len(distinct)} distinct texts: an identifier or free text, not a category"
        else:
            columns.append(name)
            categorical[name] = distinct
    return {"columns": columns, "categorical": categorical, "dropped": dropped}


def encode_frame(schema: Mapping, frame) -> np.ndarray:
    """[rows, columns] float64 of a DataFrame holding every schema column."""
    import pandas as pd

    out = np.empty((len(frame), len(schema["columns"])), dtype=np.float64)
    for j, name in enumerate(schema["columns"]):
        series = frame[name]
        cats = schema["categorical"].get(name)
        if cats is None:
            out[:, j] = pd.to_numeric(series, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
        else:
            lookup = {c: float(i) for i, c in enumerate(cats)}
            out[:, j] = [np.nan if _missing(v) else lookup.get(str(v), np.nan) for v in series.tolist()]
    return out


def encode_records(schema: Mapping, records: Sequence[Mapping]) -> np.ndarray:
    """[records, columns] float64 of JSON records; TabularInputError names each bad field.
    A column a record leaves out is a missing value."""
    known = schema["columns"]
    position = {name: j for j, name in enumerate(known)}
    lookups = {name: {c: float(i) for i, c in enumerate(cats)} for name, cats in schema["categorical"].items()}
    out = np.full((len(records), len(known)), np.nan, dtype=np.float64)
    errors = {}
    for i, record in enumerate(records):
        for name, value in record.items():
            j = position.get(name)
            if j is None:
                errors.setdefault(i, {})[name] = _unknown(name, schema)
            elif _missing(value):
                continue
            elif name in lookups:
                out[i, j] = lookups[name].get(_as_category(value), np.nan)
            elif isinstance(value, bool) or not isinstance(value, (int, float)):
                errors.setdefault(i, {})[name] = f"expected a number, got {type(value).__name__}"
            elif not np.isfinite(value):
                errors.setdefault(i, {})[name] = "expected a finite number"
            else:
                out[i, j] = float(value)
    if errors:
        raise TabularInputError(errors)
    return out


def _unknown(name, schema):
    if name in schema.get("dropped", {}):
        return f"column left out in training ({schema['dropped'][name]}); remove it"
    shown = ", ".join(schema["columns"][:30]) + (", ..." if len(schema["columns"]) > 30 else "")
    return f"unknown column; the model takes: {shown}"


def _missing(value):
    return value is None or (isinstance(value, float) and np.isnan(value))


def _as_category(value):
    # A CSV read "3" in a text column as the text "3"; a JSON client may send the number.
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
