"""Table records in, a label with class probabilities (classification) or a value
(regression) out, for models the tabular recipes make (core.training.recipes).

Inputs: {"records": one record (an object of column -> value) or a list of them}; the
columns and categories the model knows are in its manifest's "input"
(core.inference.lib.tabular). Answer: a single record's answer at the top level, a list's
under "results"; every bad field named as records[i].column."""
import numpy as np

from core.platform.rest.exceptions import FieldErrors

from ..lib.tabular import TabularInputError, encode_records
from . import Codec, Decoded, Encoded, json_digest

MAX_RECORDS = 10000


class RecordFieldErrors(FieldErrors):
    """Per-field errors, keyed 'records[i].column' (or 'column' for a single record)."""


class TabularCodec(Codec):
    def __init__(self, task):
        self.task = task

    def encode(self, inputs, loaded, config):
        records = inputs.get("records") if isinstance(inputs, dict) else None
        single = isinstance(records, dict)
        batch = [records] if single else records
        if not isinstance(batch, list) or not batch:
            raise RecordFieldErrors({"records": ["send a record (an object of column: value) or a list of them"]})
        if len(batch) > MAX_RECORDS:
            raise RecordFieldErrors({"records": [f"at most {MAX_RECORDS} records per call"]})
        if not all(isinstance(r, dict) for r in batch):
            raise RecordFieldErrors({"records": ["each record must be a JSON object"]})
        try:
            matrix = encode_records(loaded.manifest["input"], batch)
        except TabularInputError as exc:
            raise RecordFieldErrors({(c if single else f"records[{i}].{c}"): [m] for i, cols in exc.errors.items()
                                     for c, m in cols.items()}) from None
        return Encoded({"X": matrix}, json_digest(batch), {"single": single})

    def decode(self, outputs, loaded, encoded, config):
        scores = np.asarray(outputs["scores"], dtype=np.float64)
        if self.task == "tabular_regression":
            results = [{"value": round(float(v), 6)} for v in scores]
        else:
            labels = loaded.manifest["labels"]
            probs = np.column_stack([1.0 - scores, scores]) if scores.ndim == 1 else scores
            results = [{"label": labels[int(np.argmax(row))],
                        "probabilities": {label: round(float(p), 6) for label, p in zip(labels, row)}}
                       for row in probs]
        answer = dict(results[0]) if encoded.context["single"] else {"results": results}
        # A batch's record keeps each answer, not every class's probability.
        kept = results if len(results) == 1 or self.task == "tabular_regression" else [
            {"label": r["label"], "probability": r["probabilities"][r["label"]]} for r in results]
        return Decoded(answer, {"results": kept, "count": len(results)})


CODECS = [TabularCodec("tabular_classification"), TabularCodec("tabular_regression")]
