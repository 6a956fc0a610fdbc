"""Online scoring of a scorecard deployment: one record or a batch, with reason codes,
through the core predict (the scorecard codec is codecs.py)."""
from core.inference.actions.predict import predict, serving_model

from ..codecs import RecordErrors, ScorecardCodec


def score(deployment, records, *, acting_user):
    task = serving_model(deployment, acting_user).manifest.get("task")
    if task != ScorecardCodec.task:
        raise RecordErrors({"deployment": [f"deployment {deployment.name!r} serves a {task} model, not a scorecard"]},
                           "not a scorecard deployment")
    body = predict(deployment, {"records": records}, acting_user=acting_user)
    body.pop("profile")
    return body
