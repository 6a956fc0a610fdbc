"""The shared COCO writer of the synthetic generators: ids count up from 1, boxes carry their
area, the file is sorted JSON with a trailing newline, and its ids and boxes are as added."""
import json

from core.data.lib.coco_writer import CocoWriter


def test_ids_areas_and_bytes(tmp_path):
    coco = CocoWriter()
    first, second = coco.add_image("a.png", 32, 16), coco.add_image("b.png", 32, 16)
    assert (first, second) == (1, 2)
    assert coco.add_box(first, 3, 1, 2, 4, 5) == 1
    assert coco.unlabelled_images == 1
    path = coco.write(tmp_path / "annotations.json", info={"seed": 0},
                      categories=[{"id": 3, "name": "dent", "supercategory": "defect"}])
    text = path.read_text(encoding="utf-8")
    doc = json.loads(text)
    assert text == json.dumps(doc, sort_keys=True, indent=1) + "\n"
    assert doc["licenses"] == [] and doc["info"] == {"seed": 0}
    assert doc["annotations"] == [{"id": 1, "image_id": 1, "category_id": 3, "bbox": [1, 2, 4, 5], "area": 20,
                                   "iscrowd": 0}]
    assert [i["file_name"] for i in doc["images"]] == ["a.png", "b.png"]
