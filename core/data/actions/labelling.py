"""Labelling projects: tasks over a detection version's images, annotators saving and
submitting boxes (a stale save is refused, nothing is lost), reviewers accepting or sending
back others' work, and new dataset versions cut from accepted labels. Every decision is
audited."""
from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from pathlib import Path

from django.db import transaction
from django.db.models import Q

from core.hub.actions.artifacts import store_file
from core.platform import access
from core.platform.actions.audit import record
from core.platform.errors import BadInput, Conflict
from core.platform.lib import roles

from .. import gallery
from ..lib import packaging
from ..lib.labels import LabelError, check_boxes, check_schema, check_tags, check_text, labelled_document
from ..materialize import NotADataset
from ..models import LabelProject, LabelTask
from .datasets import add_version

DETECTION = "detection"
CLASSIFICATION = "classification"
TEXT = "text"
KINDS = (DETECTION, CLASSIFICATION, TEXT)


def _labels_hash(labels):
    return hashlib.sha256(json.dumps(labels, sort_keys=True).encode()).hexdigest()[:16]


def visible_projects(user):
    return access.scope(LabelProject.objects.all(), user).select_related("organisation", "source__dataset")


def visible_tasks(user):
    """All tasks of the projects where `user` reviews or develops; elsewhere only the tasks
    assigned to them where they may label. A viewer sees no task."""
    if user.is_authenticated and user.is_superuser:
        return LabelTask.objects.all()
    whole = access.org_ids_with(user, roles.REVIEW_LABELS) | access.org_ids_with(user, roles.DEVELOP)
    own = access.org_ids_with(user, roles.LABEL)
    return LabelTask.objects.filter(Q(project__organisation_id__in=whole)
                                    | Q(project__organisation_id__in=own, assignee=user))


def create_project(*, name, source, classes, acting_user, review=True, instructions="", annotators=(), overlap=1,
                   entity_types=()):
    """A project over every image of `source` (a packaged image version), each a task starting
    from the labels the version already has; tasks dealt round-robin to `annotators`. With
    `overlap` 2 each image is labelled by two different annotators (two tasks, slots 1 and 2),
    who start from nothing, so their agreement can be measured."""
    org = source.dataset.organisation
    if not (access.can(acting_user, roles.DEVELOP, org) or access.can(acting_user, roles.REVIEW_LABELS, org)):
        raise PermissionError(f"you may not start labelling projects in {org}")
    if source.dataset.kind not in KINDS:
        raise BadInput(f"{source} is a {source.dataset.kind} dataset; labelling projects label images "
                       f"({', '.join(KINDS)})", field="source")
    if LabelProject.objects.filter(organisation=org, name=name).exists():
        raise BadInput(f"{org} already has a labelling project named {name!r}", field="name")
    text = source.dataset.kind == TEXT
    try:
        classes = check_schema(classes)
        entity_types = check_schema(list(entity_types)) if entity_types else []
        index = gallery.texts_of(source) if text else gallery.samples_of(source)
    except LabelError as exc:
        raise BadInput(str(exc), field="classes") from None
    except NotADataset as exc:
        raise BadInput(str(exc), field="source") from None
    unknown = sorted({c for s in index.samples for c in s.classes} - set(classes) - set(entity_types))
    if unknown:
        raise BadInput(f"the source's boxes use classes the schema lacks: {', '.join(unknown)}; add them or pick "
                       f"another version", field="classes")
    annotators = list(annotators)
    if overlap not in (1, 2):
        raise BadInput("overlap is 1 (one annotator per image) or 2 (two, to measure agreement)", field="overlap")
    if overlap == 2 and len(annotators) < 2:
        raise BadInput("two annotators per image need at least two annotators", field="annotators")
    for user in annotators:
        if not access.can(user, roles.LABEL, org):
            raise BadInput(f"{user} may not label in {org}", field="annotators")
    with transaction.atomic():
        project = LabelProject.objects.create(name=name, organisation=org, source=source, classes=classes,
                                              review=review, instructions=instructions, overlap=overlap,
                                              entity_types=entity_types, created_by=acting_user)
        tasks = []
        for n, s in enumerate(index.samples):
            start = _starting_labels(s, text) if overlap == 1 else []
            for slot in range(1, overlap + 1):
                # the two slots of an image go to two different annotators
                who = annotators[(n + slot - 1) % len(annotators)] if annotators else None
                tasks.append(LabelTask(project=project, sample_id=s.id, slot=slot, assignee=who, labels=start,
                                       file_name=f"#{s.id} {s.text[:60]}" if text else s.file_name))
        LabelTask.objects.bulk_create(tasks)
        record("label_project.create", acting_user=acting_user, organisation=org, obj=project,
               data={"name": name, "source": f"{source.dataset.name} v{source.version}", "classes": classes,
                     "tasks": len(tasks), "overlap": overlap, "annotators": [u.get_username() for u in annotators]})
    return project


def _starting_labels(sample, text):
    if text:
        return ([{"category": sample.label}] if sample.label else []) + [
            {"entity": k, "start": a, "end": b} for a, b, k in sample.entities]
    return ([{"category": b.category, "bbox": [b.x, b.y, b.w, b.h]} for b in sample.boxes]
            + [{"category": t} for t in sample.tags])


def assign(project, *, annotator, acting_user, tasks=None):
    """Give `annotator` the project's unassigned, unfinished tasks (or those in `tasks`)."""
    org = project.organisation
    if not access.can(acting_user, roles.REVIEW_LABELS, org) and not access.can(acting_user, roles.DEVELOP, org):
        raise PermissionError(f"you may not assign labelling tasks in {org}")
    if not access.can(annotator, roles.LABEL, org):
        raise BadInput(f"{annotator} may not label in {org}", field="annotator")
    chosen = project.tasks.exclude(status=LabelTask.Status.ACCEPTED)
    chosen = chosen.filter(pk__in=tasks) if tasks is not None else chosen.filter(assignee__isnull=True)
    # an image's other slot is never the same annotator's: agreement with oneself measures nothing
    theirs = project.tasks.filter(assignee=annotator).values_list("sample_id", flat=True)
    chosen = chosen.exclude(sample_id__in=theirs)
    with transaction.atomic():
        n = chosen.update(assignee=annotator)
        record("label_task.assign", acting_user=acting_user, organisation=org, obj=project,
               data={"annotator": annotator.get_username(), "tasks": n})
    return n


def save_labels(task, *, labels, revision, acting_user, submit=False):
    """Save the assignee's boxes when `revision` is the one they loaded (else Conflict: someone
    saved since, and nothing of theirs is overwritten); `submit` hands the task to review
    (or accepts it where the project has no review)."""
    project = task.project
    if not access.can(acting_user, roles.LABEL, project.organisation):
        raise PermissionError(f"you may not label in {project.organisation}")
    kind = project.source.dataset.kind
    source = (gallery.texts_of if kind == TEXT else gallery.samples_of)(project.source).by_id.get(task.sample_id)
    try:
        if kind == TEXT:
            boxes = check_text(labels, classes=project.classes, entity_types=project.entity_types,
                               length=len(source.text), sample=task.file_name)
        elif kind == CLASSIFICATION:
            boxes = check_tags(labels, classes=project.classes, sample=task.file_name)
        else:
            boxes = check_boxes(labels, classes=project.classes, width=source.width, height=source.height,
                                sample=task.file_name)
    except LabelError as exc:
        raise BadInput(str(exc), field="labels") from None
    with transaction.atomic():
        current = LabelTask.objects.select_for_update().get(pk=task.pk)
        if current.assignee_id != acting_user.pk:
            raise PermissionError("only the annotator the task is assigned to labels it")
        if current.revision != revision:
            raise Conflict(f"{task.file_name} was saved again (revision {current.revision}) since you loaded "
                           f"revision {revision}: reload it, your boxes were not saved")
        if current.status in (LabelTask.Status.SUBMITTED, LabelTask.Status.ACCEPTED):
            raise Conflict(f"{task.file_name} is {current.get_status_display().lower()}; it cannot be changed now")
        current.labels, current.revision, current.labelled_by = boxes, current.revision + 1, acting_user
        if submit:
            current.status = LabelTask.Status.SUBMITTED if project.review else LabelTask.Status.ACCEPTED
        current.save()
        if submit:
            record("label.accept" if current.status == LabelTask.Status.ACCEPTED else "label.submit",
                   acting_user=acting_user, organisation=project.organisation, obj=current,
                   data={"project": project.name, "file": task.file_name, "boxes": len(boxes),
                         "labels_sha": _labels_hash(boxes), "revision": current.revision})
    return current


def review(task, *, accept, acting_user, note=""):
    """A reviewer other than the annotator accepts the submitted labels or sends them back."""
    project = task.project
    if not access.can(acting_user, roles.REVIEW_LABELS, project.organisation):
        raise PermissionError(f"you may not review labels in {project.organisation}")
    with transaction.atomic():
        current = LabelTask.objects.select_for_update().get(pk=task.pk)
        if current.labelled_by_id == acting_user.pk:
            raise PermissionError("a reviewer cannot accept or send back their own labels")
        if current.status != LabelTask.Status.SUBMITTED:
            raise Conflict(f"{current.file_name} is {current.get_status_display().lower()}, not submitted")
        if accept and LabelTask.objects.filter(project=project, sample_id=current.sample_id,
                                               status=LabelTask.Status.ACCEPTED).exclude(pk=current.pk).exists():
            raise Conflict(f"the other annotator's labels of {current.file_name} are accepted already")
        if not accept and not note.strip():
            raise BadInput("say what to change when sending labels back", field="note")
        current.status = LabelTask.Status.ACCEPTED if accept else LabelTask.Status.SENT_BACK
        current.reviewed_by, current.review_note = acting_user, note.strip()[:500]
        current.save()
        record("label.accept" if accept else "label.send_back", acting_user=acting_user,
               organisation=project.organisation, obj=current,
               data={"project": project.name, "file": current.file_name, "boxes": len(current.labels),
                     "labels_sha": _labels_hash(current.labels), "labelled_by": str(current.labelled_by),
                     "note": current.review_note})
    return current


def cut_version(project, *, acting_user):
    """A new version of the project's dataset holding the images whose labels were accepted,
    with those labels; derived from the source version in lineage. The same accepted labels
    give the same content hash (and so reuse the stored artifact)."""
    org = project.organisation
    if not access.can(acting_user, roles.DEVELOP, org):
        raise PermissionError(f"you may not cut dataset versions in {org} (a developer adds dataset versions)")
    accepted = {t.sample_id: t.labels for t in project.tasks.filter(status=LabelTask.Status.ACCEPTED)}
    if not accepted:
        raise BadInput("no task of this project is accepted yet: nothing to cut", field="project")
    if project.source.dataset.kind == TEXT:
        return _cut_text(project, accepted, acting_user)
    index = gallery.samples_of(project.source)
    images = {s.id: {"id": s.id, "file_name": s.file_name, "width": s.width, "height": s.height}
              for s in index.samples}
    doc = labelled_document(images, accepted, project.classes,
                            info={"description": f"labelling project {project.name}"})
    folder = gallery.materialize(project.source) / packaging.IMAGES_DIR
    tmp = Path(tempfile.mkdtemp(prefix="cut-"))
    try:
        zip_path = tmp / "dataset.zip"
        packaging.write_canonical_zip(zip_path, doc, lambda fn: open(folder / fn, "rb"))
        with transaction.atomic():
            artifact, _ = store_file(zip_path, filename=f"{project.source.dataset.name}-coco.zip", organisation=org,
                                     acting_user=acting_user, content_type="application/zip",
                                     max_bytes=zip_path.stat().st_size)
            boxes = sum(len(v) for v in accepted.values())
            version = add_version(project.source.dataset, artifact=artifact, acting_user=acting_user,
                                  num_records=len(accepted),
                                  stats={"num_images": len(accepted), "num_annotations": boxes,
                                         "label_project": project.name},
                                  source=f"labelling project {project.name}: {len(accepted)} accepted images",
                                  derived_from=project.source)
            record("label_project.cut_version", acting_user=acting_user, organisation=org, obj=project,
                   data={"version": version.version, "sha256": artifact.sha256, "images": len(accepted),
                         "boxes": boxes})
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return version


def prelabel_report(project):
    """Per pre-labelling model version: of the tasks handed in (submitted or accepted) that
    carried its proposals, how many kept them unchanged, corrected or rejected them, and how
    many are still open."""
    from ..lib.labels import prelabel_outcome

    out = {}
    for task in project.tasks.filter(prelabel_model__isnull=False).select_related("prelabel_model__model"):
        mv = task.prelabel_model
        row = out.setdefault(mv.pk, {"model_version": mv.pk, "label": f"{mv.model.name} v{mv.version}",
                                     "unchanged": 0, "corrected": 0, "rejected": 0, "open": 0})
        if task.status in (LabelTask.Status.SUBMITTED, LabelTask.Status.ACCEPTED):
            row[prelabel_outcome(task.prelabels or [], task.labels)] += 1
        else:
            row["open"] += 1
    return sorted(out.values(), key=lambda r: r["model_version"])


def agreement_report(project):
    """For a project with two annotators per image: over the images both have handed in, the
    mean agreement (labels.agreement), how many images, and the ones they disagree on most."""
    from ..lib.labels import agreement

    if project.overlap < 2:
        return None
    handed_in = (LabelTask.Status.SUBMITTED, LabelTask.Status.ACCEPTED)
    by_sample = {}
    for task in project.tasks.filter(status__in=handed_in).order_by("sample_id", "slot"):
        by_sample.setdefault(task.sample_id, []).append(task)
    scores = [(agreement(a.labels, b.labels), a.file_name, a.sample_id)
              for a, b in (pair for pair in by_sample.values() if len(pair) == 2)]
    if not scores:
        return {"images": 0, "mean": None, "lowest": []}
    return {"images": len(scores), "mean": round(sum(s for s, _, _ in scores) / len(scores), 4),
            "lowest": [{"file_name": f, "sample_id": i, "agreement": round(s, 4)} for s, f, i in sorted(scores)[:10]]}


def _cut_text(project, accepted, acting_user):
    from ..actions.importers import _store_text
    from ..lib.texts import TextSample, canonical_jsonl, text_index

    source = gallery.texts_of(project.source)
    samples = [TextSample(i, source.by_id[i].text,
                          next((x["category"] for x in labels if "category" in x), None),
                          tuple(sorted((x["start"], x["end"], x["entity"]) for x in labels if "entity" in x)))
               for i, labels in sorted(accepted.items())]
    with transaction.atomic():
        version = _store_text(project.source.dataset, canonical_jsonl(samples), text_index(samples), acting_user,
                              f"labelling project {project.name}: {len(samples)} accepted texts",
                              derived_from=project.source)
        record("label_project.cut_version", acting_user=acting_user, organisation=project.organisation, obj=project,
               data={"version": version.version, "sha256": version.artifact_id, "texts": len(samples)})
    return version
