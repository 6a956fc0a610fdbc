"""The moving-object detector as a hub model: a version whose bundle holds motion.json
(lib.motion.MotionParams, deterministic JSON: the same parameters give the same SHA-256),
and a deployment of it on the "cpu-motion" profile for cameras to use."""
import json
import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError

from ..lib.motion import LABELS, MotionParams, MotionParamsError

MODEL_NAME = "motion-detector"
PROFILE = "cpu-motion"


def write_motion_bundle(out_path: Path, params: MotionParams) -> Path:
    from core.inference.lib.bundle import write_bundle

    out_path = Path(out_path)
    src = out_path.with_suffix(".json")
    src.write_text(json.dumps(params.as_dict(), sort_keys=True, indent=1))
    manifest = {"task": "detection", "labels": list(LABELS), "files": {"cv-motion": "motion.json"},
                "input": {"stream": "the stream's key (one background model per key)",
                          "frame": "uint8 H x W x 3 BGR frame of a fixed camera"},
                "description": "MOG2 background subtraction; classes by box shape (heuristic)"}
    return write_bundle(out_path, manifest, {"motion.json": src})


def register_motion_detector(*, organisation, acting_user, params: dict | None = None, name: str = MODEL_NAME,
                             description: str = ""):
    """A new version of the organisation's motion-detector model (created when missing)."""
    from core.hub.actions.artifacts import store_file
    from core.hub.actions.registry import create_model, create_version
    from core.hub.models import RegisteredModel

    try:
        mp = MotionParams.from_dict(params or {})
    except MotionParamsError as exc:
        raise ValidationError({"params": str(exc)}) from None
    model = RegisteredModel.objects.filter(organisation=organisation, name=name).first()
    if model is None:
        model = create_model(name=name, organisation=organisation, acting_user=acting_user, vertical="city",
                             title="Moving-object detector (fixed cameras)",
                             description="Background subtraction (OpenCV MOG2); person/vehicle by box shape.")
    with tempfile.TemporaryDirectory() as tmp:
        bundle = write_motion_bundle(Path(tmp) / "motion-bundle.zip", mp)
        artifact, _ = store_file(bundle, filename="motion-detector.zip", organisation=organisation,
                                 acting_user=acting_user, content_type="application/zip")
    return create_version(model, artifact=artifact, acting_user=acting_user, params=mp.as_dict(),
                          description=description or "moving-object detector parameters")


def deploy_motion_detector(*, organisation, acting_user, params: dict | None = None, name: str = "motion-detector"):
    """The organisation's motion-detector deployment on cpu-motion (reused when it exists)."""
    from core.inference.actions.deployments import create_deployment
    from core.inference.models import Deployment

    existing = Deployment.objects.filter(organisation=organisation, name=name).first()
    if existing is not None:
        return existing
    version = register_motion_detector(organisation=organisation, acting_user=acting_user, params=params)
    return create_deployment(name=name, organisation=organisation, model_version=version, profile=PROFILE,
                             acting_user=acting_user, config={"min_score": 0.1})
