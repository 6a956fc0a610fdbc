"""Labelling pages: the projects a user may see with their progress, a project's tasks (an
annotator sees only theirs), the workspace where boxes are drawn (saved through the API with
the revision loaded), and the reviewer's accept / send back and the developer's cut."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, F, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.data import gallery
from core.data.actions import labelling
from core.data.lib.active import STRATEGIES
from core.data.models import LabelTask
from core.hub.queries import visible_versions
from core.platform import access
from core.platform.errors import BadInput, Conflict
from core.platform.lib import roles

STATUSES = LabelTask.Status
# the latest active-learning round first, its most uncertain images first, then image order
QUEUE_ORDER = (F("round").desc(nulls_last=True), F("priority").desc(nulls_last=True), "sample_id")


def _progress(project_ids):
    rows = (LabelTask.objects.filter(project_id__in=project_ids).values("project_id", "status")
            .annotate(n=Count("id")))
    out = {pk: dict.fromkeys(STATUSES.values, 0) for pk in project_ids}
    for row in rows:
        out[row["project_id"]][row["status"]] = row["n"]
    return out


@login_required
def project_list(request):
    projects = list(labelling.visible_projects(request.user))
    progress = _progress([p.pk for p in projects])
    mine = dict(labelling.visible_tasks(request.user).filter(assignee=request.user)
                .filter(Q(status=STATUSES.TODO) | Q(status=STATUSES.SENT_BACK))
                .values_list("project_id").annotate(n=Count("id")))
    for p in projects:
        p.progress = progress[p.pk]
        p.total = sum(p.progress.values())
        p.my_open = mine.get(p.pk, 0)
    return render(request, "ui/labelling_projects.html", {"projects": projects})


@login_required
def project_detail(request, project_id):
    project = get_object_or_404(labelling.visible_projects(request.user), pk=project_id)
    status = request.GET.get("status") or ""
    tasks = labelling.visible_tasks(request.user).filter(project=project).select_related(
        "assignee", "labelled_by", "reviewed_by").order_by(*QUEUE_ORDER)
    if status in STATUSES.values:
        tasks = tasks.filter(status=status)
    org = project.organisation
    return render(request, "ui/labelling_project.html", {
        "project": project, "tasks": tasks[:500], "status": status, "statuses": STATUSES.choices,
        "progress": _progress([project.pk])[project.pk], "prelabels": labelling.prelabel_report(project),
        "agreement": labelling.agreement_report(project)
        if access.can(request.user, roles.REVIEW_LABELS, org) or access.can(request.user, roles.DEVELOP, org) else None,
        "rounds": list(project.tasks.filter(round__isnull=False).values("round").annotate(
            queued=Count("id"), done=Count("id", filter=Q(status__in=[STATUSES.SUBMITTED, STATUSES.ACCEPTED])))
            .order_by("-round")),
        "strategies": STRATEGIES,
        "can_cut": access.can(request.user, roles.DEVELOP, org),
        "model_versions": (visible_versions(request.user).select_related("model").order_by("-created_at")[:50]
                           if access.can(request.user, roles.DEVELOP, org) else []),
        "can_review": access.can(request.user, roles.REVIEW_LABELS, org),
    })


@login_required
def task_detail(request, task_id):
    task = get_object_or_404(labelling.visible_tasks(request.user).select_related(
        "project", "project__source", "project__source__dataset", "assignee", "labelled_by", "reviewed_by"),
        pk=task_id)
    project = task.project
    is_text = project.source.dataset.kind == "text"
    sample = (gallery.texts_of if is_text else gallery.samples_of)(project.source).by_id[task.sample_id]
    siblings = list(labelling.visible_tasks(request.user).filter(project=project).order_by(*QUEUE_ORDER)
                    .values_list("pk", flat=True))
    at = siblings.index(task.pk)
    editable = (task.assignee_id == request.user.pk and task.status in (STATUSES.TODO, STATUSES.SENT_BACK)
                and access.can(request.user, roles.LABEL, project.organisation))
    can_review = (task.status == STATUSES.SUBMITTED and task.labelled_by_id != request.user.pk
                  and access.can(request.user, roles.REVIEW_LABELS, project.organisation))
    other = None
    if project.overlap > 1 and access.can(request.user, roles.REVIEW_LABELS, project.organisation):
        from core.data.lib.labels import agreement

        other = LabelTask.objects.filter(project=project, sample_id=task.sample_id).exclude(pk=task.pk).select_related(
            "assignee").first()
        if other is not None:
            other.agreement = agreement(task.labels, other.labels)
    return render(request, "ui/label_task.html", {
        "other": other,
        "task": task, "project": project, "sample": sample, "is_text": is_text,
        "previous": siblings[at - 1] if at > 0 else None, "next": siblings[at + 1] if at + 1 < len(siblings) else None,
        "position": at + 1, "count": len(siblings), "editable": editable, "can_review": can_review,
        "workspace": {"task": task.pk, "revision": task.revision, "labels": task.labels,
                      "kind": project.source.dataset.kind, "entity_types": project.entity_types,
                      "doc": sample.text if is_text else None,
                      "prelabels": task.prelabels or [], "classes": project.classes,
                      "width": getattr(sample, "width", 0), "height": getattr(sample, "height", 0), "editable": editable, "status": task.status,
                      "text": {"saving": _("Saving…"), "saved": _("Saved."), "submitted": _("Submitted for review."),
                               "accepted": _("Pre-labels taken: correct them, then save or submit."),
                               "not_saved": _("Not saved:"), "select": _("Select a span of the text first."),
                               "statuses": {v: str(label) for v, label in STATUSES.choices}}},
    })


@login_required
@require_POST
def task_review(request, task_id):
    task = get_object_or_404(labelling.visible_tasks(request.user).select_related("project"), pk=task_id)
    accept = request.POST.get("decision") == "accept"
    try:
        labelling.review(task, accept=accept, acting_user=request.user, note=request.POST.get("note", ""))
    except (PermissionError, Conflict, BadInput) as exc:
        messages.error(request, str(exc))
        return redirect("ui:label_task", task_id=task.pk)
    messages.success(request, _("Accepted: %(file)s.") % {"file": task.file_name} if accept
                     else _("Sent back: %(file)s.") % {"file": task.file_name})
    following = (labelling.visible_tasks(request.user).filter(project=task.project, status=STATUSES.SUBMITTED)
                 .exclude(labelled_by=request.user).order_by("sample_id").first())
    return redirect("ui:label_task", task_id=following.pk) if following else redirect(
        "ui:label_project", project_id=task.project_id)


@login_required
@require_POST
def project_cut(request, project_id):
    project = get_object_or_404(labelling.visible_projects(request.user), pk=project_id)
    try:
        version = labelling.cut_version(project, acting_user=request.user)
    except (PermissionError, BadInput) as exc:
        messages.error(request, str(exc))
        return redirect("ui:label_project", project_id=project.pk)
    messages.success(request, _("Version %(v)s of %(dataset)s cut from %(n)s accepted images.") % {
        "v": version.version, "dataset": version.dataset.name, "n": version.num_records})
    return redirect("ui:dataset_version", dataset_id=version.dataset_id, number=version.version)


def _queue(request, project_id, trainer, params_of, queued):
    """Submit `trainer` for the project with the params read from the form by `params_of(post)`
    and go to the job's page; a refusal (bad number, permission, the trainer's own check) is
    said on the project page."""
    from django.core.exceptions import ValidationError

    from core.training.actions.jobs import submit_job

    project = get_object_or_404(labelling.visible_projects(request.user), pk=project_id)
    try:
        job = submit_job(trainer=trainer, organisation=project.organisation, acting_user=request.user,
                         params={"project": project.pk, **params_of(request.POST)})
    except (ValidationError, PermissionError, ValueError) as exc:
        messages.error(request, "; ".join(exc.messages) if hasattr(exc, "messages") else str(exc))
        return redirect("ui:label_project", project_id=project.pk)
    messages.success(request, queued % {"job": job.pk})
    return redirect("ui:job", job_id=job.pk)


@login_required
@require_POST
def project_prelabel(request, project_id):
    """Queue a pre-labelling job: the chosen model version proposes boxes for the open tasks."""
    return _queue(request, project_id, "core.prelabel", lambda post: {
        "model_version": int(post.get("model_version") or 0), "profile": post.get("profile") or "cpu-onnxruntime",
        "min_score": float(post.get("min_score") or 0.3)}, _("Pre-labelling queued as job %(job)s."))


@login_required
@require_POST
def project_round(request, project_id):
    """Queue an active-learning round: a model (chosen, or trained first on the accepted labels)
    scores the open tasks and the strategy picks the next batch."""
    def params_of(post):
        chosen = post.get("model_version") or ""
        model = ({"train": {"epochs": int(post.get("epochs") or 8)}} if chosen == "train"
                 else {"model_version": int(chosen or 0)})
        return {**model, "strategy": post.get("strategy") or "entropy",
                "batch_size": int(post.get("batch_size") or 20), "profile": post.get("profile") or "cpu-onnxruntime"}

    return _queue(request, project_id, "core.active_round", params_of,
                  _("Active-learning round queued as job %(job)s."))
