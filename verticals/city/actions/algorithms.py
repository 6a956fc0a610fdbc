"""Algorithms (audited) and calls through the dispatcher (each recorded as a DispatchRecord, plus the core's PredictionRecord when the
algorithm serves a deployment).

Capacity is enforced per process: every web or worker process has its own dispatcher
(verticals.city.dispatchers), so N processes may together run N x capacity calls on one
pool and each queues on its own. Where a pool's bound must hold across the deployment,
route calls through a single worker process or divide the capacity between processes."""
import hashlib
import json
import time

import numpy as np
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.hub.models import name_validator
from core.hub.queries import visible_versions
from core.inference import engine
from core.inference.actions.deployments import record_prediction
from core.inference.backends import BackendUnavailable, get_backend
from core.inference.profiles import UnknownProfile, get_profile
from core.inference.tasks import detection
from core.platform import access
from core.platform.actions.audit import record
from core.platform.lib import roles

from .. import dispatchers as runtime
from ..lib.dispatcher import Call, CallFailed, Refused
from ..models import Algorithm, DispatchRecord

DEFAULT_TIMEOUT_S = 30.0
MAX_JSON_INPUT_BYTES = 2 * 1024 * 1024


class SchedulerRefused(Exception):
    """The call did not run. kind: no_pool / no_standin (nothing here can run it: 409),
    queue_full (429), timeout (503), unavailable (the deployment cannot serve: 409)."""

    def __init__(self, message, kind, dispatch=None):
        super().__init__(message)
        self.kind, self.dispatch = kind, dispatch


def _user(acting_user):
    return acting_user if acting_user is not None and acting_user.is_authenticated else None


# -- algorithms ------------------------------------------------------------------------

def version_visible_to(organisation, model_version) -> bool:
    """The hub's sharing rule seen from an organisation: models owned in its subtree, and
    models published by an organisation above it."""
    owner = model_version.model.organisation
    if owner.path.startswith(organisation.path):
        return True
    return organisation.path.startswith(owner.path) and model_version.model.published


def _check_runnable(model_version, profile_name):
    try:
        profile = get_profile(profile_name)
    except UnknownProfile as exc:
        raise ValidationError({"profile": str(exc)}) from None
    manifest = runtime.bundle_manifest(model_version.artifact_id)
    formats = set(manifest.get("files", {}))
    needed = [profile]
    if runtime.absent_reason(profile.device):
        try:
            needed.append(runtime.standin_profile(profile))
        except runtime.NoStandIn:
            pass  # it can be registered for hosts that have the device; calls here are refused
    for p in needed:
        try:
            fmt = get_backend(p.backend).format
        except BackendUnavailable as exc:
            raise ValidationError({"profile": str(exc)}) from None
        if formats and fmt not in formats:
            raise ValidationError({"profile": f"{model_version} has no {fmt} model for profile {p.name!r}"})
    return profile


def _resolve(organisation, acting_user, model_version, profile, deployment):
    if deployment is not None:
        if deployment.organisation_id != organisation.pk:
            raise ValidationError({"deployment": f"deployment {deployment.name!r} is not in {organisation}"})
        model_version = model_version or deployment.model_version
        profile = profile or deployment.profile
        if model_version.pk != deployment.model_version_id:
            raise ValidationError({"model_version": f"deployment {deployment.name!r} serves model version "
                                                    f"{deployment.model_version_id}, not {model_version.pk}"})
        if profile != deployment.profile:
            raise ValidationError({"profile": f"deployment {deployment.name!r} uses profile "
                                              f"{deployment.profile!r}, not {profile!r}"})
    if model_version is None:
        raise ValidationError({"model_version": "give a model version (or a deployment)"})
    if not profile:
        raise ValidationError({"profile": "give a deployment profile (or a deployment)"})
    if not version_visible_to(organisation, model_version) or (
            acting_user is not None and not visible_versions(acting_user).filter(pk=model_version.pk).exists()):
        raise ValidationError({"model_version": f"no model version {model_version.pk} visible to {organisation}"})
    _check_runnable(model_version, profile)
    return model_version, profile


def create_algorithm(*, organisation, name, acting_user, model_version=None, profile="", deployment=None, title=""):
    """Registers a model version under a deployment profile as a schedulable algorithm.
    With a deployment, the version and profile default to the deployment's and calls are
    recorded under it."""
    access.require(acting_user, roles.DEVELOP, organisation, "register algorithms")
    try:
        name_validator(name)
    except ValidationError as exc:
        raise ValidationError({"name": exc.messages}) from None
    if len(title or "") > 200:
        raise ValidationError({"title": "the title is over 200 characters"})
    model_version, profile = _resolve(organisation, acting_user, model_version, profile, deployment)
    if Algorithm.objects.filter(organisation=organisation, name=name).exists():
        raise ValidationError({"name": f"{organisation} already has an algorithm named {name!r}"})
    try:
        with transaction.atomic():
            algo = Algorithm.objects.create(organisation=organisation, name=name, title=title or "",
                                            model_version=model_version, profile=profile, deployment=deployment,
                                            created_by=_user(acting_user))
            record("city.algorithm.create", acting_user=acting_user, organisation=organisation, obj=algo,
                   data={"name": name, "model_version": model_version.pk, "profile": profile,
                         "deployment": deployment.pk if deployment else None})
    except IntegrityError:
        raise ValidationError({"name": f"{organisation} already has an algorithm named {name!r}"}) from None
    return algo


def update_algorithm(algorithm, *, acting_user, **changes):
    """Change title, model_version, profile or deployment (None to drop it)."""
    access.require(acting_user, roles.DEVELOP, algorithm.organisation, "change algorithms")
    allowed = ("title", "model_version", "profile", "deployment")
    unknown = sorted(set(changes) - set(allowed))
    if unknown:
        raise ValidationError({unknown[0]: f"cannot change {', '.join(unknown)}; changeable: {', '.join(allowed)}"})
    title = changes.get("title", algorithm.title) or ""
    if len(title) > 200:
        raise ValidationError({"title": "the title is over 200 characters"})
    deployment = changes["deployment"] if "deployment" in changes else algorithm.deployment
    model_version = changes.get("model_version") or (None if deployment and "deployment" in changes
                                                     else algorithm.model_version)
    profile = changes.get("profile") or ("" if deployment and "deployment" in changes else algorithm.profile)
    model_version, profile = _resolve(algorithm.organisation, acting_user, model_version, profile, deployment)
    before = {"title": algorithm.title, "model_version": algorithm.model_version_id, "profile": algorithm.profile,
              "deployment": algorithm.deployment_id}
    with transaction.atomic():
        algorithm.title, algorithm.model_version, algorithm.profile = title, model_version, profile
        algorithm.deployment = deployment
        algorithm.save(update_fields=["title", "model_version", "profile", "deployment"])
        record("city.algorithm.update", acting_user=acting_user, organisation=algorithm.organisation, obj=algorithm,
               data={"before": before, "after": {"title": title, "model_version": model_version.pk,
                                                  "profile": profile,
                                                  "deployment": deployment.pk if deployment else None}})
    return algorithm


# -- calls -----------------------------------------------------------------------------

def jsonable(value):
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


def _prepare(manifest, loaded, inputs):
    """(engine inputs, input sha256, what the post-processing needs), validated before the
    call takes a place in a queue."""
    if manifest.get("task") == "detection":
        if not isinstance(inputs, (bytes, bytearray)):
            raise ValidationError({"image": "this algorithm is a detector: send an image"})
        image = detection.decode_image(bytes(inputs))
        if "frame" in (getattr(loaded.model, "input_names", None) or []):
            # A stream detector (background subtraction) keeps state per stream: one-off calls
            # share one "scheduler" stream and get its raw [x1, y1, x2, y2, score, class] rows.
            return {"stream": "scheduler", "frame": image}, hashlib.sha256(inputs).hexdigest(), None
        h, w = image.shape[:2]
        return detection.preprocess(image, loaded.manifest), hashlib.sha256(inputs).hexdigest(), (w, h)
    if not isinstance(inputs, dict):
        raise ValidationError({"inputs": "this algorithm takes JSON inputs: an object of named inputs"})
    text = json.dumps(inputs, sort_keys=True)
    if len(text) > MAX_JSON_INPUT_BYTES:
        raise ValidationError({"inputs": f"inputs over {MAX_JSON_INPUT_BYTES} bytes"})
    names = list(getattr(loaded.model, "input_names", []) or [])
    if names:
        missing = [n for n in names if n not in inputs]
        extra = [k for k in inputs if k not in names]
        # A batch form ({"requests": [...]}) is the backend's to check.
        if (missing or extra) and "requests" not in inputs:
            raise ValidationError({"inputs": f"expected inputs {', '.join(names)}"
                                             + (f"; missing {', '.join(missing)}" if missing else "")
                                             + (f"; unknown {', '.join(extra)}" if extra else "")})
    return inputs, hashlib.sha256(text.encode()).hexdigest(), None


def _dispatch_record(algorithm, *, outcome, acting_user, pool_ref=None, simulated=False, message="", wait_ms=0.0,
                     run_ms=0.0, overhead_ms=0.0):
    return DispatchRecord.objects.create(
        algorithm=algorithm, pool_id=pool_ref, simulated=simulated, outcome=outcome, message=message[:500],
        wait_ms=round(wait_ms, 3), run_ms=round(run_ms, 3), overhead_ms=round(overhead_ms, 3),
        requested_by=_user(acting_user))


def _refuse(algorithm, acting_user, message, kind, **fields):
    rec = _dispatch_record(algorithm, outcome=DispatchRecord.Outcome.REFUSED, acting_user=acting_user,
                           message=message, **fields)
    raise SchedulerRefused(message, kind, rec)


def call_algorithm(algorithm, inputs, *, acting_user, timeout_s=DEFAULT_TIMEOUT_S):
    """Runs the algorithm once through this process's dispatcher for its organisation.

    inputs: image bytes for a detector, else a dict of named JSON inputs. The model is
    loaded (and the inputs decoded and checked) before the call queues, so a slot is held
    only while the model runs. On a simulated pool the model runs under the profile's CPU
    stand-in and the result says so, with the reason. Returns the output with the pool,
    simulated, wait_ms, run_ms and overhead_ms; refusals raise SchedulerRefused after
    recording a refused DispatchRecord. Capacity is per process (see the module docstring)."""
    org = algorithm.organisation
    access.require(acting_user, roles.PREDICT, org, "run algorithms")
    deployment = algorithm.deployment
    if deployment is not None and deployment.status != deployment.Status.ACTIVE:
        _refuse(algorithm, acting_user, f"deployment {deployment.name!r} is {deployment.status}", "unavailable")
    try:
        profile = get_profile(algorithm.profile)
    except UnknownProfile as exc:
        _refuse(algorithm, acting_user, str(exc), "no_standin")
    try:
        exec_profile, simulated_reason = runtime.execution_plan(profile)
    except runtime.NoStandIn as exc:
        _refuse(algorithm, acting_user, str(exc), "no_standin")
    dispatcher = runtime.dispatcher_for(org.pk)
    if not any(p.accelerator == profile.device for p in dispatcher.pools):
        _refuse(algorithm, acting_user, f"no pool with a {profile.device} accelerator is enabled in {org} for "
                                        f"profile {profile.name!r}", "no_pool")
    try:
        loaded = engine.get_loaded(algorithm.model_version, exec_profile)
    except (engine.ModelLoadError, engine.ProfileRefused) as exc:
        _refuse(algorithm, acting_user, str(exc), "unavailable")
    engine_inputs, input_sha256, image_size = _prepare(loaded.manifest, loaded, inputs)

    started = time.perf_counter()
    try:
        result = dispatcher.dispatch(Call(profile.device, lambda pool: engine.run(loaded, engine_inputs),
                                          timeout_s=timeout_s, label=algorithm.name))
    except Refused as exc:
        pool_ref = next((p.ref for p in dispatcher.pools if p.name == exc.pool), None)
        _refuse(algorithm, acting_user, exc.reason, exc.kind, pool_ref=pool_ref, wait_ms=exc.wait_ms)
    except CallFailed as exc:
        _dispatch_record(algorithm, outcome=DispatchRecord.Outcome.FAILED, acting_user=acting_user,
                         pool_ref=exc.pool.ref, simulated=exc.pool.simulated, message=str(exc.error),
                         wait_ms=exc.wait_ms, run_ms=exc.run_ms)
        if isinstance(exc.error, (ValueError, KeyError, TypeError, IndexError)):
            raise ValidationError({"inputs": f"the model refused the inputs: {exc.error}"}) from None
        raise exc.error from None

    if image_size is not None:
        min_score = float((deployment.config if deployment else {}).get("min_score", 0.05))
        output = {"detections": detection.postprocess(result.value, loaded.manifest, min_score=min_score),
                  "image": {"width": image_size[0], "height": image_size[1]}}
    else:
        output = {"outputs": jsonable(result.value)}
    message = (f"simulated on the CPU under {exec_profile.name}: {simulated_reason}" if result.simulated else "")
    schedule = {"pool": result.pool.name, "accelerator": result.pool.accelerator, "simulated": result.simulated,
                "simulated_reason": simulated_reason if result.simulated else "",
                "profile": profile.name, "executed_profile": exec_profile.name,
                "wait_ms": round(result.wait_ms, 3), "run_ms": round(result.run_ms, 3),
                "overhead_ms": round(result.overhead_ms, 3)}
    latency_ms = round((time.perf_counter() - started) * 1000, 2)
    with transaction.atomic():
        rec = _dispatch_record(algorithm, outcome=DispatchRecord.Outcome.OK, acting_user=acting_user,
                               pool_ref=result.pool.ref, simulated=result.simulated, message=message,
                               wait_ms=result.wait_ms, run_ms=result.run_ms, overhead_ms=result.overhead_ms)
        prediction = None
        if deployment is not None:
            prediction = record_prediction(deployment, input_sha256=input_sha256,
                                           output={**output, "scheduler": schedule}, latency_ms=latency_ms,
                                           acting_user=acting_user)
    mv = algorithm.model_version
    return {"algorithm": algorithm.name, "dispatch_id": rec.pk,
            "prediction_id": prediction.pk if prediction else None,
            "model_version": {"id": mv.pk, "model": mv.model.name, "version": mv.version},
            **schedule, "latency_ms": latency_ms, **output}


__all__ = ["SchedulerRefused", "create_pool", "update_pool", "create_algorithm",
           "update_algorithm", "call_algorithm"]
