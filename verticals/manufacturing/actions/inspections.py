"""Inspecting a part: the station's model (and contrast guard) on one image, and the verdict kept with it."""
import io

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.hub.actions.artifacts import store_artifact
from core.inference.actions.predict import predict
from core.inference.codecs.detection import decode_image

from ..lib.verdict import decide, guard_marks
from ..models import Inspection

MAX_IMAGE_BYTES = 20 * 1024 * 1024


def inspect(station, data: bytes, *, acting_user, source="", truth=""):
    """Run the station's deployment on one image and decide pass/reject. `truth` is for
    images whose ground truth is known when they are inspected (test pieces, the demo)."""
    if len(data) > MAX_IMAGE_BYTES:
        raise ValidationError({"image": f"image exceeds {MAX_IMAGE_BYTES} bytes"})
    if truth and truth not in Inspection.Truth.values:
        raise ValidationError({"truth": f"truth must be one of {', '.join(Inspection.Truth.values)}"})
    image = decode_image(data) if station.guard_level is not None else None
    result = predict(station.deployment, {"image": data, "decoded": image}, acting_user=acting_user)
    marks = []
    if image is not None:
        # classic_qc loads OpenCV: on first use, since Django startup must not (tests/test_setup_imports.py).
        from ..lib import classic_qc

        marks = guard_marks(classic_qc.anomalies(image, station.guard_level))
    verdict, defects, counts, max_score = decide(result["detections"], station.reject_threshold, marks)
    with transaction.atomic():
        # The image is kept (once, by hash) so the verdict can be shown and audited later.
        artifact, _ = store_artifact(io.BytesIO(data), filename=source[-200:] or "inspection.png",
                                     organisation=station.organisation, acting_user=None,
                                     content_type="image/png")
        inspection = Inspection.objects.create(
            station=station, prediction_id=result["prediction_id"], model_version_id=result["model_version"]["id"],
            image=artifact, image_width=result["image"]["width"], image_height=result["image"]["height"],
            verdict=verdict, threshold=station.reject_threshold, guard_level=station.guard_level, max_score=max_score, defects=defects,
            defect_counts=counts, source=source[:200], inspected_by=acting_user if acting_user and
            acting_user.is_authenticated else None,
            truth=truth, reviewed_at=timezone.now() if truth else None)
    return inspection, result
