"""Camera writes: create and update (validated, audited; developer role in the camera's
organisation), and the status the structuring pipeline reports (audited when it changes,
not on every progress tick: those are volume, the StreamRun is their trace)."""
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.platform import access
from core.platform.actions.audit import record
from core.platform.lib import roles

from ..lib.stream import check_source
from ..models import Camera

MAX_FPS = 30.0
MIN_WIDTH, MAX_WIDTH = 64, 3840
EDITABLE = ("name", "source", "deployment", "analysis_fps", "frame_width", "lat", "lon", "heading_deg", "enabled")


def _user(acting_user):
    return acting_user if acting_user is not None and acting_user.is_authenticated else None


def _number(errors, name, value, lo, hi, *, lo_open=False, allow_none=False):
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        errors[name] = f"{name} must be a number"
        return value
    if (value <= lo if lo_open else value < lo) or value > hi:
        errors[name] = f"{name} must be in {'(' if lo_open else '['}{lo:g}, {hi:g}]"
    return value


def _clean(organisation, fields: dict) -> dict:
    errors = {}
    if "name" in fields:
        fields["name"] = str(fields["name"] or "").strip()
        if not fields["name"] or len(fields["name"]) > 200:
            errors["name"] = "name must be 1 to 200 characters"
    if "source" in fields:
        source = fields["source"]
        problem = check_source(source) if isinstance(source, str) else "source must be text"
        if problem is None and len(source.strip()) > 1000:
            problem = "source must be at most 1000 characters"
        if problem:
            errors["source"] = problem
        else:
            fields["source"] = source.strip()
    if "analysis_fps" in fields:
        fields["analysis_fps"] = _number(errors, "analysis_fps", fields["analysis_fps"], 0, MAX_FPS, lo_open=True)
    if "frame_width" in fields:
        w = fields["frame_width"]
        if isinstance(w, bool) or not isinstance(w, int) or not MIN_WIDTH <= w <= MAX_WIDTH or w % 2:
            errors["frame_width"] = f"frame_width must be an even whole number from {MIN_WIDTH} to {MAX_WIDTH}"
    if "lat" in fields:
        _number(errors, "lat", fields["lat"], -90, 90, allow_none=True)
    if "lon" in fields:
        _number(errors, "lon", fields["lon"], -180, 180, allow_none=True)
    if "heading_deg" in fields:
        _number(errors, "heading_deg", fields["heading_deg"], 0, 360, allow_none=True)
    if "enabled" in fields and not isinstance(fields["enabled"], bool):
        errors["enabled"] = "enabled must be true or false"
    dep = fields.get("deployment")
    if dep is not None and dep.organisation_id != organisation.pk:
        errors["deployment"] = f"deployment {dep.name!r} is not in {organisation}"
    if errors:
        raise ValidationError(errors)
    return fields


def _describe(fields):
    return {k: (v.name if k == "deployment" and v is not None else v) for k, v in fields.items()}


def create_camera(*, organisation, code, name, source, acting_user, deployment=None, analysis_fps=5.0,
                  frame_width=640, lat=None, lon=None, heading_deg=None, enabled=True) -> Camera:
    access.require(acting_user, roles.DEVELOP, organisation, "add cameras")
    from django.core.validators import validate_slug

    try:
        validate_slug(code)
        if len(code) > 64:
            raise ValidationError("too long")
    except ValidationError:
        raise ValidationError({"code": "code must be 1 to 64 letters, digits, hyphens or underscores"}) from None
    fields = _clean(organisation, {"name": name, "source": source, "deployment": deployment,
                                   "analysis_fps": analysis_fps, "frame_width": frame_width, "lat": lat, "lon": lon,
                                   "heading_deg": heading_deg, "enabled": enabled})
    if Camera.objects.filter(organisation=organisation, code=code).exists():
        raise ValidationError({"code": f"{organisation} already has a camera {code!r}"})
    try:
        with transaction.atomic():
            camera = Camera.objects.create(organisation=organisation, code=code, created_by=_user(acting_user),
                                           **fields)
            record("city.camera.create", acting_user=acting_user, organisation=organisation, obj=camera,
                   data={"code": code, **_describe(fields)})
    except IntegrityError:
        raise ValidationError({"code": f"{organisation} already has a camera {code!r}"}) from None
    return camera


def update_camera(camera, *, acting_user, **changes) -> Camera:
    access.require(acting_user, roles.DEVELOP, camera.organisation, "change cameras")
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise ValidationError({unknown[0]: f"cannot change {', '.join(unknown)}; changeable: {', '.join(EDITABLE)}"})
    if not changes:
        raise ValidationError({"detail": f"send at least one of {', '.join(EDITABLE)}"})
    fields = _clean(camera.organisation, dict(changes))
    before = _describe({k: getattr(camera, k) for k in fields})
    with transaction.atomic():
        for k, v in fields.items():
            setattr(camera, k, v)
        camera.save(update_fields=list(fields))
        record("city.camera.update", acting_user=acting_user, organisation=camera.organisation, obj=camera,
               data={"before": before, "after": _describe(fields)})
    return camera


def set_camera_status(camera, status, message="", *, acting_user=None, **metrics) -> Camera:
    """The pipeline's report. metrics: any of last_frame_at, measured_fps, frames_analysed.
    Written with an UPDATE of those columns only, so an edit made meanwhile is kept."""
    if status not in Camera.Status.values:
        raise ValidationError({"status": f"status must be one of {', '.join(Camera.Status.values)}"})
    unknown = sorted(set(metrics) - {"last_frame_at", "measured_fps", "frames_analysed"})
    if unknown:
        raise ValidationError({unknown[0]: "not a camera metric"})
    message = (message or "")[:500]
    now = timezone.now()
    with transaction.atomic():
        previous = Camera.objects.select_for_update().filter(pk=camera.pk).values_list("status", flat=True).first()
        if previous is None:
            raise Camera.DoesNotExist(f"camera {camera.pk} is gone")
        Camera.objects.filter(pk=camera.pk).update(status=status, status_message=message, status_at=now, **metrics)
        if previous != status:
            record("city.camera.status", acting_user=acting_user, organisation=camera.organisation, obj=camera,
                   data={"from": previous, "to": status, "message": message})
    camera.status, camera.status_message, camera.status_at = status, message, now
    for k, v in metrics.items():
        setattr(camera, k, v)
    return camera


def record_progress(camera, **metrics):
    """A progress tick during a run (not audited): last_frame_at, frames_analysed, measured_fps."""
    Camera.objects.filter(pk=camera.pk).update(**metrics)
    for k, v in metrics.items():
        setattr(camera, k, v)
