"""city.junction_demo: the muck-truck scene of `make demo`. Trains the road-user detector
(city.traffic_pipeline), points the junction camera at it and runs the camera once over its
scripted clip (covered and uncovered muck trucks, one leaving the permitted lane), so the
muck-truck rules raise their events with evidence frames.

params: those of city.traffic_pipeline, plus camera (the camera code, "junction"), whose
clip `make demo` renders beforehand (render_junction_clip)."""
from pathlib import Path

# Foot positions in the rendered 640x360 street: the lanes run left to right around y 190-300.
SCENARIO = {"random_traffic": True, "objects": [
    {"id": 901, "cls": "muck_truck_uncovered", "lane": 1, "t0": 1.0, "speed": 60},
    {"id": 902, "cls": "muck_truck", "lane": 0, "t0": 4.0, "speed": 70},
    {"id": 903, "cls": "muck_truck", "keys": [[8.0, 20, 300], [14.0, 330, 335], [19.0, 630, 300]]},
]}


def render_junction_clip(*, seed=7, seconds=20.0):
    from django.conf import settings

    from ..lib.synth.traffic import render_clip

    clip = Path(settings.VAR_DIR) / "city" / "junction.avi"
    if not clip.exists():
        render_clip(clip, seconds=seconds, fps=10, seed=seed, scenario=SCENARIO)
    return clip


def junction_demo(ctx):
    from core.inference.models import Deployment

    from ..actions.cameras import update_camera
    from ..models import Camera
    from ..actions.pipeline import run_camera
    from .traffic_pipeline import traffic_pipeline

    p = ctx.params
    result = traffic_pipeline(ctx)
    camera = Camera.objects.get(organisation=ctx.organisation, code=p.get("camera", "junction"))
    deployment = Deployment.objects.get(organisation=ctx.organisation,
                                        name=p.get("deployment_name", "vehicle-detector"))
    ctx.progress(0.95, "running the junction camera through the trained detector")
    camera = update_camera(camera, acting_user=ctx.acting_user, deployment=deployment)
    run = run_camera(camera, max_seconds=120, acting_user=ctx.acting_user)
    ctx.log(f"junction camera: {run.frames_analysed} frames, {run.tracks} tracks, {run.events} events "
            f"({run.outcome}: {run.message})")
    return {**result, "junction_run": run.pk, "junction_events": run.events}
