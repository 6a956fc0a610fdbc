"""The station page's live parts: inspect uploaded images, poll for new inspections,
review a verdict, stream an inspection's image. Views validate and call
verticals.manufacturing.actions; they never write models themselves."""
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.hub.storage import get_storage
from core.inference.actions.predict import DeploymentUnavailable
from core.inference.codecs import InputError
from core.platform.rest.fields import parse_id

from ..actions import inspections, reviews
from ..models import Inspection
from ..queries import visible_stations
from .pages import can_operate, decorate, inspections_of, live_context, station_or_404

MAX_FILES = 20
FEED_LIMIT = 12

# Magic numbers of the image formats the detector decodes; anything else is served as bytes.
IMAGE_TYPES = [(b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"), (b"BM", "image/bmp"),
               (b"II*\x00", "image/tiff"), (b"MM\x00*", "image/tiff"), (b"GIF8", "image/gif")]


def image_type(head: bytes) -> str:
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return next((t for magic, t in IMAGE_TYPES if head.startswith(magic)), "application/octet-stream")


def _fragment(request, template, context, status=200):
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _is_htmx(request):
    return request.headers.get("HX-Request") == "true"


def _failure(name, exc):
    """A per-file message the operator can act on: what went wrong, in their language,
    then the engine's own words."""
    if isinstance(exc, InputError):
        lead = _("Not a readable image.")
    elif isinstance(exc, ValidationError):
        lead = _("The image was refused.")
    elif isinstance(exc, PermissionError):
        lead = _("You may not run inspections at this station.")
    elif isinstance(exc, DeploymentUnavailable):
        lead = _("The station's model cannot serve right now.")
    else:
        lead = _("The image could not be inspected.")
    detail = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    return {"name": name, "lead": lead, "detail": detail}


@login_required
@require_POST
def inspect_images(request, station_id):
    """Runs the station's model on each uploaded image; answers the result cards (one per
    file, a failed file gets its own error card) and refreshes KPIs, charts and table."""
    station = station_or_404(request.user, station_id)
    if not can_operate(request.user, station):
        raise PermissionDenied(_("Inspecting parts needs the operator role."))
    files = request.FILES.getlist("images")
    results, errors = [], []
    if not files:
        errors.append({"name": "", "lead": _("Choose at least one image to inspect."), "detail": ""})
    elif len(files) > MAX_FILES:
        errors.append({"name": "", "lead": _("Upload at most %(n)d images at a time.") % {"n": MAX_FILES},
                       "detail": ""})
        files = []
    for upload in files:
        name = (upload.name or "")[-200:]
        if upload.size > inspections.MAX_IMAGE_BYTES:
            errors.append({"name": name, "lead": _("The file is larger than %(limit)s.") % {
                "limit": filesizeformat(inspections.MAX_IMAGE_BYTES)}, "detail": ""})
            continue
        try:
            inspection, _result = inspections.inspect(station, upload.read(), acting_user=request.user, source=name)
        except (InputError, ValidationError, PermissionError, DeploymentUnavailable) as exc:
            errors.append(_failure(name, exc))
            continue
        results.append(inspection)
    if not _is_htmx(request):
        return redirect("manufacturing:station", station_id=station.pk)
    # Newest first, as the page lists them.
    cards = [decorate(i) for i in reversed(results)]
    context = {**live_context(station, request.user), "cards": cards, "errors": errors, "refresh": bool(results)}
    return _fragment(request, "manufacturing/partials/inspect_response.html", context,
                     status=200 if results else 400)


@login_required
@require_GET
def feed(request, station_id):
    """Stream mode polls this: inspections newer than `after`, from any source (a camera
    posting to the API shows up here). 204 when there is nothing new."""
    station = station_or_404(request.user, station_id)
    after = parse_id(request.GET.get("after", "0"))
    if after is None:
        return HttpResponse(_("after must be an inspection number"), status=400, content_type="text/plain")
    new = [decorate(i) for i in inspections_of(station).filter(pk__gt=after).order_by("-pk")[:FEED_LIMIT]]
    if not new:
        response = HttpResponse(status=204)
        patch_vary_headers(response, ["HX-Request"])
        return response
    context = {**live_context(station, request.user), "cards": new, "errors": [], "refresh": True,
               "latest_id": new[0].pk}
    return _fragment(request, "manufacturing/partials/feed_response.html", context)


@login_required
@require_POST
def review(request, inspection_id):
    """An operator's finding after re-checking the part; answers the updated table row."""
    inspection = get_object_or_404(
        Inspection.objects.filter(station__in=visible_stations(request.user)).select_related(
            "station__organisation", "station__deployment__model_version__model", "model_version__model"),
        pk=inspection_id)
    station = inspection.station
    if not can_operate(request.user, station):
        raise PermissionDenied(_("Reviewing inspections needs the operator role."))
    truth = request.POST.get("truth", "")
    if truth not in Inspection.Truth.values:
        return HttpResponse(_("Choose whether the part was good or defective."), status=400,
                            content_type="text/plain; charset=utf-8")
    try:
        reviews.review(inspection, truth=truth, note=request.POST.get("note", ""), acting_user=request.user)
    except PermissionError as exc:
        raise PermissionDenied(str(exc)) from None
    if not _is_htmx(request):
        return redirect("manufacturing:station", station_id=station.pk)
    row = decorate(inspections_of(station).get(pk=inspection.pk))
    context = {**live_context(station, request.user, table=False), "i": row, "refresh": True}
    return _fragment(request, "manufacturing/partials/review_response.html", context)


@login_required
@require_GET
def inspection_image(request, inspection_id):
    """The inspected image's bytes, for users who may see its station."""
    inspection = get_object_or_404(Inspection.objects.filter(station__in=visible_stations(request.user)),
                                   pk=inspection_id)
    try:
        fh = get_storage().open(inspection.image_id)
    except FileNotFoundError:
        raise Http404("the image is missing from storage") from None
    head = fh.read(16)
    fh.seek(0)
    response = FileResponse(fh, content_type=image_type(head))
    response["X-Content-Type-Options"] = "nosniff"
    # The bytes behind an inspection never change; only this user's browser keeps them.
    response["Cache-Control"] = "private, max-age=86400"
    return response
