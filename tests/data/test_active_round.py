"""Active-learning rounds (issue 20): a job where the project's detector scores the open
images and a strategy queues the next batch (round number and priority on each task), so the
annotators' lists show it first; a second round queues other images; bad parameters are
refused at submission."""
import pytest
from django.core.exceptions import ValidationError

from core.data.actions.labelling import save_labels
from core.data.models import LabelTask
from core.training.actions.jobs import submit_job
from core.training.actions.runner import run_job
from core.training.models import Job
from core.training.trainers.active_round import image_probas

from .test_prelabel import setup  # noqa: F401  (fixture)


def test_an_image_is_as_uncertain_as_its_least_decided_box():
    assert image_probas([]) == [0.99, 0.01]
    assert image_probas([{"score": 0.9}, {"score": 0.45}, {"score": 0.02}]) == [0.45, 0.55]
    assert image_probas([{"score": 0.01}]) == [0.99, 0.01]


def _round(orgs, users, project, version, **params):
    job = submit_job(trainer="core.active_round", organisation=orgs["a"], acting_user=users["a_dev"],
                     params={"project": project.pk, **({"model_version": version.pk} if version else {}), **params})
    assert run_job(job.pk) == "succeeded", Job.objects.get(pk=job.pk).log_tail[-2000:]
    return Job.objects.get(pk=job.pk).result


def test_rounds_queue_new_batches_first_in_line(setup, orgs, users, client):  # noqa: F811
    project, version, annotator = setup
    first = _round(orgs, users, project, version, strategy="entropy", batch_size=5)
    assert first["round"] == 1 and len(first["queued"]) == 5
    queued = LabelTask.objects.filter(project=project, round=1)
    assert queued.count() == 5 and all(t.priority is not None for t in queued)
    second = _round(orgs, users, project, version, strategy="coreset", batch_size=4)
    assert second["round"] == 2 and not set(second["queued"]) & set(first["queued"])
    client.force_login(annotator)
    page = client.get(f"/data/labelling/{project.pk}/").content.decode()
    rows = [line.split(">")[1].split("<")[0] for line in page.split('<a href="/data/labelling/tasks/')[1:]]
    assert set(rows[:4]) == set(second["queued"]) and set(rows[4:9]) == set(first["queued"])
    assert "Round 2: 4 images queued, 0 handed in" in page


def test_a_round_is_refused_at_the_door_for_bad_parameters(setup, orgs, users):  # noqa: F811
    project, version, _ = setup
    with pytest.raises(ValidationError, match="strategy must be one of"):
        submit_job(trainer="core.active_round", organisation=orgs["a"], acting_user=users["a_dev"],
                   params={"project": project.pk, "model_version": version.pk, "strategy": "badge"})
    with pytest.raises(ValidationError, match="batch_size"):
        submit_job(trainer="core.active_round", organisation=orgs["a"], acting_user=users["a_dev"],
                   params={"project": project.pk, "model_version": version.pk, "batch_size": 0})


def test_a_whole_round_cuts_trains_and_queues(setup, orgs, users):  # noqa: F811
    from core.data.actions.labelling import review
    from core.hub.models import LineageEdge, ModelVersion

    project, _, annotator = setup
    for task in project.tasks.order_by("sample_id")[:12]:
        task = save_labels(task, labels=task.labels, revision=0, acting_user=annotator, submit=True)
        review(task, accept=True, acting_user=users["a_approver"])
    result = _round(orgs, users, project, None, strategy="entropy", batch_size=4, train={"epochs": 1})
    assert result["trained"] and result["round"] == 1 and len(result["queued"]) == 4
    version = ModelVersion.objects.get(pk=result["model_version"])
    assert version.model.name == "shapes-check-detector"
    cut = project.source.dataset.versions.order_by("-version").first()
    assert cut.num_records == 12
    run_edge = LineageEdge.objects.get(src_kind="dataset_version", src_id=cut.pk, relation="input_to")
    assert LineageEdge.objects.filter(src_kind="training_run", src_id=run_edge.dst_id, dst_kind="model_version",
                                      dst_id=version.pk).exists()


def test_the_project_page_queues_a_training_round(setup, users, client):  # noqa: F811
    project, _, _ = setup
    client.force_login(users["a_dev"])
    page = client.get(f"/data/labelling/{project.pk}/").content.decode()
    assert '<option value="train">' in page
    response = client.post(f"/data/labelling/{project.pk}/round/", {"model_version": "train", "epochs": "3",
                                                                     "strategy": "margin", "batch_size": "5"})
    job = Job.objects.get(trainer="core.active_round")
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert job.params == {"project": project.pk, "train": {"epochs": 3}, "strategy": "margin", "batch_size": 5,
                          "profile": "cpu-onnxruntime"}
