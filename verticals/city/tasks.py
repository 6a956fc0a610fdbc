"""Thin Celery wrappers around the structuring pipeline; callers send them to the "city"
queue (apply_async(..., queue="city")), as the API does."""
from celery import shared_task

DEFAULT_SECONDS = 60.0
MAX_SECONDS = 24 * 3600.0


def _seconds(max_seconds):
    s = float(max_seconds or DEFAULT_SECONDS)
    return min(max(s, 1.0), MAX_SECONDS)


@shared_task(name="city.run_camera", acks_late=False)
def run_camera_task(camera_id, max_seconds=DEFAULT_SECONDS, user_id=None):
    """One camera for at most max_seconds. Returns the StreamRun's id and outcome."""
    from django.contrib.auth import get_user_model

    from .models import Camera
    from .actions.pipeline import run_camera

    camera = Camera.objects.select_related("organisation", "deployment__model_version").filter(pk=camera_id).first()
    if camera is None:
        return {"camera": camera_id, "outcome": "missing"}
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    run = run_camera(camera, max_seconds=_seconds(max_seconds), acting_user=user)
    return {"camera": camera.pk, "run": run.pk, "outcome": run.outcome, "message": run.message}


@shared_task(name="city.run_all_cameras", acks_late=False)
def run_all_cameras_task(org_id, max_seconds=DEFAULT_SECONDS):
    """Every enabled camera of the organisation (and its subtree), each in its own thread."""
    from core.platform.models import Organisation

    from .models import Camera
    from .actions.pipeline import run_cameras

    org = Organisation.objects.filter(pk=org_id).first()
    if org is None:
        return {"organisation": org_id, "runs": []}
    cameras = (Camera.objects.filter(organisation__path__startswith=org.path, enabled=True)
               .select_related("organisation", "deployment__model_version"))
    runs = run_cameras(cameras, max_seconds=_seconds(max_seconds))
    return {"organisation": org.pk, "runs": [{"run": r.pk, "camera": r.camera_id, "outcome": r.outcome}
                                             for r in runs if r is not None]}
