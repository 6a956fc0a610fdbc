"""Dataset pages: the datasets a user may see, a dataset's immutable versions with the models
trained on each, and a detection version's sample gallery (thumbnails with their boxes,
filters, class and box-size distributions)."""
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Max, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from core.data import exports, gallery
from core.data.lib.samples import STATES, diff
from core.data.materialize import NotADataset
from core.data.queries import visible_datasets
from core.hub.graph import lineage_graph
from core.platform import access
from core.platform.lib import roles

from .htmx import render_page

MAX_FILTER_CHARS = 100
PER_PAGE = 48
DETECTION = "detection"
IMAGE_KINDS = ("detection", "classification")  # datasets of images the gallery shows
TEXT = "text"


def _visible_datasets(user):
    return visible_datasets(user)


@login_required
def dataset_list(request):
    query = request.GET.get("q", "").strip()[:MAX_FILTER_CHARS]
    datasets = (_visible_datasets(request.user)
                .annotate(latest=Max("versions__version"), version_count=Count("versions"))
                .order_by("name", "organisation__name", "id"))
    if query:
        datasets = datasets.filter(Q(name__icontains=query) | Q(organisation__name__icontains=query)
                                   | Q(kind__icontains=query) | Q(vertical__icontains=query))
    return render_page(request, "ui/datasets.html", "ui/partials/datasets_table.html",
                       {"datasets": list(datasets), "q": query})


def _trained_on(user, version):
    """The model versions downstream of a dataset version that the user may see."""
    graph = lineage_graph(user, "dataset_version", version.pk, depth=2, direction="downstream")
    return [n for n in graph["nodes"] if n["kind"] == "model_version"]


@login_required
def dataset_detail(request, dataset_id):
    dataset = get_object_or_404(_visible_datasets(request.user), pk=dataset_id)
    versions = list(dataset.versions.select_related("created_by").order_by("-version"))
    for v in versions:
        v.models = _trained_on(request.user, v)
    return render(request, "ui/dataset.html", {"dataset": dataset, "versions": versions,
                                               "is_detection": dataset.kind == DETECTION,
                                               "can_publish": access.can(request.user, roles.DEVELOP,
                                                                         dataset.organisation),
                                               "import_formats": IMPORT_FORMATS.get(dataset.kind, ())})


@login_required
@require_POST
def dataset_publish(request, dataset_id):
    from django.contrib import messages

    from core.data.actions.datasets import publish

    dataset = get_object_or_404(_visible_datasets(request.user), pk=dataset_id)
    try:
        publish(dataset, published=request.POST.get("published") == "true", acting_user=request.user)
    except PermissionError as exc:
        messages.error(request, str(exc))
    return redirect("ui:dataset", dataset_id=dataset.pk)


def _version(request, dataset_id, number):
    dataset = get_object_or_404(_visible_datasets(request.user), pk=dataset_id)
    return dataset, get_object_or_404(dataset.versions.select_related("artifact"), version=number)


@login_required
def dataset_version(request, dataset_id, number):
    dataset, version = _version(request, dataset_id, number)
    context = {"dataset": dataset, "version": version}
    if dataset.kind == TEXT:
        return _text_version(request, context, version)
    if dataset.kind not in IMAGE_KINDS:
        return render(request, "ui/dataset_version.html", {**context, "gallery": None})
    try:
        index = gallery.samples_of(version)
    except NotADataset as exc:
        return render(request, "ui/dataset_version.html", {**context, "gallery": None, "problem": str(exc)},
                      status=200)
    category = request.GET.get("class") or None
    state = request.GET.get("state") or None
    error = None
    try:
        chosen = index.select(category=category, state=state)
    except ValueError as exc:
        error, chosen, category, state = str(exc), index.samples, None, None
    page = Paginator(chosen, PER_PAGE).get_page(request.GET.get("page"))
    counts = index.class_counts()
    bands = index.size_bands()
    return render_page(request, "ui/dataset_version.html", "ui/partials/gallery.html", {
        **context,
        "gallery": page, "samples": [_card(s) for s in page.object_list], "total": len(chosen),
        "categories": index.categories, "category": category, "state": state, "states": STATES, "error": error,
        "unlabelled": index.unlabelled(),
        "is_detection": dataset.kind == DETECTION,
        "class_chart": {"names": list(counts), "values": [counts[c][0 if dataset.kind == DETECTION else 1]
                                                          for c in counts]},
        "size_chart": {"names": list(bands), "values": list(bands.values())},
        "class_rows": [(c, *counts[c]) for c in counts],
    }, status=400 if error else 200)


def _text_version(request, context, version):
    index = gallery.texts_of(version)
    category, state, error = request.GET.get("class") or None, request.GET.get("state") or None, None
    try:
        chosen = index.select(category=category, state=state)
    except ValueError as exc:
        error, chosen, category, state = str(exc), index.samples, None, None
    page = Paginator(chosen, 50).get_page(request.GET.get("page"))
    counts = index.class_counts()
    return render(request, "ui/dataset_version.html", {
        **context, "texts": page, "total": len(chosen), "error": error, "category": category, "state": state,
        "categories": index.categories + index.entity_types, "unlabelled": index.unlabelled(),
        "class_chart": {"names": list(counts), "values": [counts[c][1] for c in counts]},
        "class_rows": [(c, *counts[c]) for c in counts],
    }, status=400 if error else 200)


def _card(sample):
    """A gallery card: the sample and its boxes as percentages of the image (an SVG overlay
    scales with the thumbnail)."""
    w, h = max(sample.width, 1), max(sample.height, 1)
    return {"id": sample.id, "file_name": sample.file_name, "width": sample.width, "height": sample.height,
            "classes": sample.classes,
            "boxes": [{"category": b.category, "x": 100 * b.x / w, "y": 100 * b.y / h, "w": 100 * b.w / w,
                       "h": 100 * b.h / h} for b in sample.boxes]}


@login_required
@require_GET
def sample_image(request, dataset_id, number, sample_id, size):
    if size not in ("thumb", "full"):
        raise Http404("an image is served as 'thumb' or 'full'")
    _, version = _version(request, dataset_id, number)
    if version.dataset.kind not in IMAGE_KINDS:
        raise Http404("this dataset holds no images")
    try:
        path = gallery.thumbnail_path(version, sample_id) if size == "thumb" else gallery.image_path(version, sample_id)
    except (gallery.NoSample, NotADataset) as exc:
        raise Http404(str(exc)) from None
    response = FileResponse(open(path, "rb"), content_type="image/jpeg" if size == "thumb" else None)
    response["Cache-Control"] = "private, max-age=86400, immutable"  # a version never changes
    return response


@login_required
@require_GET
def version_export(request, dataset_id, number, fmt):
    _, version = _version(request, dataset_id, number)
    if (fmt == "voc" and version.dataset.kind != DETECTION) or (fmt == "csv" and version.dataset.kind not in IMAGE_KINDS):
        raise Http404("VOC is for detection datasets, CSV for image datasets")
    try:
        fh, content_type, name = exports.export(version, fmt)
    except exports.UnknownFormat as exc:
        raise Http404(str(exc)) from None
    except NotADataset as exc:
        raise Http404(str(exc)) from None
    return FileResponse(fh, content_type=content_type, as_attachment=True, filename=name)


MAX_LISTED = 200


@login_required
def version_diff(request, dataset_id):
    """What changed between two versions of a detection dataset (?from=1&to=2)."""
    dataset = get_object_or_404(_visible_datasets(request.user), pk=dataset_id)
    if dataset.kind not in IMAGE_KINDS:
        raise Http404("versions are compared image by image for image datasets")
    numbers = sorted(dataset.versions.values_list("version", flat=True))
    try:
        a = int(request.GET.get("from") or (numbers[-2] if len(numbers) > 1 else numbers[-1]))
        b = int(request.GET.get("to") or numbers[-1])
    except (ValueError, IndexError):
        raise Http404("name two versions: ?from=1&to=2") from None
    old = get_object_or_404(dataset.versions, version=a)
    new = get_object_or_404(dataset.versions, version=b)
    try:
        changes = diff(gallery.samples_of(old), gallery.samples_of(new))
    except NotADataset as exc:
        raise Http404(str(exc)) from None
    by_name = {s.file_name: s for s in gallery.samples_of(new).samples}
    removed_by_name = {s.file_name: s for s in gallery.samples_of(old).samples}
    listed = {key: changes[key][:MAX_LISTED] for key in ("added", "removed", "relabelled")}
    return render(request, "ui/dataset_diff.html", {
        "dataset": dataset, "old": old, "new": new, "numbers": numbers, "changes": changes,
        "added": [_card(by_name[n]) for n in listed["added"]],
        "removed": [_card(removed_by_name[n]) for n in listed["removed"]],
        "relabelled": [(_card(removed_by_name[n]), _card(by_name[n])) for n in listed["relabelled"]],
        "max_listed": MAX_LISTED,
    })


IMPORT_FORMATS = {"detection": ("coco", "voc"), "classification": ("classes",), "text": ("text",)}


@login_required
@require_POST
def dataset_import(request, dataset_id):
    """An upload stored as an artifact (hashed, size-limited), then imported by a job whose page
    shows the progress: a large set never holds the request open."""
    from django.contrib import messages
    from django.core.exceptions import ValidationError

    from core.data.actions.importers import limit
    from core.hub.actions.artifacts import store_artifact
    from core.training.actions.jobs import submit_job

    dataset = get_object_or_404(_visible_datasets(request.user), pk=dataset_id)
    upload, fmt = request.FILES.get("file"), request.POST.get("format", "")
    problem = None
    if not access.can(request.user, roles.DEVELOP, dataset.organisation):
        problem = f"you may not add dataset versions in {dataset.organisation}"
    elif fmt not in IMPORT_FORMATS.get(dataset.kind, ()):
        problem = f"a {dataset.kind} dataset imports {', '.join(IMPORT_FORMATS.get(dataset.kind, ())) or 'nothing here'}"
    elif upload is None:
        problem = "choose a file to import"
    elif upload.size > limit("DATA_IMPORT_MAX_UPLOAD_BYTES"):
        problem = f"the file is {upload.size:,} bytes, more than the {limit('DATA_IMPORT_MAX_UPLOAD_BYTES'):,} allowed"
    if problem:
        messages.error(request, problem)
        return redirect("ui:dataset", dataset_id=dataset.pk)
    try:
        artifact, _ = store_artifact(upload, filename=upload.name[-200:], organisation=dataset.organisation,
                                     acting_user=request.user, max_bytes=limit("DATA_IMPORT_MAX_UPLOAD_BYTES"))
        job = submit_job(trainer="core.dataset_import", organisation=dataset.organisation, acting_user=request.user,
                         params={"dataset": dataset.pk, "artifact": artifact.sha256, "format": fmt,
                                 "source": f"{upload.name} uploaded by {request.user.get_username()}"})
    except (ValidationError, PermissionError) as exc:
        messages.error(request, "; ".join(exc.messages) if hasattr(exc, "messages") else str(exc))
        return redirect("ui:dataset", dataset_id=dataset.pk)
    return redirect("ui:job", job_id=job.pk)
