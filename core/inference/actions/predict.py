"""Serving a deployment, one path for every task: check, load (verified), encode with the
task's codec, run, decode, record the prediction once in lineage."""
import time

from core.platform import access
from core.platform.errors import Conflict
from core.platform.lib import roles

from .. import engine
from ..codecs import codec_for
from ..profiles import get_profile
from .deployments import record_prediction


class DeploymentUnavailable(Conflict):
    """The deployment cannot serve right now (stopped, model file refused, device absent)."""


def check_serving(deployment, acting_user):
    """The permission and status checks every caller of a deployment needs."""
    if acting_user is not None and not access.can(acting_user, roles.PREDICT, deployment.organisation):
        raise PermissionError(f"you may not run predictions in {deployment.organisation}")
    if deployment.status != deployment.Status.ACTIVE:
        raise DeploymentUnavailable(f"deployment {deployment.name!r} is {deployment.status}")


def serving_model(deployment, acting_user):
    """The loaded model behind an active deployment, after check_serving (a stream pipeline
    uses it with the codec frame by frame, and records its run once at the end)."""
    check_serving(deployment, acting_user)
    try:
        return engine.get_loaded(deployment.model_version, get_profile(deployment.profile))
    except (engine.ModelLoadError, engine.ProfileRefused) as exc:
        raise DeploymentUnavailable(str(exc)) from None


class Local:
    """Where a prediction runs by default: here, under the deployment's own profile. A
    scheduler passes its own runner (a stand-in profile, a pool's queue); `noted` is what it
    adds to the record and the answer about where the call ran."""

    noted: dict = {}

    def load(self, deployment, acting_user):
        return serving_model(deployment, acting_user)

    def run(self, loaded, inputs):
        return engine.run(loaded, inputs)


def run_codec(codec, loaded, inputs, config, run):
    """Encode, run, decode: (Encoded, Decoded). A model's refusal of its inputs becomes the
    codec's input error."""
    encoded = codec.encode(inputs, loaded, config)
    try:
        outputs = run(loaded, encoded.inputs)
    except Exception as exc:
        refusal = codec.refusal(exc, encoded)
        if refusal is None:
            raise
        raise refusal from None
    return encoded, codec.decode(outputs, loaded, encoded, config)


def predict(deployment, inputs, *, acting_user, runner=None):
    """Returns the codec's answer with prediction_id, deployment, profile, model_version
    and latency_ms (from the inputs' encoding to the answer's decoding)."""
    runner = runner or Local()
    check_serving(deployment, acting_user)
    loaded = runner.load(deployment, acting_user)
    started = time.perf_counter()
    config = deployment.config or {}
    encoded, decoded = run_codec(codec_for(loaded), loaded, inputs, config, runner.run)
    latency_ms = round((time.perf_counter() - started) * 1000, 2)
    rec = record_prediction(deployment, input_sha256=encoded.sha256, output={**decoded.recorded, **runner.noted},
                            latency_ms=latency_ms, acting_user=acting_user)
    mv = deployment.model_version
    return {"prediction_id": rec.pk, "deployment": deployment.name, "profile": deployment.profile,
            "model_version": {"id": mv.pk, "model": mv.model.name, "version": mv.version},
            "latency_ms": latency_ms, **decoded.answer}
