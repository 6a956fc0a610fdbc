"""Small real tables that ship with scikit-learn (offline), as frames and as tabular
dataset versions, for the recipe and study tests."""
import io

import numpy as np

from core.data.actions.datasets import add_version, create_dataset
from core.data.actions.tables import import_table
from core.hub.actions.artifacts import store_artifact


def binary_frame(rows=240):
    """Breast cancer (malignant / benign), a seeded subset, with a text column of three
    categories that carries some of the signal."""
    from sklearn.datasets import load_breast_cancer

    frame = load_breast_cancer(as_frame=True).frame
    frame = frame.sample(n=rows, random_state=0).reset_index(drop=True)
    frame = frame[[*frame.columns[:8], "target"]].copy()
    frame["diagnosis"] = np.where(frame.pop("target") == 1, "benign", "malignant")
    size = frame["mean radius"]
    frame["size_band"] = np.where(size < 12, "small", np.where(size < 16, "medium", "large"))
    return frame


def multiclass_frame():
    from sklearn.datasets import load_iris

    data = load_iris(as_frame=True)
    frame = data.frame.copy()
    frame["species"] = [str(data.target_names[t]) for t in frame.pop("target")]
    return frame


def regression_frame():
    from sklearn.datasets import load_diabetes

    return load_diabetes(as_frame=True, scaled=False).frame


def table_version(frame, *, organisation, user, name="table", kind="tabular"):
    dataset = create_dataset(name=name, organisation=organisation, kind=kind, acting_user=user)
    if kind != "tabular":  # the same CSV bytes in a dataset of another kind
        artifact, _ = store_artifact(io.BytesIO(frame.to_csv(index=False).encode()), filename=f"{name}.csv",
                                     organisation=organisation, acting_user=user)
        return add_version(dataset, artifact=artifact, acting_user=user, num_records=len(frame))
    return import_table(frame.to_csv(index=False).encode(), dataset=dataset, filename=f"{name}.csv",
                        acting_user=user)


class FakeContext:
    """What a recipe uses of a job's context (core.training.actions.runner.JobContext)."""

    def __init__(self, workdir):
        self.workdir = workdir
        self.lines = []

    def log(self, line):
        self.lines.append(line)

    def progress(self, fraction, message=""):
        self.lines.append(message)
