"""The camera pages: /v/city/cameras/ (every readable camera with its status, analysed
rate, last frame and message) and /v/city/cameras/<id>/ (its stream runs, a summary of its
tracks per class and its most recent structured records)."""
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max, Min
from django.shortcuts import get_object_or_404, render

from core.platform import access
from core.platform.lib import roles

from ..models import Camera, TrackRecord
from .labels import class_label, dress_camera, dress_record, dress_run

RECENT_RUNS = 20
RECENT_RECORDS = 50


def _visible(user):
    return access.scope(Camera.objects.all(), user)


@login_required
def camera_list(request):
    cameras = [dress_camera(c) for c in _visible(request.user).select_related("organisation", "deployment")]
    return render(request, "city/cameras.html", {"section": "city", "cameras": cameras})


@login_required
def camera_detail(request, camera_id):
    camera = get_object_or_404(_visible(request.user).select_related("organisation", "deployment__model_version"),
                               pk=camera_id)
    dress_camera(camera)
    runs = [dress_run(r) for r in camera.runs.select_related("model_version__model")[:RECENT_RUNS]]
    last_run = runs[0] if runs else None
    summary = []
    if last_run is not None:
        # Per class in the last run: distinct tracks, observations, first and last time seen.
        summary = (TrackRecord.objects.filter(run=last_run).values("cls")
                   .annotate(tracks=Count("track_id", distinct=True), records=Count("id"),
                             first=Min("observed_at"), last=Max("observed_at")).order_by("-tracks", "cls"))
        summary = [{**row, "cls_label": class_label(row["cls"])} for row in summary]
    records = [dress_record(r) for r in
               TrackRecord.objects.filter(camera=camera).order_by("-observed_at", "-id")[:RECENT_RECORDS]]
    return render(request, "city/camera_detail.html", {
        "section": "city", "camera": camera, "runs": runs, "last_run": last_run, "summary": summary,
        "records": records, "can_run": access.can(request.user, roles.PREDICT, camera.organisation)})
