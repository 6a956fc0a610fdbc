"""Online scoring of a scorecard deployment: one record or a batch, with reason codes."""
import hashlib
import json
import time

from core.inference import engine
from core.inference.actions.deployments import record_prediction
from core.inference.actions.predict import serving_model
from core.platform.rest.exceptions import FieldErrors

from ..lib.scorecard.errors import ScoringError

MAX_BATCH = 10000


class RecordErrors(FieldErrors):
    """Per-field errors, keyed 'records[i].field' (or 'field' for a single record)."""


def score(deployment, records, *, acting_user):
    single = isinstance(records, dict)
    batch = [records] if single else list(records)
    if not batch:
        raise RecordErrors({"records": ["send at least one record"]}, "no records to score")
    if len(batch) > MAX_BATCH:
        raise RecordErrors({"records": [f"at most {MAX_BATCH} records per call"]}, "batch too large")
    if not all(isinstance(r, dict) for r in batch):
        raise RecordErrors({"records": ["each record must be a JSON object"]}, "records must be objects")
    loaded = serving_model(deployment, acting_user)
    task = loaded.manifest.get("task")
    if task != "scorecard":
        raise RecordErrors({"deployment": [f"deployment {deployment.name!r} serves a {task} model, not a scorecard"]},
                           "not a scorecard deployment")
    started = time.perf_counter()
    try:
        results = engine.run(loaded, {"records": batch})["results"]
    except ScoringError as exc:
        errors = {f"records[{i}].{field}" if not single else field: [msg]
                  for i, fields in exc.errors.items() for field, msg in fields.items()}
        raise RecordErrors(errors, str(exc)) from None
    latency_ms = round((time.perf_counter() - started) * 1000, 3)
    digest = hashlib.sha256(json.dumps(batch, sort_keys=True, default=str).encode()).hexdigest()
    # Batches keep every score and PD; reasons are kept for single records (the adverse-action case).
    kept = results if len(results) == 1 else [{"score": r["score"], "pd": r["pd"]} for r in results]
    rec = record_prediction(deployment, input_sha256=digest, output={"results": kept, "count": len(results)},
                            latency_ms=latency_ms, acting_user=acting_user)
    mv = deployment.model_version
    body = {"prediction_id": rec.pk, "deployment": deployment.name,
            "model_version": {"id": mv.pk, "model": mv.model.name, "version": mv.version},
            "latency_ms": latency_ms}
    if single:
        body.update(results[0])
    else:
        body["results"] = results
    return body
