"""finance.scorecard's submission check (core.training.registry.checked_by): the
parameters and the target column are checked when the job is submitted, so a job on a
column that is not there, or that is not binary, is a 400 naming the parameter instead
of a job that fails minutes later in the worker. The worker checks everything again on
the whole table; this reads only the table's header and its target column, bounded."""
from django.core.exceptions import ValidationError

# Enough rows to see both classes of any realistic table; a larger table is checked on
# its first rows only, and a class missing from them is left for the worker to judge.
MAX_CHECKED_ROWS = 1_000_000


def check_scorecard(params, *, organisation, acting_user):
    from core.data.actions.tables import read_columns
    from core.training.actions.inputs import dataset_version

    from ..lib.scorecard.build import options_of
    from ..lib.scorecard.errors import ScorecardError
    from ..lib.scorecard.target import binary_target

    errors = {}
    for key in ("dataset_version", "target"):
        if params.get(key) in (None, ""):
            errors[key] = "is required"
    target = params.get("target")
    if target not in (None, "") and not isinstance(target, str):
        errors["target"] = "must be a column name"
    try:
        if not 0.05 <= float(params.get("test_size", 0.3)) <= 0.5:
            raise ValueError
    except (TypeError, ValueError):
        errors["test_size"] = "must be a number between 0.05 and 0.5"
    try:
        folds = params.get("cv_folds", 5)
        if isinstance(folds, bool) or not (isinstance(folds, int) or str(folds).strip().isdigit()):
            raise ValueError
        folds = int(folds)
        if not (folds == 0 or 2 <= folds <= 20):
            raise ValueError
    except (TypeError, ValueError):
        errors["cv_folds"] = "must be 0 (no cross-validation) or a whole number from 2 to 20"
    features = params.get("features")
    if features is not None and (not isinstance(features, list) or not all(isinstance(f, str) for f in features)):
        errors["features"] = "must be a list of column names"
        features = None
    options = params.get("options")
    if options is not None and not isinstance(options, dict):
        errors["options"] = "must be a JSON object"
    else:
        try:
            options_of(options)
        except (ScorecardError, TypeError, ValueError) as exc:
            errors["options"] = str(exc)
    if not errors:
        dv = dataset_version(params["dataset_version"], organisation=organisation, acting_user=acting_user)
        header, frame, truncated = read_columns(dv, [target], max_rows=MAX_CHECKED_ROWS)
        if target not in header:
            shown = ", ".join(header[:20]) + (", ..." if len(header) > 20 else "")
            errors["target"] = f"column {target!r} is not in dataset version {dv.pk} (columns: {shown})"
        else:
            try:
                binary_target(frame[target], target, params.get("bad_value"), complete=not truncated)
            except ScorecardError as exc:
                errors["target"] = str(exc)
        absent = [f for f in features or [] if f not in header]
        if absent:
            errors["features"] = f"columns not in dataset version {dv.pk}: {', '.join(absent[:20])}"
    if errors:
        raise ValidationError({"params": [f"{key}: {message}" for key, message in errors.items()]})
