"""Serving a deployment: check, load (verified), run, record."""
import hashlib
import time

from core.platform import access
from core.platform.errors import Conflict
from core.platform.lib import roles

from .. import engine
from ..profiles import get_profile
from ..tasks import detection
from .deployments import record_prediction


class DeploymentUnavailable(Conflict):
    """The deployment cannot serve right now (stopped, model file refused, device absent)."""


def serving_model(deployment, acting_user):
    """The loaded model behind an active deployment, after the permission and status
    checks every caller needs (verticals with their own task use this too)."""
    if acting_user is not None and not access.can(acting_user, roles.PREDICT, deployment.organisation):
        raise PermissionError(f"you may not run predictions in {deployment.organisation}")
    if deployment.status != deployment.Status.ACTIVE:
        raise DeploymentUnavailable(f"deployment {deployment.name!r} is {deployment.status}")
    try:
        return engine.get_loaded(deployment.model_version, get_profile(deployment.profile))
    except (engine.ModelLoadError, engine.ProfileRefused) as exc:
        raise DeploymentUnavailable(str(exc)) from None


def _result(deployment, loaded, outputs, started, input_sha256, acting_user, extra=None):
    min_score = float(deployment.config.get("min_score", 0.05))
    detections = detection.postprocess(outputs, loaded.manifest, min_score=min_score)
    latency_ms = round((time.perf_counter() - started) * 1000, 2)
    output = {"detections": detections, **(extra or {})}
    rec = record_prediction(deployment, input_sha256=input_sha256, output=output, latency_ms=latency_ms,
                            acting_user=acting_user)
    mv = deployment.model_version
    return {"prediction_id": rec.pk, "deployment": deployment.name, "profile": deployment.profile,
            "model_version": {"id": mv.pk, "model": mv.model.name, "version": mv.version},
            "latency_ms": latency_ms, **output}


def predict_image(deployment, data: bytes, *, acting_user, image=None):
    """`image` is `data` already decoded by detection.decode_image, for a caller that needs the
    pixels too (a vertical's own check on the same part): it is then not decoded twice."""
    loaded = serving_model(deployment, acting_user)
    started = time.perf_counter()
    if image is None:
        image = detection.decode_image(data)
    outputs = engine.run(loaded, detection.preprocess(image, loaded.manifest))
    h, w = image.shape[:2]
    return _result(deployment, loaded, outputs, started, hashlib.sha256(data).hexdigest(), acting_user,
                   {"image": {"width": w, "height": h}})


def predict_tensor(deployment, tensor, *, acting_user):
    loaded = serving_model(deployment, acting_user)
    started = time.perf_counter()
    inputs = detection.tensor_inputs(tensor, loaded.manifest)
    outputs = engine.run(loaded, inputs)
    return _result(deployment, loaded, outputs, started, hashlib.sha256(inputs["image"].tobytes()).hexdigest(),
                   acting_user)
