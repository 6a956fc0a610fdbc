"""The scheduler's runtime in a Django process: one Dispatcher (lib.scheduler) per
organisation, built from its enabled ComputePools and reconfigured whenever they change;
which accelerators this host really has; and which CPU profile stands in for an
accelerator profile when its pool is simulated.

Capacity is enforced per process. Each web or worker process keeps its own dispatchers,
so with N processes an organisation's pool of capacity C may run up to N x C calls at once
and each process queues on its own. Size pools per process (or run calls through one
worker process) where the bound must hold across the deployment. DispatchRecords are
written by every process, so the recorded figures (queries.pool_utilisation) cover them all,
while the live running/queued figures are this process's."""
import json
import os
import threading
import zipfile
from functools import lru_cache

from core.inference import host
from core.inference.profiles import Profile, UnknownProfile, get_profile

from ..lib.dispatcher import Dispatcher, Pool
from ..models import ComputePool

# The CPU profile a simulated pool runs an accelerator profile's model under: the same
# model files through the nearest CPU backend. Explicit, so nothing is guessed; a vertical's
# profile may name its own with options={"cpu_standin": "<profile>"}.
SIMULATION_STANDINS = {
    "gpu-onnxruntime": "cpu-onnxruntime",
    "gpu-tensorrt": "cpu-paddle",
    "kunlun-xpu": "cpu-paddle",
}

ACCELERATOR_NAMES = {"gpu": "NVIDIA GPU", "xpu": "Kunlun XPU", "npu": "Ascend NPU"}


class NoStandIn(LookupError):
    """An accelerator profile is absent here and no CPU profile may stand in for it."""


def absent_reason(accelerator: str) -> str | None:
    """None when this host has the accelerator, else why a pool of it is simulated. Only
    presence counts here; whether the installed framework can drive a present device is
    the engine's check when the real profile loads."""
    if accelerator == "cpu":
        return None
    if host.devices().get(accelerator):
        return None
    return host.device_problem(accelerator) or f"no {ACCELERATOR_NAMES.get(accelerator, accelerator)} on this host"


def standin_profile(profile: Profile) -> Profile:
    name = profile.options.get("cpu_standin") or SIMULATION_STANDINS.get(profile.name)
    if not name:
        raise NoStandIn(f"profile {profile.name!r} needs a {profile.device} and this host has none "
                        f"({absent_reason(profile.device)}); no CPU profile is defined to simulate it")
    try:
        standin = get_profile(name)
    except UnknownProfile:
        raise NoStandIn(f"the CPU stand-in {name!r} for profile {profile.name!r} is not a known profile") from None
    if standin.device != "cpu":
        raise NoStandIn(f"the stand-in {name!r} for profile {profile.name!r} is not a CPU profile")
    return standin


def execution_plan(profile: Profile) -> tuple[Profile, str]:
    """(the profile the model actually runs under, the simulation reason or "") for an
    algorithm's profile on this host. Every pool a profile can be routed to has its
    accelerator, so whether the call is simulated is known before it is dispatched."""
    reason = absent_reason(profile.device)
    if reason is None:
        return profile, ""
    return standin_profile(profile), reason


@lru_cache(maxsize=256)
def bundle_manifest(artifact_sha256: str) -> dict:
    """A model version's manifest, read from its bundle without extracting it (the bytes
    are content-addressed, so the cache cannot go stale)."""
    from core.hub.storage import get_storage

    try:
        with zipfile.ZipFile(get_storage().local_path(artifact_sha256)) as zf:
            return json.loads(zf.read("manifest.json"))
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        return {}


_dispatchers: dict[int, tuple[tuple, Dispatcher]] = {}
_lock = threading.Lock()


def _pool_specs(organisation_id):
    rows = ComputePool.objects.filter(organisation_id=organisation_id, enabled=True).order_by("name")
    return tuple((p.pk, p.name, p.accelerator, p.capacity, p.max_queue) for p in rows)


def dispatcher_for(organisation_id) -> Dispatcher:
    """This process's dispatcher for the organisation, matched to its enabled pools (one
    small query per call, so a pool changed by any process takes effect on the next call)."""
    specs = _pool_specs(organisation_id)
    with _lock:
        known = _dispatchers.get(organisation_id)
        if known is not None and known[0] == specs:
            return known[1]
        pools = []
        for pk, name, accelerator, capacity, max_queue in specs:
            reason = absent_reason(accelerator)
            pools.append(Pool(name, accelerator, max(capacity, 1), max_queue, simulated=reason is not None,
                              simulated_reason=reason or "", ref=pk))
        if known is None:
            dispatcher = Dispatcher(pools)
        else:
            dispatcher = known[1]
            dispatcher.configure(pools)
        _dispatchers[organisation_id] = (specs, dispatcher)
        return dispatcher


def live_utilisation(organisation_ids) -> dict[int, dict]:
    """This process's live figures by ComputePool id for the given organisations."""
    out = {}
    for org_id in sorted(organisation_ids):
        if not ComputePool.objects.filter(organisation_id=org_id, enabled=True).exists():
            continue
        for row in dispatcher_for(org_id).utilisation():
            out[row["ref"]] = {**row, "process": os.getpid()}
    return out


def forget():
    """Drop every dispatcher (tests; calls in flight finish on the ones they hold)."""
    with _lock:
        _dispatchers.clear()


# -- read side (the API and the page) ---------------------------------------------------

def describe_pool(pool: ComputePool) -> dict:
    reason = absent_reason(pool.accelerator)
    return {"id": pool.pk, "organisation": pool.organisation.code, "name": pool.name,
            "accelerator": pool.accelerator, "capacity": pool.capacity, "max_queue": pool.max_queue,
            "enabled": pool.enabled, "simulated": reason is not None, "simulated_reason": reason or ""}


def describe_algorithm(algorithm) -> dict:
    """The algorithm and where it would run on this host: the profile it executes under,
    simulated or not and why, or why it cannot run here at all."""
    mv = algorithm.model_version
    row = {"id": algorithm.pk, "organisation": algorithm.organisation.code, "name": algorithm.name,
           "title": algorithm.title,
           "model_version": {"id": mv.pk, "model": mv.model.name, "version": mv.version},
           "task": bundle_manifest(mv.artifact_id).get("task", ""), "profile": algorithm.profile,
           "deployment": algorithm.deployment.name if algorithm.deployment else None,
           "device": None, "executed_profile": None, "simulated": False, "simulated_reason": "",
           "runnable": True, "problem": ""}
    try:
        profile = get_profile(algorithm.profile)
        row["device"] = profile.device
        executed, reason = execution_plan(profile)
        row.update(executed_profile=executed.name, simulated=bool(reason), simulated_reason=reason)
    except (UnknownProfile, NoStandIn) as exc:
        row.update(runnable=False, problem=str(exc))
    return row


def utilisation(organisation_ids, *, minutes=60) -> list[dict]:
    """Per enabled pool: this process's live figures (running, queued, busy share over the
    dispatcher's window, percentiles of its recent calls) and the recorded calls of every
    process over the last `minutes`."""
    from datetime import timedelta

    from django.db.models import Count, Q
    from django.utils import timezone

    from ..models import DispatchRecord

    live = live_utilisation(organisation_ids)
    since = timezone.now() - timedelta(minutes=minutes)
    pools = ComputePool.objects.filter(organisation_id__in=organisation_ids).select_related("organisation")
    counts = {r["pool"]: r for r in DispatchRecord.objects.filter(pool__in=pools, created_at__gte=since)
              .values("pool").annotate(calls=Count("id"), ok=Count("id", filter=Q(outcome="ok")),
                                       refused=Count("id", filter=Q(outcome="refused")),
                                       failed=Count("id", filter=Q(outcome="failed")))}
    rows = []
    for pool in pools:
        now = live.get(pool.pk, {})
        rec = counts.get(pool.pk, {})
        rows.append({**describe_pool(pool),
                     "live": {k: now.get(k, 0 if k in ("running", "queued", "busy", "done", "failed", "refused")
                                         else None)
                              for k in ("running", "queued", "busy", "window_s", "done", "failed", "refused",
                                        "wait_ms_p50", "wait_ms_p95", "run_ms_p50", "run_ms_p95", "process")},
                     "recorded": {"window_minutes": minutes, "calls": rec.get("calls", 0), "ok": rec.get("ok", 0),
                                  "refused": rec.get("refused", 0), "failed": rec.get("failed", 0)}})
    return rows
