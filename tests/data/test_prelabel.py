"""Pre-labelling (issue 20): a hub detection model version proposes boxes for a project's open
tasks as a job (through the inference engine, its bundle verified), each proposal keeps the
model version, and the project reports per model how many were taken unchanged, corrected or
rejected."""
import pytest

from core.data.actions.datasets import create_dataset
from core.data.actions.importers import import_coco
from core.data.actions.labelling import create_project, prelabel_report, save_labels
from core.data.lib.labels import prelabel_outcome
from core.hub.actions.artifacts import store_file
from core.hub.actions.registry import create_model, create_version
from core.inference import engine
from core.training.actions.jobs import submit_job
from core.training.actions.runner import run_job
from core.training.models import Job


def test_outcomes_on_hand_made_cases():
    pre = [{"category": "dent", "bbox": [10, 10, 20, 20]}, {"category": "scratch", "bbox": [50, 50, 5, 30]}]
    assert prelabel_outcome(pre, [dict(b) for b in pre]) == "unchanged"
    assert prelabel_outcome(pre, [pre[0], {"category": "dent", "bbox": [50, 50, 5, 30]}]) == "corrected"  # class
    assert prelabel_outcome(pre, [pre[0]]) == "corrected"                                               # one dropped
    assert prelabel_outcome(pre, pre + [{"category": "dent", "bbox": [0, 0, 3, 3]}]) == "corrected"     # one added
    moved = {"category": "dent", "bbox": [12, 12, 20, 20]}  # IoU 0.68 with the proposal: redrawn
    assert prelabel_outcome(pre, [moved, pre[1]]) == "corrected"
    assert prelabel_outcome(pre, [moved]) == "rejected"                                                 # none kept
    assert prelabel_outcome(pre, []) == "rejected"
    assert prelabel_outcome([], []) == "unchanged"


@pytest.fixture
def setup(tiny_detector, orgs, users, make_user):
    bundle, coco = tiny_detector
    engine.forget_all()
    dataset = create_dataset(name="shapes", organisation=orgs["a"], kind="detection", acting_user=users["a_dev"])
    source = import_coco(coco, dataset=dataset, acting_user=users["a_dev"])
    annotator = make_user("a_annotator", orgs["a"], "annotator")
    project = create_project(name="shapes-check", source=source, classes=["dark_square", "bright_disc"],
                             acting_user=users["a_dev"], annotators=[annotator])
    art, _ = store_file(bundle, organisation=orgs["a"], acting_user=users["a_dev"])
    version = create_version(create_model(name="tiny-det", organisation=orgs["a"], acting_user=users["a_dev"]),
                             artifact=art, acting_user=users["a_dev"])
    return project, version, annotator


def test_a_prelabel_job_proposes_boxes_with_their_model_version(setup, orgs, users):
    project, version, annotator = setup
    job = submit_job(trainer="core.prelabel", organisation=orgs["a"], acting_user=users["a_dev"],
                     params={"project": project.pk, "model_version": version.pk, "min_score": 0.0, "limit": 6})
    assert run_job(job.pk) == "succeeded", Job.objects.get(pk=job.pk).log_tail[-2000:]
    result = Job.objects.get(pk=job.pk).result
    assert result["tasks"] == 6 and result["boxes"] > 0
    done = list(project.tasks.filter(prelabel_model=version).order_by("sample_id"))
    assert len(done) == 6
    for task in done:
        for box in task.prelabels:
            x, y, w, h = box["bbox"]
            assert box["category"] in project.classes and w > 0 and h > 0 and 0 <= x and x + w <= 320.5
    taken, fixed = [t for t in done if t.prelabels][:2]
    save_labels(taken, labels=taken.prelabels, revision=taken.revision, acting_user=annotator, submit=True)
    save_labels(fixed, labels=fixed.prelabels[1:] + [{"category": "dark_square", "bbox": [1, 1, 9, 9]}],
                revision=fixed.revision, acting_user=annotator, submit=True)
    (row,) = prelabel_report(project)
    assert row["model_version"] == version.pk
    assert (row["unchanged"], row["corrected"], row["rejected"], row["open"]) == (1, 1, 0, 4)


def test_a_prelabel_job_is_refused_at_the_door_for_what_it_cannot_use(setup, orgs, users):
    from django.core.exceptions import ValidationError

    project, version, _ = setup
    with pytest.raises(ValidationError, match="model version"):
        submit_job(trainer="core.prelabel", organisation=orgs["a"], acting_user=users["a_dev"],
                   params={"project": project.pk, "model_version": 999999})
    with pytest.raises(ValidationError, match="unknown deployment profile"):
        submit_job(trainer="core.prelabel", organisation=orgs["a"], acting_user=users["a_dev"],
                   params={"project": project.pk, "model_version": version.pk, "profile": "tpu-magic"})
    with pytest.raises(ValidationError, match="project"):
        submit_job(trainer="core.prelabel", organisation=orgs["b"], acting_user=users["b_dev"],
                   params={"project": project.pk, "model_version": version.pk})


def test_the_project_page_queues_a_prelabel_job_and_reports_models(client, setup, users):
    project, version, _ = setup
    client.force_login(users["a_dev"])
    page = client.get(f"/data/labelling/{project.pk}/").content.decode()
    assert f'<option value="{version.pk}">tiny-det v1</option>' in page
    response = client.post(f"/data/labelling/{project.pk}/prelabel/", {"model_version": version.pk, "min_score": "0"})
    job = Job.objects.get(trainer="core.prelabel")
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert job.params == {"project": project.pk, "model_version": version.pk, "profile": "cpu-onnxruntime",
                          "min_score": 0.0}
    client.force_login(users["a_approver"])  # no developer: no form, and a post is refused with the reason
    assert 'id="prelabel-form"' not in client.get(f"/data/labelling/{project.pk}/").content.decode()
    refused = client.post(f"/data/labelling/{project.pk}/prelabel/", {"model_version": version.pk}, follow=True)
    assert "you may not start jobs" in refused.content.decode()
