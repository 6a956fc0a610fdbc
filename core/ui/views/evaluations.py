"""A model version's evaluation report, two versions side by side, and the report's
thumbnails: all read from the hub's evaluation records, for whoever may see the version."""
import zipfile

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from core.hub.lib.evaluation_schema import IMAGE_NAME
from core.hub.queries import visible_evaluations, visible_versions
from core.hub.storage import get_storage

from .. import evaluations as ev

MAX_HISTORY = 20
MAX_CANDIDATES = 20
IMAGE_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png"}


def _version(request, version_id):
    return get_object_or_404(visible_versions(request.user).select_related("model", "model__organisation"),
                             pk=version_id)


def _evaluations(version):
    return list(version.evaluations.select_related("created_by").order_by("-created_at", "-id"))


@login_required
@require_GET
def version_evaluation(request, version_id):
    version = _version(request, version_id)
    records = _evaluations(version)
    evaluation = records[0] if records else None
    wanted = request.GET.get("evaluation", "")
    if wanted:
        evaluation = next((e for e in records if str(e.pk) == wanted), None)
        if evaluation is None:
            raise Http404("no such evaluation of this version")
    context = {"version": version, "model": version.model, "evaluation": evaluation,
               "history": records[:MAX_HISTORY], "history_more": max(0, len(records) - MAX_HISTORY)}
    if evaluation is not None:
        datasets = ev.dataset_versions(request.user, [e.dataset_version_id for e in records])
        for e in records:
            e.dataset = datasets.get(e.dataset_version_id)
        context.update(
            summary=ev.summary_rows(evaluation.summary), charts=ev.charts(evaluation),
            per_class=evaluation.report.get("per_class", []),
            worst=ev.example_rows(evaluation, "worst") if evaluation.kind == "classification" else [],
            false_positives=ev.example_rows(evaluation, "false_positives"),
            misses=ev.example_rows(evaluation, "misses"),
            candidates=_candidates(request.user, version, evaluation))
    return render(request, "ui/evaluation.html", context)


def _candidates(user, version, evaluation):
    """Other versions the user sees that were evaluated the same way on the same dataset
    version: what this one can be compared with."""
    if evaluation.dataset_version_id is None:
        return []
    ids = (visible_evaluations(user).filter(dataset_version_id=evaluation.dataset_version_id, kind=evaluation.kind)
           .exclude(model_version=version).values_list("model_version_id", flat=True).distinct()[:MAX_CANDIDATES])
    return list(visible_versions(user).filter(pk__in=list(ids)).select_related("model").order_by("model__name",
                                                                                                  "-version"))


@login_required
@require_GET
def version_compare(request, version_id, other_id):
    a = _version(request, version_id)
    b = _version(request, other_id)
    records_a, records_b = _evaluations(a), _evaluations(b)
    wanted = request.GET.get("dataset_version", "")
    wanted = int(wanted) if wanted.isdigit() and len(wanted) < 19 else None
    first, second = ev.pair(records_a, records_b, wanted)
    common = ev.common_dataset_versions(records_a, records_b)
    datasets = ev.dataset_versions(request.user, [e.dataset_version_id for e in records_a + records_b])
    name_a, name_b = f"{a.model.name} v{a.version}", f"{b.model.name} v{b.version}"
    context = {"a": a, "b": b, "name_a": name_a, "name_b": name_b, "first": first, "second": second,
               "common": [{"id": pk, **datasets[pk]} for pk in common],
               "evaluated_a": _evaluated_on(records_a, datasets), "evaluated_b": _evaluated_on(records_b, datasets)}
    if first is not None:
        fields, rows = ev.per_class_comparison(first, second)
        context.update(dataset=datasets[first.dataset_version_id], summary=ev.summary_comparison(first, second),
                       class_fields=fields, class_rows=rows,
                       charts=ev.comparison_charts(first, second, name_a, name_b))
    return render(request, "ui/evaluation_compare.html", context)


def _evaluated_on(records, datasets):
    """What a version was evaluated on, for the message when two versions share nothing."""
    seen, out = set(), []
    for e in records:
        key = (e.dataset_version_id, e.kind)
        if key not in seen:
            seen.add(key)
            out.append({"kind": e.get_kind_display(),
                        "dataset": datasets.get(e.dataset_version_id) if e.dataset_version_id else None})
    return out


@login_required
@require_GET
def evaluation_image(request, evaluation_id, name):
    """One thumbnail of an evaluation, out of its zip; 404 unless the user sees the version
    and the report names the picture."""
    evaluation = get_object_or_404(visible_evaluations(request.user), pk=evaluation_id)
    if not IMAGE_NAME.match(name) or evaluation.images_id is None:
        raise Http404("no such image")
    storage = get_storage()
    if not storage.exists(evaluation.images_id):
        raise Http404("the evaluation's images are missing from storage")
    with storage.open(evaluation.images_id) as fh:
        try:
            with zipfile.ZipFile(fh) as zf:
                data = zf.read(name)
        except KeyError:
            raise Http404("no such image") from None
        except zipfile.BadZipFile:
            raise Http404("the evaluation's images cannot be read") from None
    response = HttpResponse(data, content_type=IMAGE_TYPES[name.rsplit(".", 1)[-1]])
    # A record never changes, so its pictures do not either.
    response["Cache-Control"] = "private, max-age=86400, immutable"
    return response
