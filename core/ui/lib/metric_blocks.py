"""Nested evaluation results as blocks a template can draw: tables and chart payloads
instead of one long JSON dump. Generic on purpose (core knows no domain words): the
shape of the value decides, never its key.

- scalars                               -> rows of a key/value table
- a dict of numbers                     -> a key/value table (and a bar chart)
- a list of dicts, or a dict of dicts   -> a table with one column per key (and a line
                                           chart when two or more columns are numbers)
- a dict of equal-length lists          -> the same table, one column per list
- a list of numbers                     -> a line chart over its index, values listed
- anything else                         -> a titled group of the above, down to MAX_DEPTH
Tables show at most `max_rows` rows; the page keeps the whole value behind a toggle."""
import json
from numbers import Real

MAX_DEPTH = 3
MAX_ROWS = 20
MIN_CHART_POINTS = 3


def is_scalar(value):
    return value is None or isinstance(value, (str, int, float, bool))


def is_number(value):
    return isinstance(value, Real) and not isinstance(value, bool)


def split(metrics):
    """(top-level scalars as sorted (key, value) pairs, the nested rest as blocks)."""
    metrics = metrics or {}
    scalars = [(k, v) for k, v in sorted(metrics.items()) if is_scalar(v)]
    nested = {k: v for k, v in metrics.items() if not is_scalar(v)}
    return scalars, [describe(k, v) for k, v in sorted(nested.items())]


def describe(title, value, *, depth=0, max_rows=MAX_ROWS):
    title = str(title)
    if is_scalar(value):
        return _pairs(title, [(title, value)], max_rows)
    if isinstance(value, dict):
        return _describe_dict(title, value, depth, max_rows)
    if isinstance(value, (list, tuple)):
        return _describe_list(title, list(value), depth, max_rows)
    return _pairs(title, [(title, str(value))], max_rows)


def _describe_dict(title, value, depth, max_rows):
    if not value:
        return _pairs(title, [], max_rows)
    values = list(value.values())
    if all(is_scalar(v) for v in values):
        return _pairs(title, sorted(value.items(), key=lambda kv: str(kv[0])), max_rows)
    if all(isinstance(v, dict) and v and all(is_scalar(x) for x in v.values()) for v in values):
        records = [{"": k, **v} for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))]
        return _records(title, records, max_rows)
    lengths = {len(v) for v in values if isinstance(v, (list, tuple))}
    if len(lengths) == 1 and all(isinstance(v, (list, tuple)) and all(is_scalar(x) for x in v) for v in values):
        n = lengths.pop()
        return _records(title, [{k: value[k][i] for k in value} for i in range(n)], max_rows)
    if depth >= MAX_DEPTH:
        return _pairs(title, [(str(k), _inline(v)) for k, v in value.items()], max_rows)
    items = sorted(value.items(), key=lambda kv: str(kv[0]))
    scalars = [(str(k), v) for k, v in items if is_scalar(v)]
    children = ([_pairs("", scalars, max_rows)] if scalars else []) + [
        describe(k, v, depth=depth + 1, max_rows=max_rows) for k, v in items if not is_scalar(v)]
    return {"kind": "group", "title": title, "children": children}


def _describe_list(title, value, depth, max_rows):
    if value and all(isinstance(v, dict) and all(is_scalar(x) for x in v.values()) for v in value):
        return _records(title, value, max_rows)
    if all(is_scalar(v) for v in value):
        block = {"kind": "values", "title": title, "values": value[:max_rows], "more": max(0, len(value) - max_rows)}
        if len(value) >= MIN_CHART_POINTS and all(is_number(v) for v in value):
            block["chart"] = {"type": "lines", "x": list(range(len(value))), "x_name": "#",
                              "series": [{"name": title, "values": value}]}
        return block
    if depth >= MAX_DEPTH:
        return _pairs(title, [(str(i), _inline(v)) for i, v in enumerate(value)], max_rows)
    return {"kind": "group", "title": title,
            "children": [describe(f"{title}[{i}]", v, depth=depth + 1, max_rows=max_rows) for i, v in enumerate(value)]}


def _pairs(title, rows, max_rows):
    rows = [(str(k), v) for k, v in rows]
    block = {"kind": "pairs", "title": title, "rows": rows[:max_rows], "more": max(0, len(rows) - max_rows)}
    numbers = [(k, v) for k, v in rows if is_number(v)]
    if len(numbers) >= MIN_CHART_POINTS and len(numbers) == len(rows):
        block["chart"] = {"type": "bars", "names": [k for k, _ in numbers], "values": [v for _, v in numbers]}
    return block


def _records(title, records, max_rows):
    # PostgreSQL's JSONB does not keep key order (shorter keys come first), so the order a trainer
    # wrote cannot be relied on: the row label, then the axis, then the rest sorted, on both databases.
    names = {str(k) for r in records for k in r}
    values = {c: [r.get(c, r.get(_key(r, c))) for r in records] for c in names}
    axis = _axis([c for c in sorted(names) if c and _numeric(values[c])], values)
    columns = sorted(names, key=lambda c: (c != "", c != axis, c))
    rows = [[values[c][i] for c in columns] for i in range(len(records))]
    block = {"kind": "records", "title": title, "columns": columns, "rows": rows[:max_rows],
             "more": max(0, len(rows) - max_rows)}
    numeric = [i for i, c in enumerate(columns) if _numeric(values[c])]
    if len(numeric) >= 2 and len(rows) >= MIN_CHART_POINTS:
        x = numeric[0]  # the axis column comes first among the numbers
        block["chart"] = {"type": "lines", "x": [r[x] for r in rows], "x_name": columns[x],
                          "series": [{"name": columns[i], "values": [r[i] for r in rows]} for i in numeric[1:]]}
    elif len(numeric) == 1 and len(rows) >= MIN_CHART_POINTS and columns[0] == "":
        i = numeric[0]  # a dict of dicts with one number each: one bar per key
        block["chart"] = {"type": "bars", "names": [str(r[0]) for r in rows], "values": [r[i] for r in rows]}
    return block


# Generic names a curve is drawn against (no domain words: what any evaluation sweeps).
AXIS_NAMES = ("threshold", "epoch", "step", "iteration", "fpr", "x")


def _numeric(column_values):
    return (bool(column_values) and all(is_number(v) or v is None for v in column_values)
            and any(is_number(v) for v in column_values))


def _axis(numeric_columns, values):
    """The column a curve is drawn against: a conventional axis name, else the first column
    whose values only rise, else the first numeric column."""
    for name in AXIS_NAMES:
        if name in numeric_columns:
            return name
    for c in numeric_columns:
        v = [x for x in values[c] if x is not None]
        if len(v) > 1 and all(a < b for a, b in zip(v, v[1:])):
            return c
    return numeric_columns[0] if numeric_columns else None


def _key(record, column):
    """The record's own key for a column name (keys may be ints in stored JSON)."""
    return next((k for k in record if str(k) == column), column)


def _inline(value):
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
