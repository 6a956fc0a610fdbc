"""The scorecard's codec: records in, scores, PDs and reason codes out, each field's
problem named (records[i].field for a batch)."""
from core.inference.codecs import Codec, Decoded, Encoded, json_digest
from core.platform.rest.exceptions import FieldErrors

from .lib.scorecard.errors import ScoringError

MAX_BATCH = 10000


class RecordErrors(FieldErrors):
    """Per-field errors, keyed 'records[i].field' (or 'field' for a single record)."""


class ScorecardCodec(Codec):
    """Inputs: {"records": one record (an object) or a list of them}. Answer: a single
    record's score, pd and reasons at the top level, a batch's under "results". The
    prediction record keeps every score and PD, and reasons for single records (the
    adverse-action case)."""

    task = "scorecard"

    def encode(self, inputs, loaded, config):
        records = inputs.get("records") if isinstance(inputs, dict) else None
        single = isinstance(records, dict)
        if not single and not isinstance(records, list):
            raise RecordErrors({"records": ["send a record (an object) or a list of records"]}, "no records to score")
        batch = [records] if single else records
        if not batch:
            raise RecordErrors({"records": ["send at least one record"]}, "no records to score")
        if len(batch) > MAX_BATCH:
            raise RecordErrors({"records": [f"at most {MAX_BATCH} records per call"]}, "batch too large")
        if not all(isinstance(r, dict) for r in batch):
            raise RecordErrors({"records": ["each record must be a JSON object"]}, "records must be objects")
        return Encoded({"records": batch}, json_digest(batch), {"single": single})

    def refusal(self, exc, encoded):
        if not isinstance(exc, ScoringError):
            return None
        single = encoded.context["single"]
        errors = {field if single else f"records[{i}].{field}": [msg]
                  for i, fields in exc.errors.items() for field, msg in fields.items()}
        return RecordErrors(errors, str(exc))

    def decode(self, outputs, loaded, encoded, config):
        results = outputs["results"]
        kept = results if len(results) == 1 else [{"score": r["score"], "pd": r["pd"]} for r in results]
        answer = dict(results[0]) if encoded.context["single"] else {"results": results}
        return Decoded(answer, {"results": kept, "count": len(results)})


CODECS = [ScorecardCodec()]
