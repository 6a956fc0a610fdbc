"""Tabular datasets (CSV or Parquet) as dataset versions. The file is kept as given,
named by its SHA-256; what is checked and summarised goes into the version's stats."""
import io

from django.core.exceptions import ValidationError

from core.hub.actions.artifacts import store_artifact
from core.platform import access
from core.platform.lib import roles

from .datasets import add_version

MAX_COLUMNS = 2000
# Text encodings a CSV may be imported in. UTF-8 is always tried first; GB18030 (a
# superset of GBK and GB2312, what Excel on a Chinese Windows saves) only when asked for,
# since bytes that happen to decode as GB18030 are not proof that they are Chinese text.
ENCODINGS = ("utf-8", "gb18030")


def is_parquet(data: bytes, filename: str) -> bool:
    return (filename or "").lower().endswith(".parquet") or data[:4] == b"PAR1"


def csv_encoding(data: bytes, filename: str, requested: str | None = None) -> str:
    """The encoding to read CSV bytes with: UTF-8 when they decode strictly as UTF-8,
    else GB18030 when they decode cleanly as GB18030 and the caller passed
    encoding=gb18030; anything else is refused with what to do about it."""
    if requested not in (None, "", *ENCODINGS):
        raise ValidationError({"encoding": f"encoding must be one of {', '.join(ENCODINGS)}, not {requested!r}"})
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        data.decode("gb18030")
    except UnicodeDecodeError:
        raise ValidationError({"file": f"{filename}: not UTF-8 text (nor GB18030); re-save it as UTF-8"}) from None
    if requested == "gb18030":
        return "gb18030"
    raise ValidationError({"encoding": f"{filename}: not UTF-8 text; it reads as GB18030/GBK: "
                                       "re-save as UTF-8 or pass encoding=gb18030"})


def read_table(data: bytes, filename: str, encoding: str | None = None):
    """A pandas DataFrame from CSV or Parquet bytes, and its format ("csv" or "parquet")
    and text encoding (None for Parquet); ValidationError names the problem."""
    import pandas as pd

    text_encoding = None
    try:
        if is_parquet(data, filename):
            frame = pd.read_parquet(io.BytesIO(data))
            fmt = "parquet"
        else:
            import csv

            text_encoding = csv_encoding(data, filename, encoding)
            # pandas renames duplicate headers ("a", "a.1"); check the header as written.
            first_line = data.split(b"\n", 1)[0].decode(text_encoding).lstrip("\ufeff")
            header = next(csv.reader(io.StringIO(first_line)), [])
            if len(set(header)) != len(header) or any(not h.strip() for h in header):
                raise ValidationError({"file": f"{filename}: column names must be present and unique"})
            frame = pd.read_csv(io.BytesIO(data), low_memory=False,
                                encoding="utf-8-sig" if text_encoding == "utf-8" else text_encoding)
            fmt = "csv"
    except ValidationError:
        raise
    except UnicodeDecodeError:
        raise ValidationError({"file": f"{filename}: not {text_encoding or 'UTF-8'} text"}) from None
    except Exception as exc:  # pandas raises many parser error types; all mean "not a table"
        raise ValidationError({"file": f"{filename}: not a readable CSV or Parquet table ({exc})"}) from None
    if frame.empty or len(frame.columns) == 0:
        raise ValidationError({"file": f"{filename}: the table has no rows"})
    if len(frame.columns) > MAX_COLUMNS:
        raise ValidationError({"file": f"{filename}: {len(frame.columns)} columns exceed the {MAX_COLUMNS} limit"})
    names = [str(c) for c in frame.columns]
    if len(set(names)) != len(names) or any(n.startswith("Unnamed: ") for n in names):
        raise ValidationError({"file": f"{filename}: column names must be present and unique"})
    return frame, fmt, text_encoding


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


def import_table(data: bytes, *, dataset, filename, acting_user, source="", encoding=None):
    """A new version of a tabular dataset from CSV or Parquet bytes; a CSV's text
    encoding (see csv_encoding) is recorded in the version's stats, and in its source
    when it is not UTF-8, so every later read decodes it the same way."""
    if acting_user is not None and not access.can(acting_user, roles.DEVELOP, dataset.organisation):
        raise PermissionError(f"you may not add data to {dataset.organisation}")
    if dataset.kind != "tabular":
        raise ValidationError({"dataset": f"dataset {dataset.name!r} is {dataset.kind}, not tabular"})
    frame, fmt, text_encoding = read_table(data, filename, encoding)
    stats = describe(frame, fmt)
    if text_encoding:
        stats["encoding"] = text_encoding
    source = source or filename
    if text_encoding not in (None, "utf-8"):
        source = f"{source} (encoding {text_encoding})"
    artifact, _ = store_artifact(io.BytesIO(data), filename=filename, organisation=dataset.organisation,
                                 acting_user=acting_user, content_type="text/csv" if fmt == "csv" else
                                 "application/vnd.apache.parquet")
    return add_version(dataset, artifact=artifact, acting_user=acting_user, num_records=stats["rows"], stats=stats,
                       source=source)


def load_table(dataset_version):
    """The DataFrame of a tabular dataset version, after checking its hash."""
    from core.hub.actions.artifacts import open_verified_path

    path = open_verified_path(dataset_version.artifact)
    frame, _, _ = read_table(path.read_bytes(), dataset_version.artifact.filename or "", _encoding_of(dataset_version))
    return frame


def _encoding_of(dataset_version):
    return ((dataset_version.stats or {}).get("encoding") or None) if isinstance(dataset_version.stats, dict) else None


def read_columns(dataset_version, columns, *, max_rows=1_000_000):
    """The header of a tabular dataset version and the first `max_rows` values of the
    named columns that exist, without reading the rest of the table: what a submission
    check needs (a job is refused at the door, not minutes later in the worker).
    Returns (header, frame of the present columns, truncated)."""
    import pandas as pd
    import pyarrow.parquet as pq

    from core.hub.storage import get_storage

    artifact = dataset_version.artifact
    path = get_storage().local_path(artifact.sha256)  # the worker verifies the hash before training
    name = artifact.filename or ""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4)
        if is_parquet(head, name):
            parquet = pq.ParquetFile(path)
            header = [str(c) for c in parquet.schema_arrow.names]
            wanted = [c for c in columns if c in header]
            frame = parquet.read(columns=wanted).to_pandas() if wanted else pd.DataFrame()
        else:
            encoding = _encoding_of(dataset_version) or "utf-8"
            encoding = "utf-8-sig" if encoding == "utf-8" else encoding
            header = [str(c) for c in pd.read_csv(path, nrows=0, encoding=encoding).columns]
            wanted = [c for c in columns if c in header]
            frame = (pd.read_csv(path, usecols=wanted, nrows=max_rows + 1, encoding=encoding, low_memory=False)
                     if wanted else pd.DataFrame())
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise ValidationError({"dataset_version": f"{dataset_version} cannot be read as a table ({exc})"}) from None
    truncated = len(frame) > max_rows
    return header, frame.iloc[:max_rows], truncated
