"""Dataset pages (issue 20, first slice): the list shows what a user's organisations hold, a
dataset's versions link to the models trained on them, and a detection version's gallery
shows thumbnails with their boxes, filters by class and by labelled / unlabelled, and draws
the class and box-size distributions. Another organisation's dataset is a 404 everywhere."""
import io
import json

import pytest
from django.urls import reverse
from PIL import Image

from core.data.actions.importers import import_coco
from core.data.lib.samples import sample_index

from .conftest import small_doc, write_coco, zip_folder


@pytest.fixture
def version(det_dataset, users, tmp_path):
    folder = write_coco(tmp_path / "coco")
    return import_coco(zip_folder(folder, tmp_path / "coco.zip"), dataset=det_dataset, acting_user=users["a_dev"])


def test_the_sample_index_counts_classes_boxes_and_bands():
    index = sample_index(small_doc())
    assert [s.file_name for s in index.samples] == ["img_001.png", "img_002.png", "img_003.png"]
    assert index.class_counts() == {"scratch": (2, 2), "black_spot": (1, 1)}
    # 10x8 = 80 px small, 40x36 = 1440 px medium (< 96²), 64x48 = 3072 px medium
    assert index.size_bands() == {"small": 1, "medium": 2, "large": 0}
    assert index.unlabelled() == 1
    assert [s.id for s in index.select(category="black_spot")] == [1]
    assert [s.id for s in index.select(state="unlabelled")] == [3]
    with pytest.raises(ValueError, match="no class 'dent'"):
        index.select(category="dent")


def test_the_list_shows_own_datasets_and_hides_a_siblings(client, users, version):
    client.force_login(users["a_viewer"])
    page = client.get(reverse("ui:datasets")).content.decode()
    assert "separator" in page and reverse("ui:dataset_version", args=[version.dataset_id, 1]) in page
    client.force_login(users["b_dev"])
    assert "separator" not in client.get(reverse("ui:datasets")).content.decode()
    for url in (reverse("ui:dataset", args=[version.dataset_id]),
                reverse("ui:dataset_version", args=[version.dataset_id, 1]),
                reverse("ui:dataset_sample", args=[version.dataset_id, 1, 1, "thumb"])):
        assert client.get(url).status_code == 404, url


def test_the_gallery_draws_each_box_and_filters(client, users, version):
    client.force_login(users["a_viewer"])
    url = reverse("ui:dataset_version", args=[version.dataset_id, 1])
    page = client.get(url).content.decode()
    assert page.count('class="sample"') == 3
    # image 1's black spot: x 20/64, y 10/48, w 40/64, h 36/48 of the image, as the overlay's percentages
    assert '<rect x="31.250" y="20.833" width="62.500" height="75.000"><title>black_spot</title>' in page
    assert json.loads(page.split('id="class-data" type="application/json">')[1].split("</script>")[0]) == {
        "names": ["scratch", "black_spot"], "values": [2, 1]}
    only = client.get(url, {"class": "black_spot"}).content.decode()
    assert only.count('class="sample"') == 1 and "img_001.png" in only
    empty = client.get(url, {"state": "unlabelled"}).content.decode()
    assert empty.count('class="sample"') == 1 and "img_003.png" in empty
    bad = client.get(url, {"class": "dent"})
    assert bad.status_code == 400 and "no class &#x27;dent&#x27;" in bad.content.decode()


def test_a_thumbnail_is_a_small_jpeg_and_the_full_image_is_the_stored_one(client, users, version):
    client.force_login(users["a_viewer"])
    thumb = client.get(reverse("ui:dataset_sample", args=[version.dataset_id, 1, 1, "thumb"]))
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/jpeg"
    with Image.open(io.BytesIO(b"".join(thumb.streaming_content))) as im:
        assert im.format == "JPEG" and im.size == (64, 48)  # never enlarged
    full = client.get(reverse("ui:dataset_sample", args=[version.dataset_id, 1, 3, "full"]))
    with Image.open(io.BytesIO(b"".join(full.streaming_content))) as im:
        assert im.format == "PNG" and im.size == (40, 40)
    assert client.get(reverse("ui:dataset_sample", args=[version.dataset_id, 1, 99, "thumb"])).status_code == 404
    assert client.get(reverse("ui:dataset_sample", args=[version.dataset_id, 1, 1, "huge"])).status_code == 404


def test_the_dataset_page_lists_versions_with_their_content_hash(client, users, version):
    client.force_login(users["a_dev"])
    page = client.get(reverse("ui:dataset", args=[version.dataset_id])).content.decode()
    assert "v1" in page and version.artifact_id in page
    assert reverse("ui:lineage", args=["dataset_version", version.pk]) in page


def test_diff_names_added_removed_and_relabelled_images():
    old = small_doc()
    new = small_doc()
    new["images"] = [im for im in new["images"] if im["id"] != 3] + [
        {"id": 4, "file_name": "img_004.png", "width": 10, "height": 10}]
    new["annotations"][2]["bbox"] = [1, 1, 10, 10]  # image 2 relabelled
    from core.data.lib.samples import diff

    assert diff(sample_index(old), sample_index(new)) == {
        "added": ["img_004.png"], "removed": ["img_003.png"], "relabelled": ["img_002.png"], "unchanged": 1}
    assert diff(sample_index(old), sample_index(small_doc()))["unchanged"] == 3


def test_csv_and_voc_say_the_same_boxes():
    from core.data.lib.samples import csv_rows, voc_xml

    index = sample_index(small_doc())
    rows = list(csv_rows(index))
    assert rows[0][:4] == ("file_name", "width", "height", "class")
    assert ("img_001.png", 64, 48, "black_spot", 20, 10, 40, 36) in rows
    assert ("img_003.png", 40, 40, "", "", "", "", "") in rows  # an image without boxes is listed too
    xml = voc_xml(index.by_id[1])
    assert "<name>black_spot</name>" in xml and "<xmin>21</xmin><ymin>11</ymin><xmax>60</xmax><ymax>46</ymax>" in xml


def _second_version(version, users, tmp_path):
    doc = small_doc()
    doc["images"] = [im for im in doc["images"] if im["id"] != 3] + [
        {"id": 4, "file_name": "img_004.png", "width": 32, "height": 32}]
    doc["annotations"][2]["bbox"] = [2, 2, 20, 20]
    folder = write_coco(tmp_path / "coco2", doc)
    return import_coco(zip_folder(folder, tmp_path / "coco2.zip"), dataset=version.dataset, acting_user=users["a_dev"])


def test_the_diff_page_shows_what_changed(client, users, version, tmp_path):
    _second_version(version, users, tmp_path)
    client.force_login(users["a_viewer"])
    page = client.get(reverse("ui:dataset_diff", args=[version.dataset_id]), {"from": 1, "to": 2}).content.decode()
    assert "1 added, 1 removed, 1 relabelled, 1 unchanged" in page
    added = page.split('data-change="added"')[1].split("</div></div>")[0]
    assert "img_004.png" in added and "img_003.png" not in added
    relabelled = page.split('data-change="relabelled"')[1]
    assert relabelled.count('class="sample"') == 2 and "img_002.png" in relabelled
    assert client.get(reverse("ui:dataset_diff", args=[version.dataset_id]), {"from": 1, "to": 9}).status_code == 404


def test_exports_coco_voc_and_csv(client, users, version):
    import csv as csvlib
    import zipfile

    client.force_login(users["a_viewer"])
    coco = client.get(reverse("ui:dataset_export", args=[version.dataset_id, 1, "coco"]))
    data = b"".join(coco.streaming_content)
    import hashlib
    assert hashlib.sha256(data).hexdigest() == version.artifact_id  # the version itself, verified
    voc = zipfile.ZipFile(io.BytesIO(b"".join(client.get(
        reverse("ui:dataset_export", args=[version.dataset_id, 1, "voc"])).streaming_content)))
    names = voc.namelist()
    assert "Annotations/img_001.xml" in names and "JPEGImages/img_003.png" in names
    assert "<name>black_spot</name>" in voc.read("Annotations/img_001.xml").decode()
    response = client.get(reverse("ui:dataset_export", args=[version.dataset_id, 1, "csv"]))
    assert response["Content-Disposition"].startswith('attachment; filename="separator-v1-boxes.csv"')
    rows = list(csvlib.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["file_name", "width", "height", "class", "x", "y", "w", "h"] and len(rows) == 1 + 4
    assert client.get(reverse("ui:dataset_export", args=[version.dataset_id, 1, "yolo"])).status_code == 404


def test_the_api_lists_samples_exports_and_diffs(client, users, version, tmp_path):
    _second_version(version, users, tmp_path)
    client.force_login(users["a_viewer"])
    base = f"/api/v1/datasets/{version.dataset_id}"
    r = client.get(f"{base}/versions/1/samples/", {"class": "scratch", "limit": 1})
    body = r.json()
    assert r.status_code == 200 and body["count"] == 2 and len(body["results"]) == 1
    assert body["results"][0] == {"id": 1, "file_name": "img_001.png", "width": 64, "height": 48, "boxes": [
        {"category": "scratch", "bbox": [4.0, 4.0, 10.0, 8.0]}, {"category": "black_spot", "bbox": [20.0, 10.0, 40.0, 36.0]}],
        "labels": []}
    assert body["summary"]["size_bands"] == {"small": 1, "medium": 2, "large": 0}
    bad = client.get(f"{base}/versions/1/samples/", {"class": "dent"})
    assert bad.status_code == 400 and "no class 'dent'" in bad.json()["errors"]["class"][0]
    assert client.get(f"{base}/versions/1/samples/", {"limit": 5000}).status_code == 400
    assert client.get(f"{base}/versions/7/samples/").status_code == 404
    assert client.get(f"{base}/diff/", {"from": 1, "to": 2}).json() == {
        "from": 1, "to": 2, "added": ["img_004.png"], "removed": ["img_003.png"], "relabelled": ["img_002.png"],
        "unchanged": 1}
    csv_text = b"".join(client.get(f"{base}/versions/2/export/csv/").streaming_content).decode()
    assert "img_004.png,32,32,,,,," in csv_text
    assert client.get(f"{base}/versions/2/export/yolo/").status_code == 400
    client.force_login(users["b_dev"])
    assert client.get(f"{base}/versions/1/samples/").status_code == 404


def test_a_published_dataset_is_shared_down_the_tree_read_only(client, users, orgs, tmp_path):
    from core.data.actions.datasets import create_dataset, publish

    hq_data = create_dataset(name="hq-parts", organisation=orgs["hq"], kind="detection", acting_user=users["hq_dev"])
    import_coco(zip_folder(write_coco(tmp_path / "hq"), tmp_path / "hq.zip"), dataset=hq_data,
                acting_user=users["hq_dev"])
    client.force_login(users["a_viewer"])
    assert "hq-parts" not in client.get(reverse("ui:datasets")).content.decode()
    with pytest.raises(PermissionError):
        publish(hq_data, published=True, acting_user=users["a_dev"])
    client.force_login(users["hq_dev"])
    assert client.post(reverse("ui:dataset_publish", args=[hq_data.pk]), {"published": "true"}).status_code == 302
    client.force_login(users["a_viewer"])
    assert "hq-parts" in client.get(reverse("ui:datasets")).content.decode()
    assert client.get(reverse("ui:dataset_version", args=[hq_data.pk, 1])).status_code == 200
    assert client.get(f"/api/v1/datasets/{hq_data.pk}/").json()["published"] is True
    # read-only below: a branch developer cannot add to it or publish it
    client.force_login(users["a_dev"])
    assert client.post(f"/api/v1/datasets/{hq_data.pk}/publish/", {"published": False},
                       content_type="application/json").status_code == 403
    # a branch's published dataset stays invisible to its sibling
    a_data = create_dataset(name="a-parts", organisation=orgs["a"], kind="detection", acting_user=users["a_dev"])
    publish(a_data, published=True, acting_user=users["a_dev"])
    client.force_login(users["b_dev"])
    page = client.get(reverse("ui:datasets")).content.decode()
    assert "hq-parts" in page and "a-parts" not in page


def test_a_voc_export_imports_back_to_the_same_boxes(client, users, version, tmp_path):
    from django.core.exceptions import ValidationError

    from core.data.actions.importers import import_voc

    client.force_login(users["a_dev"])
    voc_zip = tmp_path / "voc.zip"
    voc_zip.write_bytes(b"".join(client.get(
        reverse("ui:dataset_export", args=[version.dataset_id, 1, "voc"])).streaming_content))
    again = import_voc(voc_zip, dataset=version.dataset, acting_user=users["a_dev"])
    from core.data import gallery

    before, after = gallery.samples_of(version), gallery.samples_of(again)
    assert sorted(before.categories) == after.categories  # VOC names classes; the import sorts them
    assert {s.file_name: sorted((b.category, b.x, b.y, b.w, b.h) for b in s.boxes) for s in before.samples} == \
        {s.file_name: sorted((b.category, b.x, b.y, b.w, b.h) for b in s.boxes) for s in after.samples}
    bad = tmp_path / "bad.zip"
    import zipfile
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("Annotations/a.xml", '<!DOCTYPE x [<!ENTITY e "boom">]><annotation>&e;</annotation>')
        zf.writestr("Annotations/b.xml", "<annotation><filename>missing.png</filename><size><width>4</width>"
                                         "<height>4</height></size></annotation>")
    with pytest.raises(ValidationError) as exc:
        import_voc(bad, dataset=version.dataset, acting_user=users["a_dev"])
    text = " ".join(exc.value.message_dict["dataset"])
    assert "Annotations/a.xml: not a Pascal VOC annotation" in text and "'missing.png', which is not in the set" in text
    assert version.dataset.versions.count() == 2  # the refused import stored nothing


def test_the_api_imports_a_voc_zip(client, users, version, tmp_path):
    client.force_login(users["a_dev"])
    data = b"".join(client.get(reverse("ui:dataset_export", args=[version.dataset_id, 1, "voc"])).streaming_content)
    upload = io.BytesIO(data)
    upload.name = "voc.zip"
    r = client.post(f"/api/v1/datasets/{version.dataset_id}/import-voc/", {"file": upload})
    assert r.status_code == 201 and r.json()["num_records"] == 3
    junk = io.BytesIO(b"not a zip")
    junk.name = "voc.zip"
    bad = client.post(f"/api/v1/datasets/{version.dataset_id}/import-voc/", {"file": junk})
    assert bad.status_code == 400 and bad.json()["message"]


def test_an_upload_is_imported_by_a_job_that_tells_its_progress(client, users, det_dataset, tmp_path):
    from core.training.actions.runner import run_job
    from core.training.models import Job

    client.force_login(users["a_dev"])
    page = client.get(reverse("ui:dataset", args=[det_dataset.pk])).content.decode()
    assert 'id="import-form"' in page and '<option value="voc">' in page
    with open(zip_folder(write_coco(tmp_path / "coco"), tmp_path / "coco.zip"), "rb") as fh:
        response = client.post(reverse("ui:dataset_import", args=[det_dataset.pk]), {"file": fh, "format": "coco"})
    job = Job.objects.get(trainer="core.dataset_import")
    assert response.status_code == 302 and response["Location"] == reverse("ui:job", args=[job.pk])
    assert run_job(job.pk) == "succeeded", Job.objects.get(pk=job.pk).log_tail
    job.refresh_from_db()
    assert job.result["records"] == 3 and "checked 3 of 3 images" in job.log_tail
    assert det_dataset.versions.get().num_records == 3
    wrong = client.post(reverse("ui:dataset_import", args=[det_dataset.pk]), {"format": "text"}, follow=True)
    assert "a detection dataset imports coco, voc" in wrong.content.decode()
    client.force_login(users["a_viewer"])
    assert 'id="import-form"' not in client.get(reverse("ui:dataset", args=[det_dataset.pk])).content.decode()
