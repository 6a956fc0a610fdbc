"""Algorithms (audited) and calls through the dispatcher (each recorded as a DispatchRecord, plus the core's PredictionRecord when the
algorithm serves a deployment).

Capacity is enforced per process: every web or worker process has its own dispatcher
(verticals.city.actions.dispatchers), so N processes may together run N x capacity calls on one
pool and each queues on its own. Where a pool's bound must hold across the deployment,
route calls through a single worker process or divide the capacity between processes."""
import time

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.hub.models import name_validator
from core.hub.queries import visible_versions
from core.inference import engine
from core.inference.actions.predict import predict, run_codec
from core.inference.backends import BackendUnavailable, get_backend
from core.inference.codecs import codec_for
from core.inference.profiles import UnknownProfile, get_profile
from core.platform import access
from core.platform.actions.audit import record
from core.platform.lib import roles

from . import dispatchers as runtime
from ..lib.dispatcher import Call, CallFailed, Refused
from ..models import Algorithm, DispatchRecord

DEFAULT_TIMEOUT_S = 30.0


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


class _Dispatched:
    """The core predict's runner for one call: the model loads under the execution plan's
    profile (the profile's CPU stand-in on a simulated pool) and runs in a pool's slot;
    `noted` is where it ran, kept in the prediction record."""

    def __init__(self, algorithm, profile, exec_profile, simulated_reason, dispatcher, timeout_s, acting_user):
        self.algorithm, self.profile, self.exec_profile = algorithm, profile, exec_profile
        self.simulated_reason, self.dispatcher = simulated_reason, dispatcher
        self.timeout_s, self.acting_user = timeout_s, acting_user
        self.result, self.noted = None, {}

    def load(self, deployment=None, acting_user=None):
        try:
            return engine.get_loaded(self.algorithm.model_version, self.exec_profile)
        except (engine.ModelLoadError, engine.ProfileRefused) as exc:
            _refuse(self.algorithm, self.acting_user, str(exc), "unavailable")

    def run(self, loaded, inputs):
        algorithm, acting_user, dispatcher = self.algorithm, self.acting_user, self.dispatcher
        try:
            result = dispatcher.dispatch(Call(self.profile.device, lambda pool: engine.run(loaded, inputs),
                                              timeout_s=self.timeout_s, label=algorithm.name))
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
        self.result = result
        self.noted = {"scheduler": self.schedule()}
        return result.value

    def schedule(self):
        r = self.result
        return {"pool": r.pool.name, "accelerator": r.pool.accelerator, "simulated": r.simulated,
                "simulated_reason": self.simulated_reason if r.simulated else "",
                "profile": self.profile.name, "executed_profile": self.exec_profile.name,
                "wait_ms": round(r.wait_ms, 3), "run_ms": round(r.run_ms, 3), "overhead_ms": round(r.overhead_ms, 3)}


# What the core predict answers besides the codec's answer (the scheduler says these its own way).
_SERVED = ("prediction_id", "deployment", "profile", "model_version", "latency_ms", "scheduler")


def call_algorithm(algorithm, inputs, *, acting_user, timeout_s=DEFAULT_TIMEOUT_S):
    """Runs the algorithm once through this process's dispatcher for its organisation.

    inputs: image bytes for a detector, else a dict of named JSON inputs (the model's codec
    reads them). The model is loaded (and the inputs decoded and checked) before the call
    queues, so a slot is held only while the model runs. With a deployment the call is the
    core predict (recorded once in lineage, with where it ran); without one the same codec
    path runs unrecorded. On a simulated pool the model runs under the profile's CPU
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
    runner = _Dispatched(algorithm, profile, exec_profile, simulated_reason, dispatcher, timeout_s, acting_user)

    started = time.perf_counter()
    if deployment is not None:
        served = predict(deployment, inputs, acting_user=acting_user, runner=runner)
        output = {k: v for k, v in served.items() if k not in _SERVED}
        prediction_id, latency_ms = served["prediction_id"], served["latency_ms"]
    else:
        loaded = runner.load()
        _, decoded = run_codec(codec_for(loaded), loaded, inputs, {}, runner.run)
        output, prediction_id = decoded.answer, None
        latency_ms = round((time.perf_counter() - started) * 1000, 2)
    result = runner.result
    message = (f"simulated on the CPU under {exec_profile.name}: {simulated_reason}" if result.simulated else "")
    rec = _dispatch_record(algorithm, outcome=DispatchRecord.Outcome.OK, acting_user=acting_user,
                           pool_ref=result.pool.ref, simulated=result.simulated, message=message,
                           wait_ms=result.wait_ms, run_ms=result.run_ms, overhead_ms=result.overhead_ms)
    mv = algorithm.model_version
    return {"algorithm": algorithm.name, "dispatch_id": rec.pk, "prediction_id": prediction_id,
            "model_version": {"id": mv.pk, "model": mv.model.name, "version": mv.version},
            **runner.schedule(), "latency_ms": latency_ms, **output}


__all__ = ["SchedulerRefused", "create_algorithm", "update_algorithm", "call_algorithm"]
