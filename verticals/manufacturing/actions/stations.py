"""Every write of the manufacturing vertical: stations, inspections, reviews."""
import io

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.hub.actions.artifacts import store_artifact
from core.inference.actions.predict import predict_image
from core.inference.tasks.detection import decode_image
from core.platform import access
from core.platform.actions.audit import record
from core.platform.lib import roles

from .lib.verdict import MAX_GUARD_LEVEL, decide, guard_marks
from .models import Inspection, Station

MAX_IMAGE_BYTES = 20 * 1024 * 1024


def _check_guard(level):
    if level is not None and not 0.0 < float(level) <= MAX_GUARD_LEVEL:
        raise ValidationError({"guard_level": f"the guard level must be above 0 and at most {MAX_GUARD_LEVEL:g} "
                                              "(noise units), or empty to turn the guard off"})


def create_station(*, code, name, organisation, deployment, acting_user, line="", reject_threshold=0.5,
                   guard_level=None):
    if acting_user is not None and not access.can(acting_user, roles.DEVELOP, organisation):
        raise PermissionError(f"you may not configure stations in {organisation}")
    if not 0.0 < float(reject_threshold) < 1.0:
        raise ValidationError({"reject_threshold": "the reject threshold must be between 0 and 1"})
    _check_guard(guard_level)
    if deployment.organisation_id != organisation.pk and not organisation.path.startswith(
            deployment.organisation.path):
        raise ValidationError({"deployment": "the deployment belongs to another organisation's line"})
    if Station.objects.filter(organisation=organisation, code=code).exists():
        raise ValidationError({"code": f"{organisation} already has a station {code!r}"})
    with transaction.atomic():
        station = Station.objects.create(code=code, name=name, line=line, organisation=organisation,
                                         deployment=deployment, reject_threshold=reject_threshold,
                                         guard_level=guard_level, created_by=acting_user)
        record("manufacturing.station.create", acting_user=acting_user, organisation=organisation, obj=station,
               data={"code": code, "deployment": deployment.pk, "reject_threshold": reject_threshold,
                     "guard_level": guard_level})
    return station


def set_threshold(station, threshold, *, acting_user):
    if acting_user is not None and not access.can(acting_user, roles.DEVELOP, station.organisation):
        raise PermissionError(f"you may not configure stations in {station.organisation}")
    if not 0.0 < float(threshold) < 1.0:
        raise ValidationError({"reject_threshold": "the reject threshold must be between 0 and 1"})
    with transaction.atomic():
        old = station.reject_threshold
        station.reject_threshold = float(threshold)
        station.save(update_fields=["reject_threshold"])
        record("manufacturing.station.threshold", acting_user=acting_user, organisation=station.organisation,
               obj=station, data={"from": old, "to": float(threshold)})
    return station


def set_guard(station, level, *, acting_user):
    """Set (or, with None, turn off) the station's contrast guard."""
    if acting_user is not None and not access.can(acting_user, roles.DEVELOP, station.organisation):
        raise PermissionError(f"you may not configure stations in {station.organisation}")
    _check_guard(level)
    with transaction.atomic():
        old = station.guard_level
        station.guard_level = None if level is None else float(level)
        station.save(update_fields=["guard_level"])
        record("manufacturing.station.guard", acting_user=acting_user, organisation=station.organisation,
               obj=station, data={"from": old, "to": station.guard_level})
    return station


def inspect(station, data: bytes, *, acting_user, source="", truth=""):
    """Run the station's deployment on one image and decide pass/reject. `truth` is for
    images whose ground truth is known when they are inspected (test pieces, the demo)."""
    if len(data) > MAX_IMAGE_BYTES:
        raise ValidationError({"image": f"image exceeds {MAX_IMAGE_BYTES} bytes"})
    if truth and truth not in Inspection.Truth.values:
        raise ValidationError({"truth": f"truth must be one of {', '.join(Inspection.Truth.values)}"})
    image = decode_image(data) if station.guard_level is not None else None
    result = predict_image(station.deployment, data, acting_user=acting_user, image=image)
    marks = []
    if image is not None:
        # classic_qc loads OpenCV: on first use, since Django startup must not (tests/test_setup_imports.py).
        from .lib import classic_qc

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


def review(inspection, *, truth, acting_user, note=""):
    """An operator's finding after re-checking the part: feeds over-kill and escape rates."""
    if acting_user is not None and not access.can(acting_user, roles.PREDICT, inspection.station.organisation):
        raise PermissionError("reviewing inspections needs the operator role")
    if truth not in Inspection.Truth.values:
        raise ValidationError({"truth": f"truth must be one of {', '.join(Inspection.Truth.values)}"})
    with transaction.atomic():
        inspection.truth = truth
        inspection.reviewed_by = acting_user
        inspection.reviewed_at = timezone.now()
        inspection.review_note = note[:300]
        inspection.save(update_fields=["truth", "reviewed_by", "reviewed_at", "review_note"])
        record("manufacturing.inspection.review", acting_user=acting_user,
               organisation=inspection.station.organisation, obj=inspection,
               data={"verdict": inspection.verdict, "truth": truth, "note": note[:300]})
    return inspection
