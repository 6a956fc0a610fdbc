"""Two annotators per image (issue 20): each image gets two tasks for two different
annotators who start from nothing, their agreement is measured (hand-computed cases: box F1 at
IoU 0.5 of same-class matches, the same class for classification), the reviewer sees the other
annotator's labels and the score, and only one of an image's two labellings can be accepted."""
import pytest

from core.data.actions.importers import import_coco
from core.data.actions.labelling import agreement_report, create_project, cut_version, review, save_labels
from core.data.lib.labels import agreement
from core.platform.errors import BadInput, Conflict

from .conftest import write_coco, zip_folder


def test_agreement_by_hand():
    a = [{"category": "dent", "bbox": [0, 0, 10, 10]}, {"category": "dent", "bbox": [20, 20, 10, 10]}]
    assert agreement(a, a) == 1.0
    assert agreement(a, a[:1]) == pytest.approx(2 / 3)                               # one of two missed
    assert agreement(a, [{"category": "scratch", "bbox": [0, 0, 10, 10]}]) == 0.0     # wrong class
    assert agreement(a[:1], [{"category": "dent", "bbox": [5, 0, 10, 10]}]) == 0.0   # IoU 1/3 < 0.5
    assert agreement(a[:1], [{"category": "dent", "bbox": [2, 0, 10, 10]}]) == 1.0   # IoU 2/3
    assert agreement([], []) == 1.0
    assert agreement([{"category": "ok"}], [{"category": "ok"}]) == 1.0
    assert agreement([{"category": "ok"}], [{"category": "dent"}]) == 0.0


@pytest.fixture
def pair_project(det_dataset, users, make_user, orgs, tmp_path):
    source = import_coco(zip_folder(write_coco(tmp_path / "coco"), tmp_path / "coco.zip"), dataset=det_dataset,
                         acting_user=users["a_dev"])
    first, second = make_user("a_ann1", orgs["a"], "annotator"), make_user("a_ann2", orgs["a"], "annotator")
    with pytest.raises(BadInput, match="at least two annotators"):
        create_project(name="pair", source=source, classes=["scratch", "black_spot"], acting_user=users["a_dev"],
                       annotators=[first], overlap=2)
    return create_project(name="pair", source=source, classes=["scratch", "black_spot"], acting_user=users["a_dev"],
                          annotators=[first, second], overlap=2), first, second


def test_two_annotators_per_image_and_their_agreement(pair_project, users, client):
    project, first, second = pair_project
    assert project.tasks.count() == 6
    for sample in (1, 2, 3):
        slots = list(project.tasks.filter(sample_id=sample))
        assert len(slots) == 2 and slots[0].assignee_id != slots[1].assignee_id and slots[0].labels == []
    box = {"category": "scratch", "bbox": [4, 4, 10, 8]}
    for sample, (mine, theirs) in {1: ([box], [box]), 2: ([box], [])}.items():
        for task in project.tasks.filter(sample_id=sample):
            labels = mine if task.assignee_id == first.pk else theirs
            save_labels(task, labels=labels, revision=0, acting_user=task.assignee, submit=True)
    report = agreement_report(project)
    assert report["images"] == 2 and report["mean"] == 0.5 and report["lowest"][0]["file_name"] == "img_002.png"
    client.force_login(users["a_approver"])
    task = project.tasks.get(sample_id=2, assignee=first)
    page = client.get(f"/data/labelling/tasks/{task.pk}/").content.decode()
    assert 'data-agreement="0.000"' in page and "a_ann2" in page
    assert 'data-mean="0.5"' in client.get(f"/data/labelling/{project.pk}/").content.decode()
    review(task, accept=True, acting_user=users["a_approver"])
    other = project.tasks.get(sample_id=2, assignee=second)
    with pytest.raises(Conflict, match="accepted already"):
        review(other, accept=True, acting_user=users["a_approver"])
    version = cut_version(project, acting_user=users["a_dev"])
    assert version.num_records == 1
