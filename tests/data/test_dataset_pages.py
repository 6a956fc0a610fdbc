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
