"""Image classification sets (issue 20): a zip of class folders imports with every image
decoded (bad ones named, nothing stored), the gallery shows each image's class and counts images
per class, a labelling project picks one class per image (checked against the schema), and a
version is cut from accepted classes; CSV export lists the classes."""
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.data import gallery
from core.data.actions.datasets import create_dataset
from core.data.actions.importers import import_class_folders
from core.data.actions.labelling import create_project, cut_version, review, save_labels
from core.platform.errors import BadInput

from .conftest import png_bytes


def class_zip(path, files):
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return path


@pytest.fixture
def cls_dataset(orgs, users):
    return create_dataset(name="parts-ok-ng", organisation=orgs["a"], kind="classification",
                          acting_user=users["a_dev"])


@pytest.fixture
def cls_version(cls_dataset, users, tmp_path):
    files = {"set/ok/a.png": png_bytes(20, 10), "set/ok/b.png": png_bytes(20, 10, 90),
             "set/dent/c.png": png_bytes(16, 16), "set/dent/d.png": png_bytes(16, 16, 200)}
    return import_class_folders(class_zip(tmp_path / "c.zip", files), dataset=cls_dataset, acting_user=users["a_dev"])


def test_class_folders_import_and_show_in_the_gallery(client, users, cls_version):
    index = gallery.samples_of(cls_version)
    assert index.categories == ["dent", "ok"]
    assert {s.file_name: s.tags for s in index.samples} == {"dent/c.png": ("dent",), "dent/d.png": ("dent",),
                                                            "ok/a.png": ("ok",), "ok/b.png": ("ok",)}
    client.force_login(users["a_viewer"])
    page = client.get(reverse("ui:dataset_version", args=[cls_version.dataset_id, 1])).content.decode()
    assert page.count('class="sample"') == 4 and "Images per class" in page and "Box sizes" not in page
    only = client.get(reverse("ui:dataset_version", args=[cls_version.dataset_id, 1]), {"class": "dent"})
    assert only.content.decode().count('class="sample"') == 2
    rows = b"".join(client.get(reverse("ui:dataset_export", args=[cls_version.dataset_id, 1, "csv"]))
                    .streaming_content).decode()
    assert "ok/a.png,20,10,ok,,,," in rows
    assert client.get(reverse("ui:dataset_export", args=[cls_version.dataset_id, 1, "voc"])).status_code == 404


def test_a_bad_class_folder_set_is_refused_by_name_and_stores_nothing(cls_dataset, users, tmp_path):
    files = {"ok/a.png": png_bytes(8, 8), "ok/broken.png": b"not an image", "loose.png": png_bytes(8, 8),
             "dent/b.png": png_bytes(8, 8)}
    with pytest.raises(ValidationError) as exc:
        import_class_folders(class_zip(tmp_path / "bad.zip", files), dataset=cls_dataset, acting_user=users["a_dev"])
    assert "loose.png: an image must sit in a class folder" in " ".join(exc.value.message_dict["dataset"])
    files.pop("loose.png")
    with pytest.raises(ValidationError) as exc:
        import_class_folders(class_zip(tmp_path / "bad2.zip", files), dataset=cls_dataset, acting_user=users["a_dev"])
    assert "ok/broken.png" in " ".join(exc.value.message_dict["dataset"])
    assert cls_dataset.versions.count() == 0


def test_classifying_in_a_project_and_cutting_a_version(cls_version, users, make_user, orgs, client):
    annotator = make_user("a_annotator", orgs["a"], "annotator")
    project = create_project(name="ok-ng-check", source=cls_version, classes=["ok", "dent", "scratch"],
                             acting_user=users["a_dev"], annotators=[annotator])
    task = project.tasks.get(file_name="ok/a.png")
    assert task.labels == [{"category": "ok"}]
    client.force_login(annotator)
    page = client.get(reverse("ui:label_task", args=[task.pk])).content.decode()
    assert '"kind": "classification"' in page
    with pytest.raises(BadInput, match="one class or none"):
        save_labels(task, labels=[{"category": "ok"}, {"category": "dent"}], revision=0, acting_user=annotator)
    with pytest.raises(BadInput, match="not a class"):
        save_labels(task, labels=[{"category": "rust"}], revision=0, acting_user=annotator)
    task = save_labels(task, labels=[{"category": "scratch"}], revision=0, acting_user=annotator, submit=True)
    review(task, accept=True, acting_user=users["a_approver"])
    version = cut_version(project, acting_user=users["a_dev"])
    index = gallery.samples_of(version)
    assert [(s.file_name, s.tags) for s in index.samples] == [("ok/a.png", ("scratch",))]
    assert index.categories == ["ok", "dent", "scratch"]
