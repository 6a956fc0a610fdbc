"""Stream runs: one pass of the structuring pipeline over a camera, its structured records,
and at the end its one PredictionRecord (written once, complete, by the core action) to
which the run's events are tied.

The run's events are raised while it streams (an operator must not wait for a live stream
to end), so they cannot point at a record that does not exist yet: they are tied to it in
the transaction that writes it. The PredictionRecord itself is never rewritten."""
from django.db import transaction
from django.utils import timezone

from core.inference.actions.deployments import record_prediction

from ..models import Event, StreamRun, TrackRecord

RECORD_BATCH = 500
RUN_FIGURES = ("frames_read", "decode_errors", "frames_analysed", "tracks", "events", "fps", "outcome", "message")


def start_stream_run(camera) -> StreamRun:
    deployment = camera.deployment
    return StreamRun.objects.create(camera=camera,
                                    model_version=deployment.model_version if deployment else None)


def store_track_records(records: list[TrackRecord]):
    if records:
        TrackRecord.objects.bulk_create(records, batch_size=RECORD_BATCH)


def finish_stream_run(run, *, figures: dict, deployment=None, prediction: dict | None = None, event_ids=(),
                      acting_user=None):
    """Close the run with its figures; with `prediction` ({"input_sha256", "output",
    "latency_ms"}) record the deployment's PredictionRecord and tie the run's events to it.
    Returns (run, the PredictionRecord or None)."""
    unknown = sorted(set(figures) - set(RUN_FIGURES))
    if unknown:
        raise ValueError(f"unknown stream run figures: {', '.join(unknown)}")
    rec = None
    with transaction.atomic():
        run.finished_at = timezone.now()
        for name, value in figures.items():
            setattr(run, name, value)
        run.save(update_fields=["finished_at", *figures])
        if deployment is not None and prediction is not None:
            rec = record_prediction(deployment, input_sha256=prediction["input_sha256"], output=prediction["output"],
                                    latency_ms=prediction["latency_ms"], acting_user=acting_user)
            if event_ids:
                Event.objects.filter(pk__in=list(event_ids), prediction__isnull=True).update(prediction=rec)
    return run, rec
