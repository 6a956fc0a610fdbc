"""Tabular datasets (CSV or Parquet) as dataset versions. The file is kept as given,
named by its SHA-256; what is checked and summarised goes into the version's stats."""
import io

from django.core.exceptions import ValidationError

from core.hub.actions.artifacts import store_artifact
from core.platform import access
from core.platform.lib import roles

from .datasets import add_version

MAX_COLUMNS = 2000


def read_table(data: bytes, filename: str):
    """A pandas DataFrame from CSV or Parquet bytes; ValidationError names the problem."""
    import pandas as pd

    name = (filename or "").lower()
    try:
        if name.endswith(".parquet") or data[:4] == b"PAR1":
            frame = pd.read_parquet(io.BytesIO(data))
            fmt = "parquet"
        else:
            import csv

            # pandas renames duplicate headers ("a", "a.1"); check the header as written.
            header = next(csv.reader(io.StringIO(data.split(b"\n", 1)[0].decode("utf-8"))), [])
            if len(set(header)) != len(header) or any(not h.strip() for h in header):
                raise ValidationError({"file": f"{filename}: column names must be present and unique"})
            frame = pd.read_csv(io.BytesIO(data), low_memory=False)
            fmt = "csv"
    except ValidationError:
        raise
    except UnicodeDecodeError:
        raise ValidationError({"file": f"{filename}: not UTF-8 text"}) from None
    except Exception as exc:  # pandas raises many parser error types; all mean "not a table"
        raise ValidationError({"file": f"{filename}: not a readable CSV or Parquet table ({exc})"}) from None
    if frame.empty or len(frame.columns) == 0:
        raise ValidationError({"file": f"{filename}: the table has no rows"})
    if len(frame.columns) > MAX_COLUMNS:
        raise ValidationError({"file": f"{filename}: {len(frame.columns)} columns exceed the {MAX_COLUMNS} limit"})
    names = [str(c) for c in frame.columns]
    if len(set(names)) != len(names) or any(n.startswith("Unnamed: ") for n in names):
        raise ValidationError({"file": f"{filename}: column names must be present and unique"})
    return frame, fmt


def describe(frame, fmt):
    columns = {}
    for name in frame.columns:
        s = frame[name]
        col = {"dtype": str(s.dtype), "missing": int(s.isna().sum())}
        if s.dtype.kind in "if":
            col.update({"min": float(s.min()) if s.notna().any() else None,
                        "max": float(s.max()) if s.notna().any() else None})
        else:
            col["distinct"] = int(s.nunique())
        columns[str(name)] = col
    return {"format": fmt, "rows": int(len(frame)), "columns": columns}


def import_table(data: bytes, *, dataset, filename, acting_user, source=""):
    if acting_user is not None and not access.can(acting_user, roles.DEVELOP, dataset.organisation):
        raise PermissionError(f"you may not add data to {dataset.organisation}")
    if dataset.kind != "tabular":
        raise ValidationError({"dataset": f"dataset {dataset.name!r} is {dataset.kind}, not tabular"})
    frame, fmt = read_table(data, filename)
    stats = describe(frame, fmt)
    artifact, _ = store_artifact(io.BytesIO(data), filename=filename, organisation=dataset.organisation,
                                 acting_user=acting_user, content_type="text/csv" if fmt == "csv" else
                                 "application/vnd.apache.parquet")
    return add_version(dataset, artifact=artifact, acting_user=acting_user, num_records=stats["rows"], stats=stats,
                       source=source or filename)


def load_table(dataset_version):
    """The DataFrame of a tabular dataset version, after checking its hash."""
    from core.hub.actions.artifacts import open_verified_path

    path = open_verified_path(dataset_version.artifact)
    frame, _ = read_table(path.read_bytes(), dataset_version.artifact.filename or "")
    return frame
