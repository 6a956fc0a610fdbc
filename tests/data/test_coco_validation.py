"""Every malformed dataset is refused with a message naming the file and the field."""
import copy
import io
import json
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from core.data.actions.importers import import_coco
from core.data.lib import archive, coco
from core.data.lib.images import decoded_size
from core.hub.storage import ArtifactTooLarge

from .conftest import png_bytes, small_doc, write_coco, zip_folder

SIZES = {"img_001.png": (64, 48), "img_002.png": (64, 48), "img_003.png": (40, 40)}


def messages(doc, sizes=SIZES):
    return coco.validate(doc, sizes).messages()


def only(doc, sizes=SIZES):
    msgs = messages(doc, sizes)
    assert len(msgs) == 1, msgs
    return msgs[0]


def test_valid_dataset_and_its_stats():
    report = coco.validate(small_doc(), SIZES)
    assert report.ok, report.messages()
    s = report.stats
    assert s["num_images"] == 3 and s["num_annotations"] == 3 and s["num_categories"] == 2
    assert s["per_category"] == {"scratch": 2, "black_spot": 1}
    assert s["categories"][0] == {"id": 1, "name": "scratch", "annotations": 2, "images": 2}
    assert s["clean_images"] == 1
    assert s["box_width"] == {"min": 10.0, "p50": 40.0, "max": 64.0}
    assert s["box_height"] == {"min": 8.0, "p50": 36.0, "max": 48.0}
    # 10x8 small; 40x36=1440 medium; 64x48=3072 medium
    assert s["size_buckets"] == {"small": 1, "medium": 2, "large": 0}
    assert s["image_width"]["max"] == 64


@pytest.mark.parametrize("key", ["images", "annotations", "categories"])
def test_missing_top_level_key(key):
    doc = small_doc()
    del doc[key]
    assert f"annotations.json: {key}: missing" in messages(doc)[0]


def test_top_level_must_be_object_and_lists():
    assert "must be a JSON object" in messages([1, 2])[0]
    doc = small_doc()
    doc["categories"] = {"1": "scratch"}
    assert any(m.startswith("annotations.json: categories: must be a list") for m in messages(doc))


def test_bbox_past_the_image_edge_names_image_and_field():
    doc = small_doc()
    doc["annotations"][1]["bbox"] = [30, 10, 40, 20]
    assert only(doc) == ("annotations.json: annotations[1].bbox: box [30, 10, 40, 20] extends past image "
                         "'img_001.png' width 64")
    doc["annotations"][1]["bbox"] = [3, 30, 10, 20]
    assert "extends past image 'img_001.png' height 48" in only(doc)
    doc["annotations"][1]["bbox"] = [-5, 3, 10, 10]
    assert "annotations[1].bbox" in only(doc) and "negative" in only(doc)
    # one pixel of slack for labelling tools that round outwards
    doc["annotations"][1]["bbox"] = [54.5, 0, 10.4, 48.9]
    assert messages(doc) == []


@pytest.mark.parametrize("bbox, text", [
    ([1, 2, 3], "must be 4 finite numbers"),
    ([1, 2, "3", 4], "must be 4 finite numbers"),
    ([1, 2, True, 4], "must be 4 finite numbers"),
    (None, "must be 4 finite numbers"),
    ([1, 2, 0, 4], "has no area"),
    ([1, 2, 5, -4], "has no area"),
])
def test_bad_bbox(bbox, text):
    doc = small_doc()
    doc["annotations"][0]["bbox"] = bbox
    msg = only(doc)
    assert msg.startswith("annotations.json: annotations[0].bbox: ") and text in msg


def test_unknown_category_and_image():
    doc = small_doc()
    doc["annotations"][2]["category_id"] = 9
    assert only(doc) == "annotations.json: annotations[2].category_id: refers to category 9, which is not in categories"
    doc = small_doc()
    doc["annotations"][2]["image_id"] = 77
    assert only(doc) == "annotations.json: annotations[2].image_id: refers to image 77, which is not in images"


def test_duplicate_ids_and_names():
    doc = small_doc()
    doc["images"][2]["id"] = 1
    doc["annotations"][2]["id"] = 1
    doc["categories"].append({"id": 2, "name": "dent"})
    doc["categories"].append({"id": 5, "name": "scratch"})
    msgs = messages(doc)
    assert "annotations.json: images[2].id: duplicate image id 1 (also images[0])" in msgs
    assert "annotations.json: annotations[2].id: duplicate annotation id 1 (also annotations[0])" in msgs
    assert "annotations.json: categories[2].id: duplicate category id 2 (also categories[1])" in msgs
    assert "annotations.json: categories[3].name: duplicate category name 'scratch' (also categories[0])" in msgs


def test_field_types():
    doc = small_doc()
    doc["images"][0]["width"] = "64"
    doc["images"][1]["height"] = 0
    doc["images"][2]["id"] = "3"
    doc["categories"][0]["name"] = " "
    doc["annotations"][0]["iscrowd"] = 2
    doc["annotations"][1]["area"] = -1
    msgs = messages(doc)
    for expected in ('images[0].width: must be a positive integer, not "64"',
                     "images[1].height: must be a positive integer, not 0",
                     'images[2].id: must be an integer, not "3"',
                     "categories[0].name: must be a non-empty string",
                     "annotations[0].iscrowd: must be 0 or 1",
                     "annotations[1].area: must be a number >= 0"):
        assert any(expected in m for m in msgs), (expected, msgs)


def test_missing_corrupt_and_non_image_files():
    sizes = dict(SIZES)
    del sizes["img_003.png"]
    sizes["img_002.png"] = "not a decodable image"
    msgs = messages(small_doc(), sizes)
    assert msgs[0] == "images/img_002.png: not a decodable image"
    assert msgs[1].startswith("images/img_003.png: file is missing (named by annotations.json images[2].file_name)")


def test_wrong_declared_size():
    assert only(small_doc(), dict(SIZES, **{"img_001.png": (60, 48)})) == (
        "annotations.json: images[0].width: declared 64 but images/img_001.png is 60 px wide")


@pytest.mark.parametrize("name, reason", [
    ("../secret.png", "goes up a folder"),
    ("a/../../b.png", "goes up a folder"),
    ("/etc/passwd", "is an absolute path"),
    ("C:/x.png", "is an absolute path"),
    ("a\\b.png", "backslashes"),
    ("", "non-empty string"),
    ("./a.png", "not a normalised relative path"),
])
def test_unsafe_file_names(name, reason):
    doc = small_doc()
    doc["images"][0]["file_name"] = name
    msg = messages(doc)[0]
    assert msg.startswith("annotations.json: images[0].file_name: ") and reason in msg


def test_issues_are_capped():
    doc = small_doc()
    doc["annotations"] = [{"id": i, "image_id": 1, "category_id": 1, "bbox": [0, 0, 999, 5]} for i in range(1, 120)]
    msgs = messages(doc)
    assert len(msgs) == coco.MAX_ISSUES + 1
    assert msgs[-1].startswith(f"stopped after {coco.MAX_ISSUES} problems")


def test_json_errors_name_line_and_column():
    with pytest.raises(coco.CocoError, match=r"annotations.json: is not valid JSON: .* line 2 column"):
        coco.load_json(b'{"images": [],\n  "x": }')
    with pytest.raises(coco.CocoError, match="NaN is not allowed"):
        coco.load_json(b'{"images": [NaN]}')
    with pytest.raises(coco.CocoError, match="not UTF-8"):
        coco.load_json(b'{"name": "\xff"}')


def test_image_decoding():
    assert decoded_size(png_bytes(30, 20)) == (30, 20)
    with pytest.raises(coco.ImageUnreadable, match="not a decodable image"):
        decoded_size(b"hello, I am a text file")
    with pytest.raises(coco.ImageUnreadable, match="not a decodable image"):
        decoded_size(png_bytes(30, 20)[:-30])
    with pytest.raises(coco.ImageUnreadable, match="more than the 100 allowed"):
        decoded_size(png_bytes(30, 20), max_pixels=100)


# Through the importer: the files themselves


def refused(source, ds, user, exc=ValidationError):
    with pytest.raises(exc) as info:
        import_coco(source, dataset=ds, acting_user=user)
    if exc is ValidationError:
        return info.value.message_dict["dataset"]
    return str(info.value)


def test_corrupt_and_non_image_files_are_named(tmp_path, det_dataset, users):
    good = png_bytes(64, 48)
    folder = write_coco(tmp_path / "c", images={"img_001.png": good[:len(good) // 2], "img_002.png": b"%PDF-1.4 ...",
                                                 "img_003.png": png_bytes(40, 40)})
    msgs = refused(folder, det_dataset, users["a_dev"])
    assert msgs[0].startswith("images/img_001.png: not a decodable image")
    assert msgs[1].startswith("images/img_002.png: not a decodable image")
    assert len(msgs) == 2


def test_missing_file_and_wrong_size_through_importer(tmp_path, det_dataset, users):
    folder = write_coco(tmp_path / "c", images={"img_001.png": png_bytes(64, 40), "img_002.png": png_bytes(64, 48)})
    msgs = refused(folder, det_dataset, users["a_dev"])
    assert "annotations.json: images[0].height: declared 48 but images/img_001.png is 40 px high" in msgs
    assert any(m.startswith("images/img_003.png: file is missing") for m in msgs)


def _zip_bytes(entries):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for info, data in entries:
            zf.writestr(info, data)
    buf.seek(0)
    buf.name = "evil.zip"
    return buf


def test_path_traversal_and_symlinks_in_zip_are_refused(det_dataset, users):
    doc = json.dumps(small_doc())
    up = _zip_bytes([("annotations.json", doc), ("../../etc/cron.d/x", "boom"), ("/abs.png", "x")])
    msgs = refused(up, det_dataset, users["a_dev"])
    assert "evil.zip:../../etc/cron.d/x: refused: the entry name goes up a folder ('..')" in msgs
    assert "evil.zip:/abs.png: refused: the entry name is an absolute path" in msgs
    link = zipfile.ZipInfo("images/img_001.png")
    link.create_system = 3
    link.external_attr = 0o120777 << 16
    msgs = refused(_zip_bytes([("annotations.json", doc), (link, "/etc/passwd")]), det_dataset, users["a_dev"])
    assert msgs == ["evil.zip:images/img_001.png: refused: symbolic links are not allowed in a dataset"]


@override_settings(DATA_IMPORT_MAX_FILES=4)
def test_too_many_files(tmp_path, det_dataset, users):
    folder = write_coco(tmp_path / "c")
    up = zip_folder(folder, tmp_path / "c.zip", extra={f"junk/{i}.txt": "x" for i in range(3)})
    assert refused(up, det_dataset, users["a_dev"]) == ["c.zip: has 7 entries, more than the 4 allowed"]
    (folder / "more").mkdir()
    for i in range(3):
        (folder / "more" / f"{i}.txt").write_text("x")
    assert refused(folder, det_dataset, users["a_dev"]) == ["c: has more than the 4 files allowed"]


def test_zip_bomb_and_oversize_are_refused(tmp_path, det_dataset, users):
    folder = write_coco(tmp_path / "c")
    bomb = zip_folder(folder, tmp_path / "bomb.zip", extra={"images/zeros.bin": b"\0" * (8 * 1024 * 1024)})
    msgs = refused(bomb, det_dataset, users["a_dev"])
    assert len(msgs) == 1 and msgs[0].startswith("bomb.zip:images/zeros.bin: refused: compresses")
    assert "zip bomb guard" in msgs[0]
    with override_settings(DATA_IMPORT_MAX_BYTES=300):
        msg = refused(zip_folder(folder, tmp_path / "c.zip"), det_dataset, users["a_dev"], ArtifactTooLarge)
        assert "more than the 300 byte limit" in msg
        assert "300 byte limit" in refused(folder, det_dataset, users["a_dev"], ArtifactTooLarge)


def test_declared_entry_count_is_read_before_parsing(tmp_path):
    folder = write_coco(tmp_path / "c")
    with open(zip_folder(folder, tmp_path / "c.zip"), "rb") as fh:
        assert archive.declared_entry_count(fh) == 4
        assert fh.tell() == 0
    assert archive.declared_entry_count(io.BytesIO(b"not a zip")) is None


def test_not_a_zip(tmp_path, det_dataset, users):
    bad = io.BytesIO(b"PK\x03\x04 this is not really a zip")
    bad.name = "data.zip"
    assert refused(bad, det_dataset, users["a_dev"])[0].startswith("data.zip: not a readable zip file")


def test_annotation_file_must_be_found_exactly_once(tmp_path, det_dataset, users):
    folder = write_coco(tmp_path / "c", annotation_name="labels.json")
    assert "no annotation file found" in refused(folder, det_dataset, users["a_dev"])[0]
    (folder / "annotations").mkdir()
    (folder / "annotations" / "instances_train.json").write_text(json.dumps(small_doc()))
    (folder / "annotations" / "instances_val.json").write_text(json.dumps(small_doc()))
    msg = refused(folder, det_dataset, users["a_dev"])[0]
    assert "found 2 annotation files (annotations/instances_train.json, annotations/instances_val.json)" in msg


def test_invalid_json_is_named(tmp_path, det_dataset, users):
    folder = write_coco(tmp_path / "c")
    (folder / "annotations.json").write_text('{"images": [}')
    msg = refused(folder, det_dataset, users["a_dev"])[0]
    assert msg.startswith("annotations.json: is not valid JSON")


def test_annotation_errors_name_the_users_annotation_path(tmp_path, det_dataset, users):
    doc = small_doc()
    doc["annotations"][0]["category_id"] = 42
    folder = write_coco(tmp_path / "c", doc, annotation_name="annotations/instances_default.json")
    zipped = zip_folder(folder, tmp_path / "c.zip", prefix="export/")
    assert refused(zipped, det_dataset, users["a_dev"]) == [
        "export/annotations/instances_default.json: annotations[0].category_id: refers to category 42, "
        "which is not in categories"]


def test_validation_does_not_modify_the_document():
    doc = small_doc()
    before = copy.deepcopy(doc)
    coco.validate(doc, SIZES)
    assert doc == before
