"""Labelling projects (issue 20): the schema and boxes are checked and refused with the field
named, an annotator sees and labels only their own tasks, a stale save is refused without
losing the newer one, a reviewer cannot accept their own labels, every accept is audited, and
the same accepted labels cut a version with the same content hash."""
import pytest

from core.data import gallery
from core.data.actions.importers import import_coco
from core.data.actions.labelling import (
    assign,
    create_project,
    cut_version,
    review,
    save_labels,
    visible_tasks,
)
from core.data.lib.labels import LabelError, check_boxes, check_schema
from core.data.models import LabelTask
from core.platform.errors import BadInput, Conflict
from core.platform.models import AuditEvent

from .conftest import write_coco, zip_folder


@pytest.fixture
def source(det_dataset, users, tmp_path):
    return import_coco(zip_folder(write_coco(tmp_path / "coco"), tmp_path / "coco.zip"), dataset=det_dataset,
                       acting_user=users["a_dev"])


@pytest.fixture
def annotator(make_user, orgs):
    return make_user("a_annotator", orgs["a"], "annotator")


@pytest.fixture
def project(source, users, annotator):
    return create_project(name="separator-relabel", source=source, classes=["scratch", "black_spot", "dent"],
                          acting_user=users["a_dev"], annotators=[annotator])


def test_schema_and_boxes_are_checked_field_by_field():
    assert check_schema([" scratch", "dent"]) == ["scratch", "dent"]
    with pytest.raises(LabelError) as exc:
        check_schema(["dent", "dent", ""])
    assert set(exc.value.errors) == {"classes[1]", "classes[2]"}
    ok = check_boxes([{"category": "dent", "bbox": [1, 2, 10.004, 5]}], classes=["dent"], width=64, height=48)
    assert ok == [{"category": "dent", "bbox": [1.0, 2.0, 10.0, 5.0]}]
    with pytest.raises(LabelError) as exc:
        check_boxes([{"category": "rust", "bbox": [0, 0, 5, 5]}, {"category": "dent", "bbox": [60, 0, 10, 5]},
                     {"category": "dent", "bbox": [0, 0, 0.2, 5]}, {"category": "dent", "bbox": "0 0 5 5"}],
                    classes=["dent"], width=64, height=48, sample="img_001.png")
    errors = exc.value.errors
    assert "not a class" in errors["labels[0].category"][0]
    assert "reaches outside the 64x48 image on img_001.png" in errors["labels[1].bbox"][0]
    assert "at least 1 px" in errors["labels[2].bbox"][0] and "four numbers" in errors["labels[3].bbox"][0]


def test_a_project_starts_from_the_versions_boxes_and_refuses_a_schema_that_drops_a_class(source, users, project):
    tasks = list(project.tasks.order_by("sample_id"))
    assert [t.file_name for t in tasks] == ["img_001.png", "img_002.png", "img_003.png"]
    assert tasks[0].labels[1] == {"category": "black_spot", "bbox": [20.0, 10.0, 40.0, 36.0]}
    with pytest.raises(BadInput, match="lacks: black_spot"):
        create_project(name="other", source=source, classes=["scratch"], acting_user=users["a_dev"])
    with pytest.raises(PermissionError):
        create_project(name="other", source=source, classes=["scratch", "black_spot"], acting_user=users["a_viewer"])


def test_an_annotator_sees_and_labels_only_their_tasks(project, users, annotator, make_user, orgs):
    other = make_user("a_annotator2", orgs["a"], "annotator")
    first = project.tasks.order_by("sample_id").first()
    assign(project, annotator=other, acting_user=users["a_dev"], tasks=[first.pk])
    assert set(visible_tasks(other).values_list("pk", flat=True)) == {first.pk}
    assert first.pk not in set(visible_tasks(annotator).values_list("pk", flat=True))
    assert visible_tasks(users["a_viewer"]).count() == 0
    assert visible_tasks(users["b_dev"]).count() == 0
    assert visible_tasks(users["a_dev"]).count() == 3
    with pytest.raises(PermissionError):
        save_labels(first, labels=[], revision=0, acting_user=annotator)
    with pytest.raises(BadInput, match="outside"):
        save_labels(first, labels=[{"category": "dent", "bbox": [60, 40, 10, 10]}], revision=0, acting_user=other)
    assert LabelTask.objects.get(pk=first.pk).revision == 0  # nothing half-written


def test_a_stale_save_is_told_and_loses_nothing(project, annotator):
    task = project.tasks.get(file_name="img_003.png")
    saved = save_labels(task, labels=[{"category": "dent", "bbox": [1, 1, 10, 10]}], revision=0,
                        acting_user=annotator)
    assert saved.revision == 1
    with pytest.raises(Conflict, match="saved again"):  # a second tab still holding revision 0
        save_labels(task, labels=[], revision=0, acting_user=annotator)
    assert LabelTask.objects.get(pk=task.pk).labels == [{"category": "dent", "bbox": [1.0, 1.0, 10.0, 10.0]}]


def test_review_is_maker_checker_and_audited(project, annotator, users):
    task = project.tasks.get(file_name="img_003.png")
    task = save_labels(task, labels=[{"category": "dent", "bbox": [1, 1, 10, 10]}], revision=0,
                       acting_user=annotator, submit=True)
    assert task.status == LabelTask.Status.SUBMITTED
    with pytest.raises(Conflict, match="cannot be changed"):
        save_labels(task, labels=[], revision=task.revision, acting_user=annotator)
    with pytest.raises(PermissionError):
        review(task, accept=True, acting_user=users["a_viewer"])
    with pytest.raises(BadInput, match="say what to change"):
        review(task, accept=False, acting_user=users["a_approver"])
    back = review(task, accept=False, acting_user=users["a_approver"], note="the dent is larger")
    assert back.status == LabelTask.Status.SENT_BACK and back.review_note == "the dent is larger"
    again = save_labels(back, labels=[{"category": "dent", "bbox": [1, 1, 20, 20]}], revision=back.revision,
                        acting_user=annotator, submit=True)
    done = review(again, accept=True, acting_user=users["a_approver"])
    assert done.status == LabelTask.Status.ACCEPTED
    event = AuditEvent.objects.filter(action="label.accept").latest("id")
    assert event.data["file"] == "img_003.png" and event.data["labelled_by"] == "a_annotator"


def test_a_reviewer_cannot_accept_their_own_labels(project, users):
    task = project.tasks.get(file_name="img_001.png")
    assign(project, annotator=users["a_dev"], acting_user=users["a_dev"], tasks=[task.pk])
    task.refresh_from_db()
    task = save_labels(task, labels=task.labels, revision=0, acting_user=users["a_dev"], submit=True)
    with pytest.raises(PermissionError, match="their own labels"):
        review(task, accept=True, acting_user=users["a_dev"])


def test_the_same_accepted_labels_cut_the_same_version(project, annotator, users):
    for task in project.tasks.exclude(file_name="img_002.png"):
        task = save_labels(task, labels=task.labels, revision=task.revision, acting_user=annotator, submit=True)
        review(task, accept=True, acting_user=users["a_approver"])
    with pytest.raises(PermissionError):
        cut_version(project, acting_user=users["a_approver"])
    first = cut_version(project, acting_user=users["a_dev"])
    second = cut_version(project, acting_user=users["a_dev"])
    assert (first.version, second.version) == (2, 3) and first.artifact_id == second.artifact_id
    index = gallery.samples_of(first)
    assert [s.file_name for s in index.samples] == ["img_001.png", "img_003.png"]  # only accepted images
    assert index.categories == ["scratch", "black_spot", "dent"]
    from core.hub.models import LineageEdge
    assert LineageEdge.objects.filter(src_kind="dataset_version", src_id=project.source.pk,
                                      dst_kind="dataset_version", dst_id=first.pk, relation="derived_from").exists()


def test_the_api_runs_a_project_end_to_end(client, source, users, annotator):
    client.force_login(users["a_dev"])
    r = client.post("/api/v1/label-projects/", {
        "name": "api-project", "dataset": source.dataset_id, "version": source.version,
        "classes": ["scratch", "black_spot"], "annotators": ["a_annotator"]}, content_type="application/json")
    assert r.status_code == 201, r.content
    project = r.json()
    assert project["progress"] == {"todo": 3, "submitted": 0, "sent_back": 0, "accepted": 0}
    bad = client.post("/api/v1/label-projects/", {"name": "x", "dataset": source.dataset_id, "version": 9,
                                                  "classes": ["a"]}, content_type="application/json")
    assert bad.status_code == 400 and "no version 9" in bad.json()["message"]

    client.force_login(annotator)
    tasks = client.get("/api/v1/label-tasks/", {"project": project["id"], "mine": "1"}).json()["results"]
    assert len(tasks) == 3
    task = tasks[0]
    outside = client.post(f"/api/v1/label-tasks/{task['id']}/save/", {
        "labels": [{"category": "scratch", "bbox": [60, 40, 10, 10]}], "revision": 0}, content_type="application/json")
    assert outside.status_code == 400 and "outside" in outside.json()["message"]
    saved = client.post(f"/api/v1/label-tasks/{task['id']}/save/", {
        "labels": [{"category": "scratch", "bbox": [1, 1, 5, 5]}], "revision": 0, "submit": True},
        content_type="application/json")
    assert saved.status_code == 200 and saved.json()["status"] == "submitted" and saved.json()["revision"] == 1
    stale = client.post(f"/api/v1/label-tasks/{task['id']}/save/", {"labels": [], "revision": 0},
                        content_type="application/json")
    assert stale.status_code == 409
    assert client.post(f"/api/v1/label-tasks/{task['id']}/review/", {"accept": True},
                       content_type="application/json").status_code == 403

    client.force_login(users["a_approver"])
    ok = client.post(f"/api/v1/label-tasks/{task['id']}/review/", {"accept": True}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["status"] == "accepted"
    client.force_login(users["a_dev"])
    cut = client.post(f"/api/v1/label-projects/{project['id']}/cut/")
    assert cut.status_code == 201 and cut.json()["num_records"] == 1

    client.force_login(users["b_dev"])
    assert client.get(f"/api/v1/label-projects/{project['id']}/").status_code == 404
    assert client.post(f"/api/v1/label-tasks/{task['id']}/save/", {"labels": [], "revision": 1},
                       content_type="application/json").status_code == 404
    client.force_login(users["a_viewer"])
    assert client.get("/api/v1/label-tasks/").json()["count"] == 0
