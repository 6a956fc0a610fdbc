"""The scheduler end to end: pools and algorithms through the API, calls routed through
the dispatcher to a real (tiny) model served by the engine (the dummy vertical's numpy
linear model), simulated pools marked with their reason, refusals as 429/503/409, the
records written, utilisation and the page."""
import io
import json
import threading
import time

import pytest

from core.hub.actions.artifacts import store_file
from core.hub.actions.registry import create_model, create_version
from core.inference import host
from core.inference.actions.deployments import create_deployment
from core.inference.lib.bundle import write_bundle
from core.inference.models import PredictionRecord
from core.platform.models import AuditEvent
from core.platform.verticals import registry
from tests.conftest import as_json
from verticals.city.actions import dispatchers as runtime
from verticals.city.lib.dispatcher import Call
from verticals.city.models import Algorithm, ComputePool, DispatchRecord

NO_GPU = not host.devices()["gpu"]
NO_NPU = not host.devices()["npu"]


@pytest.fixture(autouse=True)
def fresh_dispatchers():
    runtime.forget()
    yield
    runtime.forget()


def linear_version(tmp_path, org, user, weights=(2.0, -1.0), name="linear"):
    w = tmp_path / f"{name}.json"
    w.write_text(json.dumps({"weights": list(weights)}))
    bundle = write_bundle(tmp_path / f"{name}.zip", {"task": "regression", "labels": [], "files": {"numpy": "w.json"}},
                          {"w.json": w})
    artifact, _ = store_file(bundle, filename=f"{name}.zip", organisation=org, acting_user=user)
    model = create_model(name=name, organisation=org, acting_user=user)
    return create_version(model, artifact=artifact, acting_user=user)


@pytest.fixture
def setup(tmp_path, orgs, users):
    version = linear_version(tmp_path, orgs["a"], users["a_dev"])
    return {"version": version, "org": orgs["a"]}


def make_pool(api, user, **fields):
    body = {"organisation": "plant-a", "name": "cpu-main", "accelerator": "cpu", "capacity": 1, "max_queue": 4,
            **fields}
    r = api(user).post("/api/v1/city/scheduler/pools/", body, format="json")
    assert r.status_code == 201, r.content
    return r.json()


def make_algorithm(api, user, **fields):
    r = api(user).post("/api/v1/city/scheduler/algorithms/", {"organisation": "plant-a", **fields}, format="json")
    assert r.status_code == 201, r.content
    return r.json()


def call(api, user, name, inputs, **extra):
    return api(user).post(f"/api/v1/city/scheduler/algorithms/{name}/call/", {"inputs": inputs, **extra},
                          format="json")


def hold_slots(org, device, n):
    """Occupy n slots of the organisation's pools for `device` from other threads, as
    concurrent callers would; returns (release event, threads)."""
    dispatcher = runtime.dispatcher_for(org.pk)
    release = threading.Event()
    started = threading.Semaphore(0)

    def work(pool):
        started.release()
        assert release.wait(10)

    threads = [threading.Thread(target=dispatcher.dispatch, args=(Call(device, work),)) for _ in range(n)]
    for t in threads:
        t.start()
    for _ in range(n):
        assert started.acquire(timeout=5)
    return release, threads


# -- pools ---------------------------------------------------------------------------------

def test_pools_are_created_validated_and_scoped(api, users):
    cpu = make_pool(api, users["a_dev"])
    assert (cpu["accelerator"], cpu["capacity"], cpu["simulated"], cpu["simulated_reason"]) == ("cpu", 1, False, "")
    gpu = make_pool(api, users["a_dev"], name="gpu-a", accelerator="gpu", capacity=2)
    assert gpu["simulated"] is NO_GPU
    if NO_GPU:
        assert "no NVIDIA GPU on this host" in gpu["simulated_reason"]
    assert AuditEvent.objects.filter(action="city.pool.create").count() == 2

    for bad, field in (({"capacity": 0}, "capacity"), ({"accelerator": "tpu"}, "accelerator"),
                       ({"max_queue": -1}, "max_queue"), ({"name": "cpu-main"}, "name"),
                       ({"name": "Not a slug!"}, "name")):
        body = {"organisation": "plant-a", "name": "p2", "accelerator": "cpu", **bad}
        r = api(users["a_dev"]).post("/api/v1/city/scheduler/pools/", body, format="json")
        assert r.status_code == 400, (bad, r.content)
        assert field in r.json()["errors"], r.json()
    assert ComputePool.objects.count() == 2

    r = api(users["a_viewer"]).post("/api/v1/city/scheduler/pools/",
                                    {"organisation": "plant-a", "name": "v", "accelerator": "cpu"}, format="json")
    assert r.status_code == 403
    assert [p["name"] for p in api(users["b_dev"]).get("/api/v1/city/scheduler/pools/").json()["results"]] == []
    assert api(users["b_dev"]).patch(f"/api/v1/city/scheduler/pools/{cpu['id']}/", {"capacity": 3},
                                     format="json").status_code == 404

    r = api(users["a_dev"]).patch(f"/api/v1/city/scheduler/pools/{cpu['id']}/", {"capacity": 3, "max_queue": 0},
                                  format="json")
    assert r.status_code == 200 and (r.json()["capacity"], r.json()["max_queue"]) == (3, 0)
    assert ComputePool.objects.get(pk=cpu["id"]).capacity == 3
    r = api(users["a_dev"]).patch(f"/api/v1/city/scheduler/pools/{cpu['id']}/", {"name": "renamed"}, format="json")
    assert r.status_code == 400 and "name" in r.json()["errors"]
    event = AuditEvent.objects.filter(action="city.pool.update").get()
    assert event.data["before"]["capacity"] == 1 and event.data["after"]["capacity"] == 3


# -- algorithms ------------------------------------------------------------------------------

def test_algorithms_are_validated(api, users, setup, tmp_path, orgs):
    v = setup["version"]
    algo = make_algorithm(api, users["a_dev"], name="lin", model_version=v.pk, profile="dummy-cpu-numpy")
    assert (algo["profile"], algo["device"], algo["executed_profile"], algo["simulated"], algo["task"]) == \
        ("dummy-cpu-numpy", "cpu", "dummy-cpu-numpy", False, "regression")

    def refused(**fields):
        r = api(users["a_dev"]).post("/api/v1/city/scheduler/algorithms/", {"organisation": "plant-a", **fields},
                                     format="json")
        assert r.status_code == 400, r.content
        return r.json()

    assert "unknown deployment profile" in refused(name="x", model_version=v.pk, profile="nope")["message"]
    # The bundle has no ONNX file, so the ONNX Runtime profile cannot serve it.
    assert "no onnx model" in refused(name="x", model_version=v.pk, profile="cpu-onnxruntime")["message"]
    assert "already has an algorithm" in refused(name="lin", model_version=v.pk, profile="dummy-cpu-numpy")["message"]
    other = linear_version(tmp_path, orgs["b"], users["b_dev"], name="b-linear")
    assert "visible" in refused(name="x", model_version=other.pk, profile="dummy-cpu-numpy")["message"]
    assert "profile" in refused(name="x", model_version=v.pk)["errors"]
    assert api(users["a_viewer"]).post("/api/v1/city/scheduler/algorithms/",
                                       {"organisation": "plant-a", "name": "y", "model_version": v.pk,
                                        "profile": "dummy-cpu-numpy"}, format="json").status_code == 403
    assert Algorithm.objects.count() == 1
    listed = api(users["a_viewer"]).get("/api/v1/city/scheduler/algorithms/").json()["results"]
    assert [a["name"] for a in listed] == ["lin"]
    assert api(users["b_dev"]).get("/api/v1/city/scheduler/algorithms/").json()["results"] == []


# -- calls -----------------------------------------------------------------------------------

def test_a_call_runs_the_model_on_the_cpu_pool_and_is_recorded(api, users, setup):
    pool = make_pool(api, users["a_dev"])
    make_pool(api, users["a_dev"], name="gpu-a", accelerator="gpu")
    make_algorithm(api, users["a_dev"], name="lin", model_version=setup["version"].pk, profile="dummy-cpu-numpy")
    r = call(api, users["a_operator"], "lin", {"x": [[1.0, 1.0], [3.0, 1.0]]})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["outputs"] == {"y": [1.0, 5.0]}
    assert (body["pool"], body["accelerator"], body["simulated"], body["simulated_reason"]) == \
        ("cpu-main", "cpu", False, "")
    assert body["run_ms"] > 0 and body["wait_ms"] >= 0 and body["prediction_id"] is None
    rec = DispatchRecord.objects.get(pk=body["dispatch_id"])
    assert (rec.pool_id, rec.outcome, rec.simulated, rec.requested_by) == \
        (pool["id"], "ok", False, users["a_operator"])
    assert rec.run_ms == pytest.approx(body["run_ms"], abs=0.01)

    # Bad inputs are refused before the call takes a slot; nothing is recorded.
    r = call(api, users["a_operator"], "lin", {"z": [[1.0]]})
    assert r.status_code == 400 and "expected inputs x" in r.json()["message"]
    r = api(users["a_operator"]).post("/api/v1/city/scheduler/algorithms/lin/call/", {}, format="json")
    assert r.status_code == 400
    assert DispatchRecord.objects.count() == 1
    # A shape the model cannot take fails in the model: 400, recorded as failed.
    r = call(api, users["a_operator"], "lin", {"x": [[1.0, 2.0, 3.0]]})
    assert r.status_code == 400 and "the model refused the inputs" in r.json()["message"]
    assert DispatchRecord.objects.filter(outcome="failed").count() == 1

    assert call(api, users["a_viewer"], "lin", {"x": [[1.0, 1.0]]}).status_code == 403
    assert call(api, users["b_dev"], "lin", {"x": [[1.0, 1.0]]}).status_code == 404


def test_a_call_through_a_deployment_writes_its_prediction_record(api, users, setup):
    dep = create_deployment(name="lin-live", organisation=setup["org"], model_version=setup["version"],
                            profile="dummy-cpu-numpy", acting_user=users["a_dev"])
    make_pool(api, users["a_dev"])
    algo = make_algorithm(api, users["a_dev"], name="lin", deployment="lin-live")
    assert (algo["profile"], algo["model_version"]["id"], algo["deployment"]) == \
        ("dummy-cpu-numpy", setup["version"].pk, "lin-live")
    body = call(api, users["a_operator"], "lin", {"x": [[2.0, 0.0]]}).json()
    pred = PredictionRecord.objects.get(pk=body["prediction_id"])
    assert pred.deployment == dep and pred.model_version == setup["version"]
    assert pred.output["outputs"] == {"y": [4.0]} and pred.output["scheduler"]["pool"] == "cpu-main"

    dep.status = dep.Status.STOPPED
    dep.save()
    r = call(api, users["a_operator"], "lin", {"x": [[2.0, 0.0]]})
    assert r.status_code == 409 and "stopped" in r.json()["message"]
    assert PredictionRecord.objects.count() == 1


def test_no_pool_for_the_profiles_accelerator_is_409(api, users, setup):
    make_pool(api, users["a_dev"], name="gpu-a", accelerator="gpu")
    make_algorithm(api, users["a_dev"], name="lin", model_version=setup["version"].pk, profile="dummy-cpu-numpy")
    r = call(api, users["a_operator"], "lin", {"x": [[1.0, 1.0]]})
    assert r.status_code == 409
    assert r.json()["refusal"] == "no_pool" and "no pool with a cpu accelerator" in r.json()["message"]
    assert DispatchRecord.objects.get().outcome == "refused"


def test_full_queues_answer_429_and_a_timed_out_wait_503(api, users, setup):
    pool = make_pool(api, users["a_dev"], capacity=1, max_queue=0)
    make_algorithm(api, users["a_dev"], name="lin", model_version=setup["version"].pk, profile="dummy-cpu-numpy")
    release, threads = hold_slots(setup["org"], "cpu", 1)
    try:
        r = call(api, users["a_operator"], "lin", {"x": [[1.0, 1.0]]})
        assert r.status_code == 429 and r["Retry-After"] == "1"
        assert r.json()["refusal"] == "queue_full" and "every cpu pool is full" in r.json()["message"]

        api(users["a_dev"]).patch(f"/api/v1/city/scheduler/pools/{pool['id']}/", {"max_queue": 2}, format="json")
        started = time.monotonic()
        r = call(api, users["a_operator"], "lin", {"x": [[1.0, 1.0]]}, timeout_s=0.1)
        assert time.monotonic() - started >= 0.1
        assert r.status_code == 503 and r.json()["refusal"] == "timeout"
    finally:
        release.set()
        for t in threads:
            t.join()
    refused = DispatchRecord.objects.filter(outcome="refused").order_by("id")
    assert [(d.pool_id, d.wait_ms >= 100) for d in refused] == [(None, False), (pool["id"], True)]
    r = call(api, users["a_operator"], "lin", {"x": [[1.0, 1.0]]})
    assert r.status_code == 200


def test_a_queued_call_waits_for_the_slot_then_runs(api, users, setup):
    make_pool(api, users["a_dev"], capacity=1, max_queue=4)
    make_algorithm(api, users["a_dev"], name="lin", model_version=setup["version"].pk, profile="dummy-cpu-numpy")
    release, threads = hold_slots(setup["org"], "cpu", 1)
    # The slot frees 0.6 s from now; the request spends some of that before it queues (more on a
    # loaded CI host), so the wait it reports is checked against a wide margin below 0.6 s.
    timer = threading.Timer(0.6, release.set)
    timer.start()
    r = call(api, users["a_operator"], "lin", {"x": [[1.0, 1.0]]})
    for t in threads:
        t.join()
    assert r.status_code == 200 and r.json()["wait_ms"] >= 250
    stats = api(users["a_viewer"]).get("/api/v1/city/scheduler/utilisation/").json()["results"][0]
    assert stats["live"]["done"] == 2 and stats["live"]["running"] == 0 and stats["live"]["queued"] == 0
    assert stats["live"]["wait_ms_p95"] >= 250 and stats["live"]["busy"] > 0
    assert stats["recorded"] == {"window_minutes": 60, "calls": 1, "ok": 1, "refused": 0, "failed": 0}


@pytest.fixture
def gpu_numpy_profiles(monkeypatch):
    """Accelerator profiles for the numpy model, as a vertical would declare them: one
    with a CPU stand-in, one without."""
    monkeypatch.setitem(registry["profiles"], "test-gpu-numpy",
                        {"name": "test-gpu-numpy", "backend": "numpy", "device": "gpu",
                         "options": {"cpu_standin": "dummy-cpu-numpy"}, "vertical": "dummy"})
    monkeypatch.setitem(registry["profiles"], "test-npu-numpy",
                        {"name": "test-npu-numpy", "backend": "numpy", "device": "npu", "vertical": "dummy"})


@pytest.mark.skipif(not NO_GPU, reason="this host has a GPU: its pools are not simulated")
def test_a_simulated_pool_runs_on_the_cpu_and_says_so(api, users, setup, gpu_numpy_profiles):
    make_pool(api, users["a_dev"])
    gpu = make_pool(api, users["a_dev"], name="gpu-a", accelerator="gpu", capacity=2)
    algo = make_algorithm(api, users["a_dev"], name="lin-gpu", model_version=setup["version"].pk,
                          profile="test-gpu-numpy")
    assert (algo["device"], algo["executed_profile"], algo["simulated"]) == ("gpu", "dummy-cpu-numpy", True)
    body = call(api, users["a_operator"], "lin-gpu", {"x": [[1.0, 1.0]]}).json()
    assert body["outputs"] == {"y": [1.0]}
    assert (body["pool"], body["accelerator"], body["simulated"]) == ("gpu-a", "gpu", True)
    assert (body["profile"], body["executed_profile"]) == ("test-gpu-numpy", "dummy-cpu-numpy")
    assert "no NVIDIA GPU on this host" in body["simulated_reason"]
    rec = DispatchRecord.objects.get(pk=body["dispatch_id"])
    assert rec.simulated and rec.pool_id == gpu["id"]
    assert "simulated on the CPU under dummy-cpu-numpy" in rec.message and "no NVIDIA GPU" in rec.message
    util = {p["name"]: p for p in api(users["a_viewer"]).get("/api/v1/city/scheduler/utilisation/").json()["results"]}
    assert util["gpu-a"]["simulated"] and util["gpu-a"]["live"]["done"] == 1 and util["cpu-main"]["live"]["done"] == 0


@pytest.mark.skipif(not NO_NPU, reason="this host has an NPU")
def test_an_absent_accelerator_without_a_cpu_standin_is_refused(api, users, setup, gpu_numpy_profiles):
    make_pool(api, users["a_dev"], name="npu-a", accelerator="npu")
    algo = make_algorithm(api, users["a_dev"], name="lin-npu", model_version=setup["version"].pk,
                          profile="test-npu-numpy")
    assert not algo["runnable"] and "no CPU profile is defined to simulate it" in algo["problem"]
    r = call(api, users["a_operator"], "lin-npu", {"x": [[1.0, 1.0]]})
    assert r.status_code == 409 and r.json()["refusal"] == "no_standin"
    assert "no Ascend NPU on this host" in r.json()["message"]


def test_the_core_standins_are_cpu_profiles_of_the_same_framework():
    from core.inference.profiles import get_profile

    for accel_name, cpu_name in runtime.SIMULATION_STANDINS.items():
        accel, cpu = get_profile(accel_name), get_profile(cpu_name)
        assert accel.device != "cpu" and cpu.device == "cpu" and accel.backend == cpu.backend


def test_disabling_a_pool_takes_effect_on_the_next_call(api, users, setup):
    pool = make_pool(api, users["a_dev"])
    make_algorithm(api, users["a_dev"], name="lin", model_version=setup["version"].pk, profile="dummy-cpu-numpy")
    assert call(api, users["a_operator"], "lin", {"x": [[1.0, 1.0]]}).status_code == 200
    api(users["a_dev"]).patch(f"/api/v1/city/scheduler/pools/{pool['id']}/", {"enabled": False}, format="json")
    assert call(api, users["a_operator"], "lin", {"x": [[1.0, 1.0]]}).status_code == 409


# -- page ------------------------------------------------------------------------------------

def test_the_page_shows_pools_simulation_algorithms_and_calls(client, api, users, setup):
    make_pool(api, users["a_dev"])
    make_pool(api, users["a_dev"], name="gpu-a", accelerator="gpu")
    make_algorithm(api, users["a_dev"], name="lin", model_version=setup["version"].pk, profile="dummy-cpu-numpy")
    call(api, users["a_operator"], "lin", {"x": [[1.0, 1.0]]})
    client.force_login(users["a_viewer"])
    r = client.get("/v/city/scheduler/")
    assert r.status_code == 200
    html = r.content.decode()
    assert 'data-pool="cpu-main" data-simulated="false"' in html
    assert f'data-pool="gpu-a" data-simulated="{"true" if NO_GPU else "false"}"' in html
    if NO_GPU:
        assert "no NVIDIA GPU on this host" in html
    assert 'data-algorithm="lin"' in html and 'data-outcome="ok"' in html
    panel = client.get("/v/city/scheduler/utilisation/").content.decode()
    assert 'hx-trigger="every 5s"' in panel and 'data-pool="cpu-main"' in panel
    client.force_login(users["b_dev"])
    assert 'data-pool="cpu-main"' not in client.get("/v/city/scheduler/").content.decode()


# -- a detector on a simulated GPU pool (slow: trains the tiny test detector) ----------------

@pytest.mark.slow
@pytest.mark.skipif(not NO_GPU, reason="this host has a GPU: its pools are not simulated")
def test_a_detector_deployed_for_the_gpu_runs_simulated_on_its_cpu_standin(api, users, orgs, tiny_detector):
    bundle, coco = tiny_detector
    artifact, _ = store_file(bundle, filename="det.zip", organisation=orgs["a"], acting_user=users["a_dev"])
    model = create_model(name="tiny-det", organisation=orgs["a"], acting_user=users["a_dev"])
    version = create_version(model, artifact=artifact, acting_user=users["a_dev"])
    # Meant for a GPU host (an edge node or another server): recorded without the host check.
    create_deployment(name="det-gpu", organisation=orgs["a"], model_version=version, profile="gpu-onnxruntime",
                      acting_user=users["a_dev"], check_host=False)
    make_pool(api, users["a_dev"], name="gpu-a", accelerator="gpu")
    algo = make_algorithm(api, users["a_dev"], name="det", deployment="det-gpu")
    assert (algo["task"], algo["executed_profile"], algo["simulated"]) == ("detection", "cpu-onnxruntime", True)
    image = sorted((coco / "images").iterdir())[1].read_bytes()
    r = api(users["a_operator"]).post("/api/v1/city/scheduler/algorithms/det/call/",
                                      {"image": io.BytesIO(image)}, format="multipart")
    assert r.status_code == 200, r.content
    body = as_json(r)
    assert body["simulated"] and body["executed_profile"] == "cpu-onnxruntime" and body["pool"] == "gpu-a"
    assert body["image"] == {"width": 320, "height": 320} and isinstance(body["detections"], list)
    pred = PredictionRecord.objects.get(pk=body["prediction_id"])
    assert pred.output["scheduler"]["simulated"] and pred.output["detections"] == body["detections"]
    r = api(users["a_operator"]).post("/api/v1/city/scheduler/algorithms/det/call/",
                                      {"image": io.BytesIO(b"not an image")}, format="multipart")
    assert r.status_code == 400
    r = call(api, users["a_operator"], "det", {"x": [1]})
    assert r.status_code == 400 and "send an image" in r.json()["message"]
